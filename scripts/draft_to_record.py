"""Turn an annotator's draft (mentions anchored by context) into a canonical record, and check it.

Annotators who work outside the browser (the AI-model passes of docs/annotation-report.md) write
their annotation as a *draft*: every mention is given by a context string that occurs exactly
once in the document's cleaned text, with the mention itself marked by ``[[`` and ``]]``, instead
of by code-point offsets that are easy to miscount:

    {"doc_id": "wikinews-2015-05-18-asylum",
     "entities": [
       {"id": "m1", "ctx": "Over 900 [[asylum seekers]] rescued", "type": "PER", "kind": "NOM", "entity": "seekers"}],
     "events": [
       {"id": "t1", "ctx": "asylum seekers [[rescued]] off", "type": "Movement:Transport", "realis": "actual",
        "event": "rescue", "arguments": [{"role": "Artifact", "mention": "m1"}]}]}

Without ``[[ ]]`` the whole ``ctx`` is the span. ``entity`` and ``event`` are free cluster
labels; arguments name entity draft ids. This script finds the offsets, numbers the mentions in
text order (``e1``..., ``v1``...; a cluster is named after its first mention), lays them over the
document's record from ``corpus/``, and validates the result with every level of
``newsevents validate``. Problems are printed with the draft item they come from.

    .venv/bin/python scripts/draft_to_record.py DRAFT.json --out RECORD.json
    .venv/bin/python scripts/draft_to_record.py DRAFT.json            # check only

Exit codes: 0 written (or valid), 1 the draft has problems, 2 usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from newsevents.io import write_json
from newsevents.resources import project_root
from newsevents.validate import validate_record

OPEN, CLOSE = "[[", "]]"


def locate(text: str, ctx: str) -> tuple[int, int] | str:
    """The span ``ctx`` marks in ``text``, or why it cannot be found."""
    if not isinstance(ctx, str) or not ctx:
        return "ctx must be a non-empty string"
    if ctx.count(OPEN) > 1 or ctx.count(CLOSE) > 1 or (OPEN in ctx) != (CLOSE in ctx):
        return "ctx must mark the span with one [[ and one ]] (or none: then the whole ctx is the span)"
    if OPEN in ctx:
        i, j = ctx.index(OPEN), ctx.index(CLOSE)
        if j < i:
            return "]] comes before [["
        before, span, after = ctx[:i], ctx[i + 2 : j], ctx[j + 2 :]
    else:
        before, span, after = "", ctx, ""
    if not span.strip():
        return "the marked span is empty"
    plain = before + span + after
    hits = []
    start = text.find(plain)
    while start != -1:
        hits.append(start)
        start = text.find(plain, start + 1)
    if not hits:
        return f"ctx {plain!r} does not occur in the text (check spelling, quotes and dashes)"
    if len(hits) > 1:
        return f"ctx {plain!r} occurs {len(hits)} times; lengthen it until it occurs once"
    s = hits[0] + len(before)
    return s, s + len(span)


def convert(draft: dict[str, Any], doc: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    text: str = doc["text"]
    problems: list[str] = []
    ents: list[dict[str, Any]] = []
    for i, m in enumerate(draft.get("entities", [])):
        where = f"entities[{i}] ({m.get('id')})"
        span = locate(text, m.get("ctx", ""))
        if isinstance(span, str):
            problems.append(f"{where}: {span}")
            continue
        ents.append({**m, "_span": span})
    evs: list[dict[str, Any]] = []
    for i, e in enumerate(draft.get("events", [])):
        where = f"events[{i}] ({e.get('id')})"
        span = locate(text, e.get("ctx", ""))
        if isinstance(span, str):
            problems.append(f"{where}: {span}")
            continue
        evs.append({**e, "_span": span})
    draft_ids = [m.get("id") for m in draft.get("entities", [])] + [e.get("id") for e in draft.get("events", [])]
    dupes = {i for i in draft_ids if draft_ids.count(i) > 1}
    if dupes:
        problems.append(f"draft ids used twice: {sorted(map(str, dupes))}")
    ents.sort(key=lambda m: (m["_span"][0], -m["_span"][1]))
    evs.sort(key=lambda e: (e["_span"][0], -e["_span"][1]))
    new_id = {m["id"]: f"e{k}" for k, m in enumerate(ents, start=1)}
    new_ev = {e["id"]: f"v{k}" for k, e in enumerate(evs, start=1)}
    ent_cluster: dict[str, str] = {}
    for m in ents:
        ent_cluster.setdefault(str(m.get("entity") or m["id"]), "c-" + new_id[m["id"]])
    ev_cluster: dict[str, str] = {}
    for e in evs:
        ev_cluster.setdefault(str(e.get("event") or e["id"]), "x-" + new_ev[e["id"]])
    mentions = [
        {
            "id": new_id[m["id"]],
            "start": m["_span"][0],
            "end": m["_span"][1],
            "text": text[m["_span"][0] : m["_span"][1]],
            "type": m.get("type"),
            "kind": m.get("kind"),
            "entity": ent_cluster[str(m.get("entity") or m["id"])],
        }
        for m in ents
    ]
    events = []
    for e in evs:
        args = []
        for a in e.get("arguments", []):
            target = new_id.get(a.get("mention"))
            if target is None:
                problems.append(f"event {e['id']}: argument {a} names no entity of the draft")
                continue
            args.append({"role": a.get("role"), "mention": target})
        events.append(
            {
                "id": new_ev[e["id"]],
                "type": e.get("type"),
                "trigger": {"start": e["_span"][0], "end": e["_span"][1], "text": text[e["_span"][0] : e["_span"][1]]},
                "realis": e.get("realis"),
                "event": ev_cluster[str(e.get("event") or e["id"])],
                "arguments": args,
            }
        )
    record = {k: v for k, v in doc.items() if k not in ("entity_mentions", "event_mentions", "provenance")}
    record["entity_mentions"] = mentions
    record["event_mentions"] = events
    problems.extend(f"validate: {f}" for f in validate_record(record))
    return record, problems


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("draft", type=Path)
    p.add_argument("--out", type=Path, help="write the canonical record here (only when it has no problem)")
    p.add_argument("--corpus", type=Path, help="folder of cleaned records (default: corpus/ of the project)")
    args = p.parse_args(argv)
    try:
        draft = json.loads(args.draft.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        print(f"draft_to_record: {args.draft}: {exc}", file=sys.stderr)
        return 1
    corpus = args.corpus or project_root() / "corpus"
    doc_path = corpus / f"{draft.get('doc_id')}.json"
    if not doc_path.is_file():
        print(f"draft_to_record: no cleaned record {doc_path} for doc_id {draft.get('doc_id')!r}", file=sys.stderr)
        return 2
    doc = json.loads(doc_path.read_text(encoding="utf-8"))
    record, problems = convert(draft, doc)
    for line in problems:
        print(f"{args.draft}: {line}", file=sys.stderr)
    n_args = sum(len(e["arguments"]) for e in record["event_mentions"])
    print(
        f"{args.draft}: {len(record['entity_mentions'])} entity mentions in "
        f"{len({m['entity'] for m in record['entity_mentions']})} entities, {len(record['event_mentions'])} event "
        f"mentions in {len({e['event'] for e in record['event_mentions']})} events, {n_args} arguments; "
        f"{len(problems)} problem(s)"
    )
    if problems:
        return 1
    if args.out:
        write_json(args.out, record)
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
