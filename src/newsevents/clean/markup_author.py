"""The author trafilatura's ``extract_author`` finds in a page's markup, without its cost.

``trafilatura.metadata.extract_author`` copies the whole page, deletes from the copy what
``AUTHOR_DISCARD_XPATHS`` names (comments, sidebars, dates, figures, ...) and then runs the three
``AUTHOR_XPATHS`` over it, each an XPath whose EXSLT ``re:test`` calls back into Python for every
element: about 15 ms a page here. Here one plain XPath lists the few elements that could be
selected (:data:`_PREFILTER`), the same tests run on them in Python, and only the chosen
candidate is copied and pruned, by trafilatura's own pruning (about 4 ms).

Why the result is the same: all the tests (candidate and discard) read an element's own name and
attributes only, which deleting other elements does not change. So the candidates of the pruned
copy are the candidates of the page that no discarded element contains, in the same order; and
what pruning does to a candidate's text depends on its own subtree only, which
``prune_unwanted_nodes`` is applied to here as it is applied to the whole page there.
``tests/clean/test_markup_author.py`` checks the result against ``extract_author`` itself on
pages built to hit each case; ``bench/check_markup_author.py`` does so on a folder of real pages.
The expressions copied here are those of the trafilatura version pinned in ``constraints.txt``;
with any other version whose expressions differ (:data:`EXPRESSIONS_SHA256`), ``extract_author``
itself runs instead.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from copy import deepcopy
from functools import cache
from typing import Any

# The first of trafilatura's AUTHOR_XPATHS: a, address, div, link, p, span or strong with an
# author's rel, id, class, itemprop or test id, and any <author>
_TAGS_1 = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
_CLASS_1 = re.compile("author-?name|AuthorName|authorName")
# The second of AUTHOR_XPATHS: a, div, h3, h4, p or span with a byline's class or id
_TAGS_2 = frozenset({"a", "div", "h3", "h4", "p", "span"})
_CLASS_2_EXACT = frozenset({"byline", "username", "byl", "BBL"})
_ID_2 = re.compile("author|zuozhe|bianji|xiaobian")
_CLASS_2 = re.compile("author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name")
# The third: any element
_ID_3 = re.compile("[Aa]uthor")
_CLASS_3 = re.compile("[Aa]uthor|screenname|writer|[Bb]yline")
# AUTHOR_DISCARD_XPATHS: a, div, section or span of comments, sidebars, dates, ...; and time, figure
_DISCARD_TAGS = frozenset({"a", "div", "section", "span"})
_DISCARD_CLASS_EXACT = frozenset({"comments", "title", "date"})
_DISCARD_ID = re.compile("^comments|comment-?list|ProductReviews")
_DISCARD_CLASS = re.compile(
    "^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram|article-(?:share|support)"
    "|print|category|meta-date|meta-reviewer"
)
_DISCARD_ALWAYS = frozenset({"time", "figure"})
LEN_LIMIT = 120  # extract_author's len_limit
# sha256 of AUTHOR_XPATHS and AUTHOR_DISCARD_XPATHS (their ``path``s, one a line) in trafilatura 2.2.0
EXPRESSIONS_SHA256 = "bd5f280624916a837f627a558a6f87d6ebde80d97a00908c8a856c7b7b9eae82"


@cache
def copies_current() -> bool:
    """Whether the installed trafilatura's author expressions are the ones copied here."""
    from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS  # noqa: PLC0415 - heavy import

    text = "\n".join(x.path for x in (*AUTHOR_XPATHS, *AUTHOR_DISCARD_XPATHS))
    return hashlib.sha256(text.encode("utf-8")).hexdigest() == EXPRESSIONS_SHA256


def _has_rel_me(el: Any) -> bool:
    """XPath ``rel='me'`` (no ``@``: a child element ``<rel>`` whose text is "me")."""
    return any(child.tag == "rel" and child.text_content() == "me" for child in el.iterchildren("rel"))


def _first(el: Any, tag: str) -> bool:
    if tag == "author":
        return True
    if tag not in _TAGS_1:
        return False
    get = el.get
    cls = get("class")
    return (
        get("rel") == "author"
        or get("id") == "author"
        or cls == "author"
        or get("itemprop") == "author name"
        or _has_rel_me(el)
        or get("data-testid") in ("AuthorCard", "AuthorURL")
        or _CLASS_1.search(cls or "") is not None
    )


def _second(el: Any, tag: str) -> bool:
    if tag not in _TAGS_2:
        return False
    get = el.get
    cls = get("class")
    return (
        cls in _CLASS_2_EXACT
        or "author" in (get("itemprop") or "")
        or _ID_2.search(get("id") or "") is not None
        or _CLASS_2.search(cls or "") is not None
    )


def _third(el: Any, _tag: str) -> bool:
    get = el.get
    return (
        "Byline" in (get("data-component") or "")
        or "author" in (get("itemprop") or "")
        or _ID_3.search(get("id") or "") is not None
        or _CLASS_3.search(get("class") or "") is not None
    )


_SELECTORS: tuple[Callable[[Any, str], bool], ...] = (_first, _second, _third)


def _discarded(el: Any, tag: str) -> bool:
    if tag in _DISCARD_ALWAYS:
        return True
    if tag not in _DISCARD_TAGS:
        return False
    get = el.get
    cls = get("class")
    return (
        get("id") == "comments"
        or cls in _DISCARD_CLASS_EXACT
        or _DISCARD_ID.search(get("id") or "") is not None
        or _DISCARD_CLASS.search(cls or "") is not None
        or "Figure" in (get("data-component") or "")
    )


def _tested_for_discard(el: Any, root: Any) -> list[Any]:
    """The element and the elements above it, as the discard expressions see them: ``.//*``
    starts below the root, ``//time|//figure`` includes it."""
    chain = [el, *el.iterancestors()]
    if chain[-1] is root and root.tag not in _DISCARD_ALWAYS:
        chain.pop()
    return chain


# Every element any of the three expressions can select has an attribute value that this
# pattern finds (a necessary condition of each test), or is an <author>, or has a <rel> child. One
# XPath in libxml2 lists those attribute values and elements in document order; the exact tests
# then run on the few elements found.
_NEEDLE = re.compile(
    "uthor|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name|screenname|writer"
    "|yline|username|byl|BBL|AuthorCard|AuthorURL"
)
_PREFILTER = "//@class|//@id|//@itemprop|//@rel|//@data-testid|//@data-component|//author|//*[rel]"


@cache
def _prefilter() -> Any:
    from lxml.etree import XPath  # noqa: PLC0415 - heavy import, HTML only

    return XPath(_PREFILTER)


def _prefiltered(tree: Any) -> list[Any]:
    """The elements that may be selected, in document order."""
    out: dict[Any, None] = {}  # insertion-ordered, and it keeps the proxies alive
    for node in _prefilter()(tree):
        if isinstance(node, str):  # an attribute's value
            if _NEEDLE.search(node) is not None:
                out.setdefault(node.getparent(), None)  # type: ignore[attr-defined]  # lxml _ElementUnicodeResult
        else:
            out.setdefault(node, None)
    return list(out)


def markup_author(tree: Any) -> str | None:
    """What ``trafilatura.metadata.extract_author(tree)`` returns, for the root element of a page
    parsed by ``trafilatura.utils.load_html``."""
    if not copies_current():
        from trafilatura.metadata import extract_author  # noqa: PLC0415 - heavy import, HTML only

        fallback: str | None = extract_author(tree)
        return fallback
    from trafilatura.htmlprocessing import prune_unwanted_nodes  # noqa: PLC0415
    from trafilatura.json_metadata import normalize_authors  # noqa: PLC0415
    from trafilatura.utils import trim  # noqa: PLC0415
    from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS  # noqa: PLC0415

    found: list[list[Any]] = [[], [], []]
    for el in _prefiltered(tree):  # document order
        tag = el.tag
        if any(_discarded(up, up.tag) for up in _tested_for_discard(el, tree)):
            continue
        for i, select in enumerate(_SELECTORS):
            if select(el, tag):
                found[i].append(el)
    for candidates in found:
        for el in candidates:
            if len(trim(" ".join(el.itertext()))) <= 2:  # pruning only takes text away
                continue
            content = trim(" ".join(prune_unwanted_nodes(deepcopy(el), AUTHOR_DISCARD_XPATHS).itertext()))
            if content and 2 < len(content) < LEN_LIMIT:
                author: str | None = normalize_authors(None, content)
                return author
    return None
