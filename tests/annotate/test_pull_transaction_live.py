"""A pull is one transaction: a SIGKILL at any moment, a full disk or a read-only disk leave
``annotations/`` exactly as it was before (or, after the swap, exactly as the pull makes it).

The pull runs as a real ``newsevents annotate pull`` subprocess against the session's Label
Studio server. ``NEWSEVENTS_TEST_PAUSE_AT`` (read only by
:func:`newsevents.annotate.transaction.pause_point`) makes it stop at a named point, where the
test SIGKILLs it. The full and read-only disks are real: a small tmpfs in a private mount
namespace (``unshare``).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from annotate_support import ANNOTATORS, Live, make_doc

from newsevents.annotate import client as ls
from newsevents.annotate.convert import record_to_prediction
from newsevents.annotate.transaction import PAUSE_ENV
from newsevents.io import write_json
from newsevents.records import EntityMention

pytestmark = pytest.mark.server

TEXT = "US strikes Iraq base\n\nThe United States struck a base in Iraq on Sunday, officials said."
DOCS = tuple(f"tx-{i}" for i in range(12))


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def _result(doc_id: str, *names: str) -> list[object]:
    mentions = []
    for i, name in enumerate(names):
        s = TEXT.index(name)
        mentions.append(EntityMention(f"m-{i}", s, s + len(name), name, "GPE", "NAM", f"E{i}"))
    return record_to_prediction(replace(make_doc(doc_id, TEXT), entity_mentions=tuple(mentions)))["result"]


@pytest.fixture(scope="module")
def scene(live: Live, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A project pulled once (the old tree), then changed on the server (a pull gives the new tree)."""
    tmp = tmp_path_factory.mktemp("tx")
    corpus = tmp / "corpus"
    for d in DOCS:
        write_json(corpus / f"{d}.json", make_doc(d, TEXT).to_dict())
    env = {**os.environ, "LABEL_STUDIO_USER_TOKEN": live.creds.token}
    base = [sys.executable, "-m", "newsevents.cli", "annotate", "pull", "--url", live.url, "--title", "tx-test"]
    base += ["--corpus", str(corpus)]
    push = [sys.executable, "-m", "newsevents.cli", "annotate", "push", str(corpus), "--url", live.url]
    subprocess.run([*push, "--title", "tx-test"], env=env, check=True, capture_output=True, timeout=300)
    pid = ls.find_project(live.session, "tx-test")
    assert pid is not None
    tasks = {t.data["doc_id"]: t.id for t in ls.list_tasks(live.session, pid)}
    alice, bob = (live.users[e] for e in ANNOTATORS[:2])
    for d in DOCS:
        live.session.client.annotations.create(tasks[d], result=_result(d, "US"), completed_by=alice)
    old_dir = tmp / "old" / "annotations"
    subprocess.run([*base, "--out", str(old_dir)], env=env, check=True, capture_output=True, timeout=300)
    for d in DOCS:  # every gold record and a pass per document change
        live.session.client.annotations.create(tasks[d], result=_result(d, "US", "Iraq"), completed_by=bob)
    new_dir = tmp / "new" / "annotations"
    shutil.copytree(old_dir, new_dir)
    subprocess.run([*base, "--out", str(new_dir)], env=env, check=True, capture_output=True, timeout=300)
    old, new = _tree(old_dir), _tree(new_dir)
    assert old != new
    assert {k for k in new if k.startswith("gold/")} == {f"gold/{d}.json" for d in DOCS}
    return {"base": base, "env": env, "old_dir": old_dir, "old": old, "new": new, "tmp": tmp}


def _fresh(scene: dict[str, object], name: str) -> Path:
    out = Path(str(scene["tmp"])) / name / "annotations"
    shutil.copytree(Path(str(scene["old_dir"])), out)
    return out


@pytest.mark.parametrize("point", ["mirrored", "writing", "changed", "swapped"])
def test_sigkill_at_each_point_leaves_the_old_or_the_new_tree(scene: dict[str, object], point: str) -> None:
    out = _fresh(scene, f"kill-{point}")
    env = {**scene["env"], PAUSE_ENV: point}  # type: ignore[dict-item]
    cmd = [*scene["base"], "--out", str(out)]  # type: ignore[misc]
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:  # wait until the pull stops at the point
        seen.append(line)
        if line.strip() == f"paused at {point}":
            break
    else:
        pytest.fail(f"the pull did not stop at {point}: {''.join(seen)[-2000:]}")
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    tree = _tree(out)
    want = scene["new"] if point == "swapped" else scene["old"]
    assert tree == want  # never a mix; before the swap exactly the old tree
    # The next pull cleans up what the killed one left beside the folder, and finishes the job.
    subprocess.run(cmd, env=scene["env"], check=True, capture_output=True, timeout=300)  # type: ignore[arg-type]
    assert _tree(out) == scene["new"]
    assert _leftovers(out) == []


def test_sigkill_at_random_moments_leaves_the_old_or_the_new_tree(scene: dict[str, object]) -> None:
    rng = random.Random(18)
    out = _fresh(scene, "kill-random")
    cmd = [*scene["base"], "--out", str(out)]  # type: ignore[misc]
    seen = set()
    for _ in range(6):
        proc = subprocess.Popen(cmd, env=scene["env"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # type: ignore[arg-type]
        time.sleep(rng.uniform(0.5, 4.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        tree = _tree(out)
        assert tree in (scene["old"], scene["new"])
        seen.add("new" if tree == scene["new"] else "old")
        if tree == scene["new"]:
            shutil.rmtree(out)
            shutil.copytree(Path(str(scene["old_dir"])), out)
    assert seen  # at least one kill happened; which tree each left depends on timing


def _unshare() -> list[str]:
    prefix = ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-rm"]
    probe = subprocess.run([*prefix, "true"], capture_output=True, check=False)
    if shutil.which("unshare") is None or probe.returncode != 0:
        pytest.skip("needs unshare (a private mount namespace) to mount a small tmpfs")
    return prefix


# Runs inside the mount namespace: the tmpfs exists only there, so the checks run there too.
DISK_SCRIPT = r"""
set -eu
mnt=$1; shift; mode=$1; shift; old=$1; shift
mount -t tmpfs -o size=512k tmpfs "$mnt"
cp -a "$old" "$mnt/annotations"
sum_before=$(cd "$mnt" && find annotations -type f -exec sha256sum {} + | sort)
if [ "$mode" = full ]; then
  dd if=/dev/zero of="$mnt/filler" bs=1k 2>/dev/null || true   # fills the disk
else
  mount -o remount,ro "$mnt"
fi
set +e
"$@" --out "$mnt/annotations" >"$mnt.out" 2>"$mnt.err"
echo "rc=$?"
set -e
sum_after=$(cd "$mnt" && find annotations -type f -exec sha256sum {} + | sort)
[ "$sum_before" = "$sum_after" ] && echo "tree=same" || echo "tree=changed"
ls -a "$mnt"
"""


@pytest.mark.parametrize("mode", ["full", "read-only"])
def test_a_full_or_read_only_disk_is_one_line_and_changes_nothing(
    scene: dict[str, object], tmp_path: Path, mode: str
) -> None:
    prefix = _unshare()
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    cmd = [*prefix, "sh", "-c", DISK_SCRIPT, "sh", str(mnt), "full" if mode == "full" else "ro"]
    cmd += [str(scene["old_dir"]), *scene["base"]]  # type: ignore[misc]
    proc = subprocess.run(cmd, env=scene["env"], capture_output=True, text=True, timeout=300, check=False)  # type: ignore[arg-type]
    assert proc.returncode == 0, proc.stderr
    report = proc.stdout.splitlines()
    err = Path(f"{mnt}.err").read_text().strip()
    assert "rc=2" in report, (report, err)
    assert "tree=same" in report, (report, err)
    assert len(err.splitlines()) == 1, err
    assert ("No space left on device" if mode == "full" else "Read-only file system") in err
    assert "nothing under" in err
    assert not [n for n in report if n.startswith(".annotations.")]  # no staging left behind
    assert "Traceback" not in err
