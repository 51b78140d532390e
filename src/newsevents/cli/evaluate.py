"""``newsevents evaluate``, ``compare``, ``agreement`` and ``baseline``: the evaluate stage.

Exit codes: 0 scores printed; 1 data errors (invalid records, unknown documents, changed texts:
no scores are printed, only the findings); 2 usage or environment errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from newsevents.cli import EXIT_FINDINGS, EXIT_OK, UsageError
from newsevents.records import Finding, Severity

FORMATS = ("text", "json", "markdown")
# newsevents.evaluate.formats.FORMATS, repeated here so that --help imports no stage.
PRED_FORMATS = ("records", "sentences", "bio", "spacy")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "evaluate",
        help="score predictions against gold records (entities, events, intervals)",
        description="Score PRED against GOLD: entity mentions (strict, exact, partial, type, BIO), events "
        "(Trig-I/C, Arg-I/C, Arg-I+/C+), per type, kind and role, with document-bootstrap intervals, "
        "confusion matrices and an error listing. Rules: docs/evaluation.md.",
    )
    p.add_argument("gold", type=Path, metavar="GOLD", help="gold record file or folder")
    p.add_argument("pred", type=Path, metavar="PRED", help="prediction file or folder (see --pred-format)")
    _common(p)
    p.add_argument(
        "--errors",
        type=int,
        default=1000,
        metavar="N",
        help="errors listed with context in the report, first by document id and offset (default 1000; 0 = none)",
    )
    p.add_argument(
        "--errors-out",
        type=Path,
        metavar="FILE",
        help="write every error (with context) to FILE as JSON Lines (replaced only when scoring succeeds)",
    )
    p.set_defaults(func=run_evaluate)

    c = sub.add_parser(
        "compare",
        help="compare two systems on the same gold with a paired bootstrap test",
        description="F1 of systems A and B on GOLD, their difference, its interval and a paired-bootstrap p-value.",
    )
    c.add_argument("gold", type=Path, metavar="GOLD")
    c.add_argument("pred_a", type=Path, metavar="A")
    c.add_argument("pred_b", type=Path, metavar="B")
    _common(c)
    c.set_defaults(func=run_compare)

    a = sub.add_parser(
        "agreement",
        help="inter-annotator agreement over annotator passes",
        description="Pairwise F1 per layer, coreference (MUC, B-cubed, links) and Cohen's kappa on tokens over "
        "canonical records of several annotators (layout PASSES/<doc-id>/<annotator>.json).",
    )
    a.add_argument(
        "passes", type=Path, nargs="?", metavar="PASSES", help="folder of passes (default annotations/passes)"
    )
    a.add_argument("--format", choices=FORMATS, default="text", help="output format (default text)")
    a.set_defaults(func=run_agreement)

    b = sub.add_parser(
        "baseline",
        help="write predictions of a baseline system (lexicon rules, or a spaCy pipeline)",
        description="Run a baseline over records (gold or corpus) and write one prediction record per document.",
    )
    b.add_argument("inputs", type=Path, nargs="+", metavar="GOLD_OR_CORPUS", help="record files or folders")
    b.add_argument("--out", type=Path, help="output folder (default predictions/<system>)")
    b.add_argument(
        "--spacy", metavar="MODEL", help="use the installed spaCy pipeline MODEL instead of the lexicon baseline"
    )
    b.set_defaults(func=run_baseline)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, default="text", help="output format (default text)")
    p.add_argument("--coref", action="store_true", help="also score arguments by gold entity cluster (WikiEvents)")
    p.add_argument(
        "--bootstrap", type=int, default=1000, metavar="N", help="bootstrap resamples (default 1000; 0 = none)"
    )
    p.add_argument("--seed", type=int, default=0, metavar="S", help="bootstrap seed (default 0)")
    p.add_argument("--confidence", type=float, default=0.95, help="interval confidence (default 0.95)")
    p.add_argument(
        "--pred-format",
        choices=PRED_FORMATS,
        help="records (canonical JSON), sentences (rows of the sentences config: .jsonl/.json/.parquet), "
        "bio (rows of the ner config, or CoNLL 'token tag' files), spacy (.spacy DocBin); default: detected",
    )
    p.add_argument(
        "--spans-key",
        metavar="KEY",
        help="with --pred-format spacy: read entities from the span group KEY instead of doc.ents",
    )


def _check(args: argparse.Namespace, paths: Sequence[Path]) -> None:
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    if getattr(args, "bootstrap", 0) < 0:
        raise UsageError(f"--bootstrap must be >= 0, found {args.bootstrap}")
    if not 0 < getattr(args, "confidence", 0.5) < 1:
        raise UsageError(f"--confidence must be between 0 and 1, found {args.confidence}")


def _print_findings(findings: Sequence[Finding]) -> None:
    for f in findings:
        print(str(f), file=sys.stderr)


def _errors(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == Severity.ERROR.value]


def _emit(obj: dict[str, Any], text: str, fmt: str) -> None:
    if fmt == "json":
        json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        sys.stdout.write(text)


@contextmanager
def _errors_out_writable(path: Path | None) -> Iterator[None]:
    """An OSError while scoring can only come from writing ``--errors-out`` (records are read
    through findings): a usage or environment error naming the file, not a traceback."""
    try:
        yield
    except OSError as exc:
        if path is None:
            raise
        raise UsageError(f"--errors-out {path}: cannot write it ({exc.strerror or exc})") from exc


@contextmanager
def _optional_extra() -> Iterator[None]:
    """A prediction format whose optional extra is missing (spaCy for .spacy files) is an environment error."""
    from newsevents.evaluate.baselines.spacy_adapter import BaselineUnavailableError  # noqa: PLC0415

    try:
        yield
    except BaselineUnavailableError as exc:
        raise UsageError(str(exc)) from exc


def run_evaluate(args: argparse.Namespace) -> int:
    from newsevents.evaluate.render import render_evaluation  # noqa: PLC0415 - lazy: numpy only when scoring
    from newsevents.evaluate.stream import evaluate_paths  # noqa: PLC0415
    from newsevents.progress import counting  # noqa: PLC0415

    _check(args, [args.gold, args.pred])
    if args.errors < 0:
        raise UsageError(f"--errors must be >= 0, found {args.errors}")
    if args.errors_out is not None and args.errors_out.is_dir():
        raise UsageError(f"--errors-out must name a file, found the folder {args.errors_out}")
    with counting(total=None, desc="evaluate"), _errors_out_writable(args.errors_out), _optional_extra():
        done = evaluate_paths(
            [args.gold],
            [args.pred],
            coref=args.coref,
            bootstrap_n=args.bootstrap,
            seed=args.seed,
            confidence=args.confidence,
            max_errors=args.errors,
            errors_out=args.errors_out,
            pred_format=args.pred_format,
            spans_key=args.spans_key,
        )
    _print_findings(done.findings)
    if done.result is None:
        print(f"newsevents evaluate: {len(_errors(done.findings))} errors: no scores computed", file=sys.stderr)
        return EXIT_FINDINGS
    res = done.result
    res["gold"], res["pred"] = str(args.gold), str(args.pred)
    res["pred_format"], res["warnings"] = done.pred_format, done.warnings
    res["findings"] = [f.to_dict() for f in done.findings]
    _emit(res, render_evaluation(res, args.format) if args.format != "json" else "", args.format)
    return EXIT_OK


def run_compare(args: argparse.Namespace) -> int:
    from newsevents.evaluate.render import render_comparison  # noqa: PLC0415
    from newsevents.evaluate.stream import compare_paths  # noqa: PLC0415
    from newsevents.progress import counting  # noqa: PLC0415

    _check(args, [args.gold, args.pred_a, args.pred_b])
    with counting(total=None, desc="compare"), _optional_extra():
        done = compare_paths(
            [args.gold],
            [args.pred_a],
            [args.pred_b],
            coref=args.coref,
            bootstrap_n=args.bootstrap,
            seed=args.seed,
            confidence=args.confidence,
            pred_format=args.pred_format,
            spans_key=args.spans_key,
        )
    _print_findings(done.findings)
    if done.result is None:
        print(f"newsevents compare: {len(_errors(done.findings))} errors: no scores computed", file=sys.stderr)
        return EXIT_FINDINGS
    res = done.result
    res["gold"], res["a"], res["b"] = str(args.gold), str(args.pred_a), str(args.pred_b)
    res["pred_format"], res["warnings"] = done.pred_format, done.warnings
    _emit(res, render_comparison(res, args.format) if args.format != "json" else "", args.format)
    return EXIT_OK


def run_agreement(args: argparse.Namespace) -> int:
    from newsevents.evaluate.agreement import agreement_paths, render_agreement  # noqa: PLC0415
    from newsevents.resources import project_root  # noqa: PLC0415

    folder = args.passes or project_root() / "annotations" / "passes"
    _check(args, [folder])
    res, findings = agreement_paths(folder)
    _print_findings(findings)
    if _errors(findings):
        print(f"newsevents agreement: {len(_errors(findings))} errors: no agreement computed", file=sys.stderr)
        return EXIT_FINDINGS
    _emit(res, render_agreement(res, args.format) if args.format != "json" else "", args.format)
    return EXIT_OK


def run_baseline(args: argparse.Namespace) -> int:
    from newsevents.evaluate.baselines import BaselineUnavailableError, run_baseline_paths  # noqa: PLC0415

    _check(args, args.inputs)
    try:
        written, findings, system = run_baseline_paths(args.inputs, out=args.out, spacy_model=args.spacy)
    except BaselineUnavailableError as exc:
        raise UsageError(str(exc)) from exc
    _print_findings(findings)
    if _errors(findings):
        print(f"newsevents baseline: {len(_errors(findings))} errors in the input: nothing written", file=sys.stderr)
        return EXIT_FINDINGS
    folder = written[0].parent if written else args.out
    print(f"newsevents baseline: {system}: wrote {len(written)} prediction records to {folder}")
    return EXIT_OK
