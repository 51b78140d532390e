"""Replace a whole folder tree in one step: stage a complete copy beside it, check it, swap it in.

:func:`replace_tree` is how ``annotate pull`` writes ``annotations/``. What is atomic, and why:

* A ``rename(2)`` of one directory entry is atomic, but swapping a folder with two renames is not:
  between ``target -> old`` and ``staging -> target`` there is no ``target`` at all.
* Linux's ``renameat2(..., RENAME_EXCHANGE)`` swaps two existing entries in one system call (ext4,
  xfs, btrfs, tmpfs ...): a reader, or a kill at any moment, sees the whole old tree or the whole
  new one. This is what :func:`replace_tree` uses.
* Where the exchange is not available (another OS, a file system without it) the swap falls back to
  the two renames; a kill between them leaves ``target`` missing and the old tree under a
  ``.<name>.newsevents-old-*`` sibling, which the next :func:`replace_tree` on the same target
  renames back (the old tree is restored, never a mix). This window is the only non-atomic step,
  and it does not exist on Linux.

The staging copy is a sibling folder ``.<name>.newsevents-staging-<random>`` (same file system, so
the swap is a rename): unchanged files are hard links to the old ones (no copy, no extra space),
new files are written whole and fsynced. Files are never changed in place, so the hard links never
let a change reach the old tree. Leftovers of a killed run (a staging folder, or the old tree
after a swap) are removed by the next run. Runs on the same parent folder are serialised with
``flock`` on that folder, so two concurrent pulls cannot interleave.

A failure while staging (a full or read-only disk, permissions) raises :class:`StorageError`
after removing the staging folder: the target is untouched.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import secrets
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

STAGING_MARK = ".newsevents-staging-"
OLD_MARK = ".newsevents-old-"
# Named points where a test may ask the process to stop (see pause_point); never set in normal use.
PAUSE_ENV = "NEWSEVENTS_TEST_PAUSE_AT"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class StorageError(Exception):
    """The tree could not be staged or swapped in (disk full, read-only, permissions); the target
    is unchanged. An environment problem: the CLI prints it on one line and exits 2."""


def pause_point(name: str) -> None:
    """Stop here for a minute if the test-only variable ``NEWSEVENTS_TEST_PAUSE_AT`` names ``name``.

    The process prints ``paused at <name>`` on stderr first, so a test can SIGKILL it at exactly
    this point of a transaction (tests/annotate/test_pull_transaction.py).
    """
    wanted = os.environ.get(PAUSE_ENV)
    if wanted and name in wanted.split(","):
        print(f"paused at {name}", file=sys.stderr, flush=True)
        time.sleep(60)


def _sibling(target: Path, mark: str) -> Path:
    return target.parent / f".{target.name}{mark}{secrets.token_hex(6)}"


def _exchange(a: Path, b: Path) -> bool:
    """Swap ``a`` and ``b`` atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:  # glibc < 2.28
        return False
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(a))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _mirror(src: Path, dst: Path) -> None:
    """A copy of ``src`` at ``dst``: folders recreated, files hard-linked (copied where links fail)."""
    dst.mkdir(mode=0o700)
    shutil.copymode(src, dst)
    for dirpath, dirnames, filenames in os.walk(src):
        here = Path(dirpath)
        there = dst / here.relative_to(src)
        for d in dirnames:
            s = here / d
            if s.is_symlink():
                (there / d).symlink_to(s.readlink())
                continue
            (there / d).mkdir(mode=0o700)
            shutil.copymode(s, there / d)
        for f in filenames:
            s = here / f
            if s.is_symlink():
                (there / f).symlink_to(s.readlink())
                continue
            try:
                os.link(s, there / f)
            except OSError:  # a file system without hard links: copy
                shutil.copy2(s, there / f)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_new(path: Path, data: bytes) -> None:
    """Write ``data`` as a new file at ``path`` in a staging tree (an existing file is unlinked
    first, never changed in place: it may be a hard link into the live tree), fsynced."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 & ~_umask())
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    for dirpath, _dirs, _files in os.walk(root):
        _fsync_dir(Path(dirpath))


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def recover(target: Path) -> list[Path]:
    """Finish what a killed :func:`replace_tree` left beside ``target``; returns what was removed.

    A staging folder is removed (it is either incomplete, or the old tree after a swap). An old
    tree of the two-rename fallback is renamed back if ``target`` is missing, else removed.
    """
    removed: list[Path] = []
    if not target.parent.is_dir():
        return removed
    for p in sorted(target.parent.glob(f".{target.name}{OLD_MARK}*")):
        if not target.exists():
            p.rename(target)
        else:
            shutil.rmtree(p)
            removed.append(p)
    for p in sorted(target.parent.glob(f".{target.name}{STAGING_MARK}*")):
        shutil.rmtree(p)
        removed.append(p)
    return removed


def tidy(target: Path) -> None:
    """:func:`recover` under the lock, for a run that has nothing to write.

    Raises:
        StorageError: the leftovers cannot be removed (a read-only disk).
    """
    target = target.absolute()
    if not target.parent.is_dir():
        return
    with _locked(target.parent):
        try:
            recover(target)
        except OSError as exc:
            raise StorageError(f"{target}: cannot clean up an interrupted earlier write: {exc.strerror}") from exc


def _swap_in(staging: Path, target: Path) -> Path | None:
    """Put ``staging`` at ``target``; returns where the old tree now is (None if there was none)."""
    if not target.exists():
        staging.rename(target)
        return None
    if _exchange(staging, target):
        return staging
    old = _sibling(target, OLD_MARK)
    target.rename(old)  # the non-atomic window of the fallback: recover() renames it back
    staging.rename(target)
    return old


def replace_tree(target: Path, change: Callable[[Path], T]) -> T:
    """Run ``change(staging)`` on a complete copy of ``target``, then swap the copy in atomically.

    ``change`` writes new files with :func:`write_new` and removes files with ``unlink``; it may
    check the staged tree and raise to abort (nothing is changed then). A missing ``target`` is
    created. Returns what ``change`` returns.

    Raises:
        StorageError: an OS error while staging or swapping (disk full, read-only file system,
            permissions); ``target`` is as it was.
    """
    target = target.absolute()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"{target.parent}: cannot create the folder: {exc.strerror}") from exc
    with _locked(target.parent):
        try:
            recover(target)
        except OSError as exc:
            raise StorageError(f"{target}: cannot clean up an interrupted earlier write: {exc.strerror}") from exc
        staging = _sibling(target, STAGING_MARK)
        swapped = False
        try:
            try:
                if target.exists():
                    _mirror(target, staging)
                else:
                    staging.mkdir(mode=0o777 & ~_umask())
                pause_point("mirrored")
                result = change(staging)
                pause_point("changed")
                _fsync_tree(staging)
                old = _swap_in(staging, target)
                swapped = True
                _fsync_dir(target.parent)
            except OSError as exc:
                where = exc.filename or target
                raise StorageError(f"{where}: {exc.strerror or exc}; nothing under {target} was changed") from exc
            pause_point("swapped")
            if old is not None:
                # The new tree is in place; a failure to delete the old one is left to recover().
                shutil.rmtree(old, ignore_errors=True)
            return result
        finally:
            if not swapped:
                shutil.rmtree(staging, ignore_errors=True)
