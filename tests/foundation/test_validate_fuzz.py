"""Random mutations of a valid record never crash the validator (jsonschema's own fuzzing idea)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsevents.ontology import load_ontology
from newsevents.records import Document, Finding
from newsevents.validate import (
    CHECKS,
    _fast_schema_check,
    _no_reference_or_meaning_finding,
    _reference_and_meaning,
    _schema_validator,
    validate_record,
)

CASES = Path(__file__).resolve().parent.parent / "cases" / "validate"
BASE = json.loads(
    (Path(__file__).resolve().parent.parent / "cases" / "validate" / "valid" / "annotated.json").read_text(
        encoding="utf-8"
    )
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10_000) | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += _paths(v, (*prefix, i))
    return out


PATHS = _paths(BASE)[1:]


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    rec = json.loads(json.dumps(BASE))
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(PATHS))
        parent = rec
        try:
            for key in path[:-1]:
                parent = parent[key]
            action = draw(st.sampled_from(["replace", "delete"]))
            if action == "delete":
                del parent[path[-1]]
            else:
                parent[path[-1]] = draw(JSON_VALUES)
        except (KeyError, IndexError, TypeError):
            continue
    return rec


@settings(max_examples=300, deadline=None)
@given(mutated())
def test_mutations_never_crash(rec: Any) -> None:
    findings = validate_record(rec)
    assert all(isinstance(f, Finding) and f.check in CHECKS for f in findings)
    if not [f for f in findings if f.severity == "error"]:
        # a record the validator accepts must load into the typed records
        Document.from_dict(rec)


@settings(max_examples=100, deadline=None)
@given(JSON_VALUES)
def test_arbitrary_json_never_crashes(value: Any) -> None:
    assert all(f.check in CHECKS for f in validate_record(value))


def test_valid_record_round_trips_through_the_typed_records() -> None:
    assert Document.from_dict(BASE).to_dict() == BASE


@settings(max_examples=300, deadline=None)
@given(mutated())
def test_fast_validator_agrees_with_the_reference(rec: Any) -> None:
    """jsonschema-rs answers valid/invalid; jsonschema (the reference) must say the same."""
    reference_valid = not list(_schema_validator().iter_errors(rec))
    assert _fast_schema_check()(rec) == reference_valid


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("published", "2019-02-30"),
        ("published", "2019-1-1"),
        ("published", "20191229"),
        ("published", "2019-12-29T10:00:00Z"),
        ("published", "2019-12-29"),
        ("url", "not a url"),
        ("url", "https://www.dw.com/en/x/a-51824125"),
        ("url", "dw.com/en"),
        ("url", "mailto:someone@example.org"),
        ("url", "http://exa mple.org"),
    ],
)
def test_fast_validator_agrees_on_formats(field: str, value: str) -> None:
    rec = json.loads(json.dumps(BASE))
    if field == "url":
        rec["source"]["url"] = value
    else:
        rec[field] = value
    reference_valid = not list(_schema_validator().iter_errors(rec))
    assert _fast_schema_check()(rec) == reference_valid, (field, value, reference_valid)


@settings(max_examples=400, deadline=None)
@given(mutated())
def test_fast_reference_path_never_hides_a_finding(rec: Any) -> None:
    """The yes/no path for levels 2-3 may say "no" too often, never "yes" wrongly."""
    if validate_record(rec, levels=1):
        return  # levels 2-3 only run on records that pass level 1
    explained: list[Finding] = []
    _reference_and_meaning(
        rec, load_ontology(), lambda check, message, _pointer: explained.append(Finding(check, message))
    )
    if _no_reference_or_meaning_finding(rec, load_ontology()):
        assert explained == []


@pytest.mark.parametrize(
    "path",
    sorted((CASES / "invalid").glob("ref.*.json")) + sorted((CASES / "invalid").glob("meaning.*.json")),
    ids=lambda p: p.stem,
)
def test_fast_reference_path_doubts_every_invalid_case(path: Path) -> None:
    rec = json.loads(path.read_text(encoding="utf-8"))
    assert not _no_reference_or_meaning_finding(rec, load_ontology())
