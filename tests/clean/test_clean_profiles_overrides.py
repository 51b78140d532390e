"""Profiles are data and fail clearly when malformed; overrides apply only to the line they name."""

from __future__ import annotations

import json
import re

import pytest
from clean_support import CASES, REPO, SEED_ID

from newsevents.clean import (
    SeedMeta,
    clean_page,
    detect_profile,
    get_profile,
    overrides_from_dict,
    profile_from_dict,
    read_manifest,
)
from newsevents.clean.profiles import ProfileError

SEED_RAW = (REPO / "seeds" / "000_972ec0f8efcd389c.txt").read_bytes()


def test_dw_profile_is_detected_from_the_page():
    prof = detect_profile(SEED_RAW.decode("utf-8"))
    assert prof is not None
    assert prof.id == "dw"
    assert get_profile("Deutsche Welle") is prof


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ({"publisher": "X"}, "missing key 'id'"),
        (
            {"id": "x", "publisher": "X", "rules": [{"id": "a", "reason": "nonsense", "pattern": "x"}]},
            "reason must be one of",
        ),
        (
            {"id": "x", "publisher": "X", "rules": [{"id": "a", "reason": "promo", "pattern": "("}]},
            "invalid regular expression",
        ),
        ({"id": "x", "publisher": "X", "rules": [{"reason": "promo", "pattern": "x"}]}, "needs an id"),
    ],
)
def test_malformed_profile_names_the_problem(profile, message):
    with pytest.raises(ProfileError, match=message):
        profile_from_dict(profile, source="test.json")


def test_without_override_the_video_title_is_kept_as_heading():
    doc = clean_page(SEED_RAW, name="seed.txt", profile=get_profile("dw")).document
    assert doc is not None
    assert "\n\nIraq: Consequences of corruption\n\n" in doc.text
    assert doc.cleaning.overrides is None


def _override(lines):
    ov, findings = overrides_from_dict({"doc_id": SEED_ID, "lines": lines}, source="ov.json")
    assert findings == []
    return ov


def test_override_naming_the_wrong_text_is_not_applied():
    ov = _override([{"line": 44, "text": "Something else", "action": "drop", "reason": "media teaser"}])
    result = clean_page(SEED_RAW, name="seed.txt", profile=get_profile("dw"), overrides=ov)
    assert "Iraq: Consequences of corruption" in result.document.text
    assert [f.check for f in result.findings] == ["clean.override-mismatch"]


def test_override_for_a_missing_line_is_reported():
    ov = _override([{"line": 999, "text": "x", "action": "drop", "reason": "promo"}])
    result = clean_page(SEED_RAW, name="seed.txt", profile=get_profile("dw"), overrides=ov)
    assert [f.check for f in result.findings] == ["clean.override-unused"]


def test_keep_override_forces_a_line_in():
    ov = _override(
        [
            {
                "line": 70,
                "text": "Every evening, DW sends out a selection of the day's news and features. Sign up here.",
                "action": "keep",
            }
        ]
    )
    doc = clean_page(SEED_RAW, name="seed.txt", profile=get_profile("dw"), overrides=ov).document
    assert doc.text.endswith("Sign up here.")


@pytest.mark.parametrize(
    "bad",
    [
        [],
        {"doc_id": "x"},
        {"doc_id": "x", "lines": [{"line": "1", "text": "a", "action": "drop"}]},
        {"doc_id": "x", "lines": [{"line": 1, "text": "a", "action": "hide"}]},
        {"doc_id": "x", "lines": [{"line": 1, "text": "a", "action": "drop", "reason": "because"}]},
    ],
)
def test_malformed_override_file_is_a_finding(bad):
    ov, findings = overrides_from_dict(bad, source="ov.json")
    assert ov is None
    assert [f.check for f in findings] == ["clean.override"]


def test_stale_override_is_reported():
    ov, _ = overrides_from_dict({"doc_id": SEED_ID, "raw_sha256": "0" * 64, "lines": []}, source="ov.json")
    meta = SeedMeta(id=SEED_ID, file="x.txt", raw_sha256="f" * 64)
    result = clean_page(SEED_RAW, name="x.txt", meta=meta, profile=get_profile("dw"), overrides=ov)
    assert "clean.override-stale" in [f.check for f in result.findings]


def test_manifest_rows_are_checked(tmp_path):
    (tmp_path / "seeds").mkdir()
    rows = {"seeds": [{"id": "a", "file": "a.txt"}, "nope"]}
    (tmp_path / "seeds" / "manifest.json").write_text(json.dumps(rows), encoding="utf-8")
    m = read_manifest(tmp_path)
    assert m.seeds == ()
    assert [f.check for f in m.findings] == ["clean.manifest", "clean.manifest"]
    assert CASES.is_dir()


def test_detect_searches_a_page_only_when_it_holds_the_patterns_literal():
    from newsevents.clean.literals import any_of_literals, fold_for_literals  # noqa: PLC0415

    flags = re.IGNORECASE | re.MULTILINE
    assert any_of_literals(r"^\s*(?:\d+\.\s*)?Skip to more DW sites\s*$", flags) == (b"skip to more dw sites",)
    assert any_of_literals(r"\bDW sends out a selection\b", flags) == (b"dw sends out a selection",)
    assert any_of_literals("(?:harbour)?", flags) == ()  # an optional group gives nothing
    assert any_of_literals("harbours+ x", flags) == (b"harbour",)  # a repeat ends the run
    prof = detect_profile("1. SKIP TO MORE DW SITES\n")
    assert prof is not None
    assert prof.id == "dw"
    # Characters that match an ASCII letter only case-insensitively still find the literal.
    assert b"skip to more dw sites" in fold_for_literals("\u017fKIP TO MORE DW \u017fITES")
    assert b"caf\xc3\xa9 \xc3\x89t\xc3\xa9 skip" in fold_for_literals("Caf\u00e9 \u00c9t\u00e9 SKIP")  # ASCII only
    assert detect_profile("\u017fkip to more DW sites") is not None
    assert detect_profile("Skip to more sites") is None
    assert detect_profile("Tr\u00e8s bien. \u212aeep reading.\nSkip to more DW sites") is not None


def test_the_folded_characters_are_all_that_match_an_ascii_letter_ignoring_case():
    """``fold_for_literals`` maps four characters to ASCII letters; no other character matches
    one under re.IGNORECASE, or lower-cases to ASCII (then a literal could be missed)."""
    import re  # noqa: PLC0415
    import sys  # noqa: PLC0415

    from newsevents.clean.literals import fold_for_literals  # noqa: PLC0415

    letter = re.compile("[a-z]", re.IGNORECASE)
    odd = {
        c
        for c in map(chr, range(128, sys.maxunicode + 1))
        if letter.fullmatch(c) or any(ord(x) < 128 for x in c.lower())
    }
    assert odd == {"\u017f", "\u0131", "\u0130", "\u212a"}
    assert all(fold_for_literals(c).isascii() for c in odd)


def test_a_profile_is_chosen_by_the_urls_host_whatever_the_language():
    from newsevents.clean.corpus import resolve_profile  # noqa: PLC0415

    meta = SeedMeta(
        id="dw-2020-01-02-x", file="x.txt", publisher="Deutsche Welle (Deutsch)", url="https://www.dw.com/de/x/a-1"
    )
    prof, findings = resolve_profile(meta, b"Ein Text ohne die Kennzeichen der englischen Seiten.")
    assert findings == []
    assert prof is not None
    assert prof.id == "dw"
    other = SeedMeta(id="x-2020-01-02-y", file="y.txt", publisher="Example", url="https://dw.com.example.org/x")
    assert resolve_profile(other, b"Some text.")[0] is None


DW_PAGE_PARAGRAPHS = [
    "The council of the port city approved the repair of the old pier on Tuesday after a debate "
    "that lasted most of the afternoon and ended with a clear vote.",
    "Work on the structure will begin in the spring, the mayor said, and should take about two "
    "years; the harbour authority will pay for most of it from its own reserves.",
    "Residents who spoke at the meeting said they were glad the pier would be saved, while some "
    "shop owners asked for the work to pause during the summer season.",
]


def test_an_html_page_on_a_profiles_host_gets_that_profile_and_its_rules():
    body = "".join(f"<p>{p}</p>" for p in DW_PAGE_PARAGRAPHS)
    html = (
        "<html><head><title>Pier repairs approved | DW</title>"
        '<link rel="canonical" href="https://www.dw.com/en/pier-repairs-approved/a-123">'
        "</head><body><article><h1>Pier repairs approved</h1>"
        f"{body}<p>Send us your feedback.</p></article></body></html>"
    )
    doc = clean_page(html.encode(), name="pier.html").document
    assert doc is not None
    assert doc.cleaning.profile == "dw"
    assert doc.source.publisher == "Deutsche Welle"
    assert "Send us your feedback" not in doc.text
    assert any(r.rule == "dw.author-profile" for r in doc.cleaning.removed)
    assert DW_PAGE_PARAGRAPHS[1] in doc.text
