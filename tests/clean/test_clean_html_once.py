"""The HTML path parses a page once and reads its metadata once, with the result two full
extractions (precision, then balanced as a fallback) with trafilatura's metadata would give.

``cases/html_once/`` holds pages, each named after what it triggers, where the precision mode keeps
a stub and the balanced mode finds the article in text the page does not show (JSON-LD, a
``<noscript>``, a forum's preloaded posts): the balanced run must not be skipped there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from trafilatura import bare_extraction
from trafilatura.metadata import extract_metadata
from trafilatura.utils import load_html

from newsevents.clean.htmlclean import (
    RECALL_FALLBACK,
    extract_article,
    extraction_bound,
    page_headline,
    page_metadata,
    page_text_length,
)

CASES = Path(__file__).parent / "cases" / "renderings"
PAGES = sorted(CASES.glob("*.html"))
HIDDEN_ARTICLES = sorted((Path(__file__).parent / "cases" / "html_once").glob("*.html"))
SHORT_ARTICLE = """<html><head><title>Pier reopens | Westhaven Courier</title>
<meta property="og:title" content="Pier reopens after repairs">
<meta property="article:published_time" content="2021-03-04T10:00:00Z">
<meta name="author" content="Anna Keller"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Pier reopens after repairs</h1>
<p>The pier reopened on Thursday after two years of repairs, the council said.</p></article>
<footer>© 2021 Westhaven Courier</footer></body></html>"""


def _two_extractions(raw: str) -> Any:
    """What the cleaner did before: two full extractions with metadata."""

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

    doc, balanced = extract(precision=True), extract(precision=False)
    if len(str(getattr(doc, "text", "") or "")) < RECALL_FALLBACK * len(str(getattr(balanced, "text", "") or "")):
        doc = balanced
    return doc


ALL_PAGES = [p.read_text(encoding="utf-8") for p in PAGES + HIDDEN_ARTICLES] + [SHORT_ARTICLE]
ALL_IDS = [p.stem for p in PAGES + HIDDEN_ARTICLES] + ["short"]


@pytest.mark.parametrize("raw", ALL_PAGES, ids=ALL_IDS)
def test_one_parse_gives_what_two_extractions_gave(raw):
    meta, doc = extract_article(raw)
    old = _two_extractions(raw)
    assert meta is not None
    assert doc is not None
    assert old is not None
    assert doc.text == old.text
    assert (meta.title, meta.author, meta.date, meta.url) == (old.title, old.author, old.date, old.url)


@pytest.mark.parametrize(
    "raw", [p.read_text(encoding="utf-8") for p in PAGES] + [SHORT_ARTICLE], ids=[p.stem for p in PAGES] + ["short"]
)
def test_metadata_is_trafilaturas(raw):
    full = extract_metadata(load_html(raw), None, {"extensive_search": False, "original_date": True}, extensive=False)
    meta = page_metadata(load_html(raw))
    assert (meta.title, meta.author, meta.date, meta.url) == (full.title, full.author, full.date, full.url)


def _text(doc: Any) -> str:
    return str(getattr(doc, "text", "") or "")


def test_page_text_length_bounds_the_extractions_of_pages_that_show_their_article():
    # The empirical part of extraction_bound: the visible text, its margin to spare.
    for raw in [p.read_text(encoding="utf-8") for p in PAGES] + [SHORT_ARTICLE]:
        tree = load_html(raw)
        bound = page_text_length(tree)
        for precision in (True, False):
            doc = bare_extraction(tree, favor_precision=precision, include_comments=False)
            assert len(doc.text) <= bound * 1.01


@pytest.mark.parametrize("raw", ALL_PAGES, ids=ALL_IDS)
def test_extraction_bound_bounds_every_mode(raw):
    tree = load_html(raw)
    bound = extraction_bound(tree)
    for precision in (True, False):
        doc = bare_extraction(load_html(raw), favor_precision=precision, include_comments=False, include_tables=True)
        assert len(_text(doc)) <= bound


@pytest.mark.parametrize("path", HIDDEN_ARTICLES, ids=[p.stem for p in HIDDEN_ARTICLES])
def test_a_hidden_article_is_found_by_the_balanced_run(path):
    """The cases exercise the fallback: precision keeps under a fifth of what balanced finds, and
    that is more than the page's visible text could hold."""
    raw = path.read_text(encoding="utf-8")
    precision = _text(
        bare_extraction(load_html(raw), favor_precision=True, include_comments=False, include_tables=True)
    )
    _, doc = extract_article(raw)
    assert len(precision) < RECALL_FALLBACK * len(_text(doc))
    assert len(_text(doc)) > 5 * page_text_length(load_html(raw))


def test_page_text_length_leaves_out_scripts_and_styles():
    tree = load_html(
        "<html><head><style>p{}</style></head><body><p>Two  words</p><script>var x = 1;</script></body></html>"
    )
    assert page_text_length(tree) == len("Two words")


def test_unparsable_page_gives_nothing():
    assert extract_article("") == (None, None)


@pytest.mark.parametrize(
    ("title", "body", "sitename", "want"),
    [
        ("Opinion | Pier reopens", "<h1>Pier reopens</h1>", None, "Pier reopens"),
        (
            "'We had issues,' mayor says",
            "<h1>\u2018We had issues,\u2019 mayor says</h1>",
            None,
            "\u2018We had issues,\u2019 mayor says",
        ),
        (
            "Pier in Westhaven reopens after repairs",
            "<h1>Westhaven pier reopens after repairs</h1>",
            None,
            "Westhaven pier reopens after repairs",
        ),
        ("Pier reopens | Westhaven Courier", "<h1>Courier</h1>", "Westhaven Courier", "Pier reopens"),
        ("Pier reopens", "<h1>Weather warning for the coast tonight</h1>", None, "Pier reopens"),
    ],
)
def test_page_headline_is_the_h1_that_agrees_with_the_meta_title(title, body, sitename, want):
    tree = load_html(f"<html><body><nav>Menu</nav>{body}<p>Text.</p></body></html>")
    assert page_headline(tree, title, sitename) == want
