"""``newsevents schema``: regenerate or check schema/document.schema.json from the ontology."""

from __future__ import annotations

import argparse
import sys

from newsevents.cli import EXIT_FINDINGS, EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("schema", help="regenerate or check the JSON Schema from the ontology")
    p.add_argument("--write", action="store_true", help="write schema/document.schema.json")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from newsevents.io import atomic_write_text  # noqa: PLC0415 - --help loads no stage
    from newsevents.resources import schema_dir  # noqa: PLC0415
    from newsevents.schema import render_schema  # noqa: PLC0415

    path = schema_dir() / "document.schema.json"
    want = render_schema()
    if args.write:
        atomic_write_text(path, want)
        print(f"wrote {path}")
        return EXIT_OK
    if path.read_text(encoding="utf-8") != want:
        print(f"{path} is out of date with ontology.json: run 'newsevents schema --write'", file=sys.stderr)
        return EXIT_FINDINGS
    print(f"{path} matches the ontology")
    return EXIT_OK
