"""The labeling config: generated from the ontology, escaped, valid for the SDK (the server check is
in test_annotate_live.py), and drawn so that a fully annotated article stays readable (no relation
arrows, types written on the spans, distinct colours; the browser check is in
test_annotate_labeling_view.py)."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

import pytest

from newsevents.annotate.config import (
    ARGUMENTS,
    CLUSTER,
    COREFERENCE,
    ENTITY,
    KIND,
    REALIS,
    TEXT,
    TRIGGER,
    TRIGGER_COLOUR,
    config_errors,
    label_config,
)
from newsevents.cli import main
from newsevents.ontology import load_ontology, parse_ontology

ONTO = load_ontology()


def _values(root: ET.Element, tag: str, name: str) -> list[str]:
    (control,) = [e for e in root.iter(tag) if e.get("name") == name]
    return [c.get("value", "") for c in control]


def _control(root: ET.Element, tag: str, name: str) -> ET.Element:
    (control,) = [e for e in root.iter(tag) if e.get("name") == name]
    return control


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
    for tag, name, shown_for in (
        ("Choices", KIND, ONTO.entity_types),
        ("Choices", REALIS, tuple(ONTO.event_types)),
        ("TextArea", CLUSTER, (*ONTO.entity_types, *ONTO.event_types)),
        ("TextArea", ARGUMENTS, tuple(ONTO.event_types)),
    ):
        control = _control(root, tag, name)
        assert control.get("perRegion") == "true"
        assert control.get("visibleWhen") == "region-selected"
        assert control.get("whenLabelValue", "").split(",") == list(shown_for)
        # Not required: Label Studio 1.23 would check it on every region (docs/annotation.md).
        assert control.get("required") is None
    assert _control(root, "TextArea", CLUSTER).get("maxSubmissions") == "1"
    assert _control(root, "TextArea", ARGUMENTS).get("maxSubmissions") is None  # one entry per argument


def test_the_view_draws_no_arrows_and_writes_types_on_the_spans() -> None:
    root = ET.fromstring(label_config())  # noqa: S314
    # Coreference and arguments are per-region fields: no relation, hence no arrow, is drawn.
    assert list(root.iter("Relations")) == []
    assert list(root.iter("Relation")) == []
    (text,) = root.iter("Text")
    assert text.get("showLabels") == "true"  # "12:GPE" after each span, whatever the user settings
    ent = {c.get("value"): c.get("background") for c in _control(root, "Labels", ENTITY)}
    trig = {c.get("value"): c.get("background") for c in _control(root, "Labels", TRIGGER)}
    assert len(set(ent.values())) == len(ent)  # one hue per entity type
    assert set(trig.values()) == {TRIGGER_COLOUR}
    assert TRIGGER_COLOUR not in ent.values()
    (style,) = root.iter("Style")
    assert "htx-highlight" in (style.text or "")


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
    assert "Odd:'Q'&<R>" in _control(root, "TextArea", ARGUMENTS).get("whenLabelValue", "")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw["entity_types"].update({"Life:Die": {}}), "entity and event types must differ"),
        (lambda raw: raw["event_types"]["Life:Die"]["roles"].update({COREFERENCE: ["PER"]}), "reserved"),
        (lambda raw: raw["entity_types"].update({"A,B": {}}), "commas"),
        (lambda raw: raw["event_types"]["Life:Die"]["roles"].update({"Place=x": ["GPE"]}), "Role=id"),
        (lambda raw: raw["event_types"]["Life:Die"]["roles"].update({"A;B": ["GPE"]}), "Role=id"),
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
