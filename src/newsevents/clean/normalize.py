"""Whitespace and Unicode normalisation of raw lines, and decoding of raw bytes.

Both are pure: the same bytes always give the same text, and problems come back as findings.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from newsevents.records import Finding, Severity

# Inputs above this size are refused: a news article page is well under 2 MB, so a larger one is
# almost surely a dump, an archive or a mistake, and classifying it line by line would be slow.
MAX_INPUT_BYTES = 8 * 1024 * 1024

# Every Unicode space separator plus tab and the zero-width characters web pages leave behind.
_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_RUNS = re.compile(r" {2,}")
# C0/C1 control characters other than tab, newline and carriage return mark binary input.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def normalize_line(line: str) -> str:
    """One line as annotators see it: NFC, every space kind a plain space, runs collapsed, trimmed.

    >>> normalize_line("  Iranian\\u00a0 Revolutionary Guard\\u00a0 ")
    'Iranian Revolutionary Guard'
    """
    line = _ZERO_WIDTH.sub("", line)
    line = _SPACES.sub(" ", line)
    line = _RUNS.sub(" ", line)
    return unicodedata.normalize("NFC", line.strip())


def split_lines(text: str) -> list[str]:
    """Raw lines on ``\\n``, ``\\r\\n`` or ``\\r``, numbered from 1 by their index + 1."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


@dataclass(frozen=True, slots=True)
class Decoded:
    """Raw bytes as text, or ``None`` with the findings that say why not."""

    text: str | None
    encoding: str | None
    findings: tuple[Finding, ...] = ()


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _bomless_utf16(raw: bytes) -> str | None:
    """``utf-16-le``/``-be`` when the bytes are UTF-16 text without a BOM, else ``None``.

    Text in UTF-16 has a NUL as the high byte of nearly every ASCII character: in the odd bytes
    for little-endian, the even bytes for big-endian. Binary data has NULs in both, and the text
    must also decode without error and hold no control characters beyond line ends and tabs.

    >>> _bomless_utf16("Headline. Body text.".encode("utf-16-le"))
    'utf-16-le'
    >>> _bomless_utf16(bytes(range(256)) * 4) is None
    True
    """
    head = raw[:65536]
    if len(head) < 4 or len(raw) % 2:
        return None
    even, odd = head[0::2], head[1::2]
    for enc, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if high.count(0) >= 0.6 * len(high) and low.count(0) <= 0.02 * len(low):
            try:
                text = raw.decode(enc)
            except UnicodeDecodeError:
                return None
            return None if _CONTROL.search(text[:65536]) else enc
    return None


def decode(raw: bytes, *, name: str, doc_id: str | None = None) -> Decoded:
    """Decode a raw page: UTF-8 (with or without BOM), UTF-16/32 with BOM, UTF-16 without BOM, else Windows-1252.

    Windows-1252 is the fallback because it is what mislabelled Western pages nearly always are;
    the conversion is reported as a warning so the user can check it. Binary, empty and oversized
    inputs are refused with an error finding.
    """

    def err(check: str, message: str, severity: str = Severity.ERROR.value) -> Finding:
        return Finding(check, message, severity=severity, file=name, doc_id=doc_id)

    if len(raw) > MAX_INPUT_BYTES:
        return Decoded(None, None, (err("clean.too-large", f"input is {len(raw)} bytes, limit {MAX_INPUT_BYTES}"),))
    if not raw.strip():
        return Decoded(None, None, (err("clean.empty-input", "input is empty or only whitespace"),))
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            try:
                return Decoded(raw.decode(enc), enc)
            except UnicodeDecodeError as exc:
                msg = f"input starts with a {enc} byte-order mark but is not {enc}: {exc.reason} at byte {exc.start}"
                return Decoded(None, None, (err("clean.encoding", msg),))
    if b"\x00" in raw[:65536] and (enc16 := _bomless_utf16(raw)) is not None:
        msg = f"input has no byte-order mark but is {enc16.upper()} text (NUL in every other byte); decoded as such"
        return Decoded(raw.decode(enc16), enc16, (err("clean.encoding-converted", msg, Severity.WARNING.value),))
    if b"\x00" in raw[:65536]:
        nul = raw.index(b"\x00")
        return Decoded(
            None,
            None,
            (err("clean.binary-input", f"input holds NUL bytes (first at byte {nul}): not a text or HTML page"),),
        )
    findings: list[Finding] = []
    try:
        text, enc = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        text, enc = raw.decode("cp1252", errors="replace"), "cp1252"
        msg = (
            f"input is not UTF-8 (byte {raw[exc.start]:#04x} at offset {exc.start}); "
            "decoded as Windows-1252, check the result"
        )
        findings.append(err("clean.encoding-converted", msg, Severity.WARNING.value))
    controls = len(_CONTROL.findall(text[:65536]))
    if controls > max(8, len(text[:65536]) // 100):
        return Decoded(
            None,
            None,
            (err("clean.binary-input", f"input holds {controls} control characters: not a text or HTML page"),),
        )
    return Decoded(text, enc, tuple(findings))
