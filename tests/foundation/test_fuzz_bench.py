"""bench/fuzz_validate.py runs (a tiny --n) and finds no crash, hang or miss: issue #18's figure as a test."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_fuzz_validate_smoke() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "fuzz_validate.py"), "--n", "300", "--json"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    res = json.loads(result.stdout)
    assert res["records"] == 300
    assert (res["crashes"], res["hangs"], res["misses"]) == (0, 0, 0), res["examples"]
    assert res["invalid"] > 100  # the mutations do reach the checks
