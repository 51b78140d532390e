"""``newsevents clean``: raw seed pages to document records (see docs/cleaning.md)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from newsevents.cli import EXIT_FINDINGS, EXIT_OK, UsageError
from newsevents.records import Finding, Severity
from newsevents.resources import project_root

# The cleaner imports trafilatura: only the command that runs it imports it.
if TYPE_CHECKING:
    from newsevents.clean import CleanResult

# What the cleaner reads (newsevents.clean.corpus.INPUT_SUFFIXES, kept here so --help loads no stage).
SUPPORTED = (".txt", ".html", ".htm", ".html.gz", ".htm.gz", ".txt.gz")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "clean",
        help="clean raw pages (text renderings or HTML) into document records",
        description="With no PATH: clean every seed of seeds/manifest.json into corpus/<id>.json. "
        "With PATH...: clean the .txt/.html/.html.gz files named or found in the folders into "
        "DIR/<input stem>.json (--out is then required). A file that cannot be cleaned is reported "
        "and the others are still cleaned; the exit code is then 1. Any other file is reported as "
        "clean.unsupported-format: an error when named, a warning when found in a folder (hidden "
        "files and folders, whose names start with '.', are not read).",
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
    from newsevents.clean import clean_file  # noqa: PLC0415 - lazy: trafilatura

    path, profile = args
    return path, clean_file(path, profile_name=profile)


def _supported(path: Path) -> bool:
    return path.name.lower().endswith(SUPPORTED)


def _hidden(path: Path, top: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(top).parts)


def unsupported_inputs(paths: Iterable[Path]) -> list[Finding]:
    """A ``clean.unsupported-format`` finding for every file named or found that the cleaner does not read.

    A file named on the command line is an error (it was asked for); one found in a folder a
    warning (folders hold other files too). Found in a folder and also reported, never passed over
    in silence: a special file or broken link (``clean.not-a-file``) and a hidden input file such
    as ``..txt`` (``clean.hidden-input``).
    """
    supported = ", ".join(SUPPORTED)
    findings: list[Finding] = []
    warn = Severity.WARNING.value
    for top in paths:
        if top.is_dir():
            for p in sorted(top.rglob("*")):
                if p.is_dir():
                    continue
                if not p.is_file():  # a FIFO, socket or device, or a link to nothing: never opened
                    msg = "not a regular file (a FIFO, device or broken link), not read"
                    findings.append(Finding("clean.not-a-file", msg, severity=warn, file=str(p)))
                elif _hidden(p, top):
                    if _supported(p):
                        msg = "hidden file (its name or a folder's starts with '.'), not cleaned: rename it to clean it"
                        findings.append(Finding("clean.hidden-input", msg, severity=warn, file=str(p)))
                elif not _supported(p):
                    msg = f"unsupported file type, not cleaned (found in {top}; supported: {supported})"
                    findings.append(Finding("clean.unsupported-format", msg, severity=warn, file=str(p)))
        elif not _supported(top):
            msg = f"unsupported file type, not cleaned (supported: {supported})"
            findings.append(Finding("clean.unsupported-format", msg, file=str(top)))
    return findings


def run(args: argparse.Namespace) -> int:
    from newsevents.clean import (  # noqa: PLC0415 - lazy: trafilatura
        clean_manifest,
        dedupe_inputs,
        get_profile,
        iter_inputs,
        write_corpus,
        write_outputs,
    )
    from newsevents.progress import bar  # noqa: PLC0415

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
    skipped = unsupported_inputs(args.paths)
    named = [p for p in args.paths if p.is_dir() or _supported(p)]
    inputs, collisions = dedupe_inputs(iter_inputs(named))
    if not inputs and not collisions and not skipped:
        raise UsageError(f"no files found in {', '.join(map(str, args.paths))} (hidden files are not read)")
    jobs = args.jobs or min(4, os.cpu_count() or 1)
    work = [(p, args.profile) for p in inputs]
    if jobs > 1 and len(inputs) > 8:
        from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(bar(pool.map(_clean_one, work, chunksize=8), total=len(work), desc="clean"))
    else:
        results = [_clean_one(w) for w in bar(work, total=len(work), desc="clean")]
    write_outputs(args.out, results)
    findings = skipped + collisions + [f for _, r in results for f in r.findings]
    failed = [p for p, r in results if r.document is None]
    _print_findings(findings)
    total = len(inputs) + len(collisions) + len(skipped)
    print(
        f"cleaned {len(inputs) - len(failed)} of {total} files into {args.out}: "
        f"{len(failed) + len(collisions)} failed, {len(skipped)} not cleaned (unsupported, hidden or not a file)"
    )
    return EXIT_FINDINGS if failed or any(f.severity == "error" for f in findings) else EXIT_OK
