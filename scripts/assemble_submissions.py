"""Gather finished drafts into what ``scripts/gold_session.sh`` posts, and the adjudication logs.

    .venv/bin/python scripts/assemble_submissions.py DRAFTS SUBMISSIONS [DOC_ID ...]

DRAFTS is the annotators' working folder: ``pass-a/<id>.json`` and ``pass-b/<id>.json`` (the two
independent passes), ``adjudication/<id>/final.json`` (the adjudicated draft),
``adjudication/<id>/decisions.json`` (every decision with its reason) and
``adjudication/<id>/disagreements.json`` (from ``scripts/adjudication.py diff``). For each document
whose three drafts exist (or each DOC_ID given), this script

1. converts the three drafts to canonical records (``scripts/draft_to_record.py``: offsets from the
   context anchors, every validator level) and writes them as
   ``SUBMISSIONS/<id>/{annotator-a,annotator-b,adjudicator}.json``;
2. recomputes the disagreements of the two passes and checks that the decisions cover every one
   and that the adjudicated record follows them (``scripts/adjudication.py check``);
3. writes the adjudication log into ``annotations/adjudication/<id>/``: ``disagreements.json``,
   ``decisions.json`` and ``notes.json`` (the annotators' own notes on cases the guidelines did not
   decide).

Nothing is written for a document with a problem; the exit code is 1 if any document had one.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from adjudication import check, disagreements, summary
from draft_to_record import convert

from newsevents.io import write_json
from newsevents.resources import project_root

ACCOUNTS = {
    "annotator-a": "pass-a/{id}.json",
    "annotator-b": "pass-b/{id}.json",
    "adjudicator": "adjudication/{id}/final.json",
}


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def assemble(drafts: Path, out: Path, root: Path, doc_id: str) -> list[str]:
    doc = _read(root / "corpus" / f"{doc_id}.json")
    records: dict[str, dict[str, Any]] = {}
    notes: dict[str, Any] = {}
    problems: list[str] = []
    for account, pattern in ACCOUNTS.items():
        path = drafts / pattern.format(id=doc_id)
        if not path.is_file():
            return [f"{doc_id}: no {path}"]
        draft = _read(path)
        record, found = convert(draft, doc)
        problems += [f"{doc_id} {account}: {p}" for p in found]
        records[account] = record
        notes[account] = draft.get("notes", [])
    decisions_path = drafts / "adjudication" / doc_id / "decisions.json"
    if not decisions_path.is_file():
        return [*problems, f"{doc_id}: no {decisions_path}"]
    decisions = _read(decisions_path)
    items = disagreements(records["annotator-a"], records["annotator-b"])
    problems += [f"{doc_id} adjudication: {p}" for p in check(items, decisions, records["adjudicator"])]
    if problems:
        return problems
    for account, record in records.items():
        write_json(out / doc_id / f"{account}.json", record)
    log = root / "annotations" / "adjudication" / doc_id
    write_json(
        log / "disagreements.json",
        {"doc_id": doc_id, "pass_a": "annotator-a", "pass_b": "annotator-b", **summary(items), "items": items},
    )
    write_json(log / "decisions.json", decisions)
    write_json(log / "notes.json", {"doc_id": doc_id, "notes": notes})
    return []


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("drafts", type=Path)
    p.add_argument("submissions", type=Path)
    p.add_argument("doc_ids", nargs="*")
    args = p.parse_args(argv)
    root = project_root()
    ids = args.doc_ids or sorted(
        d.name for d in (args.drafts / "adjudication").iterdir() if (d / "final.json").is_file()
    )
    failed = 0
    for doc_id in ids:
        problems = assemble(args.drafts, args.submissions, root, doc_id)
        for line in problems:
            print(line, file=sys.stderr)
        failed += bool(problems)
        print(f"{doc_id}: {'problems, nothing written' if problems else 'assembled'}")
    print(f"{len(ids) - failed} of {len(ids)} documents assembled into {args.submissions}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
