"""The ``newsevents`` command: one sub-command per stage over the library functions.

This package alone prints. Exit codes: 0 ok, 1 findings (validation or data errors), 2 usage or
environment error (argparse's own usage errors exit 2 too), 3 internal error (a bug: one line
naming where it happened; the traceback with ``--debug``).

Adding a command: write ``newsevents/cli/<name>.py`` with ``register(subparsers)``; every public
module of this package is a command module and is found by :func:`command_modules` (list it in
:data:`STAGE_MODULES` to give it its place in ``--help``; unlisted ones come after, by name).
``register`` only declares arguments; the module imports nothing heavier than ``argparse`` and
``pathlib`` at its top, and its run functions import the stage they run, so ``newsevents --help``
and every ``newsevents COMMAND --help`` start in a fraction of a second (held by
``tests/cli/test_cli_startup.py``, which asks every command for its help).
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import pkgutil
import sys
import traceback
from collections.abc import Sequence

from newsevents import __version__

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

# The order of the command modules in --help (a module not present is left out; a module present
# but not listed comes after these). Each must stay light to import (see the module docstring).
STAGE_MODULES = ("validate", "schema", "seeds", "clean", "annotate", "build", "evaluate")

EPILOG = (
    "Exit codes: 0 ok, 1 findings (validation or data errors), 2 usage or environment error, "
    "3 internal error (a bug; --debug prints the traceback)."
)


# Errors of the machine, not of newsevents: a full or read-only disk, a missing permission. They
# exit 2 (environment) with one line naming the file, never 3 (a bug).
ENVIRONMENT_ERRNOS = frozenset(
    {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT, errno.EMFILE, errno.ENFILE}
)


class UsageError(Exception):
    """Bad arguments or environment: the command prints the message and exits 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsevents",
        description="News pages to an annotated entity/event corpus and a Hugging Face dataset.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"newsevents {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="print the full traceback of an internal error (also NEWSEVENTS_DEBUG=1)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in command_modules():
        module = importlib.import_module(f"newsevents.cli.{name}")
        module.register(sub)
    return parser


def command_modules() -> list[str]:
    """The command modules of this package: those of :data:`STAGE_MODULES` first, in its order."""
    found = {m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")}
    return [n for n in STAGE_MODULES if n in found] + sorted(found - set(STAGE_MODULES))


def _where(exc: BaseException) -> str:
    """``file:line`` of the innermost frame of the traceback (where the error was raised)."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "unknown location"
    last = frames[-1]
    return f"{last.filename}:{last.lineno}"


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
    except OSError as exc:
        if exc.errno not in ENVIRONMENT_ERRNOS:
            return _internal(args, exc)
        where = f" {exc.filename}" if exc.filename else ""
        print(f"newsevents {args.command}: cannot write or read{where}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - the one place a bug becomes exit code 3
        return _internal(args, exc)
    return code


def _internal(args: argparse.Namespace, exc: BaseException) -> int:
    """Exit code 3: one line saying where it happened; the traceback only with --debug."""
    if args.debug or os.environ.get("NEWSEVENTS_DEBUG") == "1":
        traceback.print_exc()
    detail = " ".join(str(exc).split())[:300]
    print(
        f"newsevents {args.command}: internal error at {_where(exc)}: {type(exc).__name__}: {detail} "
        "(this is a bug in newsevents, please report it; run again with --debug for the traceback)",
        file=sys.stderr,
    )
    return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
