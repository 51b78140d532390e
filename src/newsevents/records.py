"""Record types that cross stage boundaries.

Every stage reads and writes these types; JSON (de)serialisation sits beside each type. The JSON
shape is described by ``schema/document.schema.json`` (generated from the ontology by
:mod:`newsevents.schema`). Offsets are Unicode code points, end-exclusive.

``Document.from_dict`` trusts its input: validate untrusted JSON with :mod:`newsevents.validate`
first, which reports every problem as a :class:`Finding` instead of raising.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

JSON = dict[str, Any]


def text_sha256(text: str) -> str:
    """Hex sha256 of ``text`` encoded as UTF-8; identifies the exact text offsets index."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _drop_none(d: JSON) -> JSON:
    return {k: v for k, v in d.items() if v is not None}


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the document text: ``text[start:end] == self.text``."""

    start: int
    end: int
    text: str

    def to_dict(self) -> JSON:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, d: JSON) -> Span:
        return cls(start=d["start"], end=d["end"], text=d["text"])


@dataclass(frozen=True, slots=True)
class EntityMention:
    """One mention of an entity; ``entity`` is its coreference cluster id."""

    id: str
    start: int
    end: int
    text: str
    type: str
    kind: str
    entity: str

    def to_dict(self) -> JSON:
        return {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "type": self.type,
            "kind": self.kind,
            "entity": self.entity,
        }

    @classmethod
    def from_dict(cls, d: JSON) -> EntityMention:
        return cls(
            id=d["id"],
            start=d["start"],
            end=d["end"],
            text=d["text"],
            type=d["type"],
            kind=d["kind"],
            entity=d["entity"],
        )


@dataclass(frozen=True, slots=True)
class Argument:
    """An event argument: ``mention`` is the id of an entity mention of the same document."""

    role: str
    mention: str

    def to_dict(self) -> JSON:
        return {"role": self.role, "mention": self.mention}

    @classmethod
    def from_dict(cls, d: JSON) -> Argument:
        return cls(role=d["role"], mention=d["mention"])


@dataclass(frozen=True, slots=True)
class EventMention:
    """One mention of an event; ``event`` is its event coreference cluster id."""

    id: str
    type: str
    trigger: Span
    realis: str
    event: str
    arguments: tuple[Argument, ...] = ()

    def to_dict(self) -> JSON:
        return {
            "id": self.id,
            "type": self.type,
            "trigger": self.trigger.to_dict(),
            "realis": self.realis,
            "event": self.event,
            "arguments": [a.to_dict() for a in self.arguments],
        }

    @classmethod
    def from_dict(cls, d: JSON) -> EventMention:
        return cls(
            id=d["id"],
            type=d["type"],
            trigger=Span.from_dict(d["trigger"]),
            realis=d["realis"],
            event=d["event"],
            arguments=tuple(Argument.from_dict(a) for a in d.get("arguments", ())),
        )


@dataclass(frozen=True, slots=True)
class Source:
    """Where the text came from and under what rights it may be used."""

    publisher: str
    license: str
    raw_file: str
    raw_sha256: str
    format: str = "text"
    url: str | None = None
    retrieved: str | None = None

    def to_dict(self) -> JSON:
        return _drop_none(
            {
                "publisher": self.publisher,
                "url": self.url,
                "license": self.license,
                "raw_file": self.raw_file,
                "raw_sha256": self.raw_sha256,
                "format": self.format,
                "retrieved": self.retrieved,
            }
        )

    @classmethod
    def from_dict(cls, d: JSON) -> Source:
        return cls(
            publisher=d["publisher"],
            url=d.get("url"),
            license=d["license"],
            raw_file=d["raw_file"],
            raw_sha256=d["raw_sha256"],
            format=d.get("format", "text"),
            retrieved=d.get("retrieved"),
        )


@dataclass(frozen=True, slots=True)
class Credits:
    """Byline and credit-line metadata kept out of the annotated text."""

    authors: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()

    def to_dict(self) -> JSON:
        return {"authors": list(self.authors), "editors": list(self.editors), "agencies": list(self.agencies)}

    @classmethod
    def from_dict(cls, d: JSON) -> Credits:
        return cls(
            authors=tuple(d.get("authors", ())),
            editors=tuple(d.get("editors", ())),
            agencies=tuple(d.get("agencies", ())),
        )


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of ``Document.text`` and the raw line range (1-based, inclusive) it came from."""

    start: int
    end: int
    raw_lines: tuple[int, int]

    def to_dict(self) -> JSON:
        return {"start": self.start, "end": self.end, "raw_lines": list(self.raw_lines)}

    @classmethod
    def from_dict(cls, d: JSON) -> Paragraph:
        lo, hi = d["raw_lines"]
        return cls(start=d["start"], end=d["end"], raw_lines=(lo, hi))


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A raw line the cleaner dropped, with the rule that dropped it and why."""

    line: int
    text: str
    reason: str
    rule: str

    def to_dict(self) -> JSON:
        return {"line": self.line, "text": self.text, "reason": self.reason, "rule": self.rule}

    @classmethod
    def from_dict(cls, d: JSON) -> RemovedLine:
        return cls(line=d["line"], text=d["text"], reason=d["reason"], rule=d["rule"])


@dataclass(frozen=True, slots=True)
class Cleaning:
    """Every decision the cleaner made for one document."""

    cleaner: str
    profile: str | None = None
    paragraphs: tuple[Paragraph, ...] = ()
    removed: tuple[RemovedLine, ...] = ()
    overrides: str | None = None

    def to_dict(self) -> JSON:
        return _drop_none(
            {
                "cleaner": self.cleaner,
                "profile": self.profile,
                "overrides": self.overrides,
                "paragraphs": [p.to_dict() for p in self.paragraphs],
                "removed": [r.to_dict() for r in self.removed],
            }
        )

    @classmethod
    def from_dict(cls, d: JSON) -> Cleaning:
        return cls(
            cleaner=d["cleaner"],
            profile=d.get("profile"),
            overrides=d.get("overrides"),
            paragraphs=tuple(Paragraph.from_dict(p) for p in d.get("paragraphs", ())),
            removed=tuple(RemovedLine.from_dict(r) for r in d.get("removed", ())),
        )


class AnnotationStatus(StrEnum):
    """Where a record's annotations come from."""

    NONE = "none"  # cleaned, not yet annotated
    DRAFT = "draft"
    COMPLETED = "completed"  # one annotator's finished pass
    GOLD = "gold"  # adjudicated ground truth
    PREDICTED = "predicted"  # a system's output


@dataclass(frozen=True, slots=True)
class Provenance:
    """Who made the annotations of a record, how, and under which guideline version."""

    status: str = AnnotationStatus.NONE.value
    annotators: tuple[str, ...] = ()
    guideline_version: str | None = None
    tool: str | None = None
    label_studio: JSON | None = None  # {"project": int, "task": int, "annotation": int}
    gold_rule: str | None = None
    system: str | None = None

    def to_dict(self) -> JSON:
        return _drop_none(
            {
                "status": self.status,
                "annotators": list(self.annotators),
                "guideline_version": self.guideline_version,
                "tool": self.tool,
                "label_studio": self.label_studio,
                "gold_rule": self.gold_rule,
                "system": self.system,
            }
        )

    @classmethod
    def from_dict(cls, d: JSON) -> Provenance:
        return cls(
            status=d.get("status", AnnotationStatus.NONE.value),
            annotators=tuple(d.get("annotators", ())),
            guideline_version=d.get("guideline_version"),
            tool=d.get("tool"),
            label_studio=d.get("label_studio"),
            gold_rule=d.get("gold_rule"),
            system=d.get("system"),
        )


@dataclass(frozen=True, slots=True)
class Document:
    """The canonical record: one article, its text, its metadata and its annotations."""

    id: str
    title: str
    text: str
    language: str
    source: Source
    split: str
    published: str | None = None
    credits: Credits = field(default_factory=Credits)
    cleaning: Cleaning | None = None
    entity_mentions: tuple[EntityMention, ...] = ()
    event_mentions: tuple[EventMention, ...] = ()
    provenance: Provenance = field(default_factory=Provenance)

    @property
    def text_sha256(self) -> str:
        return text_sha256(self.text)

    def to_dict(self) -> JSON:
        d: JSON = {
            "id": self.id,
            "title": self.title,
            "language": self.language,
            "published": self.published,
            "split": self.split,
            "source": self.source.to_dict(),
            "credits": self.credits.to_dict(),
            "text": self.text,
            "text_sha256": self.text_sha256,
            "entity_mentions": [m.to_dict() for m in self.entity_mentions],
            "event_mentions": [e.to_dict() for e in self.event_mentions],
            "provenance": self.provenance.to_dict(),
        }
        if self.cleaning is not None:
            d["cleaning"] = self.cleaning.to_dict()
        return d

    @classmethod
    def from_dict(cls, d: JSON) -> Document:
        cleaning = d.get("cleaning")
        return cls(
            id=d["id"],
            title=d["title"],
            text=d["text"],
            language=d["language"],
            published=d.get("published"),
            split=d["split"],
            source=Source.from_dict(d["source"]),
            credits=Credits.from_dict(d.get("credits", {})),
            cleaning=Cleaning.from_dict(cleaning) if cleaning is not None else None,
            entity_mentions=tuple(EntityMention.from_dict(m) for m in d.get("entity_mentions", ())),
            event_mentions=tuple(EventMention.from_dict(e) for e in d.get("event_mentions", ())),
            provenance=Provenance.from_dict(d.get("provenance", {})),
        )


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in the data, by any stage.

    ``check`` is a stable id catalogued in ``docs/checks.md``; ``pointer`` is a JSON pointer into
    the record (or a ``line:N`` position for raw files); ``message`` states the rule and the value
    found.
    """

    check: str
    message: str
    severity: str = Severity.ERROR.value
    file: str | None = None
    doc_id: str | None = None
    pointer: str = ""
    level: int = 0

    def to_dict(self) -> JSON:
        return {
            "check": self.check,
            "severity": self.severity,
            "level": self.level,
            "file": self.file,
            "doc_id": self.doc_id,
            "pointer": self.pointer,
            "message": self.message,
        }

    def __str__(self) -> str:
        where = ":".join(x for x in (self.file, self.doc_id) if x)
        ptr = f" {self.pointer}" if self.pointer else ""
        return f"{where}{ptr}: [{self.check}] {self.severity}: {self.message}"
