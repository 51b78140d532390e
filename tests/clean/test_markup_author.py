"""``markup_author`` gives what trafilatura's ``extract_author`` gives, on pages built to hit each
of its cases (which expression selects, what the discard expressions remove and how deleted
elements' tails join their neighbours). Each case names the author both must find."""

from __future__ import annotations

import pytest
from trafilatura.metadata import extract_author
from trafilatura.utils import load_html

from newsevents.clean import markup_author as markup_author_module
from newsevents.clean.markup_author import copies_current, markup_author

FILLER = "<p>" + "The council met on Tuesday to discuss the harbour. " * 6 + "</p>"
LONG = "Comment text that runs on and on about the article and other things entirely. " * 3

# (case id, body markup, the author both must find)
CASES = [
    ("class-author-name", '<span class="author-name">Jane Doe</span>', "Jane Doe"),
    ("rel-author-link", '<a rel="author" href="/jd">Jane Doe</a>', "Jane Doe"),
    ("itemprop-author-name", '<span itemprop="author name">Jane Doe</span>', "Jane Doe"),
    ("testid-author-card", '<div data-testid="AuthorCard">Jane Doe</div>', "Jane Doe"),
    ("author-element", "<author>Jane Doe</author>", "Jane Doe"),
    ("rel-me-child", "<p><rel>me</rel> Jane Doe</p>", "Me Jane Doe"),
    ("class-byline-second-expression", '<div class="byline">Jane Doe</div>', "Jane Doe"),
    ("id-zuozhe", '<span id="zuozhe-box">Jane Doe</span>', "Jane Doe"),
    ("data-component-byline-third", '<section data-component="ArticleByline">Jane Doe</section>', "Jane Doe"),
    ("class-writer-third", '<li class="story-writer">Jane Doe</li>', "Jane Doe"),
    (
        "first-expression-wins-over-earlier-second",
        '<div class="byline">Max Mustermann</div>' + FILLER + '<span class="authorName">Jane Doe</span>',
        "Jane Doe",
    ),
    (
        "inside-sidebar-skipped",
        '<aside><div class="sidebar"><span class="author">Max Mustermann</span></div></aside>'
        '<p class="author">Jane Doe</p>',
        "Jane Doe",
    ),
    (
        "inside-figure-skipped",
        '<figure><span class="author">Max Mustermann</span></figure><p class="author">Jane Doe</p>',
        "Jane Doe",
    ),
    ("candidate-is-a-time", '<time class="author">Max Mustermann</time><p class="author">Jane Doe</p>', "Jane Doe"),
    ("time-tail-joins-without-space", '<span class="author">Jane<time>2020</time>Doe</span>', "JaneDoe"),
    ("time-tail-joins-previous-sibling", '<span class="author"><b>Jane</b><time>2020</time> Doe</span>', "Jane Doe"),
    (
        "comment-node-before-deleted",
        '<span class="author">By <!-- x --><span class="date">today</span>Jane Doe</span>',
        "Jane Doe",
    ),
    (
        "long-until-comments-pruned",
        f'<div class="author">Jane Doe<div class="comments">{LONG}</div></div>',
        "Jane Doe",
    ),
    ("too-long-skipped", f'<div class="author">{LONG}</div><span class="byline">Jane Doe</span>', "Jane Doe"),
    ("too-short-skipped", '<span class="author">JD</span><span class="byline">Jane Doe</span>', "Jane Doe"),
    ("only-a-date-inside", '<span class="author"><time>2020-01-01</time></span>', None),
    ("no-author-markup", FILLER, None),
    ("class-title-discarded-ancestor", '<div class="title"><span class="author">Max Mustermann</span></div>', None),
]


@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_markup_author_agrees_with_trafilatura(body, expected):
    page = f"<html><head><title>Harbour news</title></head><body><article>{FILLER}{body}</article></body></html>"
    assert extract_author(load_html(page)) == expected  # the case hits what it is named after
    assert markup_author(load_html(page)) == expected


def test_the_copied_expressions_are_the_installed_trafilaturas():
    """The fast path is the one the cases above test (with the pinned trafilatura)."""
    assert copies_current()


def test_other_expressions_fall_back_to_extract_author(monkeypatch):
    page = f'<html><body><article>{FILLER}<span class="author">Jane<time>2020</time>Doe</span></article></body></html>'
    monkeypatch.setattr(markup_author_module, "EXPRESSIONS_SHA256", "0" * 64)
    copies_current.cache_clear()
    try:
        assert not copies_current()
        assert markup_author(load_html(page)) == extract_author(load_html(page)) == "JaneDoe"
    finally:
        monkeypatch.undo()
        copies_current.cache_clear()
    assert copies_current()
