"""Records to each prediction format: how a system's output (or gold, for the round trips) is written.

The ``sentences`` and ``bio`` rows are exactly the release's (:mod:`newsevents.build.views`), so
a model's predictions converted with these functions are what ``--pred-format`` reads, and gold
converted and read back equals the gold the format can express (tested). What each format cannot
express is dropped and counted (:class:`newsevents.build.views.Dropped`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from newsevents.records import Document


def _doc(rec: dict[str, Any] | Document) -> Document:
    return rec if isinstance(rec, Document) else Document.from_dict(rec)


def sentence_rows(records: Iterable[dict[str, Any] | Document]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The ``sentences`` rows of ``records`` (any annotation status) and what the rows could not hold."""
    from newsevents.build.views import Dropped  # noqa: PLC0415 - datasets only when exporting
    from newsevents.build.views import sentence_rows as rows_of  # noqa: PLC0415

    dropped = Dropped()
    out = [row for rec in records for row in rows_of(_doc(rec), dropped)]
    return out, dropped.to_dict()


def ner_rows(
    records: Iterable[dict[str, Any] | Document], *, ids: bool = False
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The ``ner`` rows of ``records``: tag names, or ClassLabel ids with ``ids``."""
    from newsevents.build.views import Dropped, ner_row  # noqa: PLC0415
    from newsevents.build.views import sentence_rows as rows_of  # noqa: PLC0415
    from newsevents.evaluate.formats.rows import tag_names  # noqa: PLC0415

    dropped = Dropped()
    index = {name: i for i, name in enumerate(tag_names())}
    out = []
    for rec in records:
        for sent in rows_of(_doc(rec), dropped):
            row = ner_row(sent, dropped)
            if ids:
                row["ner_tags"] = [index[t] for t in row["ner_tags"]]
            out.append(row)
    return out, dropped.to_dict()


def conll_text(rows: Sequence[dict[str, Any]]) -> str:
    """``ner`` rows as CoNLL-style text: ``-DOCSTART- <doc_id>``, ``# sent_id = ...``, ``token tag`` lines."""
    lines: list[str] = []
    doc = None
    for row in rows:
        if row["doc_id"] != doc:
            doc = row["doc_id"]
            lines += [f"-DOCSTART- {doc}", ""]
        lines.append(f"# sent_id = {row['sent_id']}")
        lines += [f"{tok} {tag}" for tok, tag in zip(row["tokens"], row["ner_tags"], strict=True)]
        lines.append("")
    return "\n".join(lines) + "\n"


def write_docbin(
    records: Iterable[dict[str, Any] | Document], path: Path, *, spans_key: str | None = None
) -> dict[str, int]:
    """Write a ``.spacy`` DocBin of ``records`` (spaCy needed); returns the mentions ``doc.ents`` could not hold.

    Each doc keeps its id in ``user_data["doc_id"]``. With ``spans_key`` every mention goes into
    that span group (nesting kept); ``doc.ents`` always holds the outermost mentions (ents cannot
    overlap). Tokens are the project tokenizer's, so every mention on token boundaries fits.
    """
    from newsevents.evaluate.formats.spacy_docbin import _spacy  # noqa: PLC0415
    from newsevents.text import tokenize  # noqa: PLC0415

    spacy = _spacy()
    vocab = spacy.vocab.Vocab()
    db = spacy.tokens.DocBin(store_user_data=True)
    lost = {"not-on-token-boundaries": 0, "nested-or-overlapping": 0}
    for rec in records:
        doc_rec = _doc(rec)
        words, spaces = _words(doc_rec.text, tokenize(doc_rec.text))
        doc = spacy.tokens.Doc(vocab, words=words, spaces=spaces)
        spans = []
        for m in sorted(doc_rec.entity_mentions, key=lambda m: (m.start, -m.end)):
            span = doc.char_span(m.start, m.end, label=m.type)
            if span is None:
                lost["not-on-token-boundaries"] += 1
                continue
            spans.append(span)
        ents, last = [], -1
        for span in spans:
            if span.start >= last:
                ents.append(span)
                last = span.end
            else:
                lost["nested-or-overlapping"] += 1
        doc.ents = ents
        if spans_key is not None:
            doc.spans[spans_key] = spans
        doc.user_data["doc_id"] = doc_rec.id
        db.add(doc)
    db.to_disk(path)
    return lost


def _words(text: str, toks: list[tuple[int, int]]) -> tuple[list[str], list[bool]]:
    """spaCy words and spaces for ``text``: the tokens, one trailing space each, other whitespace as words."""
    words: list[str] = []
    spaces: list[bool] = []

    def gap(g: str) -> None:
        if words and g.startswith(" "):
            spaces[-1] = True
            g = g[1:]
        if g:
            words.append(g)
            spaces.append(False)

    pos = 0
    for s, e in toks:
        gap(text[pos:s])
        words.append(text[s:e])
        spaces.append(False)
        pos = e
    gap(text[pos:])
    return words, spaces
