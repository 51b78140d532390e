"""The JSON Schema of the canonical document record, derived from the ontology.

``schema/document.schema.json`` is this module's output (``newsevents schema --write``); a test
checks the committed file equals what the ontology gives, so the two cannot drift apart.
"""

from __future__ import annotations

import json
import re
from datetime import date
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
# Every integer of a record is stored as a 64-bit integer (parquet, numpy); a larger one is refused
# (by the validator's level 0, ``io.integer-too-large``) before it can overflow a later stage.
MAX_INTEGER = 2**63 - 1
# The formats the schema uses; the validators check each with the functions below, not their own.
FORMATS = ("date", "uri")


def _int(minimum: int = 0) -> dict[str, Any]:
    return {"type": "integer", "minimum": minimum, "maximum": MAX_INTEGER}


def _span(extra: dict[str, Any] | None = None) -> dict[str, Any]:
    props: dict[str, Any] = {
        "start": _int(0),
        "end": _int(1),
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
                                "start": _int(0),
                                "end": _int(0),
                                "raw_lines": {
                                    "type": "array",
                                    "prefixItems": [_int(1), _int(1)],
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
                                "line": _int(1),
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
                            "project": _int(0),
                            "task": _int(0),
                            "annotation": _int(0),
                            # the newsevents id of the server (a UUID): ids above are per server
                            "server": {"type": "string", "minLength": 1},
                            # sha256 prefix of the annotator's exact e-mail (slugs can collide)
                            "annotator_key": {"type": "string", "pattern": "^[0-9a-f]{12}$"},
                        },
                    },
                    "gold_rule": {"type": "string"},
                    "system": {"type": "string"},
                },
            },
        },
    }


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# RFC 3986 URI, ASCII only: scheme ":" then printable characters without spaces.
_URI_CHARS = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[!-~]*")


def is_date(value: object) -> bool:
    """The ``date`` format: ``YYYY-MM-DD``, a real day of years 0001-9999.

    RFC 3339 allows year 0000, which Python's ``datetime`` (and so every Python reader of the
    dataset) cannot hold; both validators use this function, so they give one answer.

    >>> [is_date(s) for s in ("2019-12-29", "0000-01-01", "2019-02-30", "2019-12-29\n")]
    [True, False, False, False]
    """
    if not isinstance(value, str):
        return True
    if _DATE.fullmatch(value) is None:
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_uri(value: object) -> bool:
    """The ``uri`` format: an absolute RFC 3986 URI (scheme, then no space or control character).

    >>> [is_uri(s) for s in ("https://www.dw.com/en/x/a-51824125", "::::", "dw.com/en", "https://x.org/\n")]
    [True, False, False, False]
    """
    if not isinstance(value, str):
        return True
    if _URI_CHARS.fullmatch(value) is None:
        return False
    from rfc3986_validator import validate_rfc3986  # noqa: PLC0415 - a dependency of jsonschema[format-nongpl]

    return bool(validate_rfc3986(value, rule="URI"))


FORMAT_CHECKS: dict[str, Any] = {"date": is_date, "uri": is_uri}


def fullmatch_pattern(pattern: str) -> str:
    """``pattern`` for Python's ``re.search`` with ECMA-262's meaning of a final ``$`` (end of input).

    In Python ``$`` also matches before a final newline, so ``^[a-z]{2,3}$`` accepts ``"en\\n"``;
    JSON Schema patterns are ECMA-262, where it does not (nor in Rust, jsonschema-rs's engine).

    >>> import re
    >>> bool(re.search(fullmatch_pattern("^[a-z]{2}$"), "en\n"))
    False
    """
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        return pattern[:-1] + r"\Z"
    return pattern


def render_schema(ontology: Ontology | None = None) -> str:
    """The schema file's exact bytes (as text) for ``ontology``."""
    return json.dumps(build_schema(ontology or load_ontology()), indent=2, ensure_ascii=False) + "\n"


@cache
def load_schema() -> dict[str, Any]:
    """The committed ``schema/document.schema.json``."""
    result: dict[str, Any] = json.loads((schema_dir() / "document.schema.json").read_text(encoding="utf-8"))
    return result
