"""Scoring predictions in the shape a model was trained on, from a training loop.

:func:`score_sentences` takes the gold as a ``datasets.Dataset`` split (the ``documents`` config,
or the ``sentences`` config) or as canonical records, and predicted rows in the shape of the
``sentences`` config (token offsets) or of the ``ner`` config (BIO tags). Rows are mapped back to
code points exactly as ``newsevents evaluate --pred-format sentences|bio`` maps them
(:mod:`newsevents.evaluate.formats.rows`), and the report is the command's.

Gold from the ``documents`` config is the full gold (the command's numbers). Gold from the
``sentences`` config is what that config holds: mentions that cross a sentence or end inside a
token, and arguments in another sentence than their trigger, are not in it (the release counts
them in ``statistics.dropped_in_derived_views``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from newsevents.evaluate.formats.rows import BioReader, SentenceReader
from newsevents.evaluate.pair import empty_view, view_of_record
from newsevents.evaluate.report import MAX_ERRORS, Evaluation
from newsevents.evaluate.stream import format_note
from newsevents.evaluate.tolerance import ERROR, WARNING, warning_counts
from newsevents.records import Document, Finding

_PLACEHOLDER_SOURCE = {"publisher": "unknown", "license": "unknown", "raw_file": "unknown", "raw_sha256": "0" * 64}


class PredictionRowsError(ValueError):
    """The predicted rows cannot be scored: fix the rows the findings name (row and field)."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = list(findings)
        errors = [f for f in findings if f.severity == ERROR]
        shown = "\n".join(str(f) for f in errors[:5])
        more = f"\n... and {len(errors) - 5} more" if len(errors) > 5 else ""
        super().__init__(f"{len(errors)} errors: no scores computed\n{shown}{more}")


def _columns(data: Any) -> set[str]:
    names = getattr(data, "column_names", None)
    if names is not None:
        return set(names)
    first = next(iter(data), None)
    if isinstance(first, Document):
        return {"text"}
    return set(first) if isinstance(first, Mapping) else set()


def gold_records(gold: Any) -> tuple[list[dict[str, Any]], dict[str, dict[int, list[tuple[int, int]]]] | None]:
    """Canonical gold records of ``gold``, and (for a ``sentences`` split) each document's sentence tokens."""
    cols = _columns(gold)
    if "text" in cols:  # the documents config, or records
        features = getattr(gold, "features", None)
        if features is not None:
            from newsevents.build.views import row_to_record  # noqa: PLC0415 - datasets is loaded already

            return [row_to_record(row, features) for row in gold], None
        return [g.to_dict() if isinstance(g, Document) else dict(g) for g in gold], None
    if {"sent_id", "token_offsets", "entity_mentions"} <= cols:
        return gold_from_sentence_rows(gold)
    raise ValueError(
        f"gold must be a split of the documents or sentences config (or records), found columns {sorted(cols)}"
    )


def gold_from_sentence_rows(
    rows: Iterable[Mapping[str, Any]],
) -> tuple[list[dict[str, Any]], dict[str, dict[int, list[tuple[int, int]]]]]:
    """Gold records rebuilt from ``sentences`` rows, and each document's sentence tokens.

    The text holds each sentence at its code points, the gaps between sentences as spaces (the
    config does not keep them; they are whitespace in the original, so tokens, offsets and scores
    are the same). Mentions and events map through the rows' own ``token_offsets``.
    """
    by_doc: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        by_doc.setdefault(row["doc_id"], []).append(row)
    reader = SentenceReader()
    out, sents_of = [], {}
    for doc_id, doc_rows in by_doc.items():
        length = max((r["token_offsets"][-1][1] for r in doc_rows if r["token_offsets"]), default=0)
        chars = [" "] * length
        sents: dict[int, list[tuple[int, int]]] = {}
        for r in doc_rows:
            toks = [(int(s), int(e)) for s, e in r["token_offsets"]]
            start = toks[0][0]
            chars[start : start + len(r["sentence"])] = r["sentence"]
            sents[int(r["sent_id"][len(doc_id) + 1 :])] = toks
        text = "".join(chars)
        shell = {
            "id": doc_id,
            "title": text.strip().split("\n", 1)[0][:200] or doc_id,
            "text": text,
            "language": "en",
            "split": "test",
            "source": _PLACEHOLDER_SOURCE,
        }
        rec, findings = reader.resolve(
            [(f"/{i}", dict(r)) for i, r in enumerate(doc_rows)], shell, file="gold", sents=sents
        )
        if rec is None:
            raise ValueError(f"gold sentences of {doc_id!r} do not map back: {findings[0]}")
        rec["provenance"] = {"status": "gold", "annotators": []}
        out.append(rec)
        sents_of[doc_id] = sents
    return out, sents_of


def score_sentences(
    gold: Any,
    predictions: Iterable[Mapping[str, Any]],
    *,
    coref: bool = False,
    bootstrap_n: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
    max_errors: int | None = MAX_ERRORS,
) -> dict[str, Any]:
    """Score predicted ``sentences`` or ``ner`` rows against ``gold``; the report of ``newsevents evaluate``.

    Args:
        gold: A ``datasets.Dataset`` split of the ``documents`` or ``sentences`` config, or a
            sequence of canonical records (dicts or :class:`~newsevents.records.Document`).
        predictions: Rows with ``doc_id`` and ``sent_id``, and either ``entity_mentions`` /
            ``event_mentions`` in token offsets (the ``sentences`` shape) or ``ner_tags`` (names or
            ClassLabel ids: the ``ner`` shape). ``tokens`` and ``token_offsets`` are optional and
            checked against the gold sentence when given. A list or a ``datasets.Dataset``.

    Returns:
        The JSON report (``docs/evaluation.md``), with ``pred_format``, ``warnings`` and ``findings``.

    Raises:
        PredictionRowsError: a row does not fit (its findings name the row and the field), or
            rows name a document the gold does not have.

    Example:
        >>> gold = [{"id": "d1", "title": "Ann met Bob.", "text": "Ann met Bob.", "language": "en",
        ...          "split": "test", "source": {"publisher": "P", "license": "L", "raw_file": "f",
        ...          "raw_sha256": "0" * 64}, "provenance": {"status": "gold", "annotators": []},
        ...          "entity_mentions": [{"id": "T1", "start": 0, "end": 3, "text": "Ann", "type": "PER",
        ...                               "kind": "NAM", "entity": "E1"}]}]
        >>> rows = [{"doc_id": "d1", "sent_id": "d1-0", "ner_tags": ["B-PER", "O", "B-PER", "O"]}]
        >>> report = score_sentences(gold, rows, bootstrap_n=0)
        >>> report["pred_format"]["name"], report["metrics"]["entities.strict"]["precision"]
        ('bio', 0.5)
    """
    records, sents_of = gold_records(gold)
    rows = list(predictions)
    bio = any("ner_tags" in r for r in rows[:1])
    reader = BioReader() if bio else SentenceReader()
    units, findings = reader.group([(f"/{i}", dict(r)) for i, r in enumerate(rows)], "predictions")
    ev = Evaluation(coref=coref, max_errors=max_errors)
    gold_ids = set()
    for g in sorted(records, key=lambda r: r["id"]):
        doc_id = g["id"]
        gold_ids.add(doc_id)
        g_view = view_of_record(g)
        payload = units.get(doc_id)
        if payload is None:
            msg = "no predicted row for this gold document: scored as empty"
            findings.append(Finding("evaluate.missing-prediction", msg, severity=WARNING, file="gold", doc_id=doc_id))
            ev.add(g_view, empty_view(g_view))
            continue
        sents = sents_of.get(doc_id) if sents_of is not None else None
        rec, found = reader.resolve(payload, g, file="predictions", sents=sents)
        findings.extend(found)
        if rec is not None:
            ev.add(g_view, view_of_record(rec))
    findings.extend(
        Finding(
            "evaluate.unknown-document",
            f"no gold document has id {d!r}",
            file="predictions",
            doc_id=d,
            pointer="/doc_id",
        )
        for d in sorted(set(units) - gold_ids)
    )
    if any(f.severity == ERROR for f in findings):
        raise PredictionRowsError(findings)
    res = ev.result(bootstrap_n=bootstrap_n, seed=seed, confidence=confidence)
    res["gold"] = f"{len(records)} documents"
    res["pred"] = f"{len(rows)} rows"
    res["pred_format"] = format_note(reader.name, detected=True)
    res["warnings"] = warning_counts(findings)
    res["findings"] = [f.to_dict() for f in findings]
    return res
