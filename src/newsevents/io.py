"""File I/O at the edges of the stages: atomic writes, and reading that reports, not raises.

Every reader here is bounded and refuses hostile input before it costs memory or time: a FIFO or
a device is refused before it is opened (reading one would block or never end), a file is read
to at most its limit, gzip input is inflated in steps and stopped at the limit (a 2 MB bomb is not
inflated to gigabytes first), and JSON is checked at level 0 for what Python's parser lets through
but nothing after it survives: lone surrogates (``"\\ud800"`` parses, then every UTF-8 encode
fails), integers too long to parse or to store, and ``NaN``/``Infinity``. Limits and the check ids
that report them: ``docs/reliability.md``.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsevents.records import Finding

# Larger files are refused with a finding instead of being read into memory.
MAX_RECORD_BYTES = 64 * 1024 * 1024
# Integers beyond 64 bits cannot be stored (parquet, numpy) and Python will not even parse one of
# more than 4,300 digits; a record needs nothing near this (offsets, line numbers, ids).
MAX_INTEGER_DIGITS = 19
MAX_INTEGER = 2**63 - 1
_SURROGATE = re.compile("[\ud800-\udfff]")
_GZIP_STEP = 1 << 20


class InputError(Exception):
    """A file that is refused as input; ``reason`` is ``unreadable``, ``special-file`` or ``too-large``."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def display_path(path: Path | str) -> str:
    """``path`` as text that can always be printed and encoded (undecodable bytes as ``\\xNN``).

    A file name that is not UTF-8 reaches Python as lone surrogates (``surrogateescape``); printed
    or written as UTF-8 they raise, and one such name in a folder would lose the whole report.
    """
    s = str(path)
    if s.isascii() or not _SURROGATE.search(s):
        return s
    return os.fsencode(s).decode("utf-8", "backslashreplace")


def _file_kind(mode: int) -> str:
    for test, kind in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return kind
    return "not a regular file"


def read_file_bytes(path: Path, limit: int, *, what: str = "file") -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them, else :class:`InputError`.

    Special files are refused from ``stat`` before anything opens them (opening a FIFO blocks, a
    device may never end); the open itself does not block and checks the file again, so a file
    swapped for a FIFO in between is refused too. At most ``limit + 1`` bytes are read, so a file
    that grows after the size check is still bounded.
    """
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise InputError("special-file", f"{_file_kind(st.st_mode)}, not a regular file: refused unread")
        if st.st_size > limit:
            raise InputError("too-large", f"{what} is {st.st_size} bytes, limit {limit}")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise InputError("special-file", f"{_file_kind(st.st_mode)}, not a regular file: refused unread")
            data = f.read(limit + 1)
    except OSError as exc:
        raise InputError("unreadable", f"cannot read {what}: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise InputError("too-large", f"{what} is more than {limit} bytes (it grew while read)")
    return data


def gunzip_capped(data: bytes, limit: int, *, what: str = "input") -> bytes:
    """``data`` (one or more gzip members) inflated, stopping as soon as the output passes ``limit``.

    Raises:
        InputError: ``too-large`` past the limit (nothing beyond ``limit + 1`` bytes is inflated),
            ``unreadable`` for a corrupt or truncated stream.
    """
    out = bytearray()
    rest = data
    try:
        while True:
            d = zlib.decompressobj(wbits=31)
            out += d.decompress(rest, limit - len(out) + 1)
            while not d.eof and len(out) <= limit and d.unconsumed_tail:
                out += d.decompress(d.unconsumed_tail, min(_GZIP_STEP, limit - len(out) + 1))
            if len(out) > limit:
                raise InputError(
                    "too-large", f"{what} inflates to more than {limit} bytes, the limit: not read further"
                )
            if not d.eof:
                raise InputError("unreadable", f"cannot read {what}: compressed data is truncated")
            rest = d.unused_data.lstrip(b"\x00")  # gzip allows zero padding after a member
            if not rest:
                return bytes(out)
    except zlib.error as exc:
        raise InputError("unreadable", f"cannot read {what}: {exc}") from exc


def read_input_bytes(path: Path, limit: int) -> bytes:
    """A raw input's bytes, gunzipped for ``.gz`` names, never more than ``limit`` in memory.

    The limit applies to the file and, for ``.gz``, to the inflated bytes while they are inflated.

    Raises:
        InputError: with ``reason`` ``unreadable``, ``special-file`` or ``too-large``.
    """
    data = read_file_bytes(path, limit, what="input")
    if path.name.lower().endswith(".gz"):
        return gunzip_capped(data, limit)
    return data


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


class _NotJSONConstantError(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _NotJSONConstantError(name)


def _line_col(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    return f"line:{line}:{index - (text.rfind(chr(10), 0, index) + 1) + 1}"


_PARSE_LIMIT_DIGITS = 4300  # sys.get_int_max_str_digits() default; json.loads refuses longer integers
_UNPARSABLE_INTEGER = re.compile(rf"[0-9]{{{_PARSE_LIMIT_DIGITS + 1},}}")


def _long_integer_finding(text: str, name: str) -> Finding:
    """Where the text has the integer too long for ``json.loads`` (the first such digit run)."""
    m = _UNPARSABLE_INTEGER.search(text)
    digits = f"{len(m.group())} digits" if m else f"more than {_PARSE_LIMIT_DIGITS} digits"
    return Finding(
        "io.integer-too-large",
        f"an integer of {digits}: it must fit in 64 bits (at most {MAX_INTEGER_DIGITS} digits)",
        file=name,
        pointer=_line_col(text, m.start()) if m else "",
    )


def hostile_value_findings(value: Any, *, file: str | None = None, doc_id: str | None = None) -> list[Finding]:
    """Level-0 findings of a parsed JSON value: lone surrogates (in keys or strings), huge integers.

    Walks the whole value (a Python walk: about 0.4 s per MB of record, so callers first ask
    whether there can be anything to find): a value that passes this can be encoded as UTF-8 and
    stored with 64-bit integers everywhere. One finding per place, pointer included.
    """
    out: list[Finding] = []
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        v, ptr = stack.pop()
        if isinstance(v, str):
            if not v.isascii() and (m := _SURROGATE.search(v)):
                out.append(_surrogate_finding(v, m.start(), ptr, file, doc_id))
        elif isinstance(v, bool):
            continue
        elif isinstance(v, int):
            if not -MAX_INTEGER - 1 <= v <= MAX_INTEGER:
                digits = _digits(v)
                out.append(
                    Finding(
                        "io.integer-too-large",
                        f"an integer of {digits} digits: it must fit in 64 bits (at most {MAX_INTEGER})",
                        file=file,
                        doc_id=doc_id,
                        pointer=ptr,
                    )
                )
        elif isinstance(v, dict):
            for k, x in v.items():
                key = k if isinstance(k, str) else str(k)
                if not key.isascii() and (m := _SURROGATE.search(key)):
                    out.append(_surrogate_finding(key, m.start(), ptr, file, doc_id, key=True))
                    key = escape_surrogates(key)
                stack.append((x, f"{ptr}/{key.replace('~', '~0').replace('/', '~1')}"))
        elif isinstance(v, list):
            stack.extend((x, f"{ptr}/{i}") for i, x in enumerate(v))
    out.sort(key=lambda f: f.pointer or "")
    return out


def _digits(v: int) -> int:
    # str() of an int of more than 4,300 digits raises; bit_length gives the count within one.
    approx = int(abs(v).bit_length() * 0.30103) + 1
    return approx if approx > 4000 else len(str(abs(v)))


def escape_surrogates(s: str) -> str:
    """``s`` with each lone surrogate written as ``\\udXXX`` (printable, encodable)."""
    return s.encode("utf-8", "backslashreplace").decode("utf-8")


def _surrogate_finding(
    s: str, index: int, ptr: str, file: str | None, doc_id: str | None, *, key: bool = False
) -> Finding:
    what = "a property name" if key else "a string"
    return Finding(
        "io.surrogate",
        f"{what} holds the lone surrogate U+{ord(s[index]):04X} at character {index} "
        "(no UTF-8 text can hold it): write the character it stands for",
        file=file,
        doc_id=doc_id,
        pointer=ptr,
    )


def read_json(path: Path, *, max_bytes: int = MAX_RECORD_BYTES) -> Loaded:
    """Read one JSON file; unreadable, oversized, non-UTF-8, malformed or hostile input becomes a finding.

    Level 0 of validation: ``io.unreadable``, ``io.special-file``, ``io.too-large``,
    ``io.encoding``, ``io.json``, ``io.surrogate`` and ``io.integer-too-large``. A value returned
    has no lone surrogate and no integer beyond 64 bits.
    """
    name = display_path(path)
    try:
        raw = read_file_bytes(path, max_bytes)
    except InputError as exc:
        check = {"special-file": "io.special-file", "too-large": "io.too-large"}.get(exc.reason, "io.unreadable")
        return Loaded(path, None, (Finding(check, exc.message, file=name),))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        msg = f"file is not UTF-8: byte {raw[exc.start]:#04x} at offset {exc.start}"
        return Loaded(path, None, (Finding("io.encoding", msg, file=name, pointer=f"byte:{exc.start}"),))
    text = text.removeprefix("\ufeff")
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        msg = f"not valid JSON: {exc.msg}"
        return Loaded(path, None, (Finding("io.json", msg, file=name, pointer=f"line:{exc.lineno}:{exc.colno}"),))
    except _NotJSONConstantError as exc:
        msg = f"not valid JSON: {exc} is not a JSON value (write a number, a string or null)"
        return Loaded(path, None, (Finding("io.json", msg, file=name),))
    except RecursionError:
        return Loaded(path, None, (Finding("io.json", "not valid JSON: nested too deeply", file=name),))
    except ValueError:
        # int() refuses more than 4,300 digits (CVE-2020-10735); json.loads passes that on.
        return Loaded(path, None, (_long_integer_finding(text, name),))
    # A lone surrogate can only come from a \u escape (raw surrogate bytes are not UTF-8): look
    # only when the bytes hold one (a fast bytes search). Integers beyond 64 bits that json.loads
    # does parse are left to the validator (the schema's maximum sends the record to the same walk).
    if b"\\u" in raw:
        hostile = hostile_value_findings(value, file=name)
        if hostile:
            return Loaded(path, None, tuple(hostile))
    return Loaded(path, value)


def iter_json_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Every ``*.json`` file named or found (recursively, sorted) under the given paths."""
    for p in paths:
        if p.is_dir():
            # Broken links are yielded too, so that they are reported rather than silently skipped.
            yield from sorted(q for q in p.rglob("*.json") if not q.is_dir() and not q.name.startswith("."))
        else:
            yield p
