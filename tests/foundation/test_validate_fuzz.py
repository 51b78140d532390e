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


# --- hostile values (issue #18): surrogates, trailing newlines, odd dates, huge integers -----

ODD_STRINGS = st.sampled_from(
    [
        "\ud800",
        "\udfff",
        "\ud83d\ude00",  # a surrogate pair written as two code points: still two lone surrogates
        "\n",
        "\r\n",
        "0000-01-01",
        "9999-12-31",
        "2019-02-29",
        "2020-02-29",
        "2019-12-29\n",
        "2019-12-29T00:00:00",
        "+2019-12-29",
        "::::",
        "https://x.org/\n",
        "http://exa mple.org",
        "\x00",
    ]
)
HOSTILE_SCALARS = (
    st.text(alphabet=st.characters(exclude_categories=()), max_size=6)  # surrogates included
    | ODD_STRINGS
    | st.sampled_from([2**63 - 1, 2**63, -(2**63) - 1, 10**30, 10**5000])
)


@st.composite
def hostile(draw: st.DrawFn) -> Any:
    """The valid record with 1-3 values replaced, appended to or prefixed with hostile strings and numbers."""
    rec = json.loads(json.dumps(BASE))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        parent = rec
        try:
            for key in path[:-1]:
                parent = parent[key]
            old = parent[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue
        if not isinstance(parent, dict | list):
            continue  # an earlier replacement turned a container into a scalar
        value = draw(HOSTILE_SCALARS)
        how = draw(st.sampled_from(["replace", "append", "prefix"]))
        if isinstance(old, str) and isinstance(value, str) and how != "replace":
            value = old + value if how == "append" else value + old
        if draw(st.booleans()) and isinstance(parent, dict) and isinstance(value, str):
            parent[value] = old  # a hostile property name
        else:
            parent[path[-1]] = value
    return rec


def _fits(value: Any, *, integers: bool = True) -> bool:
    """Every string encodes as UTF-8 and (``integers``) every integer fits in 64 bits."""
    if isinstance(value, dict):
        return all(_fits(k, integers=integers) and _fits(v, integers=integers) for k, v in value.items())
    if isinstance(value, list):
        return all(_fits(v, integers=integers) for v in value)
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
    elif integers and isinstance(value, int) and not isinstance(value, bool):
        return -(2**63) <= value < 2**63
    return True


@settings(max_examples=400, deadline=None)
@given(hostile(), st.sampled_from([1, 2, 3]))
def test_hostile_values_are_findings_never_crashes(rec: Any, levels: int) -> None:
    findings = validate_record(rec, levels=levels)
    assert all(isinstance(f, Finding) and f.check in CHECKS for f in findings)
    json.dumps([f.to_dict() for f in findings], ensure_ascii=False).encode("utf-8")  # the report prints
    if not _fits(rec, integers=False):  # a surrogate anywhere is reported as one, at level 0
        assert "io.surrogate" in {f.check for f in findings}, findings
    if not _fits(
        rec
    ):  # an integer beyond 64 bits is refused (io.integer-too-large, or schema.type where no integer goes)
        assert [f for f in findings if f.severity == "error"], findings
    if not [f for f in findings if f.severity == "error"]:
        json.dumps(rec, ensure_ascii=False).encode("utf-8")  # what build, evaluate and compare do
        Document.from_dict(rec)


@settings(max_examples=400, deadline=None)
@given(hostile())
def test_both_validators_agree_on_hostile_values(rec: Any) -> None:
    """Patterns match in full and formats are one function in both: jsonschema-rs and jsonschema agree."""
    if not _fits(rec):
        return  # level 0 refuses the record before either validator sees it
    reference_valid = not list(_schema_validator().iter_errors(rec))
    assert _fast_schema_check()(rec) == reference_valid


def _string_positions(schema: dict[str, Any], prefix: str = "") -> list[tuple[str, set[str]]]:
    """(pointer with * for items, keywords) of every string in the schema."""
    out = []
    if schema.get("type") == "string" or schema.get("type") == ["string", "null"]:
        out.append((prefix, set(schema) - {"type"}))
    for key, sub in schema.get("properties", {}).items():
        out += _string_positions(sub, f"{prefix}/{key}")
    if isinstance(schema.get("items"), dict):
        out += _string_positions(schema["items"], f"{prefix}/*")
    return out


def test_the_strings_jsonschema_rs_never_reads_are_searched() -> None:
    """A string with no pattern, format or enum is never read as UTF-8 by jsonschema-rs."""
    from newsevents.schema import load_schema  # noqa: PLC0415
    from newsevents.validate import SPAN_TEXTS, UNREAD_STRINGS  # noqa: PLC0415

    unread = {p for p, kws in _string_positions(load_schema()) if not kws & {"pattern", "format", "enum"}}
    assert unread == set(UNREAD_STRINGS) | set(SPAN_TEXTS)


def test_the_format_positions_are_those_of_the_schema() -> None:
    """The project's format functions are applied after jsonschema-rs at these positions."""
    from newsevents.schema import FORMAT_CHECKS, load_schema  # noqa: PLC0415
    from newsevents.validate import FORMAT_POSITIONS  # noqa: PLC0415

    found: dict[str, str] = {}

    def walk(schema: dict[str, Any], prefix: str) -> None:
        if "format" in schema:
            found[prefix] = schema["format"]
        for key, sub in schema.get("properties", {}).items():
            walk(sub, f"{prefix}/{key}")
        if isinstance(schema.get("items"), dict):
            walk(schema["items"], f"{prefix}/*")

    walk(load_schema(), "")
    assert found == FORMAT_POSITIONS
    assert set(found.values()) <= set(FORMAT_CHECKS)
