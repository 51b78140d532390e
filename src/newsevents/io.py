"""File I/O at the edges of the stages: atomic writes and JSON reading that reports, not raises."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsevents.records import Finding

# Larger files are refused with a finding instead of being read into memory.
MAX_RECORD_BYTES = 64 * 1024 * 1024


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates 0600 files; give the file the mode an ordinary open() would.
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def dump_json(obj: Any) -> str:
    """The project's one JSON layout: UTF-8, two-space indent, keys in insertion order, final newline."""
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def write_json(path: Path, obj: Any) -> None:
    atomic_write_text(path, dump_json(obj))


@dataclass(frozen=True, slots=True)
class Loaded:
    """A JSON file read from disk: its value, or the findings that explain why there is none."""

    path: Path
    value: Any
    findings: tuple[Finding, ...] = ()


def read_json(path: Path, *, max_bytes: int = MAX_RECORD_BYTES) -> Loaded:
    """Read one JSON file; unreadable, oversized, non-UTF-8 or malformed input becomes a finding."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return Loaded(path, None, (Finding("io.too-large", f"file is {size} bytes, limit {max_bytes}", file=name),))
        raw = path.read_bytes()
    except OSError as exc:
        return Loaded(path, None, (Finding("io.unreadable", f"cannot read file: {exc.strerror}", file=name),))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        msg = f"file is not UTF-8: byte {raw[exc.start]:#04x} at offset {exc.start}"
        return Loaded(path, None, (Finding("io.encoding", msg, file=name, pointer=f"byte:{exc.start}"),))
    text = text.removeprefix("\ufeff")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"not valid JSON: {exc.msg}"
        return Loaded(path, None, (Finding("io.json", msg, file=name, pointer=f"line:{exc.lineno}:{exc.colno}"),))
    except RecursionError:
        return Loaded(path, None, (Finding("io.json", "not valid JSON: nested too deeply", file=name),))
    return Loaded(path, value)


def iter_json_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every ``*.json`` file named or found (recursively, sorted) under the given paths."""
    for p in paths:
        if p.is_dir():
            # Broken links are yielded too, so that they are reported rather than silently skipped.
            yield from sorted(q for q in p.rglob("*.json") if not q.is_dir() and not q.name.startswith("."))
        else:
            yield p
