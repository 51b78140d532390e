"""Validation of document records in three levels, every finding collected.

Level 1 checks the JSON Schema (with format checking); level 2 checks references (offsets, span
texts, ids, clusters); level 3 checks meaning against the ontology (roles, argument types,
duplicates). Levels 2 and 3 run only on records that pass level 1, since they rely on its shape.
Each finding has a stable check id catalogued in ``docs/checks.md``.

Example:
    >>> rec = {"id": "x", "title": "T", "text": "T", "language": "en", "split": "test",
    ...        "source": {"publisher": "P", "license": "L", "raw_file": "f", "raw_sha256": "0" * 64}}
    >>> validate_record(rec)
    []
    >>> [f.check for f in validate_record({**rec, "id": "../../x"})]
    ['schema.pattern']
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from newsevents.io import (
    MAX_RECORD_BYTES,
    display_path,
    escape_surrogates,
    hostile_value_findings,
    iter_json_files,
    read_json,
)
from newsevents.ontology import Ontology, load_ontology

# jsonschema (the reference validator that explains invalid records) pulls in rfc3987_syntax, 4-6 s
# of import: it is imported only when a record is invalid, never for a valid corpus or --help.
if TYPE_CHECKING:
    import jsonschema
from newsevents.records import Finding, Severity, text_sha256
from newsevents.schema import FORMAT_CHECKS, MAX_INTEGER, fullmatch_pattern, load_schema

# Check ids by level; docs/checks.md documents each and tests/cases/validate/invalid/ triggers each.
SCHEMA_KEYWORDS = (
    "required",
    "additionalProperties",
    "type",
    "enum",
    "pattern",
    "format",
    "minimum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
)
# Seconds one file may take in validate_paths; past it the file fails with ``io.time-budget``.
TIME_BUDGET_S = 60.0
# check id -> (level, rule); docs/checks.md is rendered from this table (render_catalogue).
CATALOGUE: dict[str, tuple[int, str]] = {
    "io.unreadable": (0, "The file can be opened and read (a broken link or a permission problem is reported)."),
    "io.special-file": (
        0,
        "A record file is a regular file: a FIFO, device or socket is refused before it is opened "
        "(reading `/dev/urandom` never ends, opening a FIFO blocks).",
    ),
    "io.too-large": (
        0,
        f"A record file is at most {MAX_RECORD_BYTES // 2**20} MiB; a larger one is not read "
        "(nor more than that of a file that grows while read).",
    ),
    "io.encoding": (0, "The file is UTF-8 (a leading BOM is tolerated)."),
    "io.json": (0, "The file parses as JSON (a truncated file is reported with line and column)."),
    "io.not-object": (0, "Each record is a JSON object (a file holds one record or a list of records)."),
    "io.surrogate": (
        0,
        "No string or property name holds a lone surrogate (`\\ud800`): a JSON escape can write one, "
        "but no UTF-8 text can hold it, so every later stage would fail to write the record.",
    ),
    "io.integer-too-large": (
        0,
        f"Offsets, line numbers and Label Studio ids fit in 64 bits (at most {MAX_INTEGER}): a larger one "
        "cannot be stored in the dataset; and no number anywhere has more than 4,300 digits "
        "(Python refuses to parse it).",
    ),
    "io.time-budget": (
        0,
        f"Validating one file takes at most {TIME_BUDGET_S:.0f} s; a file that needs more fails, its remaining "
        "records unchecked (a hostile file cannot hold up the report of the others).",
    ),
    "io.internal-error": (
        0,
        "(a bug) Validating the file raised an unexpected error; the other files are still "
        "validated and reported. Please report it with the file.",
    ),
    "schema.required": (
        1,
        "A required property is present (`id`, `title`, `text`, `language`, `split`, `source`, "
        "and the required fields of nested objects).",
    ),
    "schema.additionalProperties": (1, "No property outside the schema (catches misspelt field names)."),
    "schema.type": (1, "Each value has the JSON type the schema gives."),
    "schema.enum": (
        1,
        "Closed sets come from the ontology (entity type, kind, event type, role, realis), "
        "and split and provenance status from the schema.",
    ),
    "schema.pattern": (
        1,
        "`id` is a file-name-safe slug (`^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$`, so `../../x` is "
        "refused); mention ids, sha256 values and language tags have their patterns.",
    ),
    "schema.format": (1, "`published` and `source.retrieved` are ISO dates; `source.url` is a URI."),
    "schema.minimum": (1, "Offsets and line numbers are not negative (lines start at 1)."),
    "schema.minLength": (1, "Text and span texts are not empty."),
    "schema.maxLength": (1, "`text` is at most 2,000,000 characters (a larger text is a cleaning failure)."),
    "schema.minItems": (1, "A paragraph's `raw_lines` has two numbers (first and last raw line)."),
    "schema.maxItems": (1, "A paragraph's `raw_lines` has two numbers (first and last raw line)."),
    "schema.integer": (
        1,
        "Offsets, line numbers and Label Studio ids are written as integers (`7`, not `7.0` or `7e0`): "
        "JSON Schema counts `7.0` as an integer, but an offset read as a float cannot index the text.",
    ),
    "ref.text-sha256": (2, "`text_sha256`, when present, is the sha256 of the UTF-8 text."),
    "ref.text-nfc": (2, "`text` is NFC-normalised (offsets would shift under normalisation otherwise)."),
    "ref.text-newline": (2, "`text` uses `\\n` newlines only."),
    "ref.offset-range": (2, "Every span has `0 <= start < end <= len(text)`."),
    "ref.span-text": (2, "Every span's `text` equals `text[start:end]`."),
    "ref.duplicate-id": (2, "Entity and event mention ids are unique within the document."),
    "ref.argument-missing": (2, "An argument's `mention` is the id of an entity mention of the document."),
    "ref.entity-cluster-type": (2, "All mentions of one entity cluster have the same type."),
    "ref.event-cluster-type": (2, "All mentions of one event cluster have the same type."),
    "ref.cluster-id-clash": (2, "A cluster id names an entity cluster or an event cluster, not both."),
    "ref.paragraph-range": (2, "The cleaner's paragraph offsets lie inside the text."),
    "meaning.role-not-allowed": (3, "An argument's role is one of its event type's roles (ontology)."),
    "meaning.argument-type": (3, "The argument's entity type is allowed for the role (the ontology's role table)."),
    "meaning.duplicate-argument": (3, "The same role and mention are not given twice for one event mention."),
    "meaning.duplicate-mention": (
        3,
        "A span is not annotated twice with the same entity type, nor a trigger twice with the same event type.",
    ),
    "meaning.conflicting-types": (3, "A span is not annotated with two different entity types."),
    "meaning.trigger-is-entity": (3, "A trigger span is not also an entity mention span."),
    "meaning.span-whitespace": (3, "(warning) A span does not start or end with whitespace."),
}
CHECKS: dict[str, int] = {check: level for check, (level, _) in CATALOGUE.items()}
WARNINGS = frozenset({"meaning.span-whitespace"})
# Cases too large to keep as data files are generated by the tests named here.
GENERATED_CASES = {
    "io.special-file": "`test_fifo_is_refused_unopened`",
    "io.integer-too-large": "`test_five_thousand_digit_integer_is_a_finding`",
    "io.time-budget": "`test_time_budget_is_a_finding`",
    "io.internal-error": "`test_internal_error_is_a_finding_and_other_files_are_reported`",
    "io.too-large": "`test_too_large_file_is_a_finding`",
    "schema.maxLength": "`test_fifty_megabyte_text_is_a_finding`",
}


# Folders under annotations/ that hold no records: raw Label Studio exports (checked by conversion
# in annotate pull) and adjudication logs (documentation).
NOT_RECORDS = frozenset({"exports", "adjudication"})


def _pattern(
    _validator: Any, pattern: str, instance: Any, _schema: dict[str, Any]
) -> Iterator[jsonschema.ValidationError]:
    """jsonschema's ``pattern`` with ECMA-262's (and jsonschema-rs's) final ``$``: end of input."""
    import jsonschema  # noqa: PLC0415 - see the module's imports

    if isinstance(instance, str) and not re.search(fullmatch_pattern(pattern), instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _schema_validator() -> jsonschema.protocols.Validator:
    """The reference validator: jsonschema, with the project's pattern and format semantics.

    Python's ``re`` lets ``$`` match before a final newline (``"en\\n"`` would pass the language
    pattern) and each validator has its own idea of a date (jsonschema-rs accepts ``0000-01-01``);
    both validators get the same rules here, so they agree on every string.
    """
    import jsonschema  # noqa: PLC0415 - see the module's imports

    schema = load_schema()
    base = jsonschema.validators.validator_for(schema)
    base.check_schema(schema)
    cls = jsonschema.validators.extend(base, {"pattern": _pattern})  # type: ignore[no-untyped-call]
    checker = jsonschema.FormatChecker(formats=())
    for name, check in FORMAT_CHECKS.items():
        checker.checks(name)(check)
    validator: jsonschema.protocols.Validator = cls(schema, format_checker=checker)
    return validator


def _pointer(path: Iterable[Any]) -> str:
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in path]
    return "/" + "/".join(parts) if parts else ""


def _short(value: Any, limit: int = 60) -> str:
    if isinstance(value, int) and abs(value) > 10**limit:
        return f"an integer of about {int(abs(value).bit_length() * 0.30103) + 1} digits"
    try:
        s = repr(value)
    except ValueError:  # a container holding an integer of more than 4,300 digits
        s = f"<{type(value).__name__}>"
    s = escape_surrogates(s) if not s.isascii() else s
    return s if len(s) <= limit else s[: limit - 3] + "..."


@cache
def _fast_schema_check() -> Callable[[Any], bool]:
    """A compiled (Rust) validator that answers valid/invalid only.

    jsonschema-rs is about 100 times faster than jsonschema on our records; the findings of an
    invalid record still come from jsonschema, the reference implementation, so messages and
    check ids do not depend on which validator answered first. A test checks the two agree.

    Formats: jsonschema-rs applies its own rules, never stricter than the project's
    (:data:`newsevents.schema.FORMAT_CHECKS`, which the reference uses) but looser in places (it
    takes the year 0000); the project's are applied after it to the few strings with a format
    (:data:`FORMAT_POSITIONS`, checked against the schema by a test). Handing jsonschema-rs the
    functions as callbacks gave the same answers but cost 150 us a record.
    """
    rs_valid = _rs_validator().is_valid
    is_date, is_uri = FORMAT_CHECKS["date"], FORMAT_CHECKS["uri"]

    def is_valid(rec: Any) -> bool:
        if not rs_valid(rec):
            return False
        source = rec["source"]
        return bool(is_date(rec.get("published")) and is_date(source.get("retrieved")) and is_uri(source.get("url")))

    return is_valid


FORMAT_POSITIONS = {"/published": "date", "/source/retrieved": "date", "/source/url": "uri"}


@cache
def _rs_validator() -> Any:
    return jsonschema_rs.validator_for(load_schema(), validate_formats=True)


def _items(obj: Any, *keys: str) -> list[Any]:
    """``obj[k1][k2]...`` when that is a list of objects' path exists, else ``[]`` (any shape)."""
    for key in keys:
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj if isinstance(obj, list) else []


def _float_integers(rec: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(pointer, value) of each float at one of the schema's integer positions.

    ``json`` reads ``7.0`` and ``7e0`` as floats, and JSON Schema's ``integer`` accepts them, so
    jsonschema and jsonschema-rs both pass a record whose offsets would then fail as slice
    indices. Works on any shape (the schema may have failed too).
    """
    for i, m in enumerate(_items(rec, "entity_mentions")):
        if isinstance(m, dict):
            for key in ("start", "end"):
                if isinstance(m.get(key), float):
                    yield f"/entity_mentions/{i}/{key}", m[key]
    for i, e in enumerate(_items(rec, "event_mentions")):
        trig = e.get("trigger") if isinstance(e, dict) else None
        if isinstance(trig, dict):
            for key in ("start", "end"):
                if isinstance(trig.get(key), float):
                    yield f"/event_mentions/{i}/trigger/{key}", trig[key]
    for i, para in enumerate(_items(rec, "cleaning", "paragraphs")):
        if isinstance(para, dict):
            for key in ("start", "end"):
                if isinstance(para.get(key), float):
                    yield f"/cleaning/paragraphs/{i}/{key}", para[key]
            lines = para.get("raw_lines")
            for j, line in enumerate(lines if isinstance(lines, list) else []):
                if isinstance(line, float):
                    yield f"/cleaning/paragraphs/{i}/raw_lines/{j}", line
    for i, removed in enumerate(_items(rec, "cleaning", "removed")):
        if isinstance(removed, dict) and isinstance(removed.get("line"), float):
            yield f"/cleaning/removed/{i}/line", removed["line"]
    provenance = rec.get("provenance")
    ls = provenance.get("label_studio") if isinstance(provenance, dict) else None
    if isinstance(ls, dict):
        for key in ("project", "task", "annotation"):
            if isinstance(ls.get(key), float):
                yield f"/provenance/label_studio/{key}", ls[key]


def _integer_findings(obj: dict[str, Any], file: str | None, doc_id: str | None) -> list[Finding]:
    return [
        Finding(
            "schema.integer",
            f"an integer written as {value!r}: write it without a fraction or exponent",
            file=file,
            doc_id=doc_id,
            pointer=pointer,
            level=1,
        )
        for pointer, value in _float_integers(obj)
    ]


class TimeBudgetError(Exception):
    """Validation passed its deadline; the caller reports the file as ``io.time-budget`` and moves on."""


# Lists of a record that can be long; their items are checked one by one by the same subschema.
_LONG_LISTS = (("entity_mentions",), ("event_mentions",), ("cleaning", "paragraphs"), ("cleaning", "removed"))


def _prune(obj: dict[str, Any], errors: list[Any]) -> tuple[dict[str, Any], dict[tuple[str, ...], list[int]]]:
    """``obj`` with its long lists cut to the items jsonschema-rs finds errors in, and where each came from.

    jsonschema takes seconds per megabyte; on a record of 50,000 mentions with one wrong type it
    took 20 s to find that one error. The items of a long list are independent (no keyword looks
    at two of them), so the reference validator gives the same findings on the cut copy.
    """
    bad: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for err in errors:
        path = tuple(err.instance_path)
        for keys in _LONG_LISTS:
            n = len(keys)
            if path[:n] == keys and len(path) > n and isinstance(path[n], int):
                bad[keys].add(path[n])
                break
    pruned = dict(obj)
    kept: dict[tuple[str, ...], list[int]] = {}
    for keys in _LONG_LISTS:
        parent: Any = pruned
        for key in keys[:-1]:
            if not isinstance(parent.get(key), dict):
                break
            parent[key] = dict(parent[key])
            parent = parent[key]
        else:
            items = parent.get(keys[-1])
            if isinstance(items, list):
                kept[keys] = sorted(bad.get(keys, ()))
                parent[keys[-1]] = [items[i] for i in kept[keys]]
    return pruned, kept


def _unpruned(path: Iterable[Any], kept: dict[tuple[str, ...], list[int]]) -> list[Any]:
    out = list(path)
    for keys, where in kept.items():
        n = len(keys)
        if tuple(out[:n]) == keys and len(out) > n and isinstance(out[n], int):
            out[n] = where[out[n]]
    return out


def _schema_findings(
    obj: dict[str, Any], file: str | None, doc_id: str | None, errors: list[Any], deadline: float | None = None
) -> list[Finding]:
    """Level 1 of a record jsonschema-rs found invalid (``errors``), explained by jsonschema (the reference)."""
    out = _integer_findings(obj, file, doc_id)
    pruned, kept = _prune(obj, errors)
    for err in _schema_validator().iter_errors(pruned):
        if deadline is not None and time.monotonic() > deadline:
            raise TimeBudgetError
        kw = str(err.validator)
        check = f"schema.{kw}"
        if kw in {"maxLength", "minLength"} and isinstance(err.instance, str):
            msg = f"{kw} is {err.validator_value}, found a string of {len(err.instance)} characters"
        elif kw in {"required", "additionalProperties"}:
            msg = err.message
        else:
            msg = f"{kw} {_short(err.validator_value)} not met, found {_short(err.instance)}"
        pointer = _pointer(_unpruned(err.absolute_path, kept))
        out.append(Finding(check, msg, file=file, doc_id=doc_id, pointer=pointer, level=1))
    return out


def _unread_strings(rec: dict[str, Any]) -> Iterator[Any]:
    """The strings of a schema-valid record that jsonschema-rs checks for type and length only.

    jsonschema-rs reads a string as UTF-8 (and raises on a lone surrogate) only where a pattern,
    a format or an enum applies; these it never reads. Span texts are not here: level 2 checks
    each equals a slice of ``text``. ``UNREAD_STRINGS`` names these and a test derives that list
    from the schema.
    """
    yield rec["title"]
    yield rec["text"]
    source = rec["source"]
    yield source["publisher"]
    yield source["license"]
    yield source["raw_file"]
    for names in rec.get("credits", {}).values():
        yield from names
    cleaning = rec.get("cleaning")
    if cleaning is not None:
        yield from (cleaning.get(key, "") for key in ("cleaner", "profile", "overrides"))
        for r in cleaning.get("removed", ()):
            yield r["text"]
            yield r["reason"]
            yield r["rule"]
    prov = rec.get("provenance")
    if prov is not None:
        yield from prov.get("annotators", ())
        yield from (prov.get(key, "") for key in ("guideline_version", "tool", "gold_rule", "system"))
        yield prov.get("label_studio", {}).get("server", "")


UNREAD_STRINGS = (
    "/title",
    "/text",
    "/source/publisher",
    "/source/license",
    "/source/raw_file",
    "/credits/authors/*",
    "/credits/editors/*",
    "/credits/agencies/*",
    "/cleaning/cleaner",
    "/cleaning/profile",
    "/cleaning/overrides",
    "/cleaning/removed/*/text",
    "/cleaning/removed/*/reason",
    "/cleaning/removed/*/rule",
    "/provenance/annotators/*",
    "/provenance/guideline_version",
    "/provenance/tool",
    "/provenance/gold_rule",
    "/provenance/system",
    "/provenance/label_studio/server",
)
SPAN_TEXTS = ("/entity_mentions/*/text", "/event_mentions/*/trigger/text")


def _span_texts(rec: dict[str, Any]) -> Iterator[Any]:
    yield from (m["text"] for m in rec.get("entity_mentions", ()))
    yield from (e["trigger"]["text"] for e in rec.get("event_mentions", ()))


def _printable(doc_id: str | None) -> str | None:
    return escape_surrogates(doc_id) if doc_id is not None and not doc_id.isascii() else doc_id


def _may_be_hostile(rec: dict[str, Any], levels: int) -> bool:
    """True when a schema-valid record may hold a lone surrogate where jsonschema-rs did not look.

    One UTF-16 encode of the strings joined: CPython's encoder refuses any surrogate code point
    and runs near copying speed (a regular expression over the text took 15 times longer).
    """
    strings = list(_unread_strings(rec))
    if levels < 2:  # level 2 would find a span text that is not a slice of the (checked) text
        strings.extend(_span_texts(rec))
    try:
        "\0".join(strings).encode("utf-16-le")
    except UnicodeEncodeError:
        return True
    return _has_huge_integer(rec, spans=levels < 2)


def _has_huge_integer(rec: dict[str, Any], *, spans: bool) -> bool:
    """True when a schema-valid record has an integer of 4,300 digits or more at an integer position.

    jsonschema-rs bounds integers with the schema's ``maximum``, except those Python will not
    turn into a string (4,300 digits and more), which it lets through; only the Python API can
    give one (``json.loads`` refuses them). Level 2 compares span and paragraph offsets with the
    text length (a huge one fails there), so with ``spans`` false only the other positions are
    looked at: a few dozen comparisons.
    """
    lo, hi = -MAX_INTEGER - 1, MAX_INTEGER
    cleaning = rec.get("cleaning")
    if cleaning is not None:
        for para in cleaning.get("paragraphs", ()):
            first, last = para["raw_lines"]
            if not (lo <= first <= hi and lo <= last <= hi):
                return True
            if spans and not (lo <= para["start"] <= hi and lo <= para["end"] <= hi):
                return True
        if any(not lo <= r["line"] <= hi for r in cleaning.get("removed", ())):
            return True
    ls = rec.get("provenance", {}).get("label_studio", {})
    if any(isinstance(v, int) and not lo <= v <= hi for v in ls.values()):
        return True
    if spans:
        for m in rec.get("entity_mentions", ()):
            if not (lo <= m["start"] <= hi and lo <= m["end"] <= hi):
                return True
        for e in rec.get("event_mentions", ()):
            t = e["trigger"]
            if not (lo <= t["start"] <= hi and lo <= t["end"] <= hi):
                return True
    return False


def _span_findings(
    text: str, span: dict[str, Any], ptr: str, emit: Any
) -> bool:  # returns True when the span lies inside the text
    start, end = span["start"], span["end"]
    if not 0 <= start < end <= len(text):
        emit("ref.offset-range", f"need 0 <= start < end <= {len(text)}, found [{start}, {end})", ptr)
        return False
    if text[start:end] != span["text"]:
        emit(
            "ref.span-text", f"text[{start}:{end}] is {_short(text[start:end])}, span says {_short(span['text'])}", ptr
        )
    elif span["text"] != span["text"].strip():
        emit("meaning.span-whitespace", f"span has leading or trailing whitespace: {_short(span['text'])}", ptr)
    return True


def _cluster_type_findings(kind: str, cluster_types: dict[str, dict[str, str]], emit: Any) -> None:
    """One type per cluster: ``cluster_types`` maps cluster id -> type -> first pointer."""
    for cluster, types in cluster_types.items():
        if len(types) > 1:
            where = ", ".join(f"{t} at {p}" for t, p in types.items())
            emit(
                f"ref.{kind}-cluster-type",
                f"{kind} cluster {cluster!r} must have one type, found {where}",
                next(iter(types.values())),
            )


def _reference_and_meaning(rec: dict[str, Any], onto: Ontology, emit: Any) -> None:
    text: str = rec["text"]
    if "text_sha256" in rec and rec["text_sha256"] != text_sha256(text):
        emit(
            "ref.text-sha256",
            f"text_sha256 is {rec['text_sha256'][:12]}..., the text hashes to {text_sha256(text)[:12]}...",
            "/text_sha256",
        )
    if not unicodedata.is_normalized("NFC", text):
        emit("ref.text-nfc", "text must be NFC-normalised, found a non-NFC sequence", "/text")
    if "\r" in text:
        emit("ref.text-newline", f"text must use \\n newlines, found \\r at offset {text.index(chr(13))}", "/text")
    for i, para in enumerate(rec.get("cleaning", {}).get("paragraphs", [])):
        if not 0 <= para["start"] <= para["end"] <= len(text):
            emit(
                "ref.paragraph-range",
                f"need 0 <= start <= end <= {len(text)}, found [{para['start']}, {para['end']})",
                f"/cleaning/paragraphs/{i}",
            )

    seen_ids: dict[str, str] = {}
    entities: dict[str, dict[str, Any]] = {}
    entity_cluster_types: dict[str, dict[str, str]] = defaultdict(dict)
    spans: dict[tuple[int, int], list[tuple[str, str]]] = defaultdict(list)
    for i, m in enumerate(rec.get("entity_mentions", [])):
        ptr = f"/entity_mentions/{i}"
        if m["id"] in seen_ids:
            emit("ref.duplicate-id", f"mention id {m['id']!r} is already used at {seen_ids[m['id']]}", f"{ptr}/id")
        else:
            seen_ids[m["id"]] = ptr
            entities[m["id"]] = m
        _span_findings(text, m, ptr, emit)
        entity_cluster_types[m["entity"]].setdefault(m["type"], ptr)
        spans[(m["start"], m["end"])].append((m["type"], ptr))
    _cluster_type_findings("entity", entity_cluster_types, emit)
    for (start, end), typed in spans.items():
        span_types = {t for t, _ in typed}
        if len(span_types) > 1:
            emit(
                "meaning.conflicting-types",
                f"span [{start}, {end}) is annotated with types {sorted(span_types)}",
                typed[1][1],
            )
        elif len(typed) > 1:
            emit(
                "meaning.duplicate-mention",
                f"span [{start}, {end}) is annotated {len(typed)} times as {typed[0][0]}",
                typed[1][1],
            )

    event_cluster_types: dict[str, dict[str, str]] = defaultdict(dict)
    triggers: dict[tuple[int, int, str], str] = {}
    for i, ev in enumerate(rec.get("event_mentions", [])):
        ptr = f"/event_mentions/{i}"
        if ev["id"] in seen_ids:
            emit("ref.duplicate-id", f"mention id {ev['id']!r} is already used at {seen_ids[ev['id']]}", f"{ptr}/id")
        else:
            seen_ids[ev["id"]] = ptr
        trig = ev["trigger"]
        _span_findings(text, trig, f"{ptr}/trigger", emit)
        key = (trig["start"], trig["end"], ev["type"])
        if key in triggers:
            emit(
                "meaning.duplicate-mention",
                f"trigger [{key[0]}, {key[1]}) of {ev['type']} is also annotated at {triggers[key]}",
                f"{ptr}/trigger",
            )
        else:
            triggers[key] = ptr
        if (trig["start"], trig["end"]) in spans:
            emit(
                "meaning.trigger-is-entity",
                f"trigger [{trig['start']}, {trig['end']}) is also an entity mention",
                f"{ptr}/trigger",
            )
        event_cluster_types[ev["event"]].setdefault(ev["type"], ptr)
        et = onto.event_types[ev["type"]]
        seen_args: set[tuple[str, str]] = set()
        for j, arg in enumerate(ev["arguments"]):
            aptr = f"{ptr}/arguments/{j}"
            role, mid = arg["role"], arg["mention"]
            if (role, mid) in seen_args:
                emit("meaning.duplicate-argument", f"argument {role} -> {mid!r} is given twice", aptr)
            seen_args.add((role, mid))
            target = entities.get(mid)
            if target is None:
                emit(
                    "ref.argument-missing",
                    f"argument mention {mid!r} is not an entity mention of this document",
                    f"{aptr}/mention",
                )
            allowed = et.roles.get(role)
            if allowed is None:
                emit(
                    "meaning.role-not-allowed",
                    f"{ev['type']} has roles {sorted(et.roles)}, found {role!r}",
                    f"{aptr}/role",
                )
            elif target is not None and target["type"] not in allowed:
                emit(
                    "meaning.argument-type",
                    f"{ev['type']} {role} takes {list(allowed)}, found {target['type']} {target['text']!r}",
                    aptr,
                )
    _cluster_type_findings("event", event_cluster_types, emit)
    clash = set(entity_cluster_types) & set(event_cluster_types)
    for cluster in sorted(clash):
        emit("ref.cluster-id-clash", f"cluster id {cluster!r} names both an entity and an event", "")


def _span_ok(text: str, span: dict[str, Any]) -> bool:
    start, end, value = span["start"], span["end"], span["text"]
    return bool(0 <= start < end <= len(text) and text[start:end] == value and value == value.strip())


def _no_reference_or_meaning_finding(rec: dict[str, Any], onto: Ontology) -> bool:
    """True when levels 2 and 3 would report nothing: a fast yes/no answer for the common case.

    The same rules as :func:`_reference_and_meaning` with plain lookups (no pointers, no messages);
    a record it doubts goes through the explaining code, so a "no" here costs time, never a finding.
    A property test checks that "yes" here always means no finding there.
    """
    text: str = rec["text"]
    if "text_sha256" in rec and rec["text_sha256"] != text_sha256(text):
        return False
    if "\r" in text or not unicodedata.is_normalized("NFC", text):
        return False
    n = len(text)
    for para in rec.get("cleaning", {}).get("paragraphs", ()):
        if not 0 <= para["start"] <= para["end"] <= n:
            return False
    types: dict[str, str] = {}
    entity_cluster: dict[str, str] = {}
    spans: set[tuple[int, int]] = set()
    for m in rec.get("entity_mentions", ()):
        if m["id"] in types or not _span_ok(text, m):
            return False
        types[m["id"]] = m["type"]
        if entity_cluster.setdefault(m["entity"], m["type"]) != m["type"]:
            return False
        key = (m["start"], m["end"])
        if key in spans:
            return False
        spans.add(key)
    event_cluster: dict[str, str] = {}
    triggers: set[tuple[int, int, str]] = set()
    event_ids: set[str] = set()
    event_types = onto.event_types
    for ev in rec.get("event_mentions", ()):
        trig, etype = ev["trigger"], ev["type"]
        if ev["id"] in types or ev["id"] in event_ids or not _span_ok(text, trig):
            return False
        event_ids.add(ev["id"])
        key3 = (trig["start"], trig["end"], etype)
        if key3 in triggers or key3[:2] in spans:
            return False
        triggers.add(key3)
        if event_cluster.setdefault(ev["event"], etype) != etype:
            return False
        roles = event_types[etype].roles
        seen: set[tuple[str, str]] = set()
        for arg in ev["arguments"]:
            pair = (arg["role"], arg["mention"])
            allowed = roles.get(pair[0])
            target = types.get(pair[1])
            if pair in seen or allowed is None or target is None or target not in allowed:
                return False
            seen.add(pair)
    return entity_cluster.keys().isdisjoint(event_cluster)


def _strings_at(value: Any, keys: tuple[str, ...]) -> Iterator[Any]:
    """Every value at ``keys`` below ``value`` ("*" for each item of a list), whatever the shape."""
    if not keys:
        yield value
        return
    key, rest = keys[0], keys[1:]
    if key == "*":
        for item in value if isinstance(value, list) else ():
            yield from _strings_at(item, rest)
    elif isinstance(value, dict) and key in value:
        yield from _strings_at(value[key], rest)


_UNREAD_KEYS = tuple(tuple(p.strip("/").split("/")) for p in (*UNREAD_STRINGS, *SPAN_TEXTS))


def _hostile_findings(obj: dict[str, Any], errors: list[Any], file: str | None, doc_id: str | None) -> list[Finding]:
    """Level-0 findings of a record jsonschema-rs found invalid, from its ``errors`` and a few strings.

    jsonschema-rs bounds every integer at an integer position (a ``maximum``/``minimum`` error
    with a value beyond 64 bits is one) and reads every other string as UTF-8, so only the strings
    it never reads are searched; when one holds a surrogate, the record is walked to say where.
    Integers elsewhere are ``schema.type`` findings; a Python walk of a 19 MB record took 7 s.
    """
    strings = [s for keys in _UNREAD_KEYS for s in _strings_at(obj, keys) if isinstance(s, str)]
    try:
        "\0".join(strings).encode("utf-16-le")
    except UnicodeEncodeError:
        return hostile_value_findings(obj, file=file, doc_id=doc_id)
    big = {
        _pointer(err.instance_path): err.instance
        for err in errors
        if type(err.kind).__name__ in {"Maximum", "Minimum"}
        and type(err.instance) is int
        and not -MAX_INTEGER - 1 <= err.instance <= MAX_INTEGER
    }
    return [
        Finding(
            "io.integer-too-large",
            f"{_short(value)} does not fit in 64 bits (magnitude at most {MAX_INTEGER})",
            file=file,
            doc_id=doc_id,
            pointer=pointer,
        )
        for pointer, value in sorted(big.items())
    ]


def validate_record(
    obj: Any,
    *,
    file: str | None = None,
    ontology: Ontology | None = None,
    levels: int = 3,
    deadline: float | None = None,
) -> list[Finding]:
    """Every finding for one record (parsed JSON); an empty list means valid.

    ``levels`` is the highest level run. Level 0 first: a record with a lone surrogate or an integer beyond 64 bits anywhere gets those
    findings only (``io.surrogate``, ``io.integer-too-large``), since no later check or stage can
    handle it. The search costs nothing on a valid record: jsonschema-rs reads nearly every string
    as UTF-8 (and raises on a surrogate) and bounds every integer; only the few strings it checks
    for type alone are searched, and an invalid record is walked whole.

    Raises:
        TimeBudgetError: ``deadline`` (a ``time.monotonic()`` value) passed while explaining
            schema errors.
    """
    if not isinstance(obj, dict):
        return [Finding("io.not-object", f"a record must be a JSON object, found {type(obj).__name__}", file=file)]
    doc_id = obj.get("id") if isinstance(obj.get("id"), str) else None
    try:
        valid = _fast_schema_check()(obj)
        errors = [] if valid else list(_rs_validator().iter_errors(obj))
        hostile = _hostile_findings(obj, errors, file, _printable(doc_id)) if not valid else None
    except ValueError:  # UnicodeEncodeError: jsonschema-rs read a string holding a lone surrogate
        valid, errors, hostile = False, [], None
    if hostile is None and (not valid or _may_be_hostile(obj, levels)):
        hostile = hostile_value_findings(obj, file=file, doc_id=_printable(doc_id))
    if hostile:
        return hostile
    try:
        findings = (
            _integer_findings(obj, file, doc_id) if valid else _schema_findings(obj, file, doc_id, errors, deadline)
        )
    except ValueError:  # jsonschema's own messages repr() a value; an integer of 4,300+ digits refuses
        hostile = hostile_value_findings(obj, file=file, doc_id=_printable(doc_id))
        if not hostile:
            raise
        return hostile
    if findings or levels < 2:
        return findings
    onto = ontology or load_ontology()
    if _no_reference_or_meaning_finding(obj, onto):
        return findings
    if _may_be_hostile(obj, 1):  # a span text holding a surrogate, a huge offset: level 0, not a mismatch
        return hostile_value_findings(obj, file=file, doc_id=doc_id)

    def emit(check: str, message: str, pointer: str) -> None:
        level = CHECKS[check]
        if level > levels:
            return
        severity = Severity.WARNING.value if check in WARNINGS else Severity.ERROR.value
        findings.append(
            Finding(check, message, severity=severity, file=file, doc_id=doc_id, pointer=pointer, level=level)
        )

    _reference_and_meaning(obj, onto, emit)
    return findings


@dataclass
class Report:
    """The findings of one validation run and how many records it read."""

    files: int = 0
    records: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.ERROR.value]

    @property
    def ok(self) -> bool:
        return not self.errors


def iter_records(value: Any) -> Iterator[Any]:
    """A file holds one record, or a list of records (predictions files)."""
    if isinstance(value, list):
        yield from value
    else:
        yield value


def _record_files(paths: Iterable[Path]) -> Iterator[Path]:
    """JSON files named, or found below the folders named, except raw exports and adjudication logs."""
    for top in paths:
        for path in iter_json_files([top]):
            if top.is_dir() and NOT_RECORDS.intersection(path.relative_to(top).parts[:-1]):
                continue
            yield path


def _validate_file(path: Path, report: Report, levels: int, ontology: Ontology | None, deadline: float) -> None:
    loaded = read_json(path)
    if loaded.findings:
        report.findings.extend(loaded.findings)
        return
    name = display_path(path)
    for rec in iter_records(loaded.value):
        if time.monotonic() > deadline:
            raise TimeBudgetError
        report.records += 1
        report.findings.extend(validate_record(rec, file=name, ontology=ontology, levels=levels, deadline=deadline))


def validate_paths(
    paths: Iterable[Path], *, levels: int = 3, ontology: Ontology | None = None, time_budget: float = TIME_BUDGET_S
) -> Report:
    """Validate every JSON file named or found under ``paths``.

    Whatever one file holds, every other file is validated and reported: a file refused at level
    0, one that takes more than ``time_budget`` seconds (``io.time-budget``), even one that meets
    a bug (``io.internal-error``) is a finding of that file, not the end of the run.
    """
    report = Report()
    for path in _record_files(paths):
        report.files += 1
        start = time.monotonic()
        try:
            _validate_file(path, report, levels, ontology, start + time_budget)
        except TimeBudgetError:
            report.findings.append(
                Finding(
                    "io.time-budget",
                    f"validation stopped after {time.monotonic() - start:.1f} s (budget {time_budget:g} s): "
                    "the rest of the file is unchecked; split it, or validate it alone",
                    file=display_path(path),
                )
            )
        except Exception as exc:  # noqa: BLE001 - one file's bug must not lose the report of the others
            report.findings.append(
                Finding(
                    "io.internal-error",
                    f"newsevents failed on this file ({type(exc).__name__}: {_short(str(exc), 120)}); "
                    "please report it with the file",
                    file=display_path(path),
                )
            )
    return report


def default_paths(root: Path) -> list[Path]:
    """What ``newsevents validate`` checks with no arguments: the corpus and the annotations."""
    out = [root / "corpus"]
    ann = root / "annotations"
    if ann.is_dir():
        # Raw Label Studio exports and adjudication logs are not records; exports are checked by
        # conversion (annotate pull), logs are documentation.
        out.extend(sorted(p for p in ann.iterdir() if p.name not in NOT_RECORDS))
    return [p for p in out if p.exists()]


def render_catalogue() -> str:
    """The text of ``docs/checks.md``: every check with its level, rule and triggering case."""
    lines = [
        "# Validator checks",
        "",
        "Rendered from `newsevents.validate.CATALOGUE` (`python scripts/render_checks.py`); a test fails",
        "when this file, the table in the code or the test cases disagree. Every check has a case that",
        "triggers it: `tests/cases/validate/invalid/<check-id>.json`, or a generated case where the input",
        "is too large to keep as a file.",
        "",
        "Levels run in order: 0 reads the file; 1 checks the JSON Schema (`schema/document.schema.json`,",
        "Draft 2020-12, with format checking); 2 references; 3 meaning. Levels 2 and 3 run only on a",
        "record that passed level 1, since they rely on its shape. Every finding is an error unless its",
        "rule says warning; errors make `newsevents validate` exit 1.",
        "",
        "| check | level | rule | case |",
        "|---|---|---|---|",
    ]
    for check, (level, rule) in CATALOGUE.items():
        case = GENERATED_CASES.get(check, f"`tests/cases/validate/invalid/{check}.json`")
        lines.append(f"| `{check}` | {level} | {rule} | {case} |")
    lines += [
        "",
        "Other stages report findings of the same shape with their own prefixes, catalogued beside",
        "their stage: `clean.*` in [cleaning.md](cleaning.md), `annotate.*` in",
        "[annotation.md](annotation.md), `evaluate.*` and `agreement.*` in [evaluation.md](evaluation.md),",
        "`build.*` and `rehydrate.*` in [dataset.md](dataset.md).",
        "",
    ]
    return "\n".join(lines)
