"""Shared test configuration.

The `datasets` and Hugging Face Hub libraries read their offline switches at import time, so
they are set here, before any test module imports them: no test may reach the network.

A run of the whole suite fails when a test file under ``tests/`` was not collected (pytest's
default ``norecursedirs`` once left out all of ``tests/build``): see
:func:`pytest_collection_modifyitems`.

Tests marked ``browser`` need Debian's Chromium: without it they are skipped with the reason (and
fail when ``CI`` is set), every other test still runs (see :func:`pytest_runtest_setup`).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

REPO = Path(__file__).resolve().parent.parent


def chromium() -> str | None:
    """Debian's Chromium on PATH (the browser tests drive it, never a browser Playwright downloads)."""
    return shutil.which("chromium")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in {"", "0", "false", "no"}


def uncollected_test_files(config: pytest.Config, items: list[pytest.Item]) -> list[str]:
    """The ``tests/**/test_*.py`` files none of ``items`` comes from, when the run is the whole
    suite (no paths given); [] for a run of chosen paths."""
    if {Path(a).resolve() for a in config.args} != {(REPO / p).resolve() for p in config.getini("testpaths")}:
        return []
    collected = {Path(str(item.path)).resolve() for item in items}
    on_disk = sorted((REPO / "tests").rglob("test_*.py"))
    return [str(p.relative_to(REPO)) for p in on_disk if p.resolve() not in collected]


@pytest.hookimpl(tryfirst=True)  # before -k / -m deselect: a deselected test was still collected
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    if missing := uncollected_test_files(config, items):
        raise pytest.UsageError(
            "these test files were not collected (check norecursedirs and the folder's name): " + ", ".join(missing)
        )


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A browser test without Chromium is skipped with the reason, or fails in CI.

    Checked here, before any fixture (the Label Studio server) is set up, and per test rather than
    at collection: a missing browser never stops the other tests from running. In CI (``CI=true``,
    as ``.ci/run`` sets) the browser tests must run, so a missing browser is a failure there.
    """
    if item.get_closest_marker("browser") is None or chromium() is not None:
        return
    reason = (
        "no Chromium on PATH: the browser tests need Debian's chromium "
        "(`bash scripts/install-test-deps.sh` installs it as root, or `sudo apt-get install chromium`)"
    )
    if in_ci():
        pytest.fail(f"CI must run the browser tests: {reason}", pytrace=False)
    pytest.skip(reason)
