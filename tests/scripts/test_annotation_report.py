"""scripts/annotation_report.py on a small annotations folder built from one valid record.

Three documents (train, validation, test; the test one from another publisher), two passes each
that differ in known ways, an adjudicator pass (left out of the agreement), gold records and
adjudication logs of both shapes (scripts/adjudication.py's and the seed's with ``summary``).
"""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from dataclasses import replace
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

from newsevents.evaluate.agreement import pair_agreement

ROOT = Path(__file__).resolve().parents[2]
BASE = json.loads((ROOT / "tests" / "cases" / "validate" / "valid" / "annotated.json").read_text(encoding="utf-8"))
# The fixture's span texts that no report would contain by chance ("it", "said", "the base" might).
SPAN_TEXTS = ("Rebels", "Kirkuk", "Friday", "The army", "attacked", "repelled")
MARK = "ZEBRA-REASON-TEXT"  # a word of every reason: it must never reach the reports


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("annotation_report", ROOT / "scripts" / "annotation_report.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["annotation_report"] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


report = _script()


def _record(doc_id: str, split: str, annotator: str, status: str = "completed") -> dict[str, Any]:
    rec: dict[str, Any] = copy.deepcopy(BASE)
    rec["id"], rec["split"] = doc_id, split
    rec["provenance"] = {"status": status, "annotators": [annotator], "guideline_version": "1.1.0"}
    return rec


def _drop_mention(rec: dict[str, Any], mention: str) -> None:
    rec["entity_mentions"] = [m for m in rec["entity_mentions"] if m["id"] != mention]
    for e in rec["event_mentions"]:
        e["arguments"] = [a for a in e["arguments"] if a["mention"] != mention]


def _write(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1), encoding="utf-8")


def _pass_b(doc_id: str, split: str) -> dict[str, Any]:
    b = _record(doc_id, split, "annotator-b-at-x")
    if doc_id == "case-2":  # another entity type, another realis, "it" in a cluster of its own
        b["entity_mentions"][3]["type"] = "ORG"
        b["event_mentions"][1]["realis"] = "other"
        b["entity_mentions"][5]["entity"] = "it-alone"
    if doc_id == "case-3":  # "Kirkuk" missed (with its Place argument), "repelled" coreferent with "attacked"
        _drop_mention(b, "m3")
        b["event_mentions"][2]["event"] = "ev-attack"
        b["event_mentions"][1]["type"] = "Contact:Request"
        b["event_mentions"][1]["arguments"] = []
    return b


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("annotations")
    for doc_id, split in (("case-1", "train"), ("case-2", "validation"), ("case-3", "test")):
        _write(root / "passes" / doc_id / "annotator-a-at-x.json", _record(doc_id, split, "annotator-a-at-x"))
        _write(root / "passes" / doc_id / "annotator-b-at-x.json", _pass_b(doc_id, split))
        gold = _record(doc_id, split, "adjudicator-at-x", status="gold")
        if doc_id == "case-3":
            gold["source"]["publisher"] = "Another publisher"
        _write(root / "gold" / f"{doc_id}.json", gold)
    # The adjudicator's own pass is in passes/ too (as after a pull); it is no annotator of the pair.
    adjudicator = _record("case-1", "train", "adjudicator-at-x")
    _drop_mention(adjudicator, "m1")
    _write(root / "passes" / "case-1" / "adjudicator-at-x.json", adjudicator)
    _write(
        root / "adjudication" / "case-2" / "disagreements.json",
        {
            "doc_id": "case-2",
            "total": 3,
            "items": [
                {"item": "entity-001", "layer": "entity", "kind": "differs"},
                {"item": "trigger-001", "layer": "trigger", "kind": "differs"},
                {"item": "entity-coref-001", "layer": "entity-coref", "kind": "cluster-differs"},
            ],
        },
    )
    _write(
        root / "adjudication" / "case-2" / "decisions.json",
        {
            "doc_id": "case-2",
            "decisions": [
                {"item": "entity-001", "layer": "entity", "what": "x", "decision": "a", "reason": f"5 TIME {MARK}"},
                {
                    "item": "trigger-001",
                    "layer": "trigger",
                    "what": "x",
                    "decision": "b",
                    "reason": f"9: realis (13a.2) {MARK}",
                },
                {
                    "item": "entity-coref-001",
                    "layer": "entity-coref",
                    "decision": "a",
                    "reason": f"See entity-001 {MARK}",
                },
            ],
            "fixes": [{"what": "x", "reason": f"4.3: whole NP {MARK}"}],
            "clarifications": [f"{MARK} one", f"{MARK} two"],
        },
    )
    _write(
        root / "adjudication" / "case-3" / "decisions.json",
        {
            "summary": {"disagreements": 4, "by_decision": {"a": 2, "both": 1, "other": 1}, "new_fixes": 1},
            "decisions": [
                {"item": "entity-001", "layer": "entity", "kind": "only-a", "decision": "a", "reason": MARK},
                {"item": "argument-001", "layer": "argument", "kind": "only-a", "decision": "a", "reason": MARK},
                {"item": "trigger-001", "layer": "trigger", "kind": "differs", "decision": "both", "reason": MARK},
                {"item": "event-coref-001", "layer": "event-coref", "decision": "other", "reason": f"11 {MARK}"},
                {"item": "new-001", "layer": "entity", "kind": "adjudicator", "decision": "new", "reason": MARK},
            ],
        },
    )
    return root


@pytest.fixture(scope="module")
def material(folder: Path) -> Any:
    return report.load_material(folder, report.guideline_sections(ROOT / "docs" / "guidelines.md"))


def test_pairs_leave_the_adjudicator_out(material: Any) -> None:
    assert sorted(material.pairs) == ["case-1", "case-2", "case-3"]
    assert {(a, b) for a, b, _, _ in material.pairs.values()} == {("annotator-a-at-x", "annotator-b-at-x")}
    assert material.unpaired == {}


def test_pooled_agreement_is_the_library_figure_and_inside_its_interval(material: Any) -> None:
    per_doc = report.per_document_counts(material)
    pooled = report.pooled_agreement(per_doc, n=500, seed=3)
    ids = sorted(material.pairs)
    lib = pair_agreement([material.pairs[i][2] for i in ids], [material.pairs[i][3] for i in ids])
    assert pooled.result == {k: v for k, v in lib.items() if k != "documents"}
    assert pooled.values["realis (trigger span + realis)"] == pytest.approx(16 / 18)  # 9 and 9 triggers, 8 agree
    assert pooled.values["entity type (span + type)"] == pytest.approx(2 * 19 / (21 + 20))
    for name, value in pooled.values.items():
        interval = pooled.intervals[name]
        if value is None:  # nothing to score in the pooled counts: nothing in any resample either
            assert interval is None, name
            continue
        assert interval is not None, name
        assert interval[0] <= value + 1e-12, name
        assert value <= interval[1] + 1e-12, name
    # Documents differ, so the intervals are not points; and the same seed gives the same intervals.
    assert pooled.intervals["arguments (trigger, type, role, argument span)"][0] < lib["layers"]["argument"]["f1"]
    assert report.pooled_agreement(per_doc, n=500, seed=3).intervals == pooled.intervals


def test_one_document_gives_a_point_interval(material: Any) -> None:
    per_doc = report.per_document_counts(material)
    pooled = report.pooled_agreement({"case-2": per_doc["case-2"]}, n=50)
    value = pooled.values["entity type (span + type)"]
    assert pooled.intervals["entity type (span + type)"] == [pytest.approx(value), pytest.approx(value)]


def test_vector_round_trip(material: Any) -> None:
    c = report.per_document_counts(material)["case-3"]
    tl, bl = report.kappa_labels([c], "token_type"), report.kappa_labels([c], "bio")
    assert report.from_vector(report.to_vector(c, tl, bl), tl, bl).to_dict() == c.to_dict()


def test_counts_add_up(material: Any) -> None:
    counts = report.count_gold(material.gold)
    overview = counts.overview
    assert set(overview) == {"train", "validation", "test", "all"}
    for quantity, total in overview["all"].items():
        assert sum(overview[s][quantity] for s in ("train", "validation", "test")) == total, quantity
    assert overview["all"]["documents"] == 3
    assert overview["all"]["characters"] == 3 * len(BASE["text"])
    assert sum(counts.entity.values()) == overview["all"]["entity mentions"] == 3 * len(BASE["entity_mentions"])
    assert sum(counts.event.values()) == overview["all"]["event mentions"] == 3 * len(BASE["event_mentions"])
    assert sum(counts.role.values()) == overview["all"]["arguments"] == 3 * 7
    assert counts.entity[("test", "ORG", "PRO")] == 1


def test_both_shapes_of_the_adjudication_log(material: Any) -> None:
    new, old = material.logs["case-2"], material.logs["case-3"]
    assert new.disagreements == 3
    assert [d for _, _, d in new.decisions] == ["a", "b", "a"]
    assert new.decisions[0] == ("entity", "differs", "a")  # kind taken from disagreements.json
    assert (new.fixes, new.clarifications, new.refers) == (1, 2, 1)
    assert new.sections == (("5 TIME",), ("9", "13a.2"), ())
    assert new.fix_sections == (("4.3",),)
    assert old.disagreements == 4
    assert [d for _, _, d in old.decisions] == ["a", "a", "both", "other"]  # "new" is a fix
    assert old.fixes == 1


def test_the_script_writes_both_reports_without_any_text(folder: Path, tmp_path: Path) -> None:
    report.main(["--annotations", str(folder), "--out-dir", str(tmp_path)])
    ann = (tmp_path / "annotation-report.md").read_text(encoding="utf-8")
    base = (tmp_path / "baselines.md").read_text(encoding="utf-8")
    for text in (ann, base):
        assert MARK not in text
        for span in SPAN_TEXTS:
            assert span not in text, span
    assert "| case-2 | validation | 3 | 2 | 1 | 0 | 0 | 0 | 1 | 2 |" in ann
    assert "| case-3 | test | 4 | 2 | 0 | 1 | 0 | 1 | 1 | 0 |" in ann
    assert "| 13a.2 | Clarifications from adjudication (1.1.0), item 2 | 1 |" in ann
    assert "| all | 3 |" in ann  # the agreement table by split and publisher
    assert "Another publisher (n = 1)" in base
    assert "| train (n = 1) | validation (n = 1) | test (n = 1) | all (n = 3) |" in base


def test_spacy_section_scores_entities_only(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # spaCy is not a dependency: a stand-in pipeline that predicts the gold entities and no events.
    def fake_run(docs: list[Any], *, spacy_model: str | None = None) -> tuple[list[Any], str]:
        if spacy_model is None:
            preds, system = real_run(docs)
            return list(preds), str(system)
        return [replace(d, event_mentions=()) for d in docs], f"spacy:{spacy_model}"

    real_run = report.run_baseline
    monkeypatch.setattr(report, "run_baseline", fake_run)
    monkeypatch.setattr(report, "load_pipeline", lambda model: model)
    monkeypatch.setitem(sys.modules, "spacy", SimpleNamespace(__version__="0.0-test"))
    report.main(["--annotations", str(folder), "--out-dir", str(tmp_path), "--spacy", "fake_model"])
    base = (tmp_path / "baselines.md").read_text(encoding="utf-8")
    section = base.split("## `spacy:fake_model`", 1)[1]
    assert "spaCy 0.0-test" in section
    assert "| entities, strict (span + type) | 100.0 (100.0\N{EN DASH}100.0) |" in section
    assert "events, Trig-I" not in section


def test_a_missing_spacy_pipeline_is_a_usage_error_before_anything_is_written(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exc:
        report.main(["--annotations", str(folder), "--out-dir", str(out), "--spacy", "no_such_pipeline_xyz"])
    assert exc.value.code == 2
    assert not out.exists()
