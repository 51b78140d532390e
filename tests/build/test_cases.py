"""Data-driven cases: each file is named after the drop count or finding it must trigger."""

from __future__ import annotations

import json
import shutil

import pytest
from build_support import CASES, build_fixture, make_project

from newsevents.build.collect import CHECKS, corpus_records
from newsevents.build.project import build_project
from newsevents.build.views import DROP_REASONS, Dropped, ner_row, sentence_rows
from newsevents.cli import main
from newsevents.records import Document, Severity
from newsevents.validate import validate_record

VIEW_CASES = sorted((CASES / "views").glob("*.json"))
GOLD_CASES = sorted(p for p in (CASES / "gold").iterdir() if p.is_dir())


def test_every_drop_reason_and_build_check_has_a_case():
    assert {p.stem for p in VIEW_CASES} == set(DROP_REASONS)
    build_checks = {p.name for p in GOLD_CASES if p.name.startswith("build.gold")}
    assert build_checks == {c for c in CHECKS if c.startswith("build.gold")}


@pytest.mark.parametrize("path", VIEW_CASES, ids=lambda p: p.stem)
def test_view_case_triggers_its_drop_reason(path):
    rec = json.loads(path.read_text(encoding="utf-8"))
    assert validate_record(rec) == []  # droppable, yet a valid record
    dropped = Dropped()
    for sent in sentence_rows(Document.from_dict(rec), dropped):
        ner_row(sent, dropped)
    assert dropped.counts[path.stem] >= 1, dropped.to_dict()


@pytest.mark.parametrize("case", GOLD_CASES, ids=lambda p: p.name)
def test_gold_case_triggers_its_finding(case, tmp_path):
    root = make_project(tmp_path / "project")
    for f in case.iterdir():
        shutil.copy(f, root / "annotations" / "gold" / f.name)
    result = build_project(root, root / "dist", cleaner=corpus_records)
    found = [f for f in result.findings if f.check == case.name]
    assert found, [str(f) for f in result.findings]
    if found[0].severity == Severity.ERROR.value:
        assert result.installed == {}
        assert not (root / "dist").exists()
    else:
        assert result.installed["full"].status == "written"


def test_gold_text_mismatch_stops_the_cli_build_with_exit_1(tmp_path, capsys):
    root = make_project(tmp_path / "project")
    shutil.copy(CASES / "gold" / "build.gold-text-mismatch" / "tiny-open.json", root / "annotations" / "gold")
    assert main(["build", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "[build.gold-text-mismatch] error" in err
    text = json.loads((root / "corpus" / "tiny-open.json").read_text(encoding="utf-8"))["text"]
    assert f"from offset {len(text) - 1}:" in err  # the case changed the final "." to "!"
    assert "nothing written" in err
    assert not (root / "dist").exists()


def test_the_gold_record_supplies_annotations_and_the_cleaner_the_metadata(tmp_path):
    root = make_project(tmp_path / "project")
    shutil.copy(CASES / "gold" / "build.gold-metadata-differs" / "tiny-open.json", root / "annotations" / "gold")
    b = build_fixture(root)
    facts = {d["id"]: d for d in b.result.rendered["full"].release["documents"]}
    assert facts["tiny-open"]["status"] == "gold"
    rows = b.result.rendered["full"].release["statistics"]
    assert rows["annotation_status"] == {"gold": 2, "none": 1}
