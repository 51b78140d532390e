"""Without Chromium the browser tests are skipped with the reason, the others run; in CI they fail.

Runs pytest on one browser test file and one ordinary test file, with a PATH on which there is no
``chromium`` (nothing else the collected tests need is looked up on PATH).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FILES = ["tests/annotate/test_annotate_browser.py", "tests/cli/test_cli_exit_codes.py"]


def _pytest(tmp_path: Path, *, ci: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"CI", "PYTEST_ADDOPTS"}}
    env["PATH"] = str(tmp_path)  # an empty folder: no chromium
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *FILES],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.mark.slow
def test_without_chromium_browser_tests_skip_and_the_others_run(tmp_path: Path) -> None:
    done = _pytest(tmp_path, ci=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "3 passed, 2 skipped" in done.stdout
    assert "no Chromium on PATH" in done.stdout  # the reason, in the -ra summary
    assert "error during collection" not in done.stdout


@pytest.mark.slow
def test_without_chromium_in_ci_browser_tests_fail_and_the_others_run(tmp_path: Path) -> None:
    done = _pytest(tmp_path, ci=True)
    assert done.returncode == 1, done.stdout[-3000:]
    assert "3 passed" in done.stdout
    assert "2 errors" in done.stdout
    assert "CI must run the browser tests" in done.stdout
