"""Bad inputs give a clear per-file finding; the other files are still cleaned."""

from __future__ import annotations

import pytest
from clean_support import CASES, RENDERINGS

from newsevents.clean import clean_file, clean_page
from newsevents.clean.normalize import MAX_INPUT_BYTES

BAD = CASES / "bad"


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("empty.txt", "clean.empty-input"),
        ("whitespace-only.txt", "clean.empty-input"),
        ("binary.txt", "clean.binary-input"),
        ("no-article.txt", "clean.no-article"),
    ],
)
def test_bad_file_gives_its_finding(name, check):
    result = clean_file(BAD / name)
    assert result.document is None
    assert [f.check for f in result.findings] == [check]
    assert result.findings[0].file == str(BAD / name)
    assert result.findings[0].severity == "error"


def test_wrong_encoding_is_converted_with_a_warning():
    result = clean_file(BAD / "cp1252-encoded.txt")
    assert result.document is not None
    assert "Café owners" in result.document.text
    assert "\ufffd" not in result.document.text
    assert [f.check for f in result.findings] == ["clean.encoding-converted"]
    assert result.findings[0].severity == "warning"


def test_utf16_with_bom_is_decoded():
    raw = (RENDERINGS / "pier.blocks.txt").read_text(encoding="utf-8").encode("utf-16")
    result = clean_page(raw, name="pier-utf16.txt")
    assert result.document is not None
    assert result.document.title == "Harbour town votes to rebuild storm-damaged pier"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_decoded_not_called_binary(encoding):
    text = (RENDERINGS / "pier.blocks.txt").read_text(encoding="utf-8")
    result = clean_page(text.encode(encoding), name="pier-utf16.txt")
    assert result.document is not None
    assert result.document.title == "Harbour town votes to rebuild storm-damaged pier"
    as_utf8 = clean_page(text.encode("utf-8"), name="pier-utf16.txt").document
    assert as_utf8 is not None
    assert result.document.text == as_utf8.text
    assert [(f.check, f.severity) for f in result.findings] == [("clean.encoding-converted", "warning")]


def test_a_20_mb_page_is_refused_quickly(tmp_path):
    big = tmp_path / "huge.html"
    line = b"<p>The council met again on Tuesday and talked for a long time about the pier.</p>\n"
    big.write_bytes(line * (20 * 1024 * 1024 // len(line) + 1))
    assert big.stat().st_size > MAX_INPUT_BYTES
    result = clean_file(big)
    assert result.document is None
    assert [f.check for f in result.findings] == ["clean.too-large"]
    raw = big.read_bytes()
    assert [f.check for f in clean_page(raw, name="huge.html").findings] == ["clean.too-large"]


def test_corrupt_gzip_is_unreadable(tmp_path):
    bad = tmp_path / "page.html.gz"
    bad.write_bytes(b"not gzip at all")
    result = clean_file(bad)
    assert result.document is None
    assert [f.check for f in result.findings] == ["clean.unreadable"]
