"""Scoring entity and event extractors against gold records, shaped like scikit-learn metrics.

``gold`` and ``pred`` are either sequences of :class:`newsevents.records.Document` (aligned by
document id; a missing prediction scores as empty) or sequences of per-document lists of entity
tuples ``(start, end, type)`` or ``(start, end, type, kind)`` (aligned by position). Matching
rules are stated in :mod:`newsevents.evaluate.matching`, :mod:`newsevents.evaluate.events`,
:mod:`newsevents.evaluate.bio` and ``docs/evaluation.md``.

Example:
    >>> gold = [[(0, 5, "PER"), (10, 14, "GPE")]]
    >>> pred = [[(0, 5, "PER"), (10, 12, "GPE")]]
    >>> score(gold, pred, match="strict").f1
    0.5
    >>> score(gold, pred, match="partial")
    Score(precision=0.75, recall=0.75, f1=0.75, counts=Counts(cor=1, inc=0, par=1, mis=0, spu=0))
    >>> f1_score(gold, pred, match="type")
    1.0
    >>> sorted(score(gold, pred, average=None))
    ['GPE', 'PER']
    >>> score(gold, pred, match="trig_c")
    Traceback (most recent call last):
    ...
    ValueError: match='trig_c' needs Document records (text and events), not entity tuples
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from newsevents.evaluate.counts import Counts, Tally, macro, sum_tallies
from newsevents.evaluate.entities import score_mentions
from newsevents.evaluate.matching import Mention, sort_spans
from newsevents.evaluate.report import compare_documents, evaluate_documents, score_pair
from newsevents.records import Document

ENTITY_MATCHES = ("strict", "exact", "partial", "type", "bio")
EVENT_MATCHES = ("trig_i", "trig_c", "arg_i", "arg_c", "arg_i+", "arg_c+")


@dataclass(frozen=True, slots=True)
class Score:
    """Precision, recall and F1 of one metric, and the counts they come from."""

    precision: float | None
    recall: float | None
    f1: float | None
    counts: Counts

    @classmethod
    def of(cls, c: Counts) -> Score:
        return cls(c.precision, c.recall, c.f1, c)


def _tuples(doc: Sequence[Sequence[Any]]) -> list[Mention]:
    return sort_spans((int(m[0]), int(m[1]), str(m[2]), str(m[3]) if len(m) > 3 else "NAM") for m in doc)


def tallies(gold: Sequence[Any], pred: Sequence[Any], *, coref: bool = False) -> list[Tally]:
    """Per-document tallies of every metric (the counts all scores are computed from)."""
    if gold and isinstance(gold[0], Document):
        by_id = {p.id: p for p in pred}
        unknown = set(by_id) - {g.id for g in gold}
        if unknown:
            raise ValueError(f"predictions for documents not in gold: {sorted(unknown)}")
        from newsevents.evaluate.load import empty_prediction  # noqa: PLC0415 - load pulls in the validator

        return [score_pair(g, by_id.get(g.id) or empty_prediction(g), coref=coref) for g in gold]
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} documents, pred {len(pred)}")
    return [score_mentions(_tuples(g), _tuples(p))[0] for g, p in zip(gold, pred, strict=True)]


def _key(match: str, coref: bool) -> str:
    if match in ENTITY_MATCHES:
        return f"entities.{match}"
    if match in EVENT_MATCHES:
        return f"events.{match}" + (".coref" if coref and match.startswith("arg") else "")
    raise ValueError(f"match must be one of {ENTITY_MATCHES + EVENT_MATCHES}, found {match!r}")


def score(
    gold: Sequence[Any],
    pred: Sequence[Any],
    *,
    match: str = "strict",
    average: Literal["micro", "macro"] | None = "micro",
    coref: bool = False,
) -> Any:
    """Precision, recall and F1 of ``pred`` against ``gold`` under ``match``.

    Args:
        gold: Gold documents, or per-document lists of entity tuples.
        pred: Predictions in the same form.
        match: ``strict``, ``exact``, ``partial``, ``type``, ``bio`` (entities) or ``trig_i``,
            ``trig_c``, ``arg_i``, ``arg_c``, ``arg_i+``, ``arg_c+`` (events; documents only).
        average: ``micro`` (a :class:`Score`), ``macro`` (a :class:`Score` with the unweighted
            mean over labels and empty counts) or None (a dict label -> :class:`Score`; labels are
            entity types, event types for triggers, roles for arguments).
        coref: For argument matches, match arguments by gold entity cluster.
    """
    key = _key(match, coref)
    if (match == "bio" or match in EVENT_MATCHES) and not (gold and isinstance(gold[0], Document)):
        raise ValueError(f"match={match!r} needs Document records (text and events), not entity tuples")
    total = sum_tallies(tallies(gold, pred, coref=coref))
    if average == "micro":
        return Score.of(total.get(key, Counts()))
    base = key.removesuffix(".coref")
    if base.startswith("events.arg"):
        prefix = "events.arg_c.role."
    elif base.startswith("events.trig"):
        prefix = "events.trig_c.type."
    else:
        prefix = f"{base}.type."
    if average is None:
        return {k[len(prefix) :]: Score.of(c) for k, c in sorted(total.items()) if k.startswith(prefix)}
    if average == "macro":
        m = macro(total, prefix)
        if m is None:
            return Score(None, None, None, Counts())
        return Score(m["precision"], m["recall"], m["f1"], Counts())
    raise ValueError(f"average must be 'micro', 'macro' or None, found {average!r}")


def f1_score(gold: Sequence[Any], pred: Sequence[Any], *, match: str = "strict", coref: bool = False) -> float | None:
    """Micro F1 (see :func:`score`)."""
    result: Score = score(gold, pred, match=match, coref=coref)
    return result.f1


def precision_score(
    gold: Sequence[Any], pred: Sequence[Any], *, match: str = "strict", coref: bool = False
) -> float | None:
    result: Score = score(gold, pred, match=match, coref=coref)
    return result.precision


def recall_score(
    gold: Sequence[Any], pred: Sequence[Any], *, match: str = "strict", coref: bool = False
) -> float | None:
    result: Score = score(gold, pred, match=match, coref=coref)
    return result.recall


def __getattr__(name: str) -> Any:
    """``score_sentences`` and ``PredictionRowsError`` load the validator: imported when first used."""
    if name in {"score_sentences", "PredictionRowsError"}:
        from newsevents.evaluate import sentences  # noqa: PLC0415

        return getattr(sentences, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Counts",
    "PredictionRowsError",
    "Score",
    "compare_documents",
    "evaluate_documents",
    "f1_score",
    "precision_score",
    "recall_score",
    "score",
    "score_sentences",
    "tallies",
]
