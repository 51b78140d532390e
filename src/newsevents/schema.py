"""The JSON Schema of the canonical document record, derived from the ontology.

``schema/document.schema.json`` is this module's output (``newsevents schema --write``); a test
checks the committed file equals what the ontology gives, so the two cannot drift apart.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from newsevents.ontology import Ontology, load_ontology
from newsevents.resources import schema_dir

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$"
MENTION_ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,128}$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
SPLITS = ("train", "validation", "test")
# A news article is far below this; a larger text is a cleaning failure, not an article.
MAX_TEXT_CHARS = 2_000_000
STATUSES = ("none", "draft", "completed", "gold", "predicted")


def _span(extra: dict[str, Any] | None = None) -> dict[str, Any]:
    props: dict[str, Any] = {
        "start": {"type": "integer", "minimum": 0},
        "end": {"type": "integer", "minimum": 1},
        "text": {"type": "string", "minLength": 1},
    }
    props.update(extra or {})
    return {"type": "object", "additionalProperties": False, "required": sorted(props), "properties": props}


def build_schema(ontology: Ontology) -> dict[str, Any]:
    """The Draft 2020-12 schema for one document record under ``ontology``."""
    mention_id = {"type": "string", "pattern": MENTION_ID_PATTERN}
    entity_mention = _span(
        {
            "id": mention_id,
            "type": {"enum": list(ontology.entity_types)},
            "kind": {"enum": list(ontology.mention_kinds)},
            "entity": mention_id,
        }
    )
    argument = {
        "type": "object",
        "additionalProperties": False,
        "required": ["role", "mention"],
        "properties": {"role": {"enum": list(ontology.roles)}, "mention": mention_id},
    }
    event_mention = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "type", "trigger", "realis", "event", "arguments"],
        "properties": {
            "id": mention_id,
            "type": {"enum": list(ontology.event_types)},
            "trigger": _span(),
            "realis": {"enum": list(ontology.realis)},
            "event": mention_id,
            "arguments": {"type": "array", "items": argument},
        },
    }
    strings = {"type": "array", "items": {"type": "string", "minLength": 1}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://newsevents.invalid/schema/document.schema.json",
        "title": "newsevents document record",
        "description": f"Generated from schema/ontology.json version {ontology.version}; do not edit.",
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "title", "text", "language", "split", "source"],
        "properties": {
            "id": {"type": "string", "pattern": ID_PATTERN},
            "title": {"type": "string"},
            "text": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT_CHARS},
            "text_sha256": {"type": "string", "pattern": SHA256_PATTERN},
            "language": {"type": "string", "pattern": r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"},
            "published": {"type": ["string", "null"], "format": "date"},
            "split": {"enum": list(SPLITS)},
            "source": {
                "type": "object",
                "additionalProperties": False,
                "required": ["publisher", "license", "raw_file", "raw_sha256"],
                "properties": {
                    "publisher": {"type": "string", "minLength": 1},
                    "url": {"type": "string", "format": "uri"},
                    "license": {"type": "string", "minLength": 1},
                    "raw_file": {"type": "string", "minLength": 1},
                    "raw_sha256": {"type": "string", "pattern": SHA256_PATTERN},
                    "format": {"enum": ["text", "html"]},
                    "retrieved": {"type": "string", "format": "date"},
                },
            },
            "credits": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"authors": strings, "editors": strings, "agencies": strings},
            },
            "cleaning": {
                "type": "object",
                "additionalProperties": False,
                "required": ["cleaner"],
                "properties": {
                    "cleaner": {"type": "string"},
                    "profile": {"type": "string"},
                    "overrides": {"type": "string"},
                    "paragraphs": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["start", "end", "raw_lines"],
                            "properties": {
                                "start": {"type": "integer", "minimum": 0},
                                "end": {"type": "integer", "minimum": 0},
                                "raw_lines": {
                                    "type": "array",
                                    "prefixItems": [
                                        {"type": "integer", "minimum": 1},
                                        {"type": "integer", "minimum": 1},
                                    ],
                                    "minItems": 2,
                                    "maxItems": 2,
                                },
                            },
                        },
                    },
                    "removed": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["line", "text", "reason", "rule"],
                            "properties": {
                                "line": {"type": "integer", "minimum": 1},
                                "text": {"type": "string"},
                                "reason": {"type": "string", "minLength": 1},
                                "rule": {"type": "string", "minLength": 1},
                            },
                        },
                    },
                },
            },
            "entity_mentions": {"type": "array", "items": entity_mention},
            "event_mentions": {"type": "array", "items": event_mention},
            "provenance": {
                "type": "object",
                "additionalProperties": False,
                "required": ["status"],
                "properties": {
                    "status": {"enum": list(STATUSES)},
                    "annotators": strings,
                    "guideline_version": {"type": "string"},
                    "tool": {"type": "string"},
                    "label_studio": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "project": {"type": "integer"},
                            "task": {"type": "integer"},
                            "annotation": {"type": "integer"},
                        },
                    },
                    "gold_rule": {"type": "string"},
                    "system": {"type": "string"},
                },
            },
        },
    }


def render_schema(ontology: Ontology | None = None) -> str:
    """The schema file's exact bytes (as text) for ``ontology``."""
    return json.dumps(build_schema(ontology or load_ontology()), indent=2, ensure_ascii=False) + "\n"


@cache
def load_schema() -> dict[str, Any]:
    """The committed ``schema/document.schema.json``."""
    result: dict[str, Any] = json.loads((schema_dir() / "document.schema.json").read_text(encoding="utf-8"))
    return result
