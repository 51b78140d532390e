"""An adapter that turns any installed spaCy pipeline's entities into a newsevents prediction.

spaCy is not a dependency of newsevents: it is imported only when this adapter runs, and a
missing spaCy or model is reported with the command that installs it. OntoNotes labels map
through the ontology's crosswalk (``from_ontonotes`` in ``schema/ontology.json``); entities with
other labels (CARDINAL, MONEY, PRODUCT, ...) are dropped and counted. Every kept mention is NAM
(OntoNotes annotates names and time expressions, not nominals or pronouns) in its own cluster.
The adapter predicts entities only: no events.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from newsevents.ontology import load_ontology
from newsevents.records import Document, EntityMention, Provenance

INSTALL_HINT = "pip install spacy && python -m spacy download {model}  (spaCy is optional: not a newsevents dependency)"


class BaselineUnavailableError(Exception):
    """The baseline cannot run in this environment (a missing optional package or model)."""


def load_pipeline(model: str) -> Any:
    """``spacy.load(model)``, with a missing spaCy or model turned into :class:`BaselineUnavailableError`."""
    try:
        spacy = importlib.import_module("spacy")
    except ImportError as exc:
        raise BaselineUnavailableError(f"spaCy is not installed: {INSTALL_HINT.format(model=model)}") from exc
    try:
        return spacy.load(model)
    except OSError as exc:
        raise BaselineUnavailableError(
            f"spaCy model {model!r} is not installed: {INSTALL_HINT.format(model=model)}"
        ) from exc


def map_ontonotes(
    text: str, ents: Iterable[tuple[int, int, str]], mapping: Mapping[str, str] | None = None
) -> tuple[list[EntityMention], Counter[str]]:
    """Entity mentions from (start, end, OntoNotes label) spans, and the dropped labels' counts.

    Spans are trimmed of surrounding whitespace; an empty span is dropped as ``"(empty)"``.

    Example:
        >>> ms, dropped = map_ontonotes("Iraqi troops left Basra on Friday.", [(0, 5, "NORP"), (18, 23, "GPE"), (27, 33, "DATE"), (6, 12, "CARDINAL")])
        >>> [(m.text, m.type) for m in ms], dict(dropped)
        ([('Iraqi', 'GPE'), ('Basra', 'GPE'), ('Friday', 'TIME')], {'CARDINAL': 1})
    """
    table = load_ontology().from_ontonotes if mapping is None else mapping
    out: list[EntityMention] = []
    dropped: Counter[str] = Counter()
    for start, end, label in sorted(ents):
        etype = table.get(label)
        if etype is None:
            dropped[label] += 1
            continue
        s, e = start, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s == e:
            dropped["(empty)"] += 1
            continue
        n = len(out) + 1
        out.append(EntityMention(f"T{n}", s, e, text[s:e], etype, "NAM", f"E{n}"))
    return out, dropped


def predict(doc: Document, nlp: Any, model: str) -> tuple[Document, Counter[str]]:
    """``doc`` with its annotations replaced by the pipeline's entities (mapped), and drops."""
    parsed = nlp(doc.text)
    mentions, dropped = map_ontonotes(doc.text, ((e.start_char, e.end_char, e.label_) for e in parsed.ents))
    pred = replace(
        doc,
        entity_mentions=tuple(mentions),
        event_mentions=(),
        provenance=Provenance(status="predicted", tool="newsevents baseline", system=f"spacy:{model}"),
    )
    return pred, dropped
