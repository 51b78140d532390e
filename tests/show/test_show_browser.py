"""The viewer's pages in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

Opens the seed's gold page and a Wikinews page (annotated here by the lexicon baseline: no
Wikinews gold is needed), reads the marked spans back from the DOM as code-point offsets and
checks they are exactly the record's mentions and triggers; clicks a mention and checks that its
whole coreference chain lights up, and a trigger and checks its arguments; opens the comparison of
the seed's two passes and checks the marked differences against ``evaluate``'s error counts; and
opens a document whose text holds ``<script>alert(1)</script>``: no dialog may fire.

Screenshots go to pytest's ``tmp_path`` and, when ``NEWSEVENTS_TEST_ARTIFACTS`` names a folder,
are copied there (``docs/img/show.png`` is ``show-seed.png``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from show_support import GOLD, PASS_A, PASS_B, hostile_doc, read_doc, wikinews_doc

from newsevents.evaluate import evaluate_documents
from newsevents.records import Document
from newsevents.show.site import write_comparison, write_documents

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps calling Google hosts, which a closed
# network refuses; --no-sandbox because the tests may run as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Every element with a data-key inside the text block: its fragments as code-point offsets.
SPANS_JS = """(id) => {
  const root = document.getElementById(id);
  const spans = {};
  let pos = 0;
  function walk(node) {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) { pos += Array.from(child.data).length; }
      else if (child.nodeType === Node.ELEMENT_NODE) {
        const key = child.getAttribute('data-key');
        const start = pos;
        walk(child);
        if (key) { (spans[key] = spans[key] || []).push([start, pos]); }
      }
    }
  }
  walk(root);
  return {spans: spans, text: root.textContent};
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Debian's Chromium, never a browser downloaded by Playwright. Without it, tests/conftest.py
    # has already skipped the test (failed it in CI); this guards a browser removed since.
    if not Path(CHROMIUM).exists():
        pytest.fail(f"headless Chromium is needed at {CHROMIUM}: apt-get install chromium", pytrace=False)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        yield pg
        assert errors == []  # no script error, no refused load (CSP violations are console errors)
    finally:
        context.close()


def _keep(shot: Path) -> None:
    folder = os.environ.get("NEWSEVENTS_TEST_ARTIFACTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy2(shot, Path(folder) / shot.name)


def _shot(page: Page, path: Path, **kw: Any) -> None:
    page.screenshot(path=str(path), **kw)
    _keep(path)


def _expected(doc: Document) -> dict[str, tuple[int, int]]:
    out = {f"m:{m.id}": (m.start, m.end) for m in doc.entity_mentions}
    out.update({f"t:{v.id}": (v.trigger.start, v.trigger.end) for v in doc.event_mentions})
    return out


def _read_spans(page: Page, container: str) -> tuple[dict[str, tuple[int, int]], str]:
    got = page.evaluate(SPANS_JS, container)
    spans = {k: (min(s for s, _ in v), max(e for _, e in v)) for k, v in got["spans"].items()}
    return spans, got["text"]


def _open_document(page: Page, doc: Document, out: Path) -> None:
    write_documents([doc], out)
    page.goto((out / f"{doc.id}.html").as_uri())


def _ids(page: Page, selector: str) -> set[str]:
    return set(page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('data-id'))"))


def test_seed_page_marks_exactly_the_records_spans_and_a_click_lights_up_the_chain(page: Page, tmp_path: Path) -> None:
    doc = read_doc(GOLD)
    _open_document(page, doc, tmp_path / "site")
    spans, text = _read_spans(page, "text")
    assert text == doc.text
    assert spans == _expected(doc)
    # kind is visible: a NOM mention is underlined dashed, a PRO one dotted
    for kind, style in (("NOM", "dashed"), ("PRO", "dotted")):
        m = next(m for m in doc.entity_mentions if m.kind == kind)
        got = page.eval_on_selector(f'#text .m[data-id="{m.id}"]', "e => getComputedStyle(e).borderBottomStyle")
        assert got == style
    # the largest chain: click its second mention, the whole chain lights up and nothing else
    chains: dict[str, list[str]] = {}
    for m in sorted(doc.entity_mentions, key=lambda m: (m.start, m.end)):
        chains.setdefault(m.entity, []).append(m.id)
    cluster, members = max(chains.items(), key=lambda kv: (len(kv[1]), kv[0]))
    page.locator(f'#text .m[data-id="{members[1]}"]').first.click()
    assert _ids(page, "#text .m.chain-on") == set(members)
    assert page.locator("#panel h3").first.text_content() == f"Chain {cluster}"
    _shot(page, tmp_path / "show-seed.png")
    # a trigger: its arguments light up, with their roles in the panel
    ev = max(doc.event_mentions, key=lambda v: (len(v.arguments), v.id))
    page.locator(f'#text .t[data-event-id="{ev.id}"]').first.click()
    assert _ids(page, "#text .m.arg-on") == {a.mention for a in ev.arguments}
    roles = page.eval_on_selector_all("#panel td:first-child", "els => els.map(e => e.textContent)")
    assert sorted(roles) == sorted(a.role for a in ev.arguments)
    _shot(page, tmp_path / "show-seed-event.png")


def test_wikinews_page_marks_exactly_the_records_spans(page: Page, tmp_path: Path) -> None:
    doc = wikinews_doc()
    assert doc.entity_mentions
    assert doc.event_mentions
    _open_document(page, doc, tmp_path / "site")
    spans, text = _read_spans(page, "text")
    assert text == doc.text
    assert spans == _expected(doc)
    m = doc.entity_mentions[0]
    page.locator(f'#text .m[data-id="{m.id}"]').first.click()
    assert _ids(page, "#text .m.chain-on") == {x.id for x in doc.entity_mentions if x.entity == m.entity}
    _shot(page, tmp_path / "show-wikinews.png")


def test_compare_page_marks_the_differences_evaluate_counts(page: Page, tmp_path: Path) -> None:
    a, b = read_doc(PASS_A), read_doc(PASS_B)
    result = write_comparison([PASS_A], [PASS_B], tmp_path / "cmp")
    assert not result.findings
    page.goto((tmp_path / "cmp" / f"compare-{a.id}.html").as_uri())
    for side, doc in (("a", a), ("b", b)):
        spans, text = _read_spans(page, f"text-{side}")
        assert text == doc.text
        assert spans == _expected(doc)
    rows = page.eval_on_selector_all(
        "tr.diff", "els => els.map(e => [e.getAttribute('data-class'), e.getAttribute('data-layer')])"
    )
    counts = {layer: {"FN": 0, "FP": 0} for layer in ("entity", "trigger", "argument")}
    for cls, layer in rows:
        counts[layer]["FN"] += cls != "spurious"
        counts[layer]["FP"] += cls != "missed"
    expected = evaluate_documents([a], [b], bootstrap_n=0)["error_counts"]
    assert counts == {layer: expected[layer] for layer in counts}
    # the summary table shows the same FN/FP
    for layer in counts:
        cells = page.eval_on_selector_all(f'#summary tr[data-layer="{layer}"] td', "els => els.map(e => e.textContent)")
        assert [int(cells[-2]), int(cells[-1])] == [expected[layer]["FN"], expected[layer]["FP"]]
    # every difference is underlined on its spans; clicking a row frames them
    marked = page.eval_on_selector_all("[data-diffs]", "els => els.map(e => e.getAttribute('data-diffs'))")
    assert {d for group in marked for d in group.split()} == {f"d{n}" for n in range(len(rows))}
    wrong = page.locator('tr.diff[data-class^="wrong-"]').first
    diff_id = wrong.get_attribute("data-diff")
    wrong.click()
    framed = page.eval_on_selector_all(".diff-on", "els => els.map(e => e.closest('[data-side]').dataset.side)")
    assert set(framed) == {"a", "b"}, diff_id  # a wrong-* difference has a span on each side
    _shot(page, tmp_path / "show-compare.png")


def test_script_in_a_text_is_shown_as_text_and_never_runs(page: Page, tmp_path: Path) -> None:
    doc = hostile_doc()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _open_document(page, doc, tmp_path / "site")
    assert page.locator("#text").text_content() == doc.text
    assert page.locator("h1").text_content() == doc.title
    page.locator('#text .m[data-id="m4"]').click()  # the mention whose text is the script
    page.locator('#text .t[data-event-id="v1"]').click()
    page.locator('tr[data-select="chain"]').first.click()
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.evaluate("document.querySelectorAll('script').length") == 2  # the page's own two
    _shot(page, tmp_path / "show-hostile.png", full_page=True)
