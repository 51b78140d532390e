"""jsonschema (4-6 s of imports through rfc3987_syntax) is loaded only to explain an invalid record."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent

PROBE = """
import sys
from pathlib import Path
from newsevents.validate import validate_paths
report = validate_paths([Path(sys.argv[1])])
print(len(report.errors), "jsonschema" in sys.modules)
"""


def _probe(path: Path) -> str:
    return subprocess.run(
        [sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, check=True, cwd=REPO
    ).stdout.split()


def test_valid_records_are_checked_without_importing_jsonschema() -> None:
    assert _probe(REPO / "tests" / "cases" / "validate" / "valid") == ["0", "False"]


def test_an_invalid_record_is_explained_by_jsonschema() -> None:
    errors, imported = _probe(REPO / "tests" / "cases" / "validate" / "invalid" / "schema.enum.json")
    assert int(errors) >= 1
    assert imported == "True"
