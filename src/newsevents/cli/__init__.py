"""The ``newsevents`` command: one sub-command per stage over the library functions.

This package alone prints. Exit codes: 0 ok, 1 validation or data errors found, 2 usage or
environment error (argparse's own usage errors exit 2 too).

Each stage has its own module here with ``register(subparsers)``; a stage whose module is not
importable (an optional extra missing) still shows in ``--help`` and says what to install.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from newsevents import __version__

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

# Modules under newsevents.cli, each with register(subparsers) adding its commands.
STAGE_MODULES = ("validate", "schema", "clean", "annotate", "build", "evaluate")


class UsageError(Exception):
    """Bad arguments or environment: the command prints the message and exits 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsevents",
        description="News pages to an annotated entity/event corpus and a Hugging Face dataset.",
        epilog="Exit codes: 0 ok, 1 findings (validation or data errors), 2 usage or environment error.",
    )
    parser.add_argument("--version", action="version", version=f"newsevents {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in STAGE_MODULES:
        try:
            module = importlib.import_module(f"newsevents.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith(f"newsevents.cli.{name}"):
                continue  # stage not built yet
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        code: int = args.func(args)
    except UsageError as exc:
        print(f"newsevents {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("newsevents: interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
