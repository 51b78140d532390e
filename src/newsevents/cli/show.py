"""``newsevents show``: static HTML pages of annotated documents, or of two annotations compared.

Exit codes: 0 pages written; 1 findings with severity error (invalid records, withheld texts,
changed texts: the pages of the other documents are still written); 2 usage errors.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsevents.cli import EXIT_FINDINGS, EXIT_OK, UsageError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "show",
        help="HTML pages of annotated documents (or of two annotations compared) for a browser",
        description="Write one self-contained HTML page per document (text with entity mentions, triggers, "
        "arguments and coreference chains; metadata; the cleaner's removed lines) and an index to OUT. "
        "With --compare A B: one page per document of A with every difference of B classed (missed, "
        "spurious, wrong type, wrong span, wrong role) as evaluate classes its errors. See docs/show.md.",
    )
    p.add_argument(
        "paths",
        type=Path,
        nargs="*",
        metavar="PATH",
        help="record files or folders, or full release folders (default: annotations/gold)",
    )
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write the pages to")
    p.add_argument(
        "--compare",
        type=Path,
        nargs=2,
        metavar=("A", "B"),
        help="compare B against A (gold and predictions, or two passes): files or folders of records",
    )
    p.set_defaults(func=run_show)


def run_show(args: argparse.Namespace) -> int:
    from newsevents.records import Severity  # noqa: PLC0415
    from newsevents.resources import project_root  # noqa: PLC0415
    from newsevents.show import site  # noqa: PLC0415

    if args.compare and args.paths:
        raise UsageError("give either PATH... or --compare A B, not both")
    paths = list(args.compare or args.paths or [project_root() / "annotations" / "gold"])
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    if args.out.exists() and not args.out.is_dir():
        raise UsageError(f"--out {args.out} is not a folder")
    if args.compare:
        result = site.write_comparison([args.compare[0]], [args.compare[1]], args.out)
        findings, files = result.findings, result.files
    else:
        inputs = site.read_inputs(paths)
        findings = inputs.findings
        files = site.write_documents(list(inputs.docs.values()), args.out) if inputs.docs else []
    for f in findings:
        print(str(f), file=sys.stderr)
    if files:
        print(f"{len(files)} page(s) written; open {files[0]}")
    return EXIT_FINDINGS if any(f.severity == Severity.ERROR.value for f in findings) else EXIT_OK
