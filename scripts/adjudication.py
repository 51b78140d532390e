"""The adjudication of two annotation passes: list their disagreements, check the decisions.

    .venv/bin/python scripts/adjudication.py diff PASS_A.json PASS_B.json --out DIR/disagreements.json
    .venv/bin/python scripts/adjudication.py check DIR/disagreements.json DIR/decisions.json FINAL.json

``diff`` compares two canonical records of one document (the annotators' passes) layer by layer
and writes one item per disagreement, numbered per layer:

- ``entity``: a span only one pass marked, or marked by both with another type or kind;
- ``entity-coref``: a span both passes marked whose cluster holds other (matched) spans;
- ``trigger``: a trigger only one pass marked, or marked by both with another type or realis;
- ``argument``: a (role, filler span) of a trigger both passes marked that only one pass gives;
- ``event-coref``: a trigger both passes marked whose event cluster holds other triggers.

The adjudicator decides every item (``a``, ``b``, ``both``, ``neither`` or ``other``) with a
reason, in ``decisions.json`` (``{"decisions": [{"item": ..., "decision": ..., "reason": ...}],
"fixes": [{"what": ..., "reason": ...}]}``; fixes are changes to what both passes agreed on), and
writes the adjudicated record. ``check`` holds the three together: every item has a decision and
a reason, and for span and argument items the adjudicated record is what the decision says (the
chosen pass's type and kind, or no mention at all). Exit codes: 0 consistent, 1 problems, 2 usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from newsevents.io import write_json

DECISIONS = ("a", "b", "both", "neither", "other")
Span = tuple[int, int]


def _load(path: Path) -> dict[str, Any]:
    value = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(value, dict):
        raise SystemExit(f"adjudication: {path} is not a record")
    return value


def _entities(rec: dict[str, Any]) -> dict[Span, dict[str, Any]]:
    return {(m["start"], m["end"]): m for m in rec.get("entity_mentions", [])}


def _triggers(rec: dict[str, Any]) -> dict[Span, dict[str, Any]]:
    return {(e["trigger"]["start"], e["trigger"]["end"]): e for e in rec.get("event_mentions", [])}


def _clusters(spans: dict[Span, dict[str, Any]], key: str) -> dict[Span, frozenset[Span]]:
    members: dict[str, set[Span]] = defaultdict(set)
    for span, m in spans.items():
        members[m[key]].add(span)
    return {span: frozenset(members[m[key]]) for span, m in spans.items()}


def _text(rec: dict[str, Any], span: Span) -> str:
    return str(rec["text"][span[0] : span[1]])


def _arguments(rec: dict[str, Any], event: dict[str, Any]) -> set[tuple[str, Span]]:
    by_id = {m["id"]: (m["start"], m["end"]) for m in rec.get("entity_mentions", [])}
    return {(a["role"], by_id[a["mention"]]) for a in event.get("arguments", []) if a["mention"] in by_id}


def disagreements(a: dict[str, Any], b: dict[str, Any]) -> list[dict[str, Any]]:
    """Every disagreement between two passes of one document, in text order per layer."""
    if a["text"] != b["text"]:
        raise SystemExit("adjudication: the two passes are of different texts")
    items: list[dict[str, Any]] = []
    counter: Counter[str] = Counter()

    def add(layer: str, kind: str, span: Span, **extra: Any) -> None:
        counter[layer] += 1
        items.append(
            {
                "item": f"{layer}-{counter[layer]:03d}",
                "layer": layer,
                "kind": kind,
                "span": [span[0], span[1], _text(a, span)],
                **extra,
            }
        )

    ea, eb = _entities(a), _entities(b)
    for span in sorted(ea.keys() | eb.keys()):
        x, y = ea.get(span), eb.get(span)
        sx = {"type": x["type"], "kind": x["kind"]} if x else None
        sy = {"type": y["type"], "kind": y["kind"]} if y else None
        if sx != sy:
            add("entity", "only-a" if y is None else "only-b" if x is None else "differs", span, a=sx, b=sy)
    both = ea.keys() & eb.keys()
    ca, cb = _clusters(ea, "entity"), _clusters(eb, "entity")
    for span in sorted(both):
        ma, mb = ca[span] & both, cb[span] & both
        if ma != mb:
            add(
                "entity-coref",
                "cluster-differs",
                span,
                a=[_text(a, s) + f" [{s[0]},{s[1]}]" for s in sorted(ma - {span})],
                b=[_text(b, s) + f" [{s[0]},{s[1]}]" for s in sorted(mb - {span})],
            )
    ta, tb = _triggers(a), _triggers(b)
    for span in sorted(ta.keys() | tb.keys()):
        x, y = ta.get(span), tb.get(span)
        sx = {"type": x["type"], "realis": x["realis"]} if x else None
        sy = {"type": y["type"], "realis": y["realis"]} if y else None
        if sx != sy:
            add("trigger", "only-a" if y is None else "only-b" if x is None else "differs", span, a=sx, b=sy)
    tboth = sorted(s for s in ta.keys() & tb.keys() if ta[s]["type"] == tb[s]["type"])
    for span in tboth:
        ra, rb = _arguments(a, ta[span]), _arguments(b, tb[span])
        for role, filler in sorted(ra ^ rb, key=lambda r: (r[1], r[0])):
            add(
                "argument",
                "only-a" if (role, filler) in ra else "only-b",
                span,
                role=role,
                filler=[filler[0], filler[1], _text(a, filler)],
            )
    xa, xb = _clusters(ta, "event"), _clusters(tb, "event")
    tset = set(tboth)
    for span in tboth:
        ma, mb = xa[span] & tset, xb[span] & tset
        if ma != mb:
            add(
                "event-coref",
                "cluster-differs",
                span,
                a=[_text(a, s) + f" [{s[0]},{s[1]}]" for s in sorted(ma - {span})],
                b=[_text(b, s) + f" [{s[0]},{s[1]}]" for s in sorted(mb - {span})],
            )
    return items


def check(items: list[dict[str, Any]], decisions: dict[str, Any], final: dict[str, Any]) -> list[str]:
    """Problems: an item without a decision or reason, or a final record that contradicts one."""
    problems: list[str] = []
    given = {d.get("item"): d for d in decisions.get("decisions", []) if isinstance(d, dict)}
    fe, ft = _entities(final), _triggers(final)
    for item in items:
        d = given.get(item["item"])
        if d is None:
            problems.append(f"{item['item']}: no decision")
            continue
        if d.get("decision") not in DECISIONS or not str(d.get("reason", "")).strip():
            problems.append(f"{item['item']}: decision must be one of {DECISIONS} with a reason")
            continue
        choice = d["decision"]
        if choice not in ("a", "b", "neither"):
            continue
        span = (item["span"][0], item["span"][1])
        want = None if choice == "neither" else item.get(choice)
        if item["layer"] == "entity":
            m = fe.get(span)
            got = {"type": m["type"], "kind": m["kind"]} if m else None
            if got != want:
                problems.append(f"{item['item']}: decided {choice} ({want}) but the final record has {got}")
        elif item["layer"] == "trigger":
            e = ft.get(span)
            got = {"type": e["type"], "realis": e["realis"]} if e else None
            if got != want:
                problems.append(f"{item['item']}: decided {choice} ({want}) but the final record has {got}")
        elif item["layer"] == "argument":
            e = ft.get(span)
            filler = (item["filler"][0], item["filler"][1])
            present = e is not None and (item["role"], filler) in _arguments(final, e)
            keep = (choice == "a") == (item["kind"] == "only-a") and choice != "neither"
            if present != keep:
                problems.append(
                    f"{item['item']}: decided {choice} for {item['role']}={item['filler'][2]!r} of "
                    f"{item['span'][2]!r}, but the final record {'has' if present else 'lacks'} it"
                )
    unknown = sorted(str(k) for k in given.keys() - {i["item"] for i in items})
    if unknown:
        problems.append(f"decisions for items that are not disagreements: {unknown}")
    return problems


def summary(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"total": len(items), "counts": dict(Counter(i["layer"] for i in items))}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("diff", help="list the disagreements of two passes")
    d.add_argument("pass_a", type=Path)
    d.add_argument("pass_b", type=Path)
    d.add_argument("--out", type=Path, required=True)
    c = sub.add_parser("check", help="check decisions and the adjudicated record against the disagreements")
    c.add_argument("disagreements", type=Path)
    c.add_argument("decisions", type=Path)
    c.add_argument("final", type=Path)
    args = p.parse_args(argv)
    if args.cmd == "diff":
        a, b = _load(args.pass_a), _load(args.pass_b)
        items = disagreements(a, b)
        write_json(
            args.out,
            {
                "doc_id": a["id"],
                "pass_a": str(args.pass_a),
                "pass_b": str(args.pass_b),
                **summary(items),
                "items": items,
            },
        )
        print(f"{a['id']}: {len(items)} disagreements {summary(items)['counts']} -> {args.out}")
        return 0
    dis = _load(args.disagreements)
    problems = check(dis["items"], _load(args.decisions), _load(args.final))
    for line in problems:
        print(f"{args.decisions}: {line}", file=sys.stderr)
    print(f"{dis['doc_id']}: {len(dis['items'])} items, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
