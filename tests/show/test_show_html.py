"""The viewer's HTML, checked without a browser: spans, escaping, self-containment, differences."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from show_support import GOLD, PASS_A, PASS_B, PROJECT, hostile_doc, perturbed, read_doc, wikinews_doc

from newsevents.cli import main
from newsevents.evaluate import evaluate_documents
from newsevents.evaluate.pair import view_of_document
from newsevents.records import Document
from newsevents.show.compare import compare, compare_page
from newsevents.show.diffs import CLASSES, differences, summary
from newsevents.show.page import document_page, index_page, json_for_script
from newsevents.show.spans import Element, Mark, nest, to_html


class Spans(HTMLParser):
    """Text offsets (code points) of every element with a data-key, and the page's scripts."""

    def __init__(self, container: str) -> None:
        super().__init__(convert_charrefs=True)
        self.container = container
        self.depth = 0  # >0 inside the container
        self.pos = 0
        self.open: list[str | None] = []
        self.spans: dict[str, list[tuple[int, int]]] = {}
        self.starts: list[int] = []
        self.text: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.add(tag)
        if tag == "script":
            self.scripts.append(a)
        if self.depth:
            self.depth += 1
            self.open.append(a.get("data-key"))
            self.starts.append(self.pos)
        elif a.get("id") == self.container:
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:  # noqa: ARG002 - the depth count needs no tag name
        if not self.depth:
            return
        self.depth -= 1
        if self.depth:
            key = self.open.pop()
            start = self.starts.pop()
            if key:
                self.spans.setdefault(key, []).append((start, self.pos))

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)
            self.pos += len(data)


def parse(html: str, container: str = "text") -> Spans:
    p = Spans(container)
    p.feed(html)
    return p


def marked(doc: Document) -> dict[str, tuple[int, int]]:
    out = {f"m:{m.id}": (m.start, m.end) for m in doc.entity_mentions}
    out.update({f"t:{v.id}": (v.trigger.start, v.trigger.end) for v in doc.event_mentions})
    return out


def union(frags: list[tuple[int, int]]) -> tuple[int, int]:
    return min(s for s, _ in frags), max(e for _, e in frags)


@pytest.mark.parametrize("which", ["seed", "wikinews", "hostile"])
def test_the_text_is_exact_and_every_mention_and_trigger_is_marked_at_its_offsets(which: str) -> None:
    doc = {"seed": lambda: read_doc(GOLD), "wikinews": wikinews_doc, "hostile": hostile_doc}[which]()
    p = parse(document_page(doc))
    assert "".join(p.text) == doc.text
    assert {k: union(v) for k, v in p.spans.items()} == marked(doc)
    for key, frags in p.spans.items():  # fragments cover the span exactly, without gaps
        s, e = marked(doc)[key]
        assert sum(b - a for a, b in frags) == e - s


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="ab <&>\n\U0001f600", min_size=1, max_size=30).flatmap(
        lambda t: st.tuples(
            st.just(t),
            st.lists(st.tuples(st.integers(0, len(t)), st.integers(0, len(t))), max_size=8),
        )
    )
)
def test_nesting_keeps_the_text_and_each_span_whatever_the_overlaps(case: tuple[str, list[tuple[int, int]]]) -> None:
    text, pairs = case
    marks = [Mark(f"k{n}", min(a, b), max(a, b)) for n, (a, b) in enumerate(pairs) if a != b]
    nodes = nest(text, marks)

    def flat(ns: list[Element | str], pos: int, out: dict[str, list[tuple[int, int]]]) -> int:
        for n in ns:
            if isinstance(n, str):
                pos += len(n)
            else:
                start = pos
                pos = flat(n.children, pos, out)
                out.setdefault(n.mark.key, []).append((start, pos))
        return pos

    got: dict[str, list[tuple[int, int]]] = {}
    assert flat(nodes, 0, got) == len(text)
    assert {k: union(v) for k, v in got.items()} == {m.key: (m.start, m.end) for m in marks}
    assert all(sum(b - a for a, b in got[m.key]) == m.end - m.start for m in marks)
    assert "".join(parse(f'<div id="text">{to_html(nodes)}</div>').text) == text


def test_markup_and_script_in_any_text_stay_text() -> None:
    doc = hostile_doc()
    html = document_page(doc)
    p = parse(html)
    # exactly the page's two script elements: its data (JSON, not run) and its own script
    assert [s.get("type") for s in p.scripts] == ["application/json", None]
    assert p.tags <= {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "header",
        "main",
        "aside",
        "section",
        "div",
        "span",
        "p",
        "a",
        "h1",
        "h2",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "br",
        "script",
    }
    for needle in ("<script>alert", "<img", "<svg", "<b>", "<i>", "<u>", "</script><script>"):
        assert needle not in html.split('<script type="application/json"')[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html  # a non-http URL is shown, not linked
    data = html.split('id="ne-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data
    assert ">" not in data
    assert json.loads(data)["mentions"]["m4"]["text"] == "<script>alert(1)</script>"


def test_json_for_script_cannot_close_the_script_element() -> None:
    text = json_for_script({"t": "</script><!-- \u2028 & >"})
    assert "<" not in text
    assert ">" not in text
    assert "&" not in text
    assert "\u2028" not in text
    assert json.loads(text) == {"t": "</script><!-- \u2028 & >"}


def test_pages_are_self_contained_and_only_their_own_script_may_run() -> None:
    html = document_page(read_doc(GOLD))
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "@import" not in html
    assert "url(" not in html
    found = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert found
    csp = unescape(found.group(1))
    assert "default-src 'none'" in csp
    script = html.rsplit("<script>", 1)[1].split("</script>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in csp


def test_the_page_shows_metadata_realis_roles_chains_and_removed_lines() -> None:
    doc = read_doc(GOLD)
    html = document_page(doc)
    assert doc.cleaning is not None
    assert doc.cleaning.removed
    for r in doc.cleaning.removed:
        assert f"<td>{r.reason}</td>" in html
    for v in doc.event_mentions:
        assert f'data-event-id="{v.id}" data-type="{v.type}" data-realis="{v.realis}"' in html
    assert "not licensed for redistribution" in html  # the DW seed is the user's own copy
    assert html.count('data-select="chain"') == len({m.entity for m in doc.entity_mentions})
    assert doc.source.raw_sha256 in html


def test_the_index_lists_every_document_with_split_licence_and_counts() -> None:
    docs = [read_doc(GOLD), hostile_doc()]
    html = index_page(docs, href={d.id: f"{d.id}.html" for d in docs})
    for d in docs:
        assert f'href="{d.id}.html"' in html
    assert "<td>test</td>" in html
    assert "<td>CC-BY-4.0</td>" in html
    assert f'<td class="num">{len(docs[0].entity_mentions)}</td>' in html


def _error_counts(a: Document, b: Document) -> dict[str, dict[str, int]]:
    res = evaluate_documents([a], [b], bootstrap_n=0)
    return {layer: res["error_counts"][layer] for layer in ("entity", "trigger", "argument")}


@pytest.mark.parametrize("pair", ["passes", "perturbed", "lexicon"])
def test_differences_add_up_to_evaluates_error_counts(pair: str) -> None:
    gold = read_doc(GOLD)
    if pair == "passes":
        a, b = read_doc(PASS_A), read_doc(PASS_B)
    elif pair == "perturbed":
        a, b = gold, perturbed(gold)
    else:
        from newsevents.evaluate.baselines.lexicon import predict  # noqa: PLC0415

        a, b = gold, predict(gold)
    s = summary(differences(view_of_document(a), view_of_document(b)))
    assert s["error_counts"] == _error_counts(a, b)


def test_each_class_is_found() -> None:
    gold = read_doc(GOLD)
    s = summary(differences(view_of_document(gold), view_of_document(perturbed(gold))))
    seen = {c for layer in s["classes"].values() for c, n in layer.items() if n}
    assert seen == set(CLASSES)
    assert s["classes"]["entity"]["wrong-type"] >= 1
    assert s["classes"]["entity"]["wrong-span"] >= 1
    assert s["classes"]["trigger"]["wrong-type"] == 1
    assert s["classes"]["argument"]["wrong-role"] >= 1


def test_identical_annotations_have_no_difference() -> None:
    gold = read_doc(GOLD)
    c = compare(gold, gold)
    assert c.diffs == []
    assert c.summary["total"] == 0
    assert "No differences" in compare_page(c)


def test_the_compare_page_marks_every_difference_on_its_spans() -> None:
    a, b = read_doc(PASS_A), read_doc(PASS_B)
    c = compare(a, b)
    html = compare_page(c)
    rows = re.findall(r'<tr class="diff" data-diff="(d\d+)" data-class="([a-z-]+)" data-layer="([a-z]+)"', html)
    assert len(rows) == len(c.diffs) > 0
    by_layer: dict[str, dict[str, int]] = {}
    for _, cls, layer in rows:
        counts = by_layer.setdefault(layer, {"FN": 0, "FP": 0})
        counts["FN"] += cls != "spurious"
        counts["FP"] += cls != "missed"
    expected = _error_counts(a, b)
    assert {k: by_layer.get(k, {"FN": 0, "FP": 0}) for k in expected} == expected
    marked_ids = set(re.findall(r'data-diffs="([^"]+)"', html))
    on_spans = {d for group in marked_ids for d in group.split()}
    assert on_spans == {d for d, _, _ in rows}  # every difference is marked on at least one span
    for side, doc in (("a", a), ("b", b)):
        p = parse(html, f"text-{side}")
        assert "".join(p.text) == doc.text
        assert {k: union(v) for k, v in p.spans.items()} == marked(doc)


def test_cli_show_writes_every_gold_document_and_an_index(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    assert main(["show", str(GOLD), str(PROJECT / "annotations" / "gold"), "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["index.html", f"{read_doc(GOLD).id}.html", "tiny-attack.html", "tiny-open.html"])
    assert "4 page(s) written" in capsys.readouterr().out


def test_cli_show_compare_writes_a_page_per_document(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    assert main(["show", "--compare", str(PASS_A), str(PASS_B), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["compare-dw-2019-12-29-us-hits-back-iraq.html", "compare.html"]
    html = (out / "compare.html").read_text(encoding="utf-8")
    assert "annotator-a-at-newsevents.local" in html
    assert "annotator-b-at-newsevents.local" in html


def test_cli_show_compare_refuses_another_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    other = {**gold, "text": gold["text"] + " More."}
    other.pop("text_sha256")
    (tmp_path / "b.json").write_text(json.dumps(other), encoding="utf-8")
    assert main(["show", "--compare", str(GOLD), str(tmp_path / "b.json"), "--out", str(tmp_path / "o")]) == 1
    assert "show.text-mismatch" in capsys.readouterr().err


def test_cli_show_usage_errors(tmp_path: Path) -> None:
    assert main(["show", str(tmp_path / "nope.json"), "--out", str(tmp_path / "o")]) == 2
    assert main(["show", str(GOLD), "--compare", str(GOLD), str(GOLD), "--out", str(tmp_path / "o")]) == 2


def test_a_standoff_release_is_never_shown_only_a_full_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from build_support import build_fixture, make_project  # noqa: PLC0415

    built = build_fixture(make_project(tmp_path / "proj"))
    out = tmp_path / "site"
    assert main(["show", str(built.standoff), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "show.text-withheld" in err
    assert "rehydrate" in err
    shown = {p.name for p in out.iterdir()}
    withheld = re.findall(r"(\S+) /text: \[show.text-withheld\]", err)
    assert withheld
    assert not any(f"{w.split(':')[-1]}.html" in shown for w in withheld)
    assert main(["show", str(built.full), "--out", str(tmp_path / "full")]) == 0
    assert len(list((tmp_path / "full").glob("*.html"))) == 4  # three documents and the index


@pytest.mark.parametrize("module", ["newsevents.show.spans", "newsevents.show.diffs"])
def test_docstring_examples_run(module: str) -> None:
    import doctest  # noqa: PLC0415
    import importlib  # noqa: PLC0415

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0
