"""The declared ``datasets`` features of each config of the release.

One function per config builds its :class:`datasets.Features` from the ontology, so a new entity
or event type changes the ClassLabel names (a schema change: a major version). The ``documents``
config types closed sets as ClassLabel (split, source format, entity type, mention kind, event
type, realis, role, annotation status); the ``sentences`` config keeps label *names* as strings,
because OneIE/TextEE readers expect strings; ``ner`` has BIO tags as a ClassLabel sequence, the
shape the standard token-classification scripts read.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from datasets import ClassLabel, Features, List, Value

from newsevents.ontology import Ontology
from newsevents.records import AnnotationStatus

SPLITS = ("train", "validation", "test")
SOURCE_FORMATS = ("text", "html")
CONFIGS = ("documents", "sentences", "ner")


def _s() -> Value:
    return Value("string")


def _i32() -> Value:
    return Value("int32")


def documents_features(onto: Ontology) -> Features:
    """The nested canonical record; field order is ``Document.to_dict()``'s."""
    return Features(
        {
            "id": _s(),
            "title": _s(),
            "language": _s(),
            "published": _s(),
            "split": ClassLabel(names=list(SPLITS)),
            "source": {
                "publisher": _s(),
                "url": _s(),
                "license": _s(),
                "raw_file": _s(),
                "raw_sha256": _s(),
                "format": ClassLabel(names=list(SOURCE_FORMATS)),
                "retrieved": _s(),
            },
            "credits": {"authors": List(_s()), "editors": List(_s()), "agencies": List(_s())},
            "text": _s(),
            "text_sha256": _s(),
            "entity_mentions": List(
                {
                    "id": _s(),
                    "start": _i32(),
                    "end": _i32(),
                    "text": _s(),
                    "type": ClassLabel(names=list(onto.entity_types)),
                    "kind": ClassLabel(names=list(onto.mention_kinds)),
                    "entity": _s(),
                }
            ),
            "event_mentions": List(
                {
                    "id": _s(),
                    "type": ClassLabel(names=list(onto.event_types)),
                    "trigger": {"start": _i32(), "end": _i32(), "text": _s()},
                    "realis": ClassLabel(names=list(onto.realis)),
                    "event": _s(),
                    "arguments": List({"role": ClassLabel(names=list(onto.roles)), "mention": _s()}),
                }
            ),
            "provenance": {
                "status": ClassLabel(names=[s.value for s in AnnotationStatus]),
                "annotators": List(_s()),
                "guideline_version": _s(),
                "tool": _s(),
                "label_studio": {
                    "project": Value("int64"),
                    "task": Value("int64"),
                    "annotation": Value("int64"),
                    "server": _s(),
                    "annotator_key": _s(),
                },
                "gold_rule": _s(),
                "system": _s(),
            },
            "cleaning": {
                "cleaner": _s(),
                "profile": _s(),
                "overrides": _s(),
                "paragraphs": List({"start": _i32(), "end": _i32(), "raw_lines": List(_i32())}),
                "removed": List({"line": _i32(), "text": _s(), "reason": _s(), "rule": _s()}),
            },
        }
    )


def sentences_features() -> Features:
    """One sentence per row, mentions in sentence token offsets (OneIE/TextEE field names)."""
    return Features(
        {
            "doc_id": _s(),
            "sent_id": _s(),
            "sentence": _s(),
            "tokens": List(_s()),
            # Document code point offsets [start, end) of each token: map predictions back to the text.
            "token_offsets": List(List(_i32())),
            "entity_mentions": List(
                {
                    "id": _s(),
                    "start": _i32(),
                    "end": _i32(),
                    "entity_type": _s(),
                    "mention_type": _s(),
                    "text": _s(),
                    "entity": _s(),
                }
            ),
            "event_mentions": List(
                {
                    "id": _s(),
                    "event_type": _s(),
                    "trigger": {"start": _i32(), "end": _i32(), "text": _s()},
                    "arguments": List({"entity_id": _s(), "role": _s(), "text": _s()}),
                    "realis": _s(),
                    "event": _s(),
                }
            ),
        }
    )


def ner_tag_names(onto: Ontology) -> list[str]:
    """``O`` then ``B-T``, ``I-T`` for each entity type in ontology order."""
    return ["O", *(f"{p}-{t}" for t in onto.entity_types for p in ("B", "I"))]


def ner_features(onto: Ontology) -> Features:
    return Features(
        {
            "doc_id": _s(),
            "sent_id": _s(),
            "tokens": List(_s()),
            "ner_tags": List(ClassLabel(names=ner_tag_names(onto))),
        }
    )


def config_features(config: str, onto: Ontology) -> Features:
    if config == "documents":
        return documents_features(onto)
    if config == "sentences":
        return sentences_features()
    if config == "ner":
        return ner_features(onto)
    raise ValueError(f"unknown config {config!r}, known: {CONFIGS}")


def decode_labels(value: Any, feature: Any) -> Any:
    """Replace ClassLabel integers in ``value`` by their names, following ``feature``'s nesting."""
    if value is None:
        return None
    if isinstance(feature, ClassLabel):
        return feature.int2str(value)
    if isinstance(feature, dict):
        return {k: decode_labels(value.get(k), f) for k, f in feature.items()}
    if isinstance(feature, List):
        return [decode_labels(v, feature.feature) for v in value]
    return value


def _has_labels(feature: Any) -> bool:
    if isinstance(feature, ClassLabel):
        return True
    if isinstance(feature, dict):
        return any(_has_labels(f) for f in feature.values())
    if isinstance(feature, List):
        return _has_labels(feature.feature)
    return False


def _names_as_strings(feature: Any) -> Any:
    if isinstance(feature, ClassLabel):
        return Value("string")
    if isinstance(feature, dict):
        return {k: _names_as_strings(f) for k, f in feature.items()}
    if isinstance(feature, List):
        return List(_names_as_strings(feature.feature))
    return feature


def names_schema(features: Features) -> pa.Schema:
    """``features.arrow_schema`` with each ClassLabel as a string: rows with label names fit it as they are."""
    return Features({k: _names_as_strings(f) for k, f in features.items()}).arrow_schema


def _encode_labels(arr: pa.Array, feature: Any) -> pa.Array:
    if not _has_labels(feature):
        return arr
    mask = arr.is_null() if arr.null_count else None
    if isinstance(feature, ClassLabel):
        # pyarrow.compute is generated at import: its stubs miss these names
        value_set = pc.SetLookupOptions(pa.array(feature.names, pa.string()))  # type: ignore[attr-defined]
        index = pc.call_function("index_in", [arr], value_set)  # type: ignore[attr-defined]
        if index.null_count != arr.null_count:
            lost = pc.call_function("and", [index.is_null(), arr.is_valid()])  # type: ignore[attr-defined]
            unknown = sorted(set(arr.filter(lost).to_pylist()))
            raise ValueError(f"{unknown} are not among the labels {feature.names}")
        return index.cast(pa.int64())
    if isinstance(feature, dict):
        children = [_encode_labels(arr.field(k), f) for k, f in feature.items()]
        return pa.StructArray.from_arrays(children, names=list(feature), mask=mask)
    values = _encode_labels(arr.values, feature.feature)
    return pa.ListArray.from_arrays(arr.offsets, values, mask=mask)


def encode_labels(table: pa.Table, features: Features, schema: pa.Schema | None = None) -> pa.Table:
    """A table of :func:`names_schema` with ClassLabel names as integers: ``features.arrow_schema``.

    What ``Features.encode_example`` does to this project's rows (ClassLabel names to their
    indices; strings, integers, structs and lists as they are), done on Arrow arrays instead of
    per Python value. An unknown label name raises ``ValueError``. ``schema``: ``features.arrow_schema``
    if the caller has it (computing it is not free).
    """
    columns = [
        pa.chunked_array([_encode_labels(chunk, features[name]) for chunk in table.column(name).chunks])
        for name in table.column_names
    ]
    return pa.Table.from_arrays(columns, schema=schema or features.arrow_schema)
