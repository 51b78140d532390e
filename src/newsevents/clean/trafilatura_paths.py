"""Four of trafilatura's XPath expressions evaluated in Python: the same elements, at a third of
the cost.

trafilatura deletes boilerplate by XPath before and while it extracts, and finds the article's
container by XPath. Four of its expressions test every element they visit with EXSLT
``re:test``, which calls back into Python for each one: the two of ``OVERALL_DISCARD_XPATH``
(navigation, share bars, footers, cookie notices, ...; hidden elements), ``REMOVE_COMMENTS_XPATH``
(comment sections) and the first of ``BODY_XPATH`` (an article body's usual ids and classes). A
precision extraction evaluates them on the page five times or more (raw page, cleaned copy,
converted tree, readability's input): with a precision and a balanced extraction of each of the
181 development pages, 20.3 ms a page as XPath against 6.0 ms as Python
(``bench/check_trafilatura_paths.py``). Here each is a function that walks the candidate elements
once and runs the same tests in Python (:func:`python_paths` puts them in trafilatura's place for
the duration of a ``with`` block).

Why the result is the same. Each expression reads an element's own name and attributes only
(and, for ``BODY_XPATH[0]``, whether an earlier sibling passed the same tests):

- ``.//*`` from an element is its descendant elements in document order
  (``iterdescendants``, which skips comments and processing instructions, as ``*`` does);
  ``self::div`` is the tag (lxml's HTML parser gives lower-case names without namespaces);
- ``@a`` is the attribute's presence, ``@a = 'v'`` its value;
- ``contains``, ``starts-with`` and ``re:test`` read the string value of a node-set's first
  node in document order, and for ``@id|@class`` of one element that is whichever of the two
  comes first in the source, which is the order libxml2 keeps (:func:`_first`); an empty node-set
  reads as ``''``;
- ``translate(s, 'N', 'n')`` is ``str.replace``; ``re:test(s, p)`` is lxml's EXSLT, which
  compiles ``p`` with Python's ``re`` and calls ``search``: so is this module, with the same
  patterns;
- in ``.//*[tests][1]`` the position applies to the child step: an element is selected when it
  passes the tests and no earlier element child of its parent does.

``tests/clean/test_trafilatura_paths.py`` checks each function against trafilatura's expression
on elements built to hit every clause and on generated attribute sets;
``bench/check_trafilatura_paths.py`` does so on a folder of real pages, at every point
trafilatura evaluates them. The expressions copied here are those of the trafilatura version
pinned in ``constraints.txt``; with any other version whose expressions differ
(:data:`EXPRESSIONS_SHA256`), trafilatura's own run.

The replacement is scoped to a ``with`` block (and counted, so nested and concurrent blocks are
safe) rather than made once at import: outside the cleaner, anyone else's trafilatura in the same
process (``bench/bench_clean.py``'s reference among them) runs its stock expressions.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

# OVERALL_DISCARD_XPATH[0]: div, item, list, p, section or span that is navigation, sharing,
# newsletter, cookie, footer, related stories, ...
_OVERALL_TAGS = ("div", "item", "list", "p", "section", "span")
_OVERALL_ID = re.compile(
    "^shar|social|viral|newsletter|syndication|tags|sidebar|banner|bread-?crumb|button|author"
    "|^(?:jp-|dpsp-content)|bmdh|footer|Footer|share|Share|nav|Nav|menu|related|message-container|premium"
)
_OVERALL_CLASS = re.compile(
    "^shar|social|viral|newsletter|syndication|tags|sidebar|banner|bread-?crumb|button|author"
    "|^(?:nav|post-nav|ZendeskForm)|subnav|avigation|navbar|navbox|menu|bar| ad |-ad-|outbrain|taboola"
    "|criteo|paid-?content|widget|footer|Footer|byline|Byline|share-|sociable|embedded|embed|tag-list"
    "|consent|modal-content|permission|elated|next-|-stories|most-popular|meta|rating|attachment"
    "|timestamp|user-info|user-profile|-icon|article-infos|message-container|slide|viewport|overlay"
    "|options|expand|obfuscated|blurred|mol-factbox|yin|zlylin|nfoline"
)
_COOKIE = re.compile("cookie")
# OVERALL_DISCARD_XPATH[1]: any element that is hidden, a reply or a comments title
_HIDDEN = re.compile("hidden")
_HIDDEN_ID = re.compile("reader-comments|akismet")
_HIDDEN_CLASS = re.compile(
    "^hide-|comments-title|nocomments|-reply-|message|akismet|suggest-links|-hide-|hide-print| hidden| hide"
    "|noprint|notloaded"
)
# REMOVE_COMMENTS_XPATH[0]: div, list, section or details that holds comments
_COMMENTS_TAGS = ("div", "list", "section", "details")
_COMMENTS_ID = re.compile("^(?:[Cc]omment|comol|disqus_thread|dsq-comments)")
_COMMENTS_CLASS = re.compile("^[Cc]omment|(?:article|post)-comments")
# BODY_XPATH[0]: the first article, div, main or section among its siblings with an article body's
# usual id, class or itemprop
_BODY_TAGS = ("article", "div", "main", "section")
_BODY_ID = re.compile("(?:entry|article|art)-content|article__content|article(?:-|__)?body|articleBody|body-text")
_BODY_CLASS = re.compile(
    "post[-_]text|post-body|post-?entry|post[-_]?content|postContent|post_inner_wrapper|article-?text|articleText"
    "|(?:entry|page|text|article|art)-content|article__content|article(?:-|__)?body|articleBody|ArticleContent"
    "|body-text|article__container"
)

# sha256 of the four expressions' ``path``s (one a line, in the order of :func:`slots`) in
# trafilatura 2.2.0
EXPRESSIONS_SHA256 = "82ca4d9c889c09204803301b275a565138e659283be0559cfb59ce2d4758b3c1"


def _first(items: list[tuple[str, str]], one: str, other: str) -> str:
    """XPath's string value of ``@one|@other``: the one of the two that comes first in the
    source, ``''`` when the element has neither."""
    for name, value in items:
        if name in (one, other):
            return value
    return ""


def overall_discard(tree: Any) -> list[Any]:
    """``OVERALL_DISCARD_XPATH[0]`` on an element: navigation, sharing, footers, ads, ..."""
    out = []
    for el in tree.iterdescendants(*_OVERALL_TAGS):
        items = el.items()
        if not items:
            continue
        attrs = dict(items)
        id_, cls = attrs.get("id"), attrs.get("class")
        if (
            "data-lp-replacement-content" in attrs
            or "nav" in attrs.get("role", "").replace("N", "n")
            or "MostPopularStories" in attrs.get("data-component", "")
            or ((id_ is not None or cls is not None) and _COOKIE.search(_first(items, "id", "class")))
            or (id_ is not None and _OVERALL_ID.search(id_))
            or (cls is not None and _OVERALL_CLASS.search(cls))
        ):
            out.append(el)
    return out


def hidden_discard(tree: Any) -> list[Any]:
    """``OVERALL_DISCARD_XPATH[1]`` on an element: hidden elements, replies, comments titles."""
    out = []
    for el in tree.iterdescendants("*"):
        items = el.items()
        if not items:
            continue
        attrs = dict(items)
        id_, cls, style = attrs.get("id"), attrs.get("class"), attrs.get("style")
        if (
            cls == "comments-title"
            or ((id_ is not None or cls is not None) and _first(items, "id", "class").startswith("reply-"))
            or ((id_ is not None or style is not None) and _HIDDEN.search(_first(items, "id", "style")))
            or (style is not None and ("display:none" in style or "display: none" in style))
            or (id_ is not None and _HIDDEN_ID.search(id_))
            or (cls is not None and _HIDDEN_CLASS.search(cls))
            or attrs.get("aria-hidden") == "true"
        ):
            out.append(el)
    return out


def comments_discard(tree: Any) -> list[Any]:
    """``REMOVE_COMMENTS_XPATH[0]`` on an element: comment sections."""
    out = []
    for el in tree.iterdescendants(*_COMMENTS_TAGS):
        id_, cls = el.get("id"), el.get("class")
        if (id_ is not None and _COMMENTS_ID.search(id_)) or (cls is not None and _COMMENTS_CLASS.search(cls)):
            out.append(el)
    return out


def article_body(tree: Any) -> list[Any]:
    """``BODY_XPATH[0]`` on an element: article containers, the first of each parent's."""
    out, parents = [], set()
    for el in tree.iterdescendants(*_BODY_TAGS):
        get = el.get
        id_, cls = get("id"), get("class")
        if (
            cls in ("post", "entry")
            or get("itemprop") == "articleBody"
            or id_ == "articleContent"
            or (id_ is not None and _BODY_ID.search(id_))
            or (cls is not None and _BODY_CLASS.search(cls))
        ):
            parent = el.getparent()  # a proxy lxml keeps while the set holds it: one per element
            if parent not in parents:
                parents.add(parent)
                out.append(el)
    return out


class PythonExpression:
    """Stands in for one of trafilatura's compiled XPaths: called on an element, it gives
    ``select(element)``; on anything else (a whole document, or with XPath variables) the
    original expression runs. ``path`` is the original's."""

    def __init__(self, original: Any, select: Callable[[Any], list[Any]]) -> None:
        self.original = original
        self.path: str = original.path
        self.select = select

    def __call__(self, node: Any, **variables: Any) -> Any:
        from lxml import etree  # noqa: PLC0415 - only imported with trafilatura

        if variables or not etree.iselement(node):
            return self.original(node, **variables)
        return self.select(node)


@cache
def slots() -> tuple[tuple[list[Any], int, Any, PythonExpression], ...]:
    """(trafilatura's list, index, its expression, the Python one) for each expression replaced."""
    from trafilatura import xpaths  # noqa: PLC0415 - heavy import, only for HTML input

    found = (
        (xpaths.OVERALL_DISCARD_XPATH, 0, overall_discard),
        (xpaths.OVERALL_DISCARD_XPATH, 1, hidden_discard),
        (xpaths.REMOVE_COMMENTS_XPATH, 0, comments_discard),
        (xpaths.BODY_XPATH, 0, article_body),
    )
    return tuple((lst, i, lst[i], PythonExpression(lst[i], select)) for lst, i, select in found)


@cache
def copies_current() -> bool:
    """Whether the installed trafilatura's expressions are the ones this module copies."""
    from trafilatura import xpaths  # noqa: PLC0415 - heavy import, only for HTML input

    if len(xpaths.OVERALL_DISCARD_XPATH) != 2 or len(xpaths.REMOVE_COMMENTS_XPATH) != 1 or not xpaths.BODY_XPATH:
        return False
    text = "\n".join(original.path for _, _, original, _ in slots())
    return hashlib.sha256(text.encode("utf-8")).hexdigest() == EXPRESSIONS_SHA256


_LOCK = threading.Lock()
_active = 0  # blocks inside python_paths, over all threads


@contextmanager
def python_paths(enabled: bool = True) -> Iterator[None]:
    """Within the block, trafilatura runs this module's functions in place of its four
    expressions (when ``enabled`` and the installed trafilatura's expressions are the ones copied
    here); they are its own again when the last open block ends."""
    if not enabled or not copies_current():
        yield
        return
    global _active  # noqa: PLW0603 - one count for the whole process, guarded by _LOCK
    with _LOCK:
        _active += 1
        if _active == 1:
            for lst, i, _, python in slots():
                lst[i] = python
    try:
        yield
    finally:
        with _LOCK:
            _active -= 1
            if _active == 0:
                for lst, i, original, _ in slots():
                    lst[i] = original
