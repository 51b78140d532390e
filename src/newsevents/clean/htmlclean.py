"""The HTML cleaner: trafilatura extracts the article with the full DOM, then the same caption,
credit and promo rules as for text renderings drop what it let through.

trafilatura's metadata extraction gives the title, the author and, through htmldate, the
publication date. Raw line numbers of an HTML page are those of the source lines where a
paragraph's text is found (best effort: markup inside a paragraph can hide it, and then the
previous paragraph's line is used).
"""

from __future__ import annotations

import contextlib
import dataclasses
import html
import itertools
import re
from dataclasses import dataclass
from typing import Any

from newsevents.clean.markup_author import markup_author
from newsevents.clean.metadata import byline_authors
from newsevents.clean.normalize import normalize_line
from newsevents.clean.profiles import Profile, profile_for_url
from newsevents.clean.rules import GENERIC_RULES, first_match
from newsevents.clean.textclean import KeptParagraph, TextOutcome, count_words
from newsevents.clean.trafilatura_paths import python_paths
from newsevents.records import Credits, RemovedLine

# Only these generic rules run on trafilatura's output: it already removed navigation and layout,
# and the region rules would cut real paragraphs. Captions, credits and promos slip through it.
_HTML_RULE_REASONS = frozenset(
    {"image caption", "image credit", "promo", "cookie notice", "social", "advertisement", "related links", "byline"}
)
_HTML_RULES = tuple(r for r in GENERIC_RULES if r.reason in _HTML_RULE_REASONS)
_TAGS = re.compile(r"<[^>]*>")
RECALL_FALLBACK = 0.2


# Both cleaners hand the pipeline the same record.
HtmlOutcome = TextOutcome


class _Locator:
    """Finds the source line of extracted text in the raw HTML, moving forward through the page."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.pos = 0
        self.line = 1  # the line of ``pos``

    def _line_at(self, pos: int) -> int:
        """The line of ``pos`` (never before ``self.pos``: the search only moves forward)."""
        return self.line + self.raw.count("\n", self.pos, pos)

    def find(self, text: str) -> tuple[int, int]:
        words = text.split()
        head, tail = " ".join(words[:4]), " ".join(words[-4:])
        start = self._search(head, self.pos)
        if start < 0:
            return self.line, self.line
        end = self._search(tail, start)
        end = end if end >= 0 else start
        first = self._line_at(start)
        self.line = self._line_at(end)
        self.pos = end
        return first, self.line

    def _search(self, needle: str, frm: int) -> int:
        for cand in (needle, html.escape(needle, quote=False), html.escape(needle)):
            i = self.raw.find(cand, frm)
            if i >= 0:
                return i
        return -1


# The page's text bounds what trafilatura's extractors can return from the page's elements: on the
# development pages the balanced text never exceeded 1.003 times it (whitespace collapsed); the
# bound keeps a margin. Its last resort (``baseline``) also reads text the page does not show:
# JSON-LD bodies (a paywalled page's full article, say), ``<noscript>`` and Discourse's preloaded
# posts; :func:`extraction_bound` counts those too.
PAGE_TEXT_MARGIN = 1.25
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
_INVISIBLE = ("script", "style", "noscript", "template")


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """The metadata fields the cleaner uses, as trafilatura's ``extract_metadata`` gives them."""

    title: str | None
    author: str | None
    date: str | None
    url: str | None
    sitename: str | None = None  # as the page's meta tags or JSON-LD state it (no fallback)
    headline: str | None = None  # the title as the page shows it (page_headline)


def _trimmed(value: str | None) -> str | None:
    from trafilatura.utils import line_processing  # noqa: PLC0415 - heavy import, only for HTML input

    if not isinstance(value, str):
        return value
    if len(value) > 10000:  # as trafilatura's Document.clean_and_trim
        value = value[:9999] + "…"
    return line_processing(html.unescape(value))


def page_metadata(tree: Any, *, author: bool = True) -> PageMetadata:
    """Title, author, date and URL of a parsed page, computed exactly as trafilatura's
    ``extract_metadata`` computes them, without the fields the cleaner never reads (site name,
    categories, tags, licence, host name: a third of its time). ``tests/clean`` checks the result
    against ``extract_metadata`` itself.

    With ``author=False`` the author is taken from the meta tags and JSON-LD only: the search of
    the page's markup for a byline (:func:`page_author`) is left to the caller, who needs it only
    when the article names no author."""
    from htmldate import find_date  # noqa: PLC0415 - heavy import, only for HTML input
    from trafilatura import metadata as tm  # noqa: PLC0415

    meta = tm.examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None
    # trafilatura ignores errors of its JSON-LD reader the same way.
    with contextlib.suppress(Exception):
        meta = tm.extract_meta_json(tree, meta)
    if not meta.title:
        meta.title = tm.extract_title(tree)
    if not meta.author and author:
        meta.author = markup_author(tree)
    if not meta.url:
        meta.url = tm.extract_url(tree, None)
    date = find_date(tree, extensive_search=False, original_date=True, url=meta.url)
    sitename = meta.sitename if isinstance(meta.sitename, str) else None
    return PageMetadata(
        _trimmed(meta.title), _trimmed(meta.author), _trimmed(date), _trimmed(meta.url), _trimmed(sitename)
    )


def page_author(tree: Any) -> str | None:
    """The author trafilatura finds in the page's markup when the meta tags name none
    (:func:`~newsevents.clean.markup_author.markup_author`: the same result at a quarter of the cost)."""
    return _trimmed(markup_author(tree))


_TITLE_PARTS = re.compile(r"\s+[|\u2013\u2014-]\s+|\s+::\s+|\s*»\s*")
MAX_H1 = 5


def _fold(text: str) -> str:
    """Case, quotes and dashes folded: meta titles often use straight quotes where the page does not."""
    return text.casefold().translate(_FOLD)


_FOLD = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u2026": "..."}
)
_WORDS = re.compile(r"\w+")
H1_OVERLAP = 0.6


def _overlap(a: str, b: str) -> float:
    """Share of the words of ``a`` that ``b`` uses."""
    words = _WORDS.findall(_fold(a))
    other = set(_WORDS.findall(_fold(b)))
    return sum(1 for w in words if w in other) / len(words) if words else 0.0


def page_headline(tree: Any, title: str | None, sitename: str | None) -> str | None:
    """The headline as the page shows it. Meta titles often carry the site's name or a section
    ("Opinion | ...") or are a rewording for search engines, while the page's ``<h1>`` is the
    headline readers see: the first of the first ``MAX_H1`` ``<h1>`` elements that agrees with the
    metadata title (one holds the other, quotes and dashes folded), else the one that shares most of
    its words with it (at least ``H1_OVERLAP`` both ways round on average); else the metadata title
    without a part that is the site's name."""
    if not title:
        return title
    low = _fold(title)
    heads = [normalize_line(h1.text_content()) for h1 in itertools.islice(tree.iter("h1"), MAX_H1)]
    heads = [h for h in heads if count_words(h) >= 2]
    for text in heads:
        if _fold(text) in low or low in _fold(text):
            return text
    site = (sitename or "").casefold()
    scored = [
        ((_overlap(h, title) + _overlap(title, h)) / 2, -i, h) for i, h in enumerate(heads) if h.casefold() != site
    ]
    if scored and max(scored)[0] >= H1_OVERLAP:
        return max(scored)[2]
    parts = _TITLE_PARTS.split(title)
    if site and len(parts) > 1:
        kept = [p for p in parts if p.casefold() != site]
        if len(kept) < len(parts) and kept:
            return " - ".join(kept) if len(kept) > 1 else kept[0]
    return title


def page_text_length(tree: Any) -> int:
    """Characters of the page's visible text with whitespace collapsed."""
    body = tree.find(".//body")
    root = body if body is not None else tree
    total = len(" ".join(root.text_content().split()))
    hidden = sum(len(" ".join(el.text_content().split())) for el in root.iter(*_INVISIBLE))
    return max(0, total - hidden)


def embedded_text_length(tree: Any) -> int:
    """The most text trafilatura's ``baseline`` fallback can take from the page's embedded JSON
    (JSON-LD article bodies, say a paywalled page's full article, or teaser descriptions, and
    Discourse's preloaded posts): the bodies or the teasers, whichever are longer, each counted
    before baseline unescapes and strips them, plus the line break it puts after each. Without
    trafilatura's reader of that JSON (a private function), the scripts and the attribute whole."""
    try:
        from trafilatura.baseline import _collect_json_content  # noqa: PLC0415 - heavy import, HTML only
    except ImportError:  # pragma: no cover - another trafilatura: a coarser bound
        scripts = tree.iterfind('.//script[@type="application/ld+json"]')
        preload = tree.iterfind('.//div[@id="data-preloaded"]')
        return sum(len(el.text or "") for el in scripts) + sum(len(el.get("data-preloaded") or "") for el in preload)
    bodies, teasers = _collect_json_content(tree)
    return max(sum(len(t) + 1 for t in bodies), sum(len(t) + 1 for t in teasers))


def extraction_bound(tree: Any) -> float:
    """The most text any trafilatura extraction of the page can return, in characters: the visible
    text and that of the ``<noscript>`` elements (which ``baseline`` reads), with
    ``PAGE_TEXT_MARGIN``, or the embedded text (:func:`embedded_text_length`), whichever is larger."""
    noscript = sum(len(el.text_content()) for el in tree.iter("noscript"))
    return max(PAGE_TEXT_MARGIN * (page_text_length(tree) + noscript), float(embedded_text_length(tree)))


def _text(doc: Any) -> str:
    """The text of a trafilatura extraction, ``""`` for none."""
    return str(getattr(doc, "text", "") or "")


def _extract(tree: Any, *, url: str | None, precision: bool) -> Any:
    from trafilatura import bare_extraction  # noqa: PLC0415 - heavy import, only for HTML input

    with python_paths():
        return bare_extraction(
            tree,
            url=url,
            favor_precision=precision,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
            date_extraction_params=_DATE_PARAMS,
        )


def extract_article(raw: str) -> tuple[PageMetadata | None, Any]:
    """trafilatura's metadata and article of one page: ``(metadata, extraction)``, either ``None``
    (see :func:`_extract_article`)."""
    meta, doc, _ = _extract_article(raw, author=True)
    return meta, doc


def _extract_article(raw: str, *, author: bool) -> tuple[PageMetadata | None, Any, Any]:
    """trafilatura's metadata and article of one page and the parsed page: ``(metadata,
    extraction, tree)``, each ``None`` when the page cannot be parsed (``author``: see
    :func:`page_metadata`).

    The page is parsed once and its metadata read once. The precision extraction runs first; when
    it keeps less than a fifth of what the balanced mode finds, precision cut the article and the
    balanced extraction stands instead. The balanced mode runs only when that can happen: when the
    precision text is shorter than a fifth of the most any mode could return
    (:func:`extraction_bound`). The result is the one two full extractions would give.
    """
    from trafilatura.utils import load_html  # noqa: PLC0415 - heavy import, only for HTML input

    tree = load_html(raw)
    if tree is None:
        return None, None, None
    meta = page_metadata(tree, author=author)
    meta = dataclasses.replace(meta, headline=page_headline(tree, meta.title, meta.sitename))
    doc = _extract(tree, url=meta.url, precision=True)
    ptext = _text(doc)
    if len(ptext) < RECALL_FALLBACK * extraction_bound(tree):
        balanced = _extract(tree, url=meta.url, precision=False)
        if len(ptext) < RECALL_FALLBACK * len(_text(balanced)):
            doc = balanced
    return meta, doc, tree


def clean_html(raw: str, *, profile: Profile | None) -> HtmlOutcome:
    """Extract the article of an HTML page and drop the captions, credits and promos left in it."""
    meta, doc, tree = _extract_article(raw, author=False)
    if meta is None or doc is None or not getattr(doc, "text", None):
        return HtmlOutcome(None, [], [], findings=[])
    # A page of unknown publisher whose URL (canonical link, og:url) is on a profile's host.
    chosen = None if profile is not None else profile_for_url(meta.url)
    profile = profile or chosen
    rules = (profile.rules if profile else ()) + _HTML_RULES
    longest = max((r.max_words for r in rules), default=0)  # a longer paragraph no rule can drop
    locator = _Locator(raw)
    paragraphs: list[KeptParagraph] = []
    removed: list[RemovedLine] = []
    authors: list[str] = []
    title = normalize_line(_TAGS.sub("", meta.headline or meta.title or "")) or None
    if title:
        first, last = locator.find(title)
        paragraphs.append(KeptParagraph(title, first, last))
    for line in str(doc.text).split("\n"):
        text = normalize_line(line)
        if not text:
            continue
        first, last = locator.find(text)
        words = count_words(text)
        rule = first_match(rules, text, words) if words <= longest else None
        if rule is None:
            paragraphs.append(KeptParagraph(text, first, last))
            continue
        if rule.reason == "byline":
            authors.extend(byline_authors(text))
        removed.append(RemovedLine(first, text, rule.reason, rule.id))
    if not authors:  # the meta tags' author, else the markup's (searched only now: it is costly)
        author = meta.author or page_author(tree)
        authors.extend(a.strip() for a in str(author or "").split(";") if a.strip())
    published = str(meta.date)[:10] if meta.date else None
    named = Credits(authors=tuple(dict.fromkeys(authors)))
    return HtmlOutcome(title, paragraphs, removed, published, named, [], profile=chosen)
