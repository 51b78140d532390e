"""Every baseline scored on a release's split, with document-bootstrap intervals: one markdown table.

    .venv/bin/python scripts/baseline_table.py [RELEASE] [--split test] [--spacy MODEL ...] [--bootstrap 1000]

RELEASE is a built release folder (default ``dist/newsevents-<version of dataset.toml>``, written by
``newsevents build``). The gold is the ``documents`` config of the split, loaded offline with
``datasets``; each baseline predicts every document and is scored by the evaluate stage (the
lexicon baseline always, each ``--spacy MODEL`` when that pipeline is installed), exactly as

    newsevents baseline --out DIR GOLD && newsevents evaluate GOLD DIR

would score it. The table gives P, R and F1 with the F1 interval; the lines above it say what was
scored (release, split, documents, bootstrap) so the table never travels without its setting.
"""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
from pathlib import Path
from typing import Any

ROWS = (
    ("entities, strict (span + type)", "entities.strict"),
    ("entities, exact (span)", "entities.exact"),
    ("entities, partial (overlap, half credit)", "entities.partial"),
    ("entities, type (overlap + type)", "entities.type"),
    ("entities, BIO chunks (CoNLL)", "entities.bio"),
    ("events, Trig-I", "events.trig_i"),
    ("events, Trig-C", "events.trig_c"),
    ("events, Arg-I", "events.arg_i"),
    ("events, Arg-C", "events.arg_c"),
    ("events, Arg-I+ (trigger matched too)", "events.arg_i+"),
    ("events, Arg-C+ (trigger matched too)", "events.arg_c+"),
)


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}"


def gold_of(release: Path, split: str) -> list[Any]:
    """The split's documents as :class:`newsevents.records.Document` (the ``documents`` config)."""
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    from datasets import load_dataset  # noqa: PLC0415 - after the offline switch

    from newsevents.build.views import row_to_record  # noqa: PLC0415
    from newsevents.records import Document  # noqa: PLC0415

    ds = load_dataset(str(release), "documents", split=split)
    return [Document.from_dict(row_to_record(row, ds.features)) for row in ds]


def table(release: Path, split: str, spacy_models: list[str], bootstrap_n: int, seed: int) -> str:
    from newsevents.evaluate import evaluate_documents  # noqa: PLC0415
    from newsevents.evaluate.baselines import BaselineUnavailableError, run_baseline  # noqa: PLC0415

    gold = sorted(gold_of(release, split), key=lambda d: d.id)
    systems: list[tuple[str, dict[str, Any]]] = []
    notes = []
    for model in [None, *spacy_models]:
        try:
            preds, system = run_baseline(gold, spacy_model=model)
        except BaselineUnavailableError as exc:
            notes.append(f"`spacy:{model}` not scored: {exc}")
            continue
        res = evaluate_documents(gold, preds, bootstrap_n=bootstrap_n, seed=seed, max_errors=0)
        systems.append((system, res))
    n = len(gold)
    lines = [
        f"Release `{release.name}`, split `{split}`: {n} document(s), {sum(len(d.entity_mentions) for d in gold)} "
        f"entity mentions, {sum(len(d.event_mentions) for d in gold)} event mentions. Intervals: {bootstrap_n} "
        f"document-bootstrap resamples, seed {seed}, 95 % percentile"
        + (" (one document: nothing to resample, the interval is the point)." if n == 1 else "."),
        "Command: `.venv/bin/python scripts/baseline_table.py "
        + " ".join([str(release), "--split", split, *(f"--spacy {m}" for m in spacy_models)])
        + "`.",
        *notes,
        "",
        "| system | metric | P % | R % | F1 % | F1 95 % interval |",
        "|---|---|--:|--:|--:|--:|",
    ]
    for system, res in systems:
        for name, key in ROWS:
            m = res["metrics"].get(key)
            if m is None:
                continue
            ci = m.get("ci", {}).get("f1")
            interval = f"[{_pct(ci[0])}, {_pct(ci[1])}]" if ci else "-"
            lines.append(
                f"| {system} | {name} | {_pct(m['precision'])} | {_pct(m['recall'])} | {_pct(m['f1'])} | {interval} |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    root = Path(__file__).resolve().parent.parent
    version = tomllib.loads((root / "dataset.toml").read_text(encoding="utf-8"))["version"]
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("release", nargs="?", type=Path, default=root / "dist" / f"newsevents-{version}")
    p.add_argument("--split", default="test")
    p.add_argument("--spacy", action="append", default=[], metavar="MODEL", help="also score this spaCy pipeline")
    p.add_argument("--bootstrap", type=int, default=1000)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    if not (args.release / "README.md").is_file():
        print(f"baseline_table: no release at {args.release}: run `newsevents build` first", file=sys.stderr)
        return 2
    sys.stdout.write(table(args.release, args.split, args.spacy, args.bootstrap, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
