"""``newsevents validate``: check records against the schema, references and meaning."""

from __future__ import annotations

import argparse
import json
import os
import sys
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from newsevents.cli import EXIT_FINDINGS, EXIT_OK, UsageError
from newsevents.records import Finding, Severity
from newsevents.resources import project_root

# The validator imports jsonschema: only the command that runs it imports it.
if TYPE_CHECKING:
    from newsevents.validate import Report


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


def not_json_files(paths: list[Path]) -> list[Finding]:
    """A ``validate.not-json`` warning for each file found in a folder that validate does not read.

    Only ``*.json`` files are records; hidden files and folders, raw exports and adjudication
    logs are not looked at (they are not records, see ``newsevents.validate.NOT_RECORDS``).
    """
    from newsevents.validate import NOT_RECORDS  # noqa: PLC0415

    findings: list[Finding] = []
    for top in paths:
        if not top.is_dir():
            continue
        for p in sorted(top.rglob("*")):
            parts = p.relative_to(top).parts
            if p.is_dir() or p.suffix == ".json" or any(x.startswith(".") for x in parts):
                continue
            if NOT_RECORDS.intersection(parts[:-1]):
                continue
            msg = f"not a .json file: not read (found in {top}; records are *.json files)"
            findings.append(Finding("validate.not-json", msg, severity=Severity.WARNING.value, file=str(p)))
    return findings


def run(args: argparse.Namespace) -> int:
    from newsevents.progress import bar  # noqa: PLC0415
    from newsevents.validate import Report, _record_files, default_paths, validate_paths  # noqa: PLC0415

    missing = [p for p in args.paths if not os.path.lexists(p)]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(map(str, missing))}")
    root = project_root()
    paths = args.paths or default_paths(root)
    if not paths:
        raise UsageError(
            f"no corpus/ or annotations/ folder in {root}: run it in a newsevents project (or set "
            "NEWSEVENTS_ROOT), or name the record files or folders to validate"
        )
    files = list(_record_files(paths))
    report = Report()
    # One file at a time, so that a long run can show its progress; the report is the same.
    for path in bar(files, total=len(files), desc="validate"):
        one = validate_paths([path], levels=args.level)
        report.files += one.files
        report.records += one.records
        report.findings.extend(one.findings)
    skipped = not_json_files(paths)
    if report.records == 0 and not report.findings:
        for f in skipped:
            print(str(f), file=sys.stderr)
        where = ", ".join(map(str, paths))
        what = f"{report.files} JSON files hold no record" if report.files else "no *.json file found"
        raise UsageError(f"nothing to validate: {what} in {where} (folders are searched recursively)")
    report.findings.extend(skipped)
    print_report(report, args.format)
    return EXIT_OK if report.ok else EXIT_FINDINGS
