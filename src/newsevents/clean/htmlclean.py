"""The HTML cleaner: trafilatura extracts the article with the full DOM, then the same caption,
credit and promo rules as for text renderings drop what it let through.

trafilatura's metadata extraction gives the title, the author and, through htmldate, the
publication date. Raw line numbers of an HTML page are those of the source lines where a
paragraph's text is found (best effort: markup inside a paragraph can hide it, and then the
previous paragraph's line is used).
"""

from __future__ import annotations

import html
import re
from typing import Any

from newsevents.clean.metadata import byline_authors
from newsevents.clean.normalize import normalize_line
from newsevents.clean.profiles import Profile
from newsevents.clean.rules import GENERIC_RULES
from newsevents.clean.textclean import KeptParagraph, TextOutcome, count_words
from newsevents.records import Credits, RemovedLine

# Only these generic rules run on trafilatura's output: it already removed navigation and layout,
# and the region rules would cut real paragraphs. Captions, credits and promos slip through it.
_HTML_RULE_REASONS = frozenset(
    {"image caption", "image credit", "promo", "cookie notice", "social", "advertisement", "related links", "byline"}
)
_TAGS = re.compile(r"<[^>]*>")
RECALL_FALLBACK = 0.2


# Both cleaners hand the pipeline the same record.
HtmlOutcome = TextOutcome


class _Locator:
    """Finds the source line of extracted text in the raw HTML, moving forward through the page."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.pos = 0
        self.line = 1
        self.starts = [m.end() for m in re.finditer("\n", raw)]

    def _line_at(self, pos: int) -> int:
        lo, hi = 0, len(self.starts)
        while lo < hi:  # number of newlines before pos
            mid = (lo + hi) // 2
            if self.starts[mid] <= pos:
                lo = mid + 1
            else:
                hi = mid
        return lo + 1

    def find(self, text: str) -> tuple[int, int]:
        words = text.split()
        head, tail = " ".join(words[:4]), " ".join(words[-4:])
        start = self._search(head, self.pos)
        if start < 0:
            return self.line, self.line
        end = self._search(tail, start)
        end = end if end >= 0 else start
        self.pos = end
        self.line = self._line_at(end)
        return self._line_at(start), self.line

    def _search(self, needle: str, frm: int) -> int:
        for cand in (needle, html.escape(needle, quote=False), html.escape(needle)):
            i = self.raw.find(cand, frm)
            if i >= 0:
                return i
        return -1


def clean_html(raw: str, *, profile: Profile | None) -> HtmlOutcome:
    """Extract the article of an HTML page and drop the captions, credits and promos left in it."""
    from trafilatura import bare_extraction  # noqa: PLC0415 - heavy import, only for HTML input

    def extract(*, precision: bool) -> Any:
        return bare_extraction(
            raw,
            with_metadata=True,
            favor_precision=precision,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )

    doc = extract(precision=True)
    # Precision mode sometimes cuts an article to a fragment; when it keeps less than a fifth of
    # what the balanced mode finds, the balanced extraction is the better one.
    balanced = extract(precision=False)
    ptext = str(getattr(doc, "text", "") or "")
    btext = str(getattr(balanced, "text", "") or "")
    if len(ptext) < RECALL_FALLBACK * len(btext):
        doc = balanced
    if doc is None or not getattr(doc, "text", None):
        return HtmlOutcome(None, [], [], findings=[])
    rules = (profile.rules if profile else ()) + tuple(r for r in GENERIC_RULES if r.reason in _HTML_RULE_REASONS)
    locator = _Locator(raw)
    paragraphs: list[KeptParagraph] = []
    removed: list[RemovedLine] = []
    authors: list[str] = []
    title = normalize_line(_TAGS.sub("", doc.title or "")) or None
    if title:
        first, last = locator.find(title)
        paragraphs.append(KeptParagraph(title, first, last))
    for line in str(doc.text).split("\n"):
        text = normalize_line(line)
        if not text:
            continue
        first, last = locator.find(text)
        words = count_words(text)
        rule = next((r for r in rules if r.matches(text, words)), None)
        if rule is None:
            paragraphs.append(KeptParagraph(text, first, last))
            continue
        if rule.reason == "byline":
            authors.extend(byline_authors(text))
        removed.append(RemovedLine(first, text, rule.reason, rule.id))
    if doc.author and not authors:
        authors.extend(a.strip() for a in str(doc.author).split(";") if a.strip())
    published = str(doc.date)[:10] if doc.date else None
    return HtmlOutcome(title, paragraphs, removed, published, Credits(authors=tuple(dict.fromkeys(authors))), [])
