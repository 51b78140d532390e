"""The pure conversion pair, without a server: record_to_prediction and export_to_records.

Bad exports live in ``cases/<check-id>.json``, each named after the finding it must trigger.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from annotate_support import annotated_docs, make_doc
from hypothesis import given, settings

from newsevents.annotate.convert import (
    CHECKS,
    GOLD_RULE_GROUND_TRUTH,
    GOLD_RULE_LATEST,
    annotator_key,
    annotator_slug,
    canonical,
    export_to_records,
    record_to_prediction,
)
from newsevents.records import Argument, Document, EntityMention, EventMention, Severity, Span
from newsevents.validate import validate_record

CASES = Path(__file__).parent / "cases"
CASE_FILES = sorted(CASES.glob("annotate.*.json"))


def fake_export(doc: Document, result: list, *, annotations: list[dict] | None = None) -> list[dict]:
    anns = annotations or [{"id": 1, "completed_by": 5, "result": result, "updated_at": "2026-01-01T00:00:00Z"}]
    return [{"id": 9, "project": 4, "data": {"text": doc.text, "doc_id": doc.id}, "annotations": anns, "drafts": []}]


@settings(max_examples=200, deadline=None)
@given(annotated_docs())
def test_prediction_then_export_gives_the_canonical_record(doc: Document) -> None:
    assert [f for f in validate_record(doc.to_dict()) if f.severity == "error"] == []
    pred = record_to_prediction(doc)
    records, findings = export_to_records(fake_export(doc, pred["result"]), {doc.id: doc}, users={5: "Ann@Example.org"})
    assert findings == []
    passed, gold = records
    want = canonical(doc)
    assert passed.entity_mentions == want.entity_mentions
    assert passed.event_mentions == want.event_mentions
    assert (passed.text, passed.title, passed.source) == (doc.text, doc.title, doc.source)
    assert passed.provenance.status == "completed"
    assert passed.provenance.annotators == ("ann-at-example.org",)
    assert passed.provenance.label_studio == {
        "project": 4,
        "task": 9,
        "annotation": 1,
        "annotator_key": annotator_key("Ann@Example.org"),
    }
    assert gold.provenance.status == "gold"
    assert gold.entity_mentions == want.entity_mentions
    # The converted record is itself a fixed point of the pair.
    again, _ = export_to_records(fake_export(passed, record_to_prediction(passed)["result"]), {doc.id: doc})
    assert again[0].entity_mentions == passed.entity_mentions
    assert again[0].event_mentions == passed.event_mentions


@settings(max_examples=100, deadline=None)
@given(annotated_docs())
def test_canonical_keeps_cluster_membership(doc: Document) -> None:
    def partition(ms: list[tuple[str, str]]) -> set[frozenset[str]]:
        groups: dict[str, set[str]] = {}
        for mid, cluster in ms:
            groups.setdefault(cluster, set()).add(mid)
        return {frozenset(g) for g in groups.values()}

    can = canonical(doc)
    assert partition([(m.id, m.entity) for m in doc.entity_mentions]) == partition(
        [(m.id, m.entity) for m in can.entity_mentions]
    )
    assert partition([(e.id, e.event) for e in doc.event_mentions]) == partition(
        [(e.id, e.event) for e in can.event_mentions]
    )
    assert canonical(can) == can


def _load_case(path: Path) -> tuple[dict, dict[str, Document]]:
    case = json.loads(path.read_text(encoding="utf-8"))
    texts = case.get("corpus") or {
        t["data"]["doc_id"]: t["data"]["text"] for t in case["export"] if "doc_id" in t.get("data", {})
    }
    return case, {doc_id: make_doc(doc_id, text) for doc_id, text in texts.items()}


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_bad_export_case_triggers_its_finding(path: Path) -> None:
    case, corpus = _load_case(path)
    check = path.stem
    records, findings = export_to_records(case["export"], corpus, users={2: "ann@example.org"})
    hits = [f for f in findings if f.check == check]
    assert hits, f"{check} not found in {[str(f) for f in findings]}"
    for f in hits:
        assert f.severity == CHECKS[check]
        assert "task 7" in f.message or "task #0" in f.message  # names the Label Studio task
        assert f.pointer.startswith("/task/")
    expect = case.get("expect")
    if expect is None:
        assert records == []
        return
    passed = records[0]
    assert len(passed.entity_mentions) == expect["entities"]
    assert len(passed.event_mentions) == expect["events"]
    assert sum(len(e.arguments) for e in passed.event_mentions) == expect["arguments"]
    # Whatever was converted is a valid record: the bad part was left out, not passed on.
    assert [f for f in validate_record(passed.to_dict()) if f.severity == Severity.ERROR.value] == []


def test_every_check_has_a_case_file() -> None:
    assert sorted(p.stem for p in CASE_FILES) == sorted(CHECKS)


def test_region_finding_names_the_region() -> None:
    case, corpus = _load_case(CASES / "annotate.mixed-region.json")
    _, findings = export_to_records(case["export"], corpus)
    (f,) = [f for f in findings if f.check == "annotate.mixed-region"]
    assert "region us" in f.message
    assert f.pointer == "/task/7/annotation/11/region/us"
    assert f.doc_id == "case-doc"


def _attack_doc() -> tuple[Document, list[dict]]:
    text = "Militia fighters attacked the base."
    doc = make_doc("attack", text)
    result = [
        {
            "id": "a",
            "from_name": "entity",
            "to_name": "text",
            "type": "labels",
            "value": {"start": 0, "end": 16, "text": "x", "labels": ["PER"]},
        },
        {
            "id": "a",
            "from_name": "kind",
            "to_name": "text",
            "type": "choices",
            "value": {"start": 0, "end": 16, "choices": ["NOM"]},
        },
        {
            "id": "b",
            "from_name": "entity",
            "to_name": "text",
            "type": "labels",
            "value": {"start": 26, "end": 34, "labels": ["FAC"]},
        },
        {
            "id": "b",
            "from_name": "kind",
            "to_name": "text",
            "type": "choices",
            "value": {"start": 26, "end": 34, "choices": ["NOM"]},
        },
        {
            "id": "t",
            "from_name": "trigger",
            "to_name": "text",
            "type": "labels",
            "value": {"start": 17, "end": 25, "labels": ["Conflict:Attack"]},
        },
        {
            "id": "t",
            "from_name": "realis",
            "to_name": "text",
            "type": "choices",
            "value": {"start": 17, "end": 25, "choices": ["actual"]},
        },
        # Drawn from the entity to the trigger, and "left": still the trigger's argument.
        {"from_id": "a", "to_id": "t", "type": "relation", "direction": "left", "labels": ["Attacker"]},
        {"from_id": "t", "to_id": "b", "type": "relation", "direction": "bi", "labels": ["Target"]},
    ]
    return doc, result


def test_relations_are_normalised_and_span_text_recomputed() -> None:
    doc, result = _attack_doc()
    records, findings = export_to_records(fake_export(doc, result), {doc.id: doc})
    assert [f.check for f in findings] == ["annotate.span-text-mismatch"]  # the "x" claimed for region a
    rec = records[0]
    assert [(m.id, m.text) for m in rec.entity_mentions] == [("a", "Militia fighters"), ("b", "the base")]
    (ev,) = rec.event_mentions
    assert ev.trigger.text == "attacked"
    assert [(a.role, a.mention) for a in ev.arguments] == [("Attacker", "a"), ("Target", "b")]
    assert [m.entity for m in rec.entity_mentions] == ["a", "b"]  # singletons: their own cluster


def test_gold_is_the_ground_truth_else_the_most_recent_and_skips_are_ignored() -> None:
    doc, result = _attack_doc()
    anns = [
        {"id": 1, "completed_by": 1, "result": result, "updated_at": "2026-01-03T00:00:00Z", "ground_truth": False},
        {"id": 2, "completed_by": 2, "result": result[:2], "updated_at": "2026-01-01T00:00:00Z", "ground_truth": True},
        {"id": 3, "completed_by": 3, "result": [], "updated_at": "2026-01-05T00:00:00Z", "was_cancelled": True},
    ]
    export = fake_export(doc, [], annotations=anns)
    export[0]["drafts"] = [{"id": 1, "user": "d@x.org", "result": result}]
    users = {1: "one@x.org", 2: "two@x.org", 3: "three@x.org"}
    records, _ = export_to_records(export, {doc.id: doc}, users=users)
    passes = [r for r in records if r.provenance.status == "completed"]
    (gold,) = [r for r in records if r.provenance.status == "gold"]
    assert sorted(p.provenance.annotators[0] for p in passes) == ["one-at-x.org", "two-at-x.org"]
    assert gold.provenance.label_studio == {
        "project": 4,
        "task": 9,
        "annotation": 2,
        "annotator_key": annotator_key("two@x.org"),
    }
    assert gold.provenance.gold_rule == GOLD_RULE_GROUND_TRUTH
    anns[1]["ground_truth"] = False
    records, _ = export_to_records(fake_export(doc, [], annotations=anns), {doc.id: doc}, users=users)
    (gold,) = [r for r in records if r.provenance.status == "gold"]
    assert gold.provenance.label_studio["annotation"] == 1
    assert gold.provenance.gold_rule == GOLD_RULE_LATEST


def test_only_skipped_annotations_give_no_record() -> None:
    doc, _ = _attack_doc()
    anns = [{"id": 3, "completed_by": 3, "result": [], "was_cancelled": True}]
    assert export_to_records(fake_export(doc, [], annotations=anns), {doc.id: doc}) == ([], [])


def test_coreference_chains_become_connected_components() -> None:
    doc, result = _attack_doc()
    more = [
        {
            "id": "c",
            "from_name": "entity",
            "to_name": "text",
            "type": "labels",
            "value": {"start": 8, "end": 16, "labels": ["PER"]},
        },
        {
            "id": "c",
            "from_name": "kind",
            "to_name": "text",
            "type": "choices",
            "value": {"start": 8, "end": 16, "choices": ["NOM"]},
        },
        {"from_id": "c", "to_id": "a", "type": "relation", "direction": "right", "labels": ["Coreference"]},
    ]
    records, _ = export_to_records(fake_export(doc, result + more), {doc.id: doc})
    clusters = {m.id: m.entity for m in records[0].entity_mentions}
    assert clusters == {"a": "a", "c": "a", "b": "b"}


@pytest.mark.parametrize(
    ("user", "slug"), [("ann@example.org", "ann-at-example.org"), ("Bob Smith", "bob-smith"), ("../x", "x")]
)
def test_annotator_slug(user: str, slug: str) -> None:
    assert annotator_slug(user) == slug


def test_prediction_keeps_mention_ids_as_region_ids() -> None:
    doc, result = _attack_doc()
    records, _ = export_to_records(fake_export(doc, result), {doc.id: doc})
    pred = record_to_prediction(replace(records[0]))
    ids = {r["id"] for r in pred["result"] if "id" in r}
    assert ids == {"a", "b", "t"}
    assert pred["model_version"]


def _field(rid: str, name: str, span: tuple[int, int], entries: list[str]) -> dict:
    return {
        "id": rid,
        "from_name": name,
        "to_name": "text",
        "type": "textarea",
        "value": {"start": span[0], "end": span[1], "text": entries},
    }


def test_cluster_fields_join_mentions_with_the_same_name() -> None:
    doc, result = _attack_doc()
    result = [r for r in result if r.get("type") != "relation"]
    more = [
        {"id": "c", "from_name": "entity", "to_name": "text", "type": "labels",
         "value": {"start": 8, "end": 16, "labels": ["PER"]}},
        {"id": "c", "from_name": "kind", "to_name": "text", "type": "choices",
         "value": {"start": 8, "end": 16, "choices": ["NOM"]}},
        _field("a", "cluster", (0, 16), [" militia "]),
        _field("c", "cluster", (8, 16), ["militia"]),
        _field("b", "cluster", (26, 34), ["Militia"]),  # case counts: another cluster
        _field("t", "cluster", (17, 25), ["militia"]),  # an event cluster: another layer
    ]  # fmt: skip
    records, findings = export_to_records(fake_export(doc, result + more), {doc.id: doc})
    assert [f.check for f in findings] == ["annotate.span-text-mismatch"]  # the "x" claimed for region a
    assert {m.id: m.entity for m in records[0].entity_mentions} == {"a": "a", "c": "a", "b": "b"}
    assert [e.event for e in records[0].event_mentions] == ["t"]


def test_argument_entries_are_read_with_separators_and_notes() -> None:
    doc, result = _attack_doc()
    result = [r for r in result if r.get("type") != "relation"]
    fields = [
        _field("t", "arguments", (17, 25), ["Attacker=a Militia fighters; Target = b", "Victim=b", "Attacker=zz"]),
        _field("a", "arguments", (0, 16), ["Target=b"]),  # arguments belong to triggers
    ]
    records, findings = export_to_records(fake_export(doc, result + fields), {doc.id: doc})
    assert sorted(f.check for f in findings) == [
        "annotate.argument-missing-mention",
        "annotate.choice-mismatch",
        "annotate.role-not-allowed",
        "annotate.span-text-mismatch",  # the "x" claimed for region a
    ]
    (ev,) = records[0].event_mentions
    assert [(a.role, a.mention) for a in ev.arguments] == [("Attacker", "a"), ("Target", "b")]


def test_notes_with_separators_survive_the_round_trip() -> None:
    text = "Rebels; the army\nattacked the base = camp in Kirkuk."
    doc = make_doc("notes", text)
    ents = (
        EntityMention("a", 0, 16, text[0:16], "ORG", "NOM", "a"),  # holds ";" and a line break
        EntityMention("b", 26, 41, text[26:41], "FAC", "NOM", "b"),  # holds "="
    )
    ev = EventMention(
        "t", "Conflict:Attack", Span(17, 25, "attacked"), "actual", "t",
        (Argument("Attacker", "a"), Argument("Target", "b")),
    )  # fmt: skip
    doc = replace(doc, entity_mentions=ents, event_mentions=(ev,))
    pred = record_to_prediction(doc)["result"]
    (args,) = [r for r in pred if r["from_name"] == "arguments"]
    assert args["value"]["text"] == ["Attacker=a Rebels, the army", "Target=b the base = camp"]
    assert not [r for r in pred if r.get("type") == "relation"]
    records, findings = export_to_records(fake_export(doc, pred), {doc.id: doc})
    assert findings == []
    assert records[0].event_mentions == canonical(doc).event_mentions
