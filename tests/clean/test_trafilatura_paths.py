"""The Python expressions select what trafilatura's XPaths select, element for element and
in the same order: on elements built to hit each clause (each case names the clause and says how
many elements trafilatura's own expression selects, so a case that stops hitting it fails), on
generated attribute sets, and inside a whole extraction."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from trafilatura import bare_extraction
from trafilatura import xpaths as trafilatura_xpaths
from trafilatura.utils import load_html

from newsevents.clean import trafilatura_paths
from newsevents.clean.trafilatura_paths import (
    PythonExpression,
    article_body,
    comments_discard,
    copies_current,
    hidden_discard,
    overall_discard,
    python_paths,
)

EXPRESSIONS = {
    "overall": (trafilatura_xpaths.OVERALL_DISCARD_XPATH[0], overall_discard),
    "hidden": (trafilatura_xpaths.OVERALL_DISCARD_XPATH[1], hidden_discard),
    "comments": (trafilatura_xpaths.REMOVE_COMMENTS_XPATH[0], comments_discard),
    "body": (trafilatura_xpaths.BODY_XPATH[0], article_body),
}

# (case id, expression, body markup, elements trafilatura's expression selects)
CASES = [
    ("overall-class-token", "overall", '<div class="site-footer">x</div>', 1),
    ("overall-id-token", "overall", '<section id="main-nav">x</section>', 1),
    ("overall-id-is-case-sensitive", "overall", '<div id="MENU">x</div>', 0),
    ("overall-tag-not-listed", "overall", '<article class="footer">x</article>', 0),
    ("overall-converted-tags-item-and-list", "overall", '<list class="menu"><item class="share-x">x</item></list>', 2),
    ("overall-anchored-token-at-start", "overall", '<div class="sharing">x</div>', 1),
    ("overall-anchored-token-not-at-start", "overall", '<div class="x sharing">x</div>', 0),
    ("overall-optional-hyphen", "overall", '<div class="breadcrumb">a</div><div class="bread-crumb">b</div>', 2),
    ("overall-spaced-ad-token", "overall", '<div class="top ad unit">a</div><div class="ad">b</div>', 1),
    ("overall-cookie-in-class-before-id", "overall", '<div class="cookie" id="x">x</div>', 1),
    ("overall-cookie-in-class-after-id", "overall", '<div id="x" class="cookie">x</div>', 0),
    ("overall-cookie-in-id-after-class", "overall", '<p class="x" id="cookie-law">x</p>', 0),
    ("overall-role-capital-n-translated", "overall", '<div role="Navigation">x</div>', 1),
    ("overall-role-other-capitals-kept", "overall", '<div role="NAVIGATION">x</div>', 0),
    ("overall-replacement-content-empty", "overall", '<span data-lp-replacement-content="">x</span>', 1),
    ("overall-data-component", "overall", '<div data-component="MostPopularStories-2">x</div>', 1),
    ("overall-nested-in-document-order", "overall", '<div class="sidebar"><p class="meta">x</p></div>', 2),
    ("overall-no-attributes", "overall", "<div><p>x</p><span>y</span></div>", 0),
    ("hidden-display-none", "hidden", '<div style="display:none">a</div><b style="color: red; display: none">b</b>', 2),
    ("hidden-style-first", "hidden", '<span style="visibility: hidden" id="a">x</span>', 1),
    ("hidden-id-first", "hidden", '<span id="a" style="visibility: hidden">x</span>', 0),
    ("hidden-in-id", "hidden", '<figure id="hidden-box">x</figure>', 1),
    ("hidden-class-needs-a-space", "hidden", '<div class="hidden">a</div><div class="a hidden">b</div>', 1),
    ("hidden-class-hide-prefix", "hidden", '<em class="hide-mobile">a</em><em class="x hide-mobile">b</em>', 2),
    ("hidden-aria-true-only", "hidden", '<i aria-hidden="true">a</i><i aria-hidden="false">b</i>', 1),
    ("hidden-reply-id-first", "hidden", '<li id="reply-3" class="c">x</li>', 1),
    ("hidden-reply-class-after-id", "hidden", '<li id="c" class="reply-x">x</li>', 0),
    (
        "hidden-comments-title-exact",
        "hidden",
        '<h3 class="comments-title">a</h3><h3 class="comments-title x">b</h3>',
        2,
    ),
    ("hidden-id-akismet", "hidden", '<form id="akismet-form">x</form>', 1),
    ("hidden-any-tag", "hidden", '<table class="noprint"><tr><td class="message">x</td></tr></table>', 2),
    ("comments-id-prefix", "comments", '<div id="comments">a</div><section id="Comment-list">b</section>', 2),
    ("comments-id-not-at-start", "comments", '<div id="my-comments">x</div>', 0),
    ("comments-class-post-comments", "comments", '<div class="x post-comments">x</div>', 1),
    ("comments-converted-list", "comments", '<list class="commentlist"><item>x</item></list>', 1),
    ("comments-details", "comments", '<details id="disqus_thread">x</details>', 1),
    ("comments-tag-not-listed", "comments", '<ul id="comments"><li>x</li></ul>', 0),
    ("body-class-exact", "body", '<div class="post">a</div><div class="post x">b</div>', 1),
    ("body-itemprop", "body", '<section itemprop="articleBody">x</section>', 1),
    ("body-id-pattern", "body", '<div id="main-article-body">x</div>', 1),
    ("body-class-pattern", "body", '<article class="c-article__content">x</article>', 1),
    ("body-first-of-siblings-only", "body", '<div class="entry">a</div><p>x</p><div class="post">b</div>', 1),
    ("body-earlier-non-matching-sibling", "body", '<div class="x">a</div><main class="body-text">b</main>', 1),
    (
        "body-first-of-each-parent",
        "body",
        '<div><div class="post">a</div></div><div><div class="entry">b</div></div>',
        2,
    ),
    ("body-nested-in-a-match", "body", '<div class="entry"><div id="articleBody">a</div></div>', 2),
    ("body-later-sibling-of-a-nested-match", "body", '<div><p class="post">a</p><div class="post">b</div></div>', 1),
    ("body-tag-not-listed", "body", '<span class="articleBody">x</span>', 0),
]


def page(body: str) -> str:
    return f"<html><head><title>T</title></head><body><main>{body}</main><!-- a comment --></body></html>"


@pytest.mark.parametrize(("name", "body", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_python_expression_selects_what_trafilatura_selects(name, body, expected):
    original, python = EXPRESSIONS[name]
    tree = load_html(page(body))
    selected = original(tree)
    assert len(selected) == expected  # the case hits what it is named after
    assert python(tree) == selected  # the same elements (lxml gives one proxy per element), in order


def test_the_context_element_itself_is_not_selected():
    tree = load_html(page('<div class="footer" style="display:none" id="comments"><p class="menu">x</p></div>'))
    div = tree.find(".//div")
    for original, python in EXPRESSIONS.values():
        assert python(div) == original(div)
    assert overall_discard(div) == [div.find("p")]


def test_a_whole_document_runs_the_original():
    tree = load_html(page('<div class="footer">x</div>')).getroottree()
    original, python = EXPRESSIONS["overall"]
    expression = PythonExpression(original, python)
    assert expression(tree) == original(tree)
    assert len(original(tree)) == 1


TAGS = ("div", "p", "span", "section", "list", "item", "details", "li", "figure", "article", "main")
NAMES = (
    "id", "class", "style", "role", "aria-hidden", "data-component", "data-lp-replacement-content", "href", "itemprop",
)  # fmt: skip
PIECES = (
    "cookie", "footer", "Footer", "nav", "NAV", "Nav", "share", "shar", "hidden", "hide", "reply-", "comment",
    "Comment", "comments-title", "display:none", "display: none", "true", "ad", "MostPopularStories", "x", "",
    "bread-crumb", "post-comments", "menu", "akismet", "-", "post", "entry", "articleBody", "article-body",
    "articleContent", "body-text",
)  # fmt: skip
VALUES = st.lists(st.sampled_from(PIECES), max_size=3).flatmap(
    lambda parts: st.sampled_from((" ", "", "-")).map(lambda sep: sep.join(parts))
)
ATTRIBUTES = st.lists(st.tuples(st.sampled_from(NAMES), VALUES), max_size=4, unique_by=lambda a: a[0])
ELEMENTS = st.lists(st.tuples(st.sampled_from(TAGS), ATTRIBUTES, st.booleans()), min_size=1, max_size=8)


def markup(elements: list[tuple[str, list[tuple[str, str]], bool]]) -> str:
    """Elements in a row; one flagged ``True`` opens a level that holds the ones after it."""
    out, open_tags = [], []
    for tag, attributes, nest in elements:
        attrs = "".join(f' {name}="{value}"' for name, value in attributes)
        out.append(f"<{tag}{attrs}>text")
        if nest:
            open_tags.append(tag)
        else:
            out.append(f"</{tag}>")
    out.extend(f"</{tag}>" for tag in reversed(open_tags))
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(ELEMENTS)
def test_generated_attribute_sets_select_the_same(elements):
    tree = load_html(page(markup(elements)))
    for original, python in EXPRESSIONS.values():
        assert python(tree) == original(tree)


def test_the_copied_expressions_are_the_installed_trafilaturas():
    """The fast path is the one the cases above test (with the pinned trafilatura)."""
    assert copies_current()


def replaced() -> list[object]:
    """The places in trafilatura's lists that :func:`python_paths` fills."""
    return [
        *trafilatura_xpaths.OVERALL_DISCARD_XPATH,
        *trafilatura_xpaths.REMOVE_COMMENTS_XPATH,
        trafilatura_xpaths.BODY_XPATH[0],
    ]


def test_the_block_puts_the_python_expressions_in_place_and_back():
    originals = replaced()
    with python_paths():
        with python_paths():  # nested: the outer block still has them when this one ends
            pass
        inside = replaced()
        assert all(isinstance(x, PythonExpression) for x in inside)
        assert [x.path for x in inside] == [x.path for x in originals]
    assert replaced() == originals
    with pytest.raises(RuntimeError), python_paths():
        raise RuntimeError
    assert replaced() == originals
    with python_paths(enabled=False):
        assert replaced() == originals


def test_other_expressions_keep_trafilaturas_own(monkeypatch):
    originals = replaced()
    monkeypatch.setattr(trafilatura_paths, "EXPRESSIONS_SHA256", "0" * 64)
    copies_current.cache_clear()
    try:
        assert not copies_current()
        with python_paths():
            assert replaced() == originals
    finally:
        monkeypatch.undo()
        copies_current.cache_clear()
    assert copies_current()


ARTICLE = "<p>" + "The harbour council met on Tuesday to discuss the new ferry timetable for the island. " * 4 + "</p>"
BOILERPLATE = (
    '<div class="share-bar">Share on Facebook</div><div id="comments"><p>First!</p></div>'
    '<div class="cookie-consent">We use cookies</div><p style="display:none">Hidden text here</p>'
    '<nav role="navigation">Home News Sport</nav><div class="related-stories">More stories</div>'
)


@pytest.mark.parametrize("precision", [True, False], ids=["precision", "balanced"])
def test_an_extraction_gives_the_same_text_with_either(precision):
    html = page(BOILERPLATE + f"<article>{ARTICLE * 3}</article>" + BOILERPLATE)

    def run() -> str:
        doc = bare_extraction(load_html(html), favor_precision=precision, include_comments=False)
        return str(doc.text)  # type: ignore[union-attr]

    stock = run()
    with python_paths():
        assert run() == stock
    assert "harbour council" in stock
    assert "We use cookies" not in stock
