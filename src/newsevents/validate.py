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

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs

from newsevents.io import iter_json_files, read_json
from newsevents.ontology import Ontology, load_ontology
from newsevents.records import Finding, Severity, text_sha256
from newsevents.schema import load_schema

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
# check id -> (level, rule); docs/checks.md is rendered from this table (render_catalogue).
CATALOGUE: dict[str, tuple[int, str]] = {
    "io.unreadable": (0, "The file can be opened and read (a broken link or a permission problem is reported)."),
    "io.too-large": (0, "A record file is at most 64 MiB; a larger one is not read."),
    "io.encoding": (0, "The file is UTF-8 (a leading BOM is tolerated)."),
    "io.json": (0, "The file parses as JSON (a truncated file is reported with line and column)."),
    "io.not-object": (0, "Each record is a JSON object (a file holds one record or a list of records)."),
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
    "io.too-large": "`test_too_large_file_is_a_finding`",
    "schema.maxLength": "`test_fifty_megabyte_text_is_a_finding`",
}


# Folders under annotations/ that hold no records: raw Label Studio exports (checked by conversion
# in annotate pull) and adjudication logs (documentation).
NOT_RECORDS = frozenset({"exports", "adjudication"})


@cache
def _schema_validator() -> jsonschema.protocols.Validator:
    schema = load_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator: jsonschema.protocols.Validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    return validator


def _pointer(path: Iterable[Any]) -> str:
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in path]
    return "/" + "/".join(parts) if parts else ""


def _short(value: Any, limit: int = 60) -> str:
    s = repr(value)
    return s if len(s) <= limit else s[: limit - 3] + "..."


@cache
def _fast_schema_check() -> Callable[[Any], bool]:
    """A compiled (Rust) validator that answers valid/invalid only.

    jsonschema-rs is about 100 times faster than jsonschema on our records; the findings of an
    invalid record still come from jsonschema, the reference implementation, so messages and
    check ids do not depend on which validator answered first. A test checks the two agree.
    """
    validator = jsonschema_rs.validator_for(load_schema(), validate_formats=True)
    is_valid: Callable[[Any], bool] = validator.is_valid
    return is_valid


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


def _schema_findings(obj: dict[str, Any], file: str | None, doc_id: str | None) -> list[Finding]:
    if _fast_schema_check()(obj):
        return _integer_findings(obj, file, doc_id)
    out = _integer_findings(obj, file, doc_id)
    for err in _schema_validator().iter_errors(obj):
        kw = str(err.validator)
        check = f"schema.{kw}"
        if kw in {"maxLength", "minLength"} and isinstance(err.instance, str):
            msg = f"{kw} is {err.validator_value}, found a string of {len(err.instance)} characters"
        elif kw in {"required", "additionalProperties"}:
            msg = err.message
        else:
            msg = f"{kw} {_short(err.validator_value)} not met, found {_short(err.instance)}"
        out.append(Finding(check, msg, file=file, doc_id=doc_id, pointer=_pointer(err.absolute_path), level=1))
    return out


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


def validate_record(
    obj: Any, *, file: str | None = None, ontology: Ontology | None = None, levels: int = 3
) -> list[Finding]:
    """Every finding for one record (parsed JSON); an empty list means valid."""
    if not isinstance(obj, dict):
        return [Finding("io.not-object", f"a record must be a JSON object, found {type(obj).__name__}", file=file)]
    doc_id = obj.get("id") if isinstance(obj.get("id"), str) else None
    findings = _schema_findings(obj, file, doc_id)
    if findings or levels < 2:
        return findings
    onto = ontology or load_ontology()
    if _no_reference_or_meaning_finding(obj, onto):
        return findings

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


def validate_paths(paths: Iterable[Path], *, levels: int = 3, ontology: Ontology | None = None) -> Report:
    """Validate every JSON file named or found under ``paths``."""
    report = Report()
    for path in _record_files(paths):
        report.files += 1
        loaded = read_json(path)
        if loaded.findings:
            report.findings.extend(loaded.findings)
            continue
        for rec in iter_records(loaded.value):
            report.records += 1
            report.findings.extend(validate_record(rec, file=str(path), ontology=ontology, levels=levels))
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
