"""``newsevents --help`` answers at once: the parser imports no stage (issue #17).

Start-up is measured as a process, the way a user meets it, best of three runs (the CI machine is
shared, so one slow run is the machine's, three are ours).
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
import time
from pathlib import Path

import newsevents.cli
from newsevents.cli import STAGE_MODULES, build_parser, command_modules

NEWSEVENTS = Path(sys.executable).with_name("newsevents")
LIMIT_S = 1.5
# What the stages import and a parser must not: each alone takes from 0.1 s to 5 s to import.
HEAVY = (
    "jsonschema",
    "jsonschema_rs",
    "datasets",
    "pyarrow",
    "pandas",
    "numpy",
    "trafilatura",
    "label_studio_sdk",
    "huggingface_hub",
    "tqdm",
    "yaml",
)
# The only newsevents modules a parser may load besides newsevents.cli.*.
LIGHT = {"newsevents", "newsevents.records", "newsevents.resources"}

# Builds the parser, asks every command (and every sub-command) for its --help, and reports what
# got imported.
PROBE = """
import argparse, contextlib, io, json, sys
from newsevents.cli import build_parser
parser = build_parser()

def helps(p, prefix):
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield [*prefix, name]
                yield from helps(sub, [*prefix, name])

asked = [[]] + list(helps(parser, []))
for argv in asked:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
        build_parser().parse_args([*argv, "--help"])
print(json.dumps({"asked": asked, "modules": sorted(sys.modules)}))
"""


def _seconds(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True)
    return time.perf_counter() - start


def test_help_starts_in_under_a_second_and_a_half() -> None:
    best = min(_seconds([str(NEWSEVENTS), "--help"]) for _ in range(3))
    assert best < LIMIT_S, f"`newsevents --help` took {best:.2f} s (limit {LIMIT_S} s)"


def test_no_help_imports_a_stage() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], check=True, capture_output=True, text=True).stdout
    probe = json.loads(out)
    assert ["validate"] in probe["asked"]
    assert ["annotate", "serve"] in probe["asked"]
    modules = set(probe["modules"])
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert heavy == [], f"--help imports {heavy}"
    ours = {m for m in modules if m.split(".")[0] == "newsevents" and not m.startswith("newsevents.cli")}
    assert ours <= LIGHT, f"--help imports the stages {sorted(ours - LIGHT)}"


def test_every_command_module_is_found_and_registers_a_command() -> None:
    """A new ``newsevents/cli/<name>.py`` needs no other change to be a command."""
    found = {m.name for m in pkgutil.iter_modules(newsevents.cli.__path__) if not m.name.startswith("_")}
    assert set(command_modules()) == found
    assert [n for n in command_modules() if n in STAGE_MODULES] == [n for n in STAGE_MODULES if n in found]
    shown = build_parser().format_help()
    for name in ("validate", "schema", "clean", "annotate", "build", "evaluate"):
        assert f"    {name} " in shown


def test_version_starts_fast() -> None:
    best = min(_seconds([str(NEWSEVENTS), "--version"]) for _ in range(3))
    assert best < LIMIT_S
