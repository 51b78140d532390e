"""Build: documents/s to parquet, and ``load_dataset`` of the release against ``pyarrow.parquet``.

In one run:

- ``build_project``: the ``newsevents build`` pipeline as a function (read and validate each
  record, then read each again and write every config and variant to parquet, card, Croissant,
  release.json, install the folders) over a temporary project whose ``corpus/`` is the generated
  corpus (the cleaner is replaced by reading it, as the build does without seeds);
- its two passes alone: ``collect`` (read, validate, keep the facts) and ``write_release`` (read
  each record again, derive the views, write both variants' files);
- loading the built release: ``datasets.load_dataset(folder, config)`` with an empty cache (it
  converts parquet to its Arrow cache) and again with the warm cache, against
  ``pyarrow.parquet.read_table`` of the same parquet files (the limit).

Usage:
    python bench/generate.py --n 10000 --out /tmp/ne-bench/g10k
    python bench/bench_build.py /tmp/ne-bench/g10k [--json] [--limit N]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import datasets
import pyarrow.parquet as pq
from benchlib import REPO, Row, json_files, parser, report, timed

from newsevents.build.card import read_card_inputs
from newsevents.build.collect import collect, corpus_records
from newsevents.build.meta import load_meta, redistributable
from newsevents.build.project import build_project, fewer_collections
from newsevents.build.release import folder_paths, split_order, write_release

PROJECT_FILES = ("dataset.toml", "DATASHEET.md", "CHANGELOG.md")


def make_project(work: Path, corpus: Path, limit: int | None) -> Path:
    """A throwaway project: the repository's release metadata and the generated records as corpus/."""
    root = work / "project"
    (root / "corpus").mkdir(parents=True)
    for name in PROJECT_FILES:
        shutil.copy2(REPO / name, root / name)
    # The generated records carry their annotations in corpus/ (there is no annotations/gold/):
    # release them as they are.
    toml = root / "dataset.toml"
    text = toml.read_text(encoding="utf-8")
    at = text.find("\n[")  # a top-level key goes before the first table
    at = len(text) if at < 0 else at + 1
    toml.write_text(text[:at] + "release_unannotated = true\n" + text[at:], encoding="utf-8")
    for f in json_files(corpus, limit):
        (root / "corpus" / f.name).symlink_to(f.resolve())
    return root


def run(corpus: Path, *, limit: int | None, repeat: int) -> tuple[list[Row], dict[str, object]]:
    corpus = corpus / "gold" if (corpus / "gold").is_dir() else corpus
    datasets.disable_progress_bars()
    with tempfile.TemporaryDirectory(prefix="ne-bench-build-") as tmp:
        work = Path(tmp)
        root = make_project(work, corpus, limit)
        n = len(list((root / "corpus").iterdir()))
        dist = work / "dist"
        t_build, result = timed(lambda: build_project(root, dist, cleaner=corpus_records))
        if result.errors or not result.installed:
            raise SystemExit(f"bench_build: the build failed: {result.errors[:3]}")
        variants = sorted(result.installed)
        rows = [
            Row("build_project (read, validate, render, install)", n, t_build, note=f"variants: {', '.join(variants)}")
        ]

        meta, inputs = load_meta(root), read_card_inputs(root)
        with fewer_collections():  # as build_project runs both passes
            t_collect, collected = timed(lambda: collect(root, corpus_records), repeat)
        rows.append(Row("collect: first pass (read, validate, keep facts)", n, t_collect))
        ordered = sorted(collected.facts, key=lambda f: split_order(f.split, f.id))
        standoff = any(not redistributable(f.license) for f in collected.facts)

        def second_pass() -> None:
            with tempfile.TemporaryDirectory(prefix="ne-bench-write-", dir=work) as out:
                folders = {v: Path(out) / v for v in (("full", "standoff") if standoff else ("full",))}
                for folder in folders.values():
                    folder.mkdir()
                with fewer_collections():
                    write_release(collected.iter_docs(ordered), folders, meta, inputs)

        t_write, _ = timed(second_pass, repeat)
        rows.append(Row("write_release: second pass (read, derive, write every variant)", n, t_write))

        folder = result.installed["full"].folder
        info: dict[str, object] = {
            "corpus": str(corpus),
            "release_bytes": sum((folder / p).stat().st_size for p in folder_paths(folder)),
            "parquet_files": [p for p in folder_paths(folder) if p.endswith(".parquet")],
        }
        rows_per_config: dict[str, int] = {}
        for config in ("documents", "sentences", "ner"):
            files = sorted((folder / "data" / config).glob("*.parquet"))
            t_pq, tables = timed(lambda fs=files: [pq.read_table(f) for f in fs], repeat)
            count = sum(t.num_rows for t in tables)
            rows_per_config[config] = count
            cache = work / f"hf-cache-{config}"
            t_cold, ds = timed(lambda c=config, d=cache: datasets.load_dataset(str(folder), c, cache_dir=str(d)))
            t_warm, ds = timed(
                lambda c=config, d=cache: datasets.load_dataset(str(folder), c, cache_dir=str(d)), repeat
            )
            got = sum(ds[s].num_rows for s in ds)
            if got != count:
                raise SystemExit(f"bench_build: load_dataset read {got} {config} rows, parquet has {count}")
            rows.append(Row(f"reference: pyarrow.parquet.read_table {config}", count, t_pq, unit="rows"))
            rows.append(
                Row(
                    f"load_dataset {config}, empty cache",
                    count,
                    t_cold,
                    unit="rows",
                    ratio=t_cold / t_pq,
                    reference="read_table (x slower)",
                )
            )
            rows.append(
                Row(
                    f"load_dataset {config}, warm cache",
                    count,
                    t_warm,
                    unit="rows",
                    ratio=t_warm / t_pq,
                    reference="read_table (x slower)",
                )
            )
        info["rows_per_config"] = rows_per_config
    return rows, info


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.split("\n\n")[0])
    p.add_argument("corpus", type=Path, help="generated corpus folder (with gold/) or a folder of records")
    p.add_argument("--limit", type=int, default=None, help="use the first N documents only")
    p.add_argument("--repeat", type=int, default=3, help="best of N runs for the in-memory and read rows (default 3)")
    args = p.parse_args(argv)
    rows, info = run(args.corpus, limit=args.limit, repeat=args.repeat)
    report("build", rows, as_json=args.json, info=info)
    return 0


if __name__ == "__main__":
    sys.exit(main())
