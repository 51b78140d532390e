"""Clean and validate many files on a Dask cluster (the example of ``docs/scaling.md``).

The stage functions are pure, so a cluster only has to hand each worker a list of paths: every task
reads its files, runs ``clean_page`` or ``validate_record``, writes its outputs next to the others
(atomic per file) and returns a small summary (id, error count, first error). The client never
holds the records, so its memory stays flat however many pages there are.

Usage (a local single-machine cluster; pass ``--scheduler tcp://host:8786`` for a real one):
    python bench/dask_pipeline.py clean ../shared/cleaning-dev/html --out /tmp/ne-clean --workers 2
    python bench/dask_pipeline.py validate /tmp/ne-clean --workers 2

Needs ``dask[distributed]`` (``pip install "newsevents[bench]"``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsevents.clean import clean_page, doc_id_for
from newsevents.clean.corpus import resolve_profile
from newsevents.io import iter_json_files, read_json, write_json
from newsevents.validate import validate_record

PAGE_SUFFIXES = (".txt", ".html", ".htm", ".html.gz", ".htm.gz", ".txt.gz")


def clean_one(path: str, out: str) -> dict[str, Any]:
    """Clean one page into ``out/<id>.json`` and validate the record; a summary comes back."""
    p = Path(path)
    raw = p.read_bytes()
    name = p.name
    if name.lower().endswith(".gz"):
        raw, name = gzip.decompress(raw), name[:-3]
    profile, findings = resolve_profile(None, raw)
    result = clean_page(raw, name=name, profile=profile)
    found = [*findings, *result.findings]
    doc_id = doc_id_for(name)
    if result.document is not None:
        record = result.document.to_dict()
        found += validate_record(record, file=path)
        write_json(Path(out) / f"{doc_id}.json", record)
    errors = [f for f in found if f.severity == "error"]
    return {
        "id": doc_id,
        "ok": result.document is not None and not errors,
        "errors": len(errors),
        "first": str(errors[0]) if errors else None,
    }


def validate_one(path: str) -> dict[str, Any]:
    """Every finding of one record file, summarised."""
    loaded = read_json(Path(path))
    found = list(loaded.findings)
    if not found:
        values = loaded.value if isinstance(loaded.value, list) else [loaded.value]
        for rec in values:
            found += validate_record(rec, file=path)
    errors = [f for f in found if f.severity == "error"]
    return {"id": Path(path).stem, "ok": not errors, "errors": len(errors), "first": str(errors[0]) if errors else None}


def pages_under(folder: Path) -> Iterator[str]:
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.name.lower().endswith(PAGE_SUFFIXES):
            yield str(p)


def run(
    command: str, inputs: Path, *, out: Path | None, workers: int, scheduler: str | None, partitions: int | None
) -> dict[str, Any]:
    """Run ``clean`` or ``validate`` over ``inputs`` on a cluster; returns the totals and failures."""
    import dask.bag as db  # noqa: PLC0415 - optional dependency (the bench extra)
    from dask.distributed import Client, LocalCluster  # noqa: PLC0415

    paths = list(pages_under(inputs)) if command == "clean" else [str(p) for p in iter_json_files([inputs])]
    started = time.perf_counter()
    cluster = (
        None
        if scheduler
        else LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    )
    try:
        with Client(scheduler or cluster) as client:
            nparts = partitions or max(1, min(len(paths), 4 * workers))
            bag = db.from_sequence(paths, npartitions=nparts)
            if command == "clean":
                if out is None:
                    raise SystemExit("dask_pipeline: clean needs --out")
                summaries = bag.map(clean_one, str(out)).compute(scheduler=client)
            else:
                summaries = bag.map(validate_one).compute(scheduler=client)
    finally:
        if cluster is not None:
            cluster.close()
    failed = [s for s in summaries if not s["ok"]]
    return {
        "command": command,
        "files": len(paths),
        "ok": len(paths) - len(failed),
        "failed": failed,
        "workers": workers if scheduler is None else "external",
        "seconds": round(time.perf_counter() - started, 2),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("command", choices=("clean", "validate"))
    p.add_argument("inputs", type=Path, help="folder of raw pages (clean) or of records (validate)")
    p.add_argument("--out", type=Path, help="output folder for clean")
    p.add_argument("--workers", type=int, default=2, help="local cluster worker processes (default 2)")
    p.add_argument("--scheduler", help="address of an existing Dask scheduler instead of a local cluster")
    p.add_argument("--partitions", type=int, help="tasks to split the input into (default 4 per worker)")
    args = p.parse_args(argv)
    result = run(
        args.command,
        args.inputs,
        out=args.out,
        workers=args.workers,
        scheduler=args.scheduler,
        partitions=args.partitions,
    )
    print(json.dumps(result))
    return 0 if not result["failed"] else 1


if __name__ == "__main__":
    sys.exit(main())
