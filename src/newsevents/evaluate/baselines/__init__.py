"""Baseline systems that write prediction records: the lexicon baseline and a spaCy adapter."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from newsevents.evaluate.baselines import lexicon
from newsevents.evaluate.baselines.spacy_adapter import BaselineUnavailableError, load_pipeline
from newsevents.evaluate.baselines.spacy_adapter import predict as spacy_predict
from newsevents.evaluate.load import load_records
from newsevents.io import write_json
from newsevents.records import Document, Finding, Severity


def run_baseline(docs: Sequence[Document], *, spacy_model: str | None = None) -> tuple[list[Document], str]:
    """Predictions of the chosen baseline for ``docs`` and the system's name."""
    if spacy_model is None:
        return [lexicon.predict(d) for d in docs], lexicon.SYSTEM
    nlp = load_pipeline(spacy_model)
    return [spacy_predict(d, nlp, spacy_model)[0] for d in docs], f"spacy:{spacy_model}"


def run_baseline_paths(
    inputs: Sequence[Path], *, out: Path | None = None, spacy_model: str | None = None
) -> tuple[list[Path], list[Finding], str]:
    """Read records, predict, and write ``<out>/<doc-id>.json``; nothing is written on input errors.

    The default ``out`` is ``predictions/<system>`` (``:`` in a spaCy system name becomes ``-``).
    """
    loaded = load_records(inputs)
    system = lexicon.SYSTEM if spacy_model is None else f"spacy:{spacy_model}"
    if any(f.severity == Severity.ERROR.value for f in loaded.findings):
        return [], loaded.findings, system
    preds, system = run_baseline([loaded.docs[k] for k in sorted(loaded.docs)], spacy_model=spacy_model)
    folder = out if out is not None else Path("predictions") / system.replace(":", "-").replace("/", "-")
    written = []
    for doc in preds:
        path = folder / f"{doc.id}.json"
        write_json(path, doc.to_dict())
        written.append(path)
    return written, loaded.findings, system


__all__ = ["BaselineUnavailableError", "run_baseline", "run_baseline_paths"]
