"""``spacy``: a ``.spacy`` DocBin whose docs have the gold texts, through the spaCy adapter's crosswalk.

A doc is matched to its gold document by ``doc.user_data["doc_id"]`` when the DocBin stored user
data, else by the sha256 of its text. Entities come from ``doc.ents``, or from the span group
``spans_key`` (which may nest). Labels that are ontology entity types are kept; OntoNotes labels
map through ``from_ontonotes`` (as ``newsevents baseline --spacy`` does,
:func:`newsevents.evaluate.baselines.spacy_adapter.map_ontonotes`); other labels are dropped and
counted (``evaluate.label-dropped``, a warning). Every mention is NAM, in its own cluster.

spaCy is imported only when a DocBin is read; without it the reader says how to install it.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from newsevents.evaluate.baselines.spacy_adapter import BaselineUnavailableError, map_ontonotes
from newsevents.evaluate.formats import Reader, Unit, iter_files
from newsevents.evaluate.tolerance import WARNING, check_prediction
from newsevents.ontology import load_ontology
from newsevents.records import Document, Finding, Provenance, text_sha256

INSTALL_HINT = 'pip install "newsevents[spacy]"  (spaCy reads .spacy DocBin files; it is an optional extra)'


def _spacy() -> Any:
    try:
        return importlib.import_module("spacy")
    except ImportError as exc:
        raise BaselineUnavailableError(f"spaCy is not installed: {INSTALL_HINT}") from exc


def crosswalk() -> dict[str, str]:
    """Span label -> entity type: ontology types as they are, OntoNotes labels through ``from_ontonotes``."""
    onto = load_ontology()
    return {**onto.from_ontonotes, **{t: t for t in onto.entity_types}}


class DocBinReader(Reader):
    name = "spacy"
    keyed_by_text = True

    def __init__(self, *, spans_key: str | None = None) -> None:
        self.spans_key = spans_key

    def files(self, paths: Iterable[Path]) -> Iterator[Path]:
        return iter_files(paths, (".spacy",))

    def read(self, path: Path) -> tuple[list[Unit], list[Finding]]:
        spacy = _spacy()
        try:
            docs = list(spacy.tokens.DocBin().from_disk(path).get_docs(spacy.vocab.Vocab()))
        except (OSError, ValueError, KeyError) as exc:
            return [], [Finding("io.unreadable", f"not a readable spaCy DocBin: {exc}", file=str(path))]
        units, findings = [], []
        for n, doc in enumerate(docs):
            if self.spans_key is not None:
                if self.spans_key not in doc.spans:
                    msg = f"doc {n} has no span group {self.spans_key!r} (it has {sorted(doc.spans)})"
                    findings.append(Finding("evaluate.row-invalid", msg, file=str(path), pointer=f"/{n}/spans"))
                    continue
                spans = doc.spans[self.spans_key]
            else:
                spans = doc.ents
            ents = [(s.start_char, s.end_char, s.label_) for s in spans]
            key = doc.user_data.get("doc_id") if isinstance(doc.user_data.get("doc_id"), str) else None
            units.append(Unit(key or f"sha256:{text_sha256(doc.text)}", n, (doc.text, ents)))
        return units, findings

    def resolve(self, payload: Any, gold: dict[str, Any], *, file: str) -> tuple[dict[str, Any] | None, list[Finding]]:
        text, ents = payload
        if text != gold["text"]:
            msg = f"the doc's text hashes to {text_sha256(text)[:12]}..., gold text to {text_sha256(gold['text'])[:12]}...: offsets would index another text"
            return None, [Finding("evaluate.text-mismatch", msg, file=file, doc_id=gold["id"], pointer="/text")]
        mentions, dropped = map_ontonotes(text, ents, crosswalk())
        doc = Document.from_dict(gold)
        pred = replace(
            doc,
            entity_mentions=tuple(mentions),
            event_mentions=(),
            provenance=Provenance(status="predicted", tool="newsevents evaluate --pred-format spacy"),
        )
        findings = [
            Finding(
                "evaluate.label-dropped",
                f"{n} span(s) labelled {label!r}: neither an entity type nor an OntoNotes label of the crosswalk",
                severity=WARNING,
                file=file,
                doc_id=gold["id"],
            )
            for label, n in sorted(dropped.items())
        ]
        rec = pred.to_dict()
        return rec, [*findings, *check_prediction(rec, file=file)]
