"""Regression gate on the seed: the cleaned text is exactly the hand-derived expected text."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from clean_support import REPO, SEED_ID

from newsevents.clean import clean_manifest, read_manifest, write_corpus
from newsevents.io import dump_json
from newsevents.validate import validate_record

EXPECTED = (REPO / "tests" / "fixtures" / "seed_expected_text.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_doc():
    docs, findings = clean_manifest(REPO)
    assert not [f for f in findings if f.severity == "error"], findings
    by_id = {d.id: d for d in docs}
    return by_id[SEED_ID]


def test_seed_text_is_exactly_the_expected_text(seed_doc):
    assert seed_doc.text == EXPECTED


def test_seed_metadata(seed_doc):
    assert seed_doc.title == "US hits back at Iran-linked militia in Iraq"
    assert seed_doc.published == "2019-12-29"
    assert seed_doc.credits.editors == ("cw", "se")
    assert seed_doc.credits.agencies == ("dpa", "Reuters", "AP", "AFP")
    assert seed_doc.source.url is None
    assert seed_doc.source.publisher == "Deutsche Welle"
    assert seed_doc.split == "test"
    assert seed_doc.language == "en"


def test_seed_removed_lines_and_reasons(seed_doc):
    removed = {r.line: (r.text, r.reason, r.rule) for r in seed_doc.cleaning.removed}
    assert removed[1][1] == removed[2][1] == removed[3][1] == "navigation"
    assert removed[7] == ("December 29, 2019", "metadata", "generic.dateline")
    assert removed[11][:2] == ("Syrien US F-15 Kampfflugzeug", "image caption")
    assert removed[12][1] == "image credit"
    assert removed[44] == ("Iraq: Consequences of corruption", "media teaser", "override.drop")
    assert removed[68][1] == "credit line"
    assert removed[70][1] == "promo"
    assert set(removed) == {1, 2, 3, 7, 11, 12, 44, 68, 70}


def test_seed_keeps_the_real_section_heading(seed_doc):
    assert "\n\nUS forces targeted\n\n" in seed_doc.text


def test_seed_override_is_recorded(seed_doc):
    assert seed_doc.cleaning.overrides == f"seeds/overrides/{SEED_ID}.json"
    assert seed_doc.cleaning.profile == "dw"


def test_seed_paragraphs_map_to_raw_lines(seed_doc):
    raw = (REPO / "seeds" / seed_doc.source.raw_file).read_text(encoding="utf-8").split("\n")
    paras = seed_doc.cleaning.paragraphs
    assert [seed_doc.text[p.start : p.end] for p in paras] == seed_doc.text.split("\n\n")
    for p in paras:
        lo, hi = p.raw_lines
        first_words = seed_doc.text[p.start : p.end].split()[:3]
        assert " ".join(first_words) in " ".join(raw[lo - 1 : hi]).replace("\u00a0", " ")


def test_seed_record_validates(seed_doc):
    assert validate_record(seed_doc.to_dict()) == []


def test_committed_corpus_record_is_current(seed_doc):
    committed = (REPO / "corpus" / f"{SEED_ID}.json").read_text(encoding="utf-8")
    assert committed == dump_json(seed_doc.to_dict())


def test_seed_raw_file_matches_manifest_hash():
    manifest = read_manifest(REPO)
    assert not manifest.findings
    for meta in manifest.seeds:
        assert hashlib.sha256((REPO / "seeds" / meta.file).read_bytes()).hexdigest() == meta.raw_sha256


def test_write_corpus_is_deterministic_and_leaves_other_files(tmp_path: Path):
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    (tmp_path / "corpus").mkdir()
    other = tmp_path / "corpus" / "other.json"
    other.write_text("{}\n", encoding="utf-8")
    docs, _ = clean_manifest(tmp_path)
    write_corpus(tmp_path, docs)
    first = (tmp_path / "corpus" / f"{SEED_ID}.json").read_bytes()
    docs2, _ = clean_manifest(tmp_path)
    write_corpus(tmp_path, docs2)
    assert (tmp_path / "corpus" / f"{SEED_ID}.json").read_bytes() == first
    assert other.read_text(encoding="utf-8") == "{}\n"
    assert not list((tmp_path / "corpus").glob(".*.tmp"))
