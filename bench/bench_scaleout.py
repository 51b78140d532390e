"""Scale-out: the stage functions under ``datasets.Dataset.map(num_proc=N)``, speed-up of 2 processes.

The stage functions are pure functions on records, so a user can fan them out with the tool they
already load the data with. In one run, over the same inputs:

- ``validate``: a dataset of record file paths; each batch reads and validates its files
  (``read_json`` + ``validate_record`` level 3) and returns the number of errors per file;
- ``clean`` (with ``--pages``): a dataset of raw page paths (e.g. ``cleaning-dev/html``); each batch
  cleans its pages (profile resolution + ``clean_page``) and returns text lengths;

each as a plain loop, then ``map`` with ``num_proc=1`` and ``num_proc=2``. The ratio is the speed-up of
``num_proc=2`` over ``num_proc=1``; on a 2-core machine it cannot exceed 2.

Usage:
    python bench/bench_scaleout.py /tmp/ne-bench/g10k --pages ../shared/cleaning-dev/html [--json]
"""

from __future__ import annotations

import gzip
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import datasets
from benchlib import Row, json_files, parser, report, timed
from datasets import Dataset

from newsevents.clean import clean_page
from newsevents.clean.corpus import resolve_profile
from newsevents.io import read_json
from newsevents.validate import validate_record

Batch = dict[str, list[Any]]


def validate_batch(batch: Batch) -> Batch:
    """Errors per record file: the validate stage as a ``map`` function."""
    errors = []
    for p in batch["path"]:
        loaded = read_json(Path(p))
        found = list(loaded.findings) or validate_record(loaded.value, file=p)
        errors.append(sum(1 for f in found if f.severity == "error"))
    return {"errors": errors}


def clean_batch(batch: Batch) -> Batch:
    """Characters of cleaned text per page (0: not cleaned): the clean stage as a ``map`` function."""
    chars = []
    for p in batch["path"]:
        path = Path(p)
        raw = path.read_bytes()
        name = path.name
        if name.endswith(".gz"):
            raw, name = gzip.decompress(raw), name[:-3]
        profile, _ = resolve_profile(None, raw)
        doc = clean_page(raw, name=name, profile=profile).document
        chars.append(len(doc.text) if doc else 0)
    return {"chars": chars}


def fan_out(name: str, paths: list[str], fn: Callable[[Batch], Batch], column: str, unit: str) -> list[Row]:
    ds = Dataset.from_dict({"path": paths})
    n = len(paths)
    for p in paths:  # warm the page cache: the plain loop runs first and must not pay for the disk alone
        Path(p).read_bytes()
    fn({"path": paths[:1]})  # first-call costs (imports, compiled validators) outside the timing
    t_loop, plain = timed(lambda: fn({"path": paths})[column])
    times = {}
    for procs in (1, 2):
        t, out = timed(
            lambda k=procs: ds.map(
                fn,
                batched=True,
                batch_size=max(1, n // 8),
                num_proc=k,
                load_from_cache_file=False,
                remove_columns=["path"],
            )
        )
        if out[column] != plain:
            raise SystemExit(f"bench_scaleout: {name} with num_proc={procs} gave other results than the plain loop")
        times[procs] = t
    speedup = times[1] / times[2]
    return [
        Row(f"{name}: plain loop", n, t_loop, unit=unit),
        Row(
            f"{name}: Dataset.map num_proc=1",
            n,
            times[1],
            unit=unit,
            ratio=t_loop / times[1],
            reference="plain loop (x as fast)",
        ),
        Row(
            f"{name}: Dataset.map num_proc=2",
            n,
            times[2],
            unit=unit,
            ratio=speedup,
            reference="num_proc=1 (speed-up)",
            target="> 1 (at most 2 on 2 cores)",
            met=speedup > 1.0,
        ),
    ]


def run(
    corpus: Path, pages: Path | None, *, limit: int | None, page_repeat: int = 1
) -> tuple[list[Row], dict[str, object]]:
    datasets.disable_progress_bars()
    folder = corpus / "gold" if (corpus / "gold").is_dir() else corpus
    records = [str(p) for p in json_files(folder, limit)]
    if not records:
        raise SystemExit(f"bench_scaleout: no records under {folder}")
    rows = fan_out("validate", records, validate_batch, "errors", "docs")
    info: dict[str, object] = {"records": str(folder)}
    if pages is not None:
        page_paths = sorted(str(p) for p in pages.iterdir() if p.name.endswith((".html", ".html.gz", ".txt")))[:limit]
        # Each page several times: a longer job amortises each worker's start-up (imports, lxml).
        page_paths = page_paths * max(1, page_repeat)
        rows += fan_out("clean", page_paths, clean_batch, "chars", "pages")
        info["pages"] = str(pages)
    return rows, info


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.split("\n\n")[0])
    p.add_argument("corpus", type=Path, help="generated corpus folder (with gold/) or a folder of records")
    p.add_argument("--pages", type=Path, default=None, help="a folder of raw pages to clean (e.g. cleaning-dev/html)")
    p.add_argument("--limit", type=int, default=None, help="first N records (and pages) only")
    p.add_argument("--page-repeat", type=int, default=1, help="clean each page K times (default 1)")
    args = p.parse_args(argv)
    rows, info = run(args.corpus, args.pages, limit=args.limit, page_repeat=args.page_repeat)
    report("scale-out", rows, as_json=args.json, info=info)
    return 0


if __name__ == "__main__":
    sys.exit(main())
