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
                "label_studio": {"project": Value("int64"), "task": Value("int64"), "annotation": Value("int64")},
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


def _label_encoder(feature: Any) -> Any:
    """A function mapping a value of ``feature``'s nesting to its stored form, or None if unchanged."""
    if isinstance(feature, ClassLabel):
        index = {name: i for i, name in enumerate(feature.names)}

        def label(v: Any) -> Any:
            if v is None or isinstance(v, int):
                return v
            try:
                return index[v]
            except KeyError:
                raise ValueError(f"{v!r} is not one of the labels {feature.names}") from None

        return label
    if isinstance(feature, dict):
        items = tuple((k, f) for k, f in ((k, _label_encoder(f)) for k, f in feature.items()) if f is not None)
        if not items:
            return None

        def struct(v: Any) -> Any:
            # only the keys holding labels are replaced; pyarrow ignores keys the schema lacks
            if v is None:
                return None
            out = dict(v)
            for k, f in items:
                out[k] = f(v.get(k))
            return out

        return struct
    if isinstance(feature, List):
        inner = _label_encoder(feature.feature)
        if inner is None:
            return None
        return lambda v: None if v is None else [inner(x) for x in v]
    return None


def label_encoder(features: Features) -> Any:
    """A function giving a row the form ``features.arrow_schema`` stores: ClassLabel names as integers.

    What ``Features.encode_example`` does for this project's feature kinds (strings, integers,
    ClassLabel, structs, lists), compiled once per config instead of interpreted per value; rows
    then go straight to ``pyarrow`` with the features' Arrow schema.
    """
    enc = _label_encoder(dict(features))
    return (lambda row: row) if enc is None else enc
