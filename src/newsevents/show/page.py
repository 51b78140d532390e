"""HTML pages of annotated documents: one page per document and an index (pure functions).

Every page is self-contained: its stylesheet and script are the project's own
(:mod:`newsevents.show.assets`), inlined, and a Content-Security-Policy allows nothing else (no
network, no other script: an inline script runs only if its sha256 is the page's own). Every text
of a record is escaped, and the page's data travels as JSON whose ``<``, ``>`` and ``&`` are
escaped, so an article holding ``<script>`` shows it as text.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

from newsevents.build.meta import redistributable
from newsevents.ontology import Ontology, load_ontology
from newsevents.records import Document
from newsevents.show.assets import CSS, ENTITY_COLOURS, EVENT_COLOURS, JS
from newsevents.show.spans import Mark, nest, to_html

GENERATOR = "newsevents show"


def e(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return escape("" if value is None else str(value), quote=True)


def json_for_script(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>``, ``&`` or line separators."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def type_css() -> str:
    """A colour class per entity type (``ty-N``) and per event type (``ev-N``), by ontology index."""
    rules = [f".ty-{i} {{ --c: {c}; }}" for i, c in enumerate(ENTITY_COLOURS)]
    rules += [f".ev-{i} {{ --c: {c}; }}" for i, c in enumerate(EVENT_COLOURS)]
    return "\n".join(rules) + "\n"


def page(title: str, body: str, data: Any | None = None) -> str:
    """A whole HTML page: ``body`` is already-escaped HTML; ``data`` goes to the script as JSON."""
    css = CSS + type_css()
    csp = f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(JS)}; img-src data:; base-uri 'none'; form-action 'none'"
    data_tag = (
        f'<script type="application/json" id="ne-data">{json_for_script(data)}</script>\n' if data is not None else ""
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{e(csp)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{GENERATOR}">\n'
        f"<title>{e(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n"
        f"{body}\n{data_tag}<script>{JS}</script>\n</body>\n</html>\n"
    )


def type_class(onto: Ontology, etype: str) -> str:
    types = list(onto.entity_types)
    return f"ty-{types.index(etype) if etype in types else len(ENTITY_COLOURS) - 1}"


def event_class(onto: Ontology, etype: str) -> str:
    types = list(onto.event_types)
    return f"ev-{types.index(etype) if etype in types else len(EVENT_COLOURS) - 1}"


def _token(value: str, allowed: Sequence[str], fallback: str) -> str:
    """A record value used as a CSS class only when it is a known label."""
    return value if value in allowed else fallback


def marks(
    doc: Document, onto: Ontology, diffs: Mapping[tuple[str, str], list[tuple[str, str]]] | None = None
) -> list[Mark]:
    """The document's mentions and triggers as :class:`Mark` s.

    ``diffs``: (``m``/``t``, id) -> [(difference id, class)] for a comparison page: those spans get
    the class ``x`` and the class of their first difference, and ``data-diffs`` lists every one.
    """
    out: list[Mark] = []
    for m in doc.entity_mentions:
        classes = ["m", _token(m.kind, onto.mention_kinds, "NAM"), type_class(onto, m.type)]
        attrs = [
            ("data-id", m.id),
            ("data-entity", m.entity),
            ("data-type", m.type),
            ("data-kind", m.kind),
            ("title", f"{m.type} {m.kind} · {m.id} · chain {m.entity}"),
        ]
        found = (diffs or {}).get(("m", m.id))
        if found:
            classes += ["x", found[0][1]]
            attrs.append(("data-diffs", " ".join(d for d, _ in found)))
        out.append(Mark(f"m:{m.id}", m.start, m.end, tuple(classes), tuple(attrs), rank=0))
    for ev in doc.event_mentions:
        classes = ["t", _token(ev.realis, onto.realis, "other"), event_class(onto, ev.type)]
        roles = ", ".join(f"{a.role}={a.mention}" for a in ev.arguments)
        attrs = [
            ("data-event-id", ev.id),
            ("data-type", ev.type),
            ("data-realis", ev.realis),
            ("data-event", ev.event),
            ("title", f"{ev.type} · realis {ev.realis} · {ev.id}" + (f" · {roles}" if roles else "")),
        ]
        found = (diffs or {}).get(("t", ev.id))
        if found:
            classes += ["x", found[0][1]]
            attrs.append(("data-diffs", " ".join(d for d, _ in found)))
        out.append(Mark(f"t:{ev.id}", ev.trigger.start, ev.trigger.end, tuple(classes), tuple(attrs), rank=1))
    return out


def text_html(doc: Document, onto: Ontology, side: str = "", diffs: Any = None) -> str:
    """The text with its marks, in a ``pre-wrap`` block whose text content is exactly ``doc.text``."""
    ident = f"text-{side}" if side else "text"
    inner = to_html(nest(doc.text, marks(doc, onto, diffs)))
    return f'<div class="text" id="{ident}" data-side="{e(side)}">{inner}</div>'


def script_data(doc: Document) -> dict[str, Any]:
    """What the script needs of a document: mentions, events and chains by id."""
    chains: dict[str, list[str]] = {}
    for m in sorted(doc.entity_mentions, key=lambda m: (m.start, m.end, m.id)):
        chains.setdefault(m.entity, []).append(m.id)
    return {
        "mentions": {
            m.id: {"start": m.start, "end": m.end, "text": m.text, "type": m.type, "kind": m.kind, "entity": m.entity}
            for m in doc.entity_mentions
        },
        "events": {
            ev.id: {
                "type": ev.type,
                "realis": ev.realis,
                "event": ev.event,
                "trigger": ev.trigger.text,
                "start": ev.trigger.start,
                "end": ev.trigger.end,
                "arguments": [{"role": a.role, "mention": a.mention} for a in ev.arguments],
            }
            for ev in doc.event_mentions
        },
        "chains": chains,
    }


def table(header: Sequence[str], rows: Iterable[Sequence[object]], *, row_attrs: Sequence[str] | None = None) -> str:
    """An HTML table; cells are escaped (``row_attrs``: already-escaped attributes per row)."""
    head = "".join(f"<th>{e(h)}</th>" for h in header)
    body = []
    for n, r in enumerate(rows):
        attrs = f" {row_attrs[n]}" if row_attrs else ""
        cells = "".join(f'<td class="num">{c}</td>' if isinstance(c, int) else f"<td>{e(c)}</td>" for c in r)
        body.append(f"<tr{attrs}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def link(url: str | None) -> str:
    """A link for http(s) URLs only (a ``javascript:`` URL stays text)."""
    if not url:
        return "(not recorded)"
    if url.startswith(("https://", "http://")):
        return f'<a href="{e(url)}" rel="noopener noreferrer">{e(url)}</a>'
    return e(url)


def counts(doc: Document) -> dict[str, int]:
    """The figures the index shows per document."""
    return {
        "entity mentions": len(doc.entity_mentions),
        "chains": len({m.entity for m in doc.entity_mentions}),
        "events": len(doc.event_mentions),
        "arguments": sum(len(ev.arguments) for ev in doc.event_mentions),
        "removed lines": len(doc.cleaning.removed) if doc.cleaning else 0,
    }


def restricted_note(doc: Document) -> str:
    if redistributable(doc.source.license):
        return ""
    return (
        '<p class="warn">This text is not licensed for redistribution: this page was made from your own copy '
        "and is for your local use. Do not publish it.</p>"
    )


def metadata_html(doc: Document) -> str:
    p = doc.provenance
    rows: list[tuple[str, str]] = [
        ("id", e(doc.id)),
        ("split", e(doc.split)),
        ("language", e(doc.language)),
        ("published", e(doc.published or "(unknown)")),
        ("publisher", e(doc.source.publisher)),
        ("url", link(doc.source.url)),
        ("licence", e(doc.source.license)),
        ("text redistributable", "yes" if redistributable(doc.source.license) else "no"),
        ("raw file", e(f"{doc.source.raw_file} (sha256 {doc.source.raw_sha256})")),
        ("text sha256", e(doc.text_sha256)),
        ("authors", e(", ".join(doc.credits.authors) or "(none)")),
        ("editors", e(", ".join(doc.credits.editors) or "(none)")),
        ("agencies", e(", ".join(doc.credits.agencies) or "(none)")),
        ("annotation status", e(p.status)),
        ("annotators", e(", ".join(p.annotators) or "(none)")),
        ("guideline version", e(p.guideline_version or "(none)")),
        ("tool", e(p.tool or "(none)")),
    ]
    if p.system:
        rows.append(("system", e(p.system)))
    if p.gold_rule:
        rows.append(("gold rule", e(p.gold_rule)))
    body = "".join(f"<tr><th>{e(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return f'<table class="meta">{body}</table>'


def summary_line(doc: Document) -> str:
    c = counts(doc)
    figures = ", ".join(f"{v} {k}" for k, v in c.items())
    return (
        f'<p class="small">{e(doc.id)} · split {e(doc.split)} · {e(doc.source.publisher)} · '
        f"{e(doc.published or 'date unknown')} · annotation {e(doc.provenance.status)} · {e(figures)} "
        "(metadata below)</p>"
    )


def legend_html(onto: Ontology) -> str:
    ents = "".join(f'<span class="sw m {type_class(onto, t)}">{e(t)}</span>' for t in onto.entity_types)
    kinds = (
        '<span class="sw m NAM ty-9">NAM solid</span><span class="sw m NOM ty-9">NOM dashed</span>'
        '<span class="sw m PRO ty-9">PRO dotted</span>'
    )
    realis = (
        '<span class="sw t actual ev-14">actual</span><span class="sw t generic ev-14">generic</span>'
        '<span class="sw t other ev-14">other</span>'
    )
    return (
        f'<div class="legend small">Entity types: {ents}<br>Mention kinds (underline): {kinds} '
        "· nested mentions sit on deeper underlines<br>"
        f"Event triggers (bold, framed; frame colour by event type): realis {realis}</div>"
    )


def events_html(doc: Document, side: str = "") -> str:
    by_id = {m.id: m for m in doc.entity_mentions}
    rows, attrs = [], []
    for ev in sorted(doc.event_mentions, key=lambda v: (v.trigger.start, v.trigger.end, v.id)):
        args = "; ".join(
            f"{a.role}: {by_id[a.mention].text if a.mention in by_id else '?'} ({a.mention})" for a in ev.arguments
        )
        rows.append(
            [ev.id, ev.type, ev.realis, ev.trigger.text, f"[{ev.trigger.start}, {ev.trigger.end})", ev.event, args]
        )
        attrs.append(f'data-select="event" data-ref="{e(ev.id)}" data-side="{e(side)}"')
    if not rows:
        return "<p>No event mentions.</p>"
    return table(
        ["id", "type", "realis", "trigger", "offsets", "event", "arguments (role: mention)"], rows, row_attrs=attrs
    )


def chains_html(doc: Document, side: str = "") -> str:
    chains: dict[str, list[Any]] = {}
    for m in sorted(doc.entity_mentions, key=lambda m: (m.start, m.end, m.id)):
        chains.setdefault(m.entity, []).append(m)
    rows, attrs = [], []
    for cluster, ms in sorted(chains.items(), key=lambda kv: (kv[1][0].start, kv[0])):
        types = "/".join(sorted({m.type for m in ms}))
        rows.append([cluster, types, len(ms), " · ".join(m.text for m in ms)])
        attrs.append(f'data-select="chain" data-ref="{e(ms[0].id)}" data-side="{e(side)}"')
    if not rows:
        return "<p>No entity mentions.</p>"
    return table(["chain", "type", "mentions", "texts"], rows, row_attrs=attrs)


def cleaning_html(doc: Document) -> str:
    c = doc.cleaning
    if c is None:
        return "<p>No cleaning record.</p>"
    head = (
        f"<p>Cleaner {e(c.cleaner)}, profile {e(c.profile or '(none)')}, overrides {e(c.overrides or '(none)')}; "
        f"{len(c.paragraphs)} paragraph(s) kept, {len(c.removed)} line(s) removed.</p>"
    )
    if not c.removed:
        return head
    return head + table(["raw line", "text", "reason", "rule"], [[r.line, r.text, r.reason, r.rule] for r in c.removed])


HINT = (
    '<p class="small">Click a mention: its coreference chain lights up. Hover or click an event trigger: '
    "its arguments light up and their roles are listed here. Rows of the tables below select too; Esc clears.</p>"
)


def document_page(doc: Document, *, onto: Ontology | None = None, index_href: str | None = "index.html") -> str:
    """The page of one document."""
    onto = onto or load_ontology()
    nav = f'<p class="small"><a href="{e(index_href)}">All documents</a></p>' if index_href else ""
    body = (
        f"<header>{nav}<h1>{e(doc.title)}</h1>{restricted_note(doc)}{summary_line(doc)}{legend_html(onto)}</header>\n"
        f'<main class="layout">{text_html(doc, onto)}<aside id="panel">{HINT}</aside></main>\n'
        f'<section class="below"><h2>Events</h2>{events_html(doc)}<h2>Coreference chains</h2>{chains_html(doc)}'
        f"<h2>Metadata</h2>{metadata_html(doc)}"
        f"<h2>Cleaning: removed lines and their reasons</h2>{cleaning_html(doc)}</section>"
    )
    return page(f"{doc.id}: {doc.title}", body, script_data(doc))


def index_page(docs: Sequence[Document], *, href: Mapping[str, str], title: str = "newsevents documents") -> str:
    """Every document with its split, licence and counts, linking to its page (``href``: id -> file)."""
    keys = ["entity mentions", "chains", "events", "arguments", "removed lines"]
    rows = []
    for d in sorted(docs, key=lambda d: (d.split, d.id)):
        c = counts(d)
        cells = "".join(f'<td class="num">{c[k]}</td>' for k in keys)
        rows.append(
            f'<tr><td><a href="{e(href[d.id])}">{e(d.id)}</a></td><td>{e(d.title)}</td><td>{e(d.split)}</td>'
            f"<td>{e(d.source.license)}</td><td>{'yes' if redistributable(d.source.license) else 'no'}</td>"
            f"<td>{e(d.provenance.status)}</td>{cells}</tr>"
        )
    head = "".join(
        f"<th>{e(h)}</th>" for h in ["document", "title", "split", "licence", "redistributable", "status", *keys]
    )
    total = len(docs)
    body = (
        f"<header><h1>{e(title)}</h1><p>{total} document(s).</p></header>"
        f'<section class="below"><table id="index"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
        "</section>"
    )
    return page(title, body)
