"""Memory: peak RSS of validate, build and evaluate, beside the size of one copy of the corpus.

Each measurement runs in a child process of its own (``ru_maxrss`` is a per-process high-water
mark), over the same generated corpus:

- ``baseline``: the interpreter with the stage modules imported, no data;
- ``corpus copy (gold)`` and ``corpus copy (gold + pred)``: every record read and held as
  :class:`newsevents.records.Document` objects, nothing else: one copy of the corpus in memory;
- ``validate``: ``validate_paths`` level 3 over the gold folder;
- ``build``: ``build_project`` over a temporary project whose ``corpus/`` is the gold folder;
- ``evaluate``: ``evaluate_paths`` (bootstrap 1000) of pred against gold, streaming as the CLI does;
- ``compare`` (only when asked, ``--stages compare``): ``compare_paths`` (bootstrap 1000) of pred
  against itself as systems A and B on gold, streaming as ``newsevents compare`` does; measured
  against one copy of gold + pred, like ``evaluate``.

The check per stage: (peak - baseline) / (one copy - baseline), the number of corpus copies the
stage holds at its peak; the issue asks for at most one. A child may be given an address-space
limit (``--mem-limit-gib``) so a stage that cannot fit fails alone instead of pressing the machine.

Usage:
    python bench/bench_memory.py /tmp/ne-bench/g10k [--json] [--limit N] [--stages validate,build,evaluate,compare]
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchlib import Row, json_files, parser, peak_rss_mib, report

STAGES = ("validate", "build", "evaluate")
OPTIONAL_STAGES = ("compare",)
TARGET_COPIES = 1.0


def child(stage: str, corpus: Path, limit: int | None) -> dict[str, Any]:
    """Run one measurement in this process; returns facts, the peak RSS among them."""
    import newsevents.build.project  # noqa: PLC0415 - the baseline includes every stage's imports
    import newsevents.evaluate  # noqa: PLC0415
    import newsevents.evaluate.stream  # noqa: PLC0415
    import newsevents.validate  # noqa: PLC0415, F401
    from newsevents.records import Document  # noqa: PLC0415

    gold_files = json_files(corpus / "gold", limit)
    pred_files = json_files(corpus / "pred", limit)
    start = time.perf_counter()
    facts: dict[str, Any] = {"documents": len(gold_files)}
    if stage.startswith("corpus"):
        files = gold_files + (pred_files if stage == "corpus-pair" else [])
        held = [Document.from_dict(json.loads(f.read_bytes())) for f in files]
        facts["records"] = len(held)
    elif stage == "validate":
        from newsevents.validate import validate_paths  # noqa: PLC0415

        rep = validate_paths(gold_files, levels=3)
        facts["records"], facts["errors"] = rep.records, len(rep.errors)
    elif stage == "build":
        from bench_build import make_project  # noqa: PLC0415

        from newsevents.build.collect import corpus_records  # noqa: PLC0415
        from newsevents.build.project import build_project  # noqa: PLC0415

        with tempfile.TemporaryDirectory(prefix="ne-bench-mem-") as tmp:
            root = make_project(Path(tmp), corpus / "gold", limit)
            result = build_project(root, Path(tmp) / "dist", cleaner=corpus_records)
            facts["errors"] = len(result.errors)
            facts["variants"] = sorted(result.installed)
    elif stage == "evaluate":
        from newsevents.evaluate.stream import evaluate_paths  # noqa: PLC0415

        # What `newsevents evaluate GOLD PRED` runs: streaming, bootstrap 1000, listing bounded.
        done = evaluate_paths(gold_files, pred_files, bootstrap_n=1000)
        if done.result is None:
            raise SystemExit(f"bench_memory: evaluate found errors: {done.findings[:3]}")
        facts["errors_listed"] = len(done.result["errors"])
        facts["errors_total"] = done.result["error_counts"]["total"]
        facts["predictions_held_max"] = done.held_max
        facts["prediction_rereads"] = done.rereads
    elif stage == "compare":
        from newsevents.evaluate.stream import compare_paths  # noqa: PLC0415

        # What `newsevents compare GOLD A B` runs, with PRED as both systems (two readers of it).
        done = compare_paths(gold_files, pred_files, pred_files, bootstrap_n=1000)
        if done.result is None:
            raise SystemExit(f"bench_memory: compare found errors: {done.findings[:3]}")
        facts["metrics"] = len(done.result["metrics"])
        facts["predictions_held_max"] = done.held_max
        facts["prediction_rereads"] = done.rereads
    elif stage != "baseline":
        raise SystemExit(f"bench_memory: unknown stage {stage!r}")
    facts["seconds"] = time.perf_counter() - start
    facts["peak_rss_mib"] = peak_rss_mib()
    return facts


def measure(stage: str, corpus: Path, limit: int | None, mem_limit_gib: float | None) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", stage, str(corpus)]
    if limit:
        cmd += ["--limit", str(limit)]

    def cap() -> None:
        if mem_limit_gib:
            size = int(mem_limit_gib * 1024**3)
            resource.setrlimit(resource.RLIMIT_AS, (size, size))

    run = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=cap, check=False)
    if run.returncode != 0:
        tail = run.stderr.strip().splitlines()[-1:] or ["(no message)"]
        return {"failed": True, "returncode": run.returncode, "message": tail[0]}
    facts: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return facts


def run(
    corpus: Path, *, limit: int | None, stages: list[str], mem_limit_gib: float | None, copy_sample: int | None = None
) -> tuple[list[Row], dict[str, Any]]:
    gold_files = json_files(corpus / "gold", limit)
    if not gold_files:
        raise SystemExit(f"bench_memory: no records under {corpus / 'gold'} (bench/generate.py)")
    n = len(gold_files)
    disk_gold = sum(f.stat().st_size for f in gold_files)
    disk_pred = sum(f.stat().st_size for f in json_files(corpus / "pred", limit))
    base = measure("baseline", corpus, limit, mem_limit_gib)
    # At 100k documents one copy may not fit in memory: measure it on a sample and scale linearly.
    sample = copy_sample if copy_sample and copy_sample < n else n

    def copy(stage: str) -> dict[str, Any]:
        facts = measure(stage, corpus, sample, mem_limit_gib)
        if sample < n and not facts.get("failed"):
            scale = n / sample
            facts["peak_rss_mib"] = base["peak_rss_mib"] + (facts["peak_rss_mib"] - base["peak_rss_mib"]) * scale
            facts["seconds"] *= scale
            facts["estimated_from"] = sample
        return facts

    copy_gold = copy("corpus-gold")
    need_pair = "evaluate" in stages or "compare" in stages
    copy_pair = copy("corpus-pair") if need_pair else None
    rows = [
        Row("baseline (stage modules imported)", 0, base["seconds"], note=f"peak {base['peak_rss_mib']:.0f} MiB"),
    ]
    info: dict[str, Any] = {
        "corpus": str(corpus),
        "documents": n,
        "gold_on_disk_bytes": disk_gold,
        "pred_on_disk_bytes": disk_pred,
        "gold_on_disk_mib": round(disk_gold / 2**20, 1),
        "pred_on_disk_mib": round(disk_pred / 2**20, 1),
        "baseline_mib": round(base["peak_rss_mib"], 1),
    }

    def held(facts: dict[str, Any]) -> float:
        return float(facts["peak_rss_mib"]) - float(base["peak_rss_mib"])

    for name, facts in (("gold", copy_gold), ("gold + pred", copy_pair)):
        if facts is None:
            continue
        if facts.get("failed"):
            rows.append(Row(f"one corpus copy ({name})", n, 0.0, note=f"FAILED: {facts['message']}"))
            continue
        info[f"one_copy_{name.replace(' + ', '_')}_mib"] = round(held(facts), 1)
        estimated = f" (scaled from the first {facts['estimated_from']} documents)" if "estimated_from" in facts else ""
        rows.append(
            Row(
                f"one corpus copy ({name}) as Documents",
                n,
                facts["seconds"],
                note=f"peak {facts['peak_rss_mib']:.0f} MiB, held {held(facts):.0f} MiB{estimated}",
            )
        )
    for stage in stages:
        facts = measure(stage, corpus, limit, mem_limit_gib)
        ref = copy_pair if stage in ("evaluate", "compare") else copy_gold
        if facts.get("failed") or ref is None or ref.get("failed"):
            rows.append(
                Row(
                    stage,
                    n,
                    0.0,
                    target="<= 1 copy",
                    met=False,
                    note=f"FAILED: {facts.get('message', 'reference copy failed')}",
                )
            )
            continue
        copies = held(facts) / held(ref) if held(ref) > 0 else float("inf")
        rows.append(
            Row(
                f"{stage} peak RSS",
                n,
                facts["seconds"],
                ratio=copies,
                reference="corpus copies held",
                target=f"<= {TARGET_COPIES:g} copy",
                met=copies <= TARGET_COPIES,
                note=f"peak {facts['peak_rss_mib']:.0f} MiB, held {held(facts):.0f} MiB above baseline",
                extra={"peak_rss_mib": round(facts["peak_rss_mib"], 1)},
            )
        )
    return rows, info


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.split("\n\n")[0])
    p.add_argument("corpus", type=Path, help="generated corpus folder (gold/, and pred/ for evaluate)")
    p.add_argument("--limit", type=int, default=None, help="first N documents only")
    p.add_argument(
        "--stages", default=",".join(STAGES), help=f"comma-separated subset of {','.join(STAGES + OPTIONAL_STAGES)}"
    )
    p.add_argument("--mem-limit-gib", type=float, default=None, help="address-space limit per child (GiB)")
    p.add_argument(
        "--copy-sample", type=int, default=None, help="measure one corpus copy on the first N documents and scale it"
    )
    p.add_argument("--child", metavar="STAGE", help=argparse_hidden())
    args = p.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.corpus, args.limit)))
        return 0
    stages = [s for s in args.stages.split(",") if s]
    unknown = sorted(set(stages) - set(STAGES + OPTIONAL_STAGES))
    if unknown:
        p.error(f"unknown stages {unknown}")
    rows, info = run(
        args.corpus, limit=args.limit, stages=stages, mem_limit_gib=args.mem_limit_gib, copy_sample=args.copy_sample
    )
    report("memory", rows, as_json=args.json, info=info)
    return 0


def argparse_hidden() -> str:
    import argparse  # noqa: PLC0415

    return argparse.SUPPRESS


if __name__ == "__main__":
    sys.exit(main())
