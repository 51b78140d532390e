"""``newsevents clean``: raw seed pages to document records (see docs/cleaning.md)."""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from newsevents.clean import (
    CleanResult,
    clean_file,
    clean_manifest,
    dedupe_inputs,
    get_profile,
    iter_inputs,
    write_corpus,
    write_outputs,
)
from newsevents.cli import EXIT_FINDINGS, EXIT_OK, UsageError
from newsevents.records import Finding
from newsevents.resources import project_root


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "clean",
        help="clean raw pages (text renderings or HTML) into document records",
        description="With no PATH: clean every seed of seeds/manifest.json into corpus/<id>.json. "
        "With PATH...: clean the .txt/.html/.html.gz files named or found in the folders into "
        "DIR/<input stem>.json (--out is then required). A file that cannot be cleaned is reported "
        "and the others are still cleaned; the exit code is then 1.",
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="input files or folders")
    p.add_argument("--out", type=Path, metavar="DIR", help="output folder for PATH inputs")
    p.add_argument("--profile", metavar="NAME", help="publisher profile for PATH inputs (default: detect)")
    p.add_argument("--jobs", type=int, default=0, metavar="N", help="worker processes (default: CPU count, at most 4)")
    p.set_defaults(func=run)


def _print_findings(findings: list[Finding]) -> None:
    for f in findings:
        print(str(f), file=sys.stderr if f.severity == "error" else sys.stdout)


def _clean_one(args: tuple[Path, str | None]) -> tuple[Path, CleanResult]:
    path, profile = args
    return path, clean_file(path, profile_name=profile)


def run(args: argparse.Namespace) -> int:
    if not args.paths:
        if args.out is not None or args.profile is not None:
            raise UsageError("--out and --profile apply to PATH inputs; without PATH the manifest is cleaned")
        root = project_root()
        if not (root / "seeds" / "manifest.json").is_file():
            raise UsageError(f"no seeds/manifest.json under {root} (set NEWSEVENTS_ROOT or pass PATH... --out DIR)")
        docs, findings = clean_manifest(root)
        write_corpus(root, docs)
        _print_findings(findings)
        errors = sum(1 for f in findings if f.severity == "error")
        print(f"cleaned {len(docs)} seeds into {root / 'corpus'}: {errors} errors")
        return EXIT_FINDINGS if errors else EXIT_OK
    if args.out is None:
        raise UsageError("--out DIR is required with PATH inputs")
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    if args.profile and get_profile(args.profile) is None:
        raise UsageError(f"no profile named {args.profile!r}")
    inputs, collisions = dedupe_inputs(iter_inputs(args.paths))
    jobs = args.jobs or min(4, os.cpu_count() or 1)
    work = [(p, args.profile) for p in inputs]
    if jobs > 1 and len(inputs) > 8:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_clean_one, work, chunksize=8))
    else:
        results = [_clean_one(w) for w in work]
    write_outputs(args.out, results)
    findings = collisions + [f for _, r in results for f in r.findings]
    failed = [p for p, r in results if r.document is None]
    _print_findings(findings)
    total = len(inputs) + len(collisions)
    print(
        f"cleaned {len(inputs) - len(failed)} of {total} files into {args.out}: {len(failed) + len(collisions)} failed"
    )
    return EXIT_FINDINGS if failed or any(f.severity == "error" for f in findings) else EXIT_OK
