"""Prediction formats: each reader turns one file into per-document units, mapped to records later.

``newsevents evaluate --pred-format`` chooses one (default: detected from the files, and the
report says which):

* ``records``: canonical document records (``*.json``, one record or a list per file);
* ``sentences``: rows in the shape of the release's ``sentences`` config, predictions in token
  offsets of the project tokenizer (``*.jsonl``, ``*.json`` list, ``*.parquet``);
* ``bio``: rows in the shape of the ``ner`` config (tag names or ClassLabel ids), or CoNLL-style
  ``token tag`` files (``*.conll``, ``*.bio``, ``*.iob``) with blank lines between sentences;
* ``spacy``: a ``.spacy`` DocBin whose docs have the gold texts.

A reader reads a whole file into :class:`Unit` s (one per document, in file order) and reports
what does not fit as findings; :meth:`Reader.resolve` maps a unit onto its gold record (the text,
the sentences and tokens of the project tokenizer) and returns a canonical prediction record for
the scorer. Units are what the streaming scorer holds and re-reads, exactly as it holds records.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsevents.records import Finding

FORMATS = ("records", "sentences", "bio", "spacy")
ROW_SUFFIXES = (".jsonl", ".json", ".parquet")
CONLL_SUFFIXES = (".conll", ".bio", ".iob")
# What each format cannot express: the report names these metrics (docs/evaluation.md, Formats).
CANNOT_EXPRESS: dict[str, tuple[str, ...]] = {
    "records": (),
    "sentences": (
        "mentions and triggers that cross a sentence boundary or end inside a token",
        "arguments whose entity mention is in another sentence than the trigger",
    ),
    "bio": (
        "events.* (no events)",
        "entities.*.kind.* (no kinds: every predicted mention is NAM)",
        "nested and overlapping mentions (only the outermost: compare entities.bio, which flattens gold alike)",
        "mentions that cross a sentence boundary or end inside a token",
        "coreference (each mention its own cluster)",
    ),
    "spacy": (
        "events.* (no events)",
        "entities.*.kind.* (no kinds: every predicted mention is NAM)",
        "nested mentions with doc.ents (a span group can hold them)",
        "coreference (each mention its own cluster)",
    ),
}


@dataclass(frozen=True, slots=True)
class Unit:
    """One document's predictions as read from a file.

    ``key`` is the document id, or ``sha256:<hex>`` of the text for a spaCy doc without an id;
    ``n`` the unit's position in its file (None for a file holding one record); ``payload`` what
    :meth:`Reader.resolve` maps (a record, a list of (row number, row), a spaCy doc's spans).
    """

    key: str
    n: int | None
    payload: Any


class Reader:
    """Reads one prediction format; subclasses write :meth:`files`, :meth:`read` and :meth:`resolve`."""

    name = "records"
    keyed_by_text = False  # units may be keyed by the sha256 of their text (spaCy docs)

    def files(self, paths: Iterable[Path]) -> Iterator[Path]:
        raise NotImplementedError

    def read(self, path: Path) -> tuple[list[Unit], list[Finding]]:
        """Every unit of ``path`` in file order, and what did not fit (errors name row and field)."""
        raise NotImplementedError

    def reread(self, path: Path, n: int | None) -> Any:
        """The payload of unit ``n`` of ``path`` (read again), or None if the file changed."""
        units, _ = self.read(path)
        for u in units:
            if u.n == n:
                return u.payload
        return None

    def resolve(self, payload: Any, gold: dict[str, Any], *, file: str) -> tuple[dict[str, Any] | None, list[Finding]]:
        """The canonical prediction record of ``payload`` for gold record ``gold``, and findings.

        None when an error makes scoring impossible (the findings say why).
        """
        raise NotImplementedError


def iter_files(paths: Iterable[Path], suffixes: Sequence[str]) -> Iterator[Path]:
    """Every file with one of ``suffixes`` named or found (recursively, sorted) under ``paths``."""
    for p in paths:
        if p.is_dir():
            yield from sorted(
                q for q in p.rglob("*") if q.suffix in suffixes and not q.is_dir() and not q.name.startswith(".")
            )
        else:
            yield p


def _first_row(path: Path) -> Any:
    """The first row or record of a JSON, JSON Lines or parquet file, or None."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq  # noqa: PLC0415 - only for parquet predictions

        return dict.fromkeys(pq.read_schema(path).names)  # type: ignore[no-untyped-call]  # pyarrow ships no type hints
    try:
        with path.open(encoding="utf-8") as fh:
            if path.suffix == ".jsonl":
                for line in fh:
                    if line.strip():
                        return json.loads(line)
                return None
            value = json.load(fh)
    except (OSError, ValueError):
        return None  # the reader reports it
    return value[0] if isinstance(value, list) and value else value


def detect(paths: Sequence[Path]) -> str:
    """The format of the prediction files under ``paths``, from the first file's name and shape.

    ``.spacy`` is ``spacy``; ``.conll``/``.bio``/``.iob`` are ``bio``; a JSON, JSON Lines or
    parquet row with ``ner_tags`` is ``bio``, one with ``sent_id`` is ``sentences``; anything else
    is ``records``.
    """
    first = next(iter_files(paths, (".spacy", *CONLL_SUFFIXES, *ROW_SUFFIXES)), None)
    if first is None:
        return "records"
    if first.suffix == ".spacy":
        return "spacy"
    if first.suffix in CONLL_SUFFIXES:
        return "bio"
    row = _first_row(first)
    if isinstance(row, dict):
        if "ner_tags" in row:
            return "bio"
        if "sent_id" in row:
            return "sentences"
    return "sentences" if first.suffix in (".jsonl", ".parquet") else "records"


def get_reader(name: str, *, spans_key: str | None = None) -> Reader:
    """The reader of format ``name`` (one of :data:`FORMATS`)."""
    if name == "records":
        from newsevents.evaluate.formats.records import RecordReader  # noqa: PLC0415

        return RecordReader()
    if name == "sentences":
        from newsevents.evaluate.formats.rows import SentenceReader  # noqa: PLC0415

        return SentenceReader()
    if name == "bio":
        from newsevents.evaluate.formats.rows import BioReader  # noqa: PLC0415

        return BioReader()
    if name == "spacy":
        from newsevents.evaluate.formats.spacy_docbin import DocBinReader  # noqa: PLC0415

        return DocBinReader(spans_key=spans_key)
    raise ValueError(f"unknown prediction format {name!r}, known: {', '.join(FORMATS)}")
