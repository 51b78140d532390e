"""The comparison page of two annotations of one document, and the index of comparisons.

A is the reference (gold, or the first pass), B the other side (predictions, or the second
pass). Both texts are shown side by side with their marks; every span taking part in a
difference is underlined in the colour of its class and lists the difference ids in
``data-diffs``; the table below lists each difference (click a row: its spans are framed on both
sides). Classes and counts come from :mod:`newsevents.show.diffs`, i.e. from ``evaluate``'s code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from newsevents.evaluate.pair import view_of_document
from newsevents.evaluate.report import context
from newsevents.ontology import Ontology, load_ontology
from newsevents.records import Document
from newsevents.show.diffs import CLASSES, LAYERS, Difference, differences, summary
from newsevents.show.page import HINT, e, legend_html, page, restricted_note, script_data, text_html

# The colour of each class's underline, as in assets.CSS (for the legend).
CLASS_HELP = {
    "missed": "in A, not in B",
    "spurious": "in B, not in A",
    "wrong-type": "same span, another type",
    "wrong-span": "overlapping span",
    "wrong-role": "same argument, another role",
}


@dataclass(frozen=True, slots=True)
class Compared:
    """One document's comparison: both records, the differences and their summary."""

    a: Document
    b: Document
    diffs: list[Difference]
    summary: dict[str, Any]


def compare(a: Document, b: Document) -> Compared:
    """The differences of ``b`` against ``a`` (same document id and text)."""
    diffs = differences(view_of_document(a), view_of_document(b))
    return Compared(a, b, diffs, summary(diffs))


def side_label(doc: Document, fallback: str) -> str:
    """Who made an annotation: the system, else the annotators, else ``fallback`` (a file name)."""
    p = doc.provenance
    return p.system or "+".join(p.annotators) or fallback


def _targets(doc: Document, d: Difference, item: tuple[Any, ...]) -> list[tuple[str, str]]:
    """The (``m``/``t``, id) of the spans of ``doc`` that ``item`` of difference ``d`` stands for."""
    if d.layer == "entity":
        s, end, label = item
        return [("m", m.id) for m in doc.entity_mentions if (m.start, m.end, m.type) == (s, end, label)]
    if d.layer == "trigger":
        s, end, label = item
        return [("t", v.id) for v in doc.event_mentions if (v.trigger.start, v.trigger.end, v.type) == (s, end, label)]
    ts, te, etype, role, s, end = item
    spans = {m.id: (m.start, m.end) for m in doc.entity_mentions}
    out: list[tuple[str, str]] = []
    for v in doc.event_mentions:
        if (v.trigger.start, v.trigger.end, v.type) != (ts, te, etype):
            continue
        out.extend(("m", a.mention) for a in v.arguments if a.role == role and spans.get(a.mention) == (s, end))
    return out


def diff_marks(c: Compared) -> tuple[dict[tuple[str, str], list[tuple[str, str]]], ...]:
    """Per side, (``m``/``t``, id) -> [(difference id, class)]."""
    sides: tuple[dict[tuple[str, str], list[tuple[str, str]]], ...] = ({}, {})
    for n, d in enumerate(c.diffs):
        for k, (doc, item) in enumerate(((c.a, d.a), (c.b, d.b))):
            if item is None:
                continue
            for target in _targets(doc, d, item):
                sides[k].setdefault(target, []).append((f"d{n}", d.cls))
    return sides


def describe(doc: Document, d: Difference, item: tuple[Any, ...] | None) -> str:
    if item is None:
        return "—"
    text = doc.text
    if d.layer == "argument":
        ts, te, etype, role, s, end = item
        return f"{role} of {etype} {text[ts:te]!r}: {text[s:end]!r} [{s}, {end})"
    s, end, label = item
    return f"{label} {text[s:end]!r} [{s}, {end})"


def summary_html(c: Compared) -> str:
    s = c.summary
    head = "".join(f"<th>{e(h)}</th>" for h in ["layer", *CLASSES, "FN", "FP"])
    rows = []
    for layer in LAYERS:
        cells = "".join(f'<td class="num">{s["classes"][layer][k]}</td>' for k in CLASSES)
        ec = s["error_counts"][layer]
        rows.append(
            f'<tr data-layer="{layer}"><td>{layer}</td>{cells}<td class="num">{ec["FN"]}</td>'
            f'<td class="num">{ec["FP"]}</td></tr>'
        )
    return (
        f'<table id="summary"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
        '<p class="small">FN and FP per layer are those of <code>newsevents evaluate A B</code> (A as gold): '
        "strict entities, Trig-C triggers, Arg-C arguments. A wrong-* difference is one FN and one FP.</p>"
    )


def differences_html(c: Compared) -> str:
    if not c.diffs:
        return "<p>No differences: the two annotations agree on every entity, trigger and argument.</p>"
    rows = []
    for n, d in enumerate(c.diffs):
        s, end = d.span
        rows.append(
            f'<tr class="diff" data-diff="d{n}" data-class="{e(d.cls)}" data-layer="{e(d.layer)}">'
            f'<td class="num">{n}</td><td class="cls x {e(d.cls)}">{e(d.cls)}</td><td>{e(d.layer)}</td>'
            f"<td>{e(describe(c.a, d, d.a))}</td><td>{e(describe(c.b, d, d.b))}</td>"
            f'<td><pre class="ctx">{e(context(c.a.text, s, end))}</pre></td></tr>'
        )
    head = "".join(f"<th>{h}</th>" for h in ["#", "class", "layer", "A", "B", "context"])
    return f'<table id="diffs"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def compare_page(
    c: Compared, *, labels: tuple[str, str] = ("A", "B"), onto: Ontology | None = None, index_href: str | None = None
) -> str:
    """The side-by-side page of one comparison."""
    onto = onto or load_ontology()
    marks_a, marks_b = diff_marks(c)
    nav = f'<p class="small"><a href="{e(index_href)}">All comparisons</a></p>' if index_href else ""
    classes = " ".join(f'<span class="sw x {k}">{e(k)}</span> ({e(v)})' for k, v in CLASS_HELP.items())
    body = (
        f"<header>{nav}<h1>{e(c.a.id)}: A against B</h1>"
        f"<p>A = {e(labels[0])} (the reference) · B = {e(labels[1])}</p>{restricted_note(c.a)}"
        f"<h2>Summary</h2>{summary_html(c)}"
        f'<div class="legend small">Differences (wavy underline): {classes}</div>{legend_html(onto)}</header>\n'
        '<main class="layout"><div class="cols">'
        f"<div><h2>A: {e(labels[0])}</h2>{text_html(c.a, onto, 'a', marks_a)}</div>"
        f"<div><h2>B: {e(labels[1])}</h2>{text_html(c.b, onto, 'b', marks_b)}</div>"
        f'</div><aside id="panel">{HINT}</aside></main>\n'
        f'<section class="below"><h2>Differences ({len(c.diffs)})</h2>{differences_html(c)}</section>'
    )
    data = {"sides": {"a": script_data(c.a), "b": script_data(c.b)}}
    return page(f"{c.a.id}: compare", body, data)


def compare_index(
    items: Sequence[Compared], *, href: Mapping[str, str], labels: tuple[str, str], title: str = "newsevents comparison"
) -> str:
    """Every compared document with its differences per class (``href``: id -> page file)."""
    head = "".join(f"<th>{e(h)}</th>" for h in ["document", "split", *CLASSES, "total"])
    rows = []
    for c in sorted(items, key=lambda c: c.a.id):
        per = {k: sum(c.summary["classes"][layer][k] for layer in LAYERS) for k in CLASSES}
        cells = "".join(f'<td class="num">{per[k]}</td>' for k in CLASSES)
        rows.append(
            f'<tr><td><a href="{e(href[c.a.id])}">{e(c.a.id)}</a></td><td>{e(c.a.split)}</td>{cells}'
            f'<td class="num">{c.summary["total"]}</td></tr>'
        )
    body = (
        f"<header><h1>{e(title)}</h1><p>A = {e(labels[0])} · B = {e(labels[1])} · {len(items)} document(s)</p></header>"
        f'<section class="below"><table id="index"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></section>'
    )
    return page(title, body)
