"""The HTML path parses a page once and reads its metadata once, with the result two full
extractions (precision, then balanced as a fallback) with trafilatura's metadata would give."""

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
    page_headline,
    page_metadata,
    page_text_length,
)

CASES = Path(__file__).parent / "cases" / "renderings"
PAGES = sorted(CASES.glob("*.html"))
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


@pytest.mark.parametrize(
    "raw", [p.read_text(encoding="utf-8") for p in PAGES] + [SHORT_ARTICLE], ids=[p.stem for p in PAGES] + ["short"]
)
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


def test_page_text_length_bounds_the_extractions():
    for raw in [p.read_text(encoding="utf-8") for p in PAGES] + [SHORT_ARTICLE]:
        tree = load_html(raw)
        bound = page_text_length(tree)
        for precision in (True, False):
            doc = bare_extraction(tree, favor_precision=precision, include_comments=False)
            assert len(doc.text) <= bound * 1.01


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
