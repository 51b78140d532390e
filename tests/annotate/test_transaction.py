"""The all-or-nothing tree write behind ``annotate pull``, the path checks and the private files,
without a server (fast).

The random-kill test runs :func:`replace_tree` in real subprocesses and SIGKILLs them at random
moments, many times: the folder must always be exactly the old tree or exactly the new one.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from annotate_support import make_doc

from newsevents.annotate.pullplan import apply_plan, plan_pull, unsafe_path
from newsevents.annotate.server import SERVER_ID_FILE, private_data_dir, server_id, update_env_file
from newsevents.annotate.transaction import StorageError, recover, replace_tree, write_new
from newsevents.annotate.workflow import PullResult
from newsevents.records import Provenance


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _make(folder: Path, n: int, tag: str) -> None:
    for i in range(n):
        p = folder / f"d{i % 7}" / f"f{i}.json"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f"{tag} {i}\n" * 50)


def test_replace_tree_swaps_in_the_new_tree_and_links_unchanged_files(tmp_path: Path) -> None:
    target = tmp_path / "annotations"
    _make(target, 5, "old")
    keep = target / "d0" / "f0.json"
    keep_inode = keep.stat().st_ino

    def change(staging: Path) -> str:
        write_new(staging / "d1" / "f1.json", b"new\n")
        (staging / "d2" / "f2.json").unlink()
        write_new(staging / "fresh" / "x.json", b"x\n")
        return "done"

    assert replace_tree(target, change) == "done"
    tree = _tree(target)
    assert tree["d1/f1.json"] == b"new\n"
    assert "d2/f2.json" not in tree
    assert tree["fresh/x.json"] == b"x\n"
    assert keep.stat().st_ino == keep_inode  # unchanged files are the same files (hard links)
    assert [p.name for p in tmp_path.iterdir()] == ["annotations"]  # no staging or old tree left


def test_a_failing_change_leaves_the_tree_untouched(tmp_path: Path) -> None:
    target = tmp_path / "annotations"
    _make(target, 5, "old")
    before = _tree(target)

    def change(staging: Path) -> None:
        write_new(staging / "d1" / "f1.json", b"new\n")
        raise OSError(28, "No space left on device", str(staging / "d1" / "f1.json"))

    with pytest.raises(StorageError, match="No space left on device; nothing under"):
        replace_tree(target, change)
    assert _tree(target) == before
    assert [p.name for p in tmp_path.iterdir()] == ["annotations"]


def test_recover_removes_staging_and_restores_an_old_tree_of_the_fallback(tmp_path: Path) -> None:
    target = tmp_path / "annotations"
    _make(tmp_path / ".annotations.newsevents-staging-abc", 2, "half")
    _make(tmp_path / ".annotations.newsevents-old-abc", 3, "old")
    recover(target)  # killed between the two renames of the fallback: the old tree comes back
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annotations"]
    assert len(_tree(target)) == 3


KILL_SCRIPT = """
import sys
from pathlib import Path
from newsevents.annotate.transaction import replace_tree, write_new
target = Path(sys.argv[1])
def change(staging):
    for p in sorted(staging.rglob("*.json")):
        write_new(p, p.read_bytes().replace(b"old", b"new"))
    for i in range(200):
        write_new(staging / "added" / f"a{i}.json", b"added")
print("go", flush=True)
replace_tree(target, change)
"""


def test_sigkill_at_random_moments_leaves_exactly_the_old_or_the_new_tree(tmp_path: Path) -> None:
    pristine = tmp_path / "pristine"
    _make(pristine, 300, "old")
    target = tmp_path / "annotations"
    shutil.copytree(pristine, target)
    old = _tree(target)
    new = {k: v.replace(b"old", b"new") for k, v in old.items()} | {f"added/a{i}.json": b"added" for i in range(200)}
    cmd = [sys.executable, "-c", KILL_SCRIPT, str(target)]
    t0 = time.monotonic()
    subprocess.run(cmd, check=True, capture_output=True)
    run = time.monotonic() - t0  # one whole run, imports included: the kills are spread over it
    assert _tree(target) == new
    rng = random.Random(18)
    outcomes = []
    for _ in range(15):
        shutil.rmtree(target)
        shutil.copytree(pristine, target)
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert proc.stdout is not None
        proc.stdout.readline()  # imports done: the transaction starts now
        time.sleep(rng.uniform(0, run * 0.5))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        tree = _tree(target)
        assert tree in (old, new)
        outcomes.append(tree == new)
        recover(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annotations", "pristine"]


def _gold(doc_id: str) -> PullResult:
    prov = Provenance(status="gold", annotators=("a",), tool="label-studio", label_studio={"server": "s"})
    doc = replace(make_doc("ok", "Some text"), id=doc_id, provenance=prov)
    return PullResult(1, b"[]", "project-1-x.json", [doc], [], frozenset(), "s")


@pytest.mark.parametrize("doc_id", ["../evil", "/abs", ".hidden", "a/../../b"])
def test_paths_made_from_data_stay_inside_annotations(tmp_path: Path, doc_id: str) -> None:
    out = tmp_path / "annotations"
    plan = plan_pull(_gold(doc_id), out)
    assert [f.check for f in plan.stops] == ["annotate.unsafe-path"]
    with pytest.raises(ValueError, match="stops"):
        apply_plan(plan, out)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_symbolic_link_on_the_way_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "annotations"
    (tmp_path / "elsewhere").mkdir()
    out.mkdir()
    (out / "gold").symlink_to(tmp_path / "elsewhere")
    plan = plan_pull(_gold("ok"), out)
    assert [f.check for f in plan.stops] == ["annotate.unsafe-path"]
    assert unsafe_path(out, "exports/x.json") is None


def test_server_id_is_new_for_a_fresh_data_folder(tmp_path: Path) -> None:
    data = private_data_dir(tmp_path / "data")
    first = server_id(data, fresh=True)
    assert server_id(data, fresh=False) == first  # kept while the database lives
    assert server_id(data, fresh=True) != first  # a new database: a new id, never the old file's
    assert stat.S_IMODE((data / SERVER_ID_FILE).stat().st_mode) == 0o600


def test_data_folder_and_env_are_created_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        data = private_data_dir(tmp_path / "data")
        update_env_file(tmp_path / ".env", {"LABEL_STUDIO_USER_TOKEN": "t"})
    finally:
        os.umask(old)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / ".env").stat().st_mode) == 0o600
    # An existing folder that is too open is tightened.
    (tmp_path / "open").mkdir(mode=0o755)
    (tmp_path / "open" / "label_studio.sqlite3").write_text("token")
    (tmp_path / "open" / "label_studio.sqlite3").chmod(0o644)
    private_data_dir(tmp_path / "open")
    assert stat.S_IMODE((tmp_path / "open").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "open" / "label_studio.sqlite3").stat().st_mode) == 0o600
