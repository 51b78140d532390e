"""The labeling config: generated from the ontology, escaped, valid for the SDK (the server check is
in test_annotate_live.py)."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

import pytest

from newsevents.annotate.config import COREFERENCE, ENTITY, KIND, REALIS, TEXT, TRIGGER, config_errors, label_config
from newsevents.cli import main
from newsevents.ontology import load_ontology, parse_ontology

ONTO = load_ontology()


def _values(root: ET.Element, tag: str, name: str) -> list[str]:
    (control,) = [e for e in root.iter(tag) if e.get("name") == name]
    return [c.get("value", "") for c in control]


def test_config_lists_the_ontology_and_passes_the_sdk_validation() -> None:
    xml = label_config()
    assert config_errors(xml) == []
    root = ET.fromstring(xml)  # noqa: S314 - our own generated XML
    (text,) = root.iter("Text")
    assert (text.get("name"), text.get("value"), text.get("granularity")) == (TEXT, "$text", "symbol")
    assert _values(root, "Labels", ENTITY) == list(ONTO.entity_types)
    assert _values(root, "Labels", TRIGGER) == list(ONTO.event_types)
    assert _values(root, "Choices", KIND) == list(ONTO.mention_kinds)
    assert _values(root, "Choices", REALIS) == list(ONTO.realis)
    (relations,) = root.iter("Relations")
    assert [r.get("value") for r in relations] == [*ONTO.roles, COREFERENCE]
    for name, shown_for in ((KIND, ONTO.entity_types), (REALIS, tuple(ONTO.event_types))):
        (choices,) = [e for e in root.iter("Choices") if e.get("name") == name]
        assert choices.get("perRegion") == "true"
        assert choices.get("visibleWhen") == "region-selected"
        assert choices.get("whenLabelValue", "").split(",") == list(shown_for)


def test_label_values_are_escaped() -> None:
    raw = copy.deepcopy(ONTO.raw)
    raw["entity_types"]['A&B <"x">'] = {"description": "odd"}
    raw["event_types"]["Odd:'Q'&<R>"] = {"roles": {'R&"1"': ['A&B <"x">']}}
    onto = parse_ontology(raw)
    xml = label_config(onto)
    assert config_errors(xml) == []
    root = ET.fromstring(xml)  # noqa: S314
    assert 'A&B <"x">' in _values(root, "Labels", ENTITY)
    assert "Odd:'Q'&<R>" in _values(root, "Labels", TRIGGER)
    (relations,) = root.iter("Relations")
    assert 'R&"1"' in [r.get("value") for r in relations]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw["entity_types"].update({"Life:Die": {}}), "entity and event types must differ"),
        (lambda raw: raw["event_types"]["Life:Die"]["roles"].update({COREFERENCE: ["PER"]}), "reserved"),
        (lambda raw: raw["entity_types"].update({"A,B": {}}), "commas"),
    ],
)
def test_ambiguous_ontologies_are_refused(change, message: str) -> None:
    raw = copy.deepcopy(ONTO.raw)
    change(raw)
    with pytest.raises(ValueError, match=message):
        label_config(parse_ontology(raw))


def test_sdk_validation_catches_a_broken_config() -> None:
    broken = label_config().replace('toName="text"', 'toName="nowhere"', 1)
    assert config_errors(broken)


def test_cli_prints_or_writes_the_config(tmp_path, capsys) -> None:
    assert main(["annotate", "config"]) == 0
    assert capsys.readouterr().out == label_config()
    out = tmp_path / "config.xml"
    assert main(["annotate", "config", "--output", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == label_config()
