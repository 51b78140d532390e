"""``newsevents validate``: check records against the schema, references and meaning."""

from __future__ import annotations

import argparse
import json
import os
import sys
from itertools import groupby
from pathlib import Path

from newsevents.cli import EXIT_FINDINGS, EXIT_OK, UsageError
from newsevents.resources import project_root
from newsevents.validate import Report, default_paths, validate_paths


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "validate",
        help="validate document records (schema, references, meaning)",
        description="Validate records in three levels; every finding is reported with its check id "
        "(see docs/checks.md). With no PATH: corpus/ and annotations/ of the project.",
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="JSON files or folders")
    p.add_argument("--level", type=int, choices=(1, 2, 3), default=3, help="highest level to run (default 3)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=run)


def print_report(report: Report, fmt: str) -> None:
    if fmt == "json":
        json.dump(
            {
                "files": report.files,
                "records": report.records,
                "errors": len(report.errors),
                "findings": [f.to_dict() for f in report.findings],
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
        return
    key = lambda f: (f.file or "", f.doc_id or "")  # noqa: E731
    for (file, doc_id), group in groupby(sorted(report.findings, key=key), key=key):
        print(f"{file}" + (f" (document {doc_id})" if doc_id else ""))
        for f in group:
            print(f"  {f.pointer or '/'}: [{f.check}] {f.severity}: {f.message}")
    warnings = len(report.findings) - len(report.errors)
    print(f"{report.files} files, {report.records} records: {len(report.errors)} errors, {warnings} warnings")


def run(args: argparse.Namespace) -> int:
    paths = args.paths or default_paths(project_root())
    missing = [p for p in args.paths if not os.path.lexists(p)]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(map(str, missing))}")
    report = validate_paths(paths, levels=args.level)
    print_report(report, args.format)
    return EXIT_OK if report.ok else EXIT_FINDINGS
