"""What a prediction must get right to be scored, and what it may get wrong.

Gold is held to the rules (:func:`newsevents.validate.validate_record`, levels 1-2: every finding
an error). A prediction is validated the same way, at levels 1-3, but only what makes scoring
impossible stays an error:

* level 0 (``io.*``): the file or record cannot be read;
* ``ref.offset-range``: a span outside the text (or empty);
* ``ref.span-text``: a span's ``text`` is not ``text[start:end]``: the offsets were counted in
  another unit (UTF-16 units, bytes: they split a code point) or index another text, and scoring
  would have to guess which of the two the system meant;
* ``ref.argument-missing``: an argument names a mention the prediction does not have;
* a schema finding (level 1) other than a label outside the ontology: a missing or mistyped field
  the scorer reads.

Everything else is a **warning** counted in the report, and the prediction is scored as it is
(:data:`PRED_RULES` says how each is scored). A record whose only level-1 findings are labels
outside the ontology (``schema.enum`` on an entity type or kind, an event type, a realis or a
role) does not reach :mod:`newsevents.validate`'s levels 2-3, which read the ontology by those
labels; it gets the checks scoring needs (:func:`scoring_findings`) instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from newsevents.records import Finding, Severity
from newsevents.validate import validate_record

ERROR = Severity.ERROR.value
WARNING = Severity.WARNING.value

# check id -> how a prediction with that finding is scored (docs/evaluation.md renders the same rules).
PRED_RULES: dict[str, str] = {
    "schema.enum": "a label outside the ontology (entity type or kind, event type, realis, role) is scored as "
    "a label no gold item has: always wrong where it matters, ignored where it is not scored (realis)",
    "ref.text-sha256": "the text itself is compared with the gold text; a stale text_sha256 field is ignored",
    "ref.text-nfc": "the text is compared with the gold text (a different text is evaluate.text-mismatch)",
    "ref.text-newline": "the text is compared with the gold text (a different text is evaluate.text-mismatch)",
    "ref.paragraph-range": "the cleaning record is not scored",
    "ref.duplicate-id": "mentions are scored by span; an argument naming a repeated id takes the first mention with it",
    "ref.entity-cluster-type": "each mention is scored with its own type; clusters are only read by --coref, by span",
    "ref.event-cluster-type": "event clusters are not scored",
    "ref.cluster-id-clash": "clusters are not scored",
    "meaning.role-not-allowed": "scored as a role no gold argument has there (Arg-C, Arg-C+ count it wrong)",
    "meaning.argument-type": "scored as it is: the argument's span and role are compared, not the entity's type",
    "meaning.duplicate-argument": "arguments are multisets: the repeat is a second predicted argument (SPU)",
    "meaning.duplicate-mention": "a repeated span is a second prediction: one pairs, the other is SPU",
    "meaning.conflicting-types": "each mention is matched one to one: at most one of them can pair with the gold mention",
    "meaning.trigger-is-entity": "triggers and entity mentions are scored separately",
    "meaning.span-whitespace": "the span is compared as it is (a boundary on whitespace is a boundary error)",
}
# Level 1 findings on these pointers are labels outside the ontology: scored, with a warning.
_LABEL_POINTER = re.compile(
    r"^/entity_mentions/\d+/(type|kind)$|^/event_mentions/\d+/(type|realis)$|^/event_mentions/\d+/arguments/\d+/role$"
)


def as_warning(f: Finding) -> Finding:
    """``f`` as a prediction warning: the same check, scored as :data:`PRED_RULES` says."""
    return replace(f, severity=WARNING, message=f"{f.message} (prediction: scored as it is)")


def _tolerated(f: Finding) -> bool:
    if f.check == "schema.enum":
        return bool(_LABEL_POINTER.match(f.pointer))
    return f.check in PRED_RULES


def check_prediction(rec: Any, *, file: str | None = None) -> list[Finding]:
    """Every finding of a prediction record, errors only for what makes scoring impossible.

    Example:
        >>> from newsevents.records import text_sha256
        >>> text = "Ann met Bob."
        >>> src = {"publisher": "P", "license": "L", "raw_file": "f", "raw_sha256": "0" * 64}
        >>> ms = [{"id": f"T{i}", "start": s, "end": e, "text": text[s:e], "type": t, "kind": "NAM", "entity": "E1"}
        ...       for i, (s, e, t) in enumerate([(0, 3, "PER"), (8, 11, "ORG")])]
        >>> rec = {"id": "d", "title": "T", "text": text, "language": "en", "split": "test", "source": src,
        ...        "entity_mentions": ms}
        >>> [(f.check, f.severity) for f in check_prediction(rec)]
        [('ref.entity-cluster-type', 'warning')]
    """
    findings = validate_record(rec, file=file, levels=3)
    if not findings:
        return findings
    if any(f.level == 0 for f in findings):
        return findings
    schema = [f for f in findings if f.level == 1]
    if schema:
        if not all(_tolerated(f) for f in schema):
            return [as_warning(f) if _tolerated(f) else f for f in findings]
        # Only labels outside the ontology: levels 2-3 would look those labels up; run what scoring needs.
        doc_id = rec.get("id") if isinstance(rec.get("id"), str) else None
        return [*map(as_warning, schema), *scoring_findings(rec, file=file, doc_id=doc_id)]
    return [as_warning(f) if _tolerated(f) else f for f in findings]


def scoring_findings(rec: dict[str, Any], *, file: str | None = None, doc_id: str | None = None) -> list[Finding]:
    """The level-2 checks scoring needs on a schema-valid record: offsets, span texts, ids, references."""
    text: str = rec["text"]
    out: list[Finding] = []

    def emit(check: str, message: str, pointer: str, severity: str = ERROR) -> None:
        out.append(Finding(check, message, severity=severity, file=file, doc_id=doc_id, pointer=pointer, level=2))

    ids: set[str] = set()

    def span(s: dict[str, Any], ptr: str) -> None:
        start, end = s["start"], s["end"]
        if not 0 <= start < end <= len(text):
            emit("ref.offset-range", f"need 0 <= start < end <= {len(text)}, found [{start}, {end})", ptr)
        elif text[start:end] != s["text"]:
            emit("ref.span-text", f"text[{start}:{end}] is {text[start:end]!r}, span says {s['text']!r}", ptr)

    for i, m in enumerate(rec.get("entity_mentions", ())):
        if m["id"] in ids:
            emit(
                "ref.duplicate-id",
                f"mention id {m['id']!r} is used twice (prediction: scored as it is)",
                f"/entity_mentions/{i}/id",
                WARNING,
            )
        ids.add(m["id"])
        span(m, f"/entity_mentions/{i}")
    for i, ev in enumerate(rec.get("event_mentions", ())):
        span(ev["trigger"], f"/event_mentions/{i}/trigger")
        for j, arg in enumerate(ev["arguments"]):
            if arg["mention"] not in ids:
                emit(
                    "ref.argument-missing",
                    f"argument mention {arg['mention']!r} is not an entity mention of this document",
                    f"/event_mentions/{i}/arguments/{j}/mention",
                )
    return out


def warning_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """Warnings by check id, sorted by id: what the report counts."""
    counts: dict[str, int] = {}
    for f in findings:
        if f.severity == WARNING:
            counts[f.check] = counts.get(f.check, 0) + 1
    return dict(sorted(counts.items()))
