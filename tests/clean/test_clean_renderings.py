"""Must-keep / must-drop snippets on the project's own pages, in every renderer shape and HTML.

Each ``cases/renderings/<article>.expect.json`` lists the body paragraphs and headings that must
survive and the boilerplate lines (navigation, captions, credits, promos, related links,
comments, cookie text, footer) that must not; ``<article>.<renderer>.txt`` and
``<article>.html`` are the same page as each renderer shows it.
"""

from __future__ import annotations

import json

import pytest
from clean_support import RENDERINGS

from newsevents.clean import clean_page

PAGES = sorted(p for p in RENDERINGS.iterdir() if p.suffix in (".txt", ".html"))


def _expect(path):
    article = path.name.split(".")[0]
    return json.loads((RENDERINGS / f"{article}.expect.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_rendering_keeps_body_and_drops_boilerplate(path):
    exp = _expect(path)
    result = clean_page(path.read_bytes(), name=path.name)
    doc = result.document
    assert doc is not None, result.findings
    assert doc.title == exp["title"]
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == exp["title"]
    for keep in exp["must_keep"]:
        assert keep in paragraphs, f"lost: {keep!r}"
    for drop in exp["must_drop"]:
        assert drop not in doc.text, f"kept boilerplate: {drop!r}"


@pytest.mark.parametrize("path", [p for p in PAGES if p.suffix == ".txt"], ids=lambda p: p.name)
def test_every_dropped_line_is_recorded_with_a_reason(path):
    raw_lines = path.read_text(encoding="utf-8").split("\n")
    doc = clean_page(path.read_bytes(), name=path.name).document
    assert doc is not None
    kept = {n for p in doc.cleaning.paragraphs for n in range(p.raw_lines[0], p.raw_lines[1] + 1)}
    removed = {r.line for r in doc.cleaning.removed}
    nonblank = {i + 1 for i, line in enumerate(raw_lines) if line.strip()}
    assert kept | removed == nonblank
    assert not kept & removed
    assert all(r.reason and r.rule for r in doc.cleaning.removed)


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_cleaning_is_deterministic(path):
    a = clean_page(path.read_bytes(), name=path.name).document
    b = clean_page(path.read_bytes(), name=path.name).document
    assert a is not None
    assert b is not None
    assert a.to_dict() == b.to_dict()
