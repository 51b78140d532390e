"""The baselines: the lexicon system's output is valid and deterministic; the spaCy adapter maps
OntoNotes labels through the crosswalk and, without spaCy, says how to install it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from newsevents.evaluate.baselines import BaselineUnavailableError, lexicon, run_baseline
from newsevents.evaluate.baselines.spacy_adapter import load_pipeline, map_ontonotes
from newsevents.evaluate.load import load_records
from newsevents.ontology import load_ontology
from newsevents.validate import validate_record

DATA = Path(__file__).parent / "data"


def test_ontonotes_labels_map_through_the_crosswalk():
    case = json.loads((DATA / "ontonotes-entities.json").read_text(encoding="utf-8"))
    mentions, dropped = map_ontonotes(case["text"], [tuple(e) for e in case["ents"]])
    assert [[m.start, m.end, m.type] for m in mentions] == case["expected"]
    assert dict(dropped) == case["dropped"]
    assert all(case["text"][m.start : m.end] == m.text for m in mentions)
    assert all(m.kind == "NAM" for m in mentions)


def test_every_crosswalk_target_is_an_entity_type():
    onto = load_ontology()
    assert set(onto.from_ontonotes.values()) <= set(onto.entity_types)


def test_missing_spacy_is_reported_with_an_install_hint(monkeypatch):
    # None in sys.modules makes `import spacy` raise ModuleNotFoundError, as on a machine without it.
    monkeypatch.setitem(sys.modules, "spacy", None)
    with pytest.raises(BaselineUnavailableError, match=r"pip install spacy"):
        load_pipeline("en_core_web_sm")


def test_lexicon_predictions_are_valid_and_deterministic():
    docs = list(load_records([DATA / "gold"]).docs.values())
    preds, system = run_baseline(docs)
    assert system == lexicon.SYSTEM
    assert [p.to_dict() for p in preds] == [p.to_dict() for p in run_baseline(docs)[0]]
    for gold, pred in zip(docs, preds, strict=True):
        assert pred.text == gold.text
        assert pred.provenance.status == "predicted"
        assert validate_record(pred.to_dict()) == []
    assert sum(len(p.entity_mentions) for p in preds) > 0
    assert sum(len(p.event_mentions) for p in preds) > 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("President Jane Doe spoke.", {("President Jane Doe", "PER"), ("President", "TTL")}),
        ("Two Iraqi soldiers were killed.", {("Two Iraqi soldiers", "PER"), ("Iraqi", "GPE")}),
        ("It happened on March 3, 2021 in Kabul.", {("March 3, 2021", "TIME"), ("Kabul", "GPE")}),
        ("Rockets hit the embassy.", {("Rockets", "WEA"), ("the embassy", "FAC")}),
    ],
)
def test_lexicon_entity_rules(text, expected):
    found = {(text[s:e], t) for s, e, t, _ in lexicon.find_entities(text)}
    assert found == expected
