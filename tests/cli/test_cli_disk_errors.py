"""A full or read-only disk is an environment error (exit 2, one line naming the file), never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
PAGE = REPO / "tests" / "clean" / "cases" / "renderings" / "pier.blocks.txt"

# Runs inside a private mount namespace, where the small tmpfs exists.
SCRIPT = r"""
set -eu
mnt=$1; shift; mode=$1; shift
mount -t tmpfs -o size=256k tmpfs "$mnt"
if [ "$mode" = full ]; then dd if=/dev/zero of="$mnt/filler" bs=1k 2>/dev/null || true; else mount -o remount,ro "$mnt"; fi
set +e
"$@" 2>"$mnt.err" >/dev/null
echo "rc=$?"
"""


def _unshare() -> list[str]:
    prefix = ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-rm"]
    if (
        shutil.which("unshare") is None
        or subprocess.run([*prefix, "true"], capture_output=True, check=False).returncode
    ):
        pytest.skip("needs unshare (a private mount namespace) to mount a small tmpfs")
    return prefix


def _run(tmp_path: Path, mode: str, *command: str) -> tuple[str, str]:
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    cli = [sys.executable, "-m", "newsevents.cli"]
    proc = subprocess.run(
        [*_unshare(), "sh", "-c", SCRIPT, "sh", str(mnt), mode, *cli, *(c.replace("MNT", str(mnt)) for c in command)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip(), Path(f"{mnt}.err").read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("mode", ["full", "ro"])
def test_clean_to_a_full_or_read_only_disk(tmp_path: Path, mode: str) -> None:
    rc, err = _run(tmp_path, mode, "clean", str(PAGE), "--out", "MNT/out", "--jobs", "1")
    assert rc == "rc=2", err
    assert "Traceback" not in err
    assert "internal error" not in err
    assert ("No space left on device" if mode == "full" else "Read-only file system") in err


@pytest.mark.parametrize("mode", ["full", "ro"])
def test_build_to_a_full_or_read_only_disk(tmp_path: Path, mode: str) -> None:
    root = tmp_path / "project"
    shutil.copytree(REPO / "tests" / "build" / "cases" / "project", root)
    shutil.copy(REPO / "DATASHEET.md", root / "DATASHEET.md")
    rc, err = _run(tmp_path, mode, "build", "--root", str(root), "--dist", "MNT/dist")
    assert rc == "rc=2", err
    assert "Traceback" not in err
    assert "internal error" not in err
    assert ("No space left on device" if mode == "full" else "Read-only file system") in err
