"""The whole evaluation of a system: every score with its interval, confusions, and errors.

:func:`evaluate_documents` returns a JSON-ready dict (shape in ``docs/evaluation.md``);
:func:`compare_documents` the paired comparison of two systems. Rendering to text and markdown is
in :mod:`newsevents.evaluate.render`.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from itertools import chain
from operator import itemgetter
from typing import Any

import numpy as np
import numpy.typing as npt

from newsevents import __version__
from newsevents.evaluate import bootstrap, events
from newsevents.evaluate.counts import Counts, Tally, macro, sum_tallies
from newsevents.evaluate.matching import Mention, multiset_unmatched
from newsevents.evaluate.pair import PairScore, View, score_views, view_of_document
from newsevents.ontology import load_ontology
from newsevents.records import Document
from newsevents.text import TOKENIZER

NONE = "(none)"
CONTEXT = 40
# Errors listed in full (with context) by default; error_counts has the totals.
MAX_ERRORS = 1000

RULES = {
    "entities.strict": "COR = same start, end and type; other overlapping pairs INC (one-to-one, larger overlap first)",
    "entities.exact": "COR = same start and end, any type; other overlapping pairs INC",
    "entities.partial": "COR = same start and end; other overlapping pairs PAR, worth half (SemEval-2013 Task 9)",
    "entities.type": "COR = overlap and same type (exact spans first, then larger overlap); other overlaps INC",
    "entities.<scheme>.type.<T>": "the scheme run on gold and predicted mentions of type T only (nervaluate)",
    "entities.<scheme>.kind.<K>": "micro outcomes by kind: pairs and MIS by the gold mention's kind, SPU by the prediction's",
    "entities.bio": "CoNLL chunks on the token BIO view (outermost mentions kept); exact token span and type",
    "events.trig_i": "trigger span (start, end)",
    "events.trig_c": "trigger span and event type",
    "events.arg_i": "(event type, argument span); the trigger span need not match (ACE/OneIE)",
    "events.arg_c": "(event type, role, argument span) (ACE/OneIE)",
    "events.arg_i+": "(trigger span, event type, argument span): the trigger must match too (TextEE Arg-I+)",
    "events.arg_c+": "(trigger span, event type, role, argument span) (TextEE Arg-C+)",
    "events.<arg metric>.coref": "argument span replaced by the gold entity cluster it hits (WikiEvents coref F1)",
    "matching": "events: multiset match of keys, COR = sum of min(#gold, #pred) per key",
    "macro": "unweighted mean over labels present in gold or predictions",
    "bootstrap": "documents resampled with replacement; scores recomputed from summed counts; percentile interval",
}

PAIRED_TEST = (
    "paired bootstrap over documents: the same resamples for A and B; d* = F1(A) - F1(B) per resample; "
    "two-sided p = (1 + #{|d* - d| >= |d|}) / (n + 1) with d the observed difference"
)

MACRO_FAMILIES = (
    "entities.strict.type.",
    "entities.exact.type.",
    "entities.partial.type.",
    "entities.type.type.",
    "entities.bio.type.",
    "events.trig_c.type.",
    "events.arg_c.type.",
    "events.arg_c.role.",
)


def score_pair(gold: Document, pred: Document, *, coref: bool = False) -> Tally:
    """Every count of one pair as a tally (metric key -> :class:`Counts`)."""
    ps = score_views(view_of_document(gold), view_of_document(pred), coref=coref)
    return {k: Counts(*row) for k, row in ps.tally.items()}


def _pair_labels(
    gold: Sequence[tuple[Hashable, str]], pred: Sequence[tuple[Hashable, str]]
) -> Counter[tuple[str, str]]:
    """Pair items with the same key (equal labels first); count (gold label, predicted label)."""
    g_left = Counter(gold)
    p_left = Counter(pred)
    same = g_left & p_left
    out: Counter[tuple[str, str]] = Counter({(k[1], k[1]): 0 for k in same})
    for item, n in same.items():
        out[(item[1], item[1])] += n
    g_left -= same
    p_left -= same
    by_key: dict[Hashable, list[str]] = {}
    for (key, label), n in sorted(p_left.items(), key=repr):
        by_key.setdefault(key, []).extend([label] * n)
    for (key, label), n in sorted(g_left.items(), key=repr):
        for _ in range(n):
            bucket = by_key.get(key)
            if bucket:
                out[(label, bucket.pop(0))] += 1
            else:
                out[(label, NONE)] += 1
    for labels in by_key.values():
        for label in labels:
            out[(NONE, label)] += 1
    return out


def _confuse(into: Counter[tuple[str, str]], gold: Sequence[tuple[Any, ...]], pred: Sequence[tuple[Any, ...]]) -> None:
    """Add :func:`_pair_labels` of items ``(*key, label)`` to ``into``; identical items pair first."""
    gs, ps = set(gold), set(pred)
    if len(gs) == len(gold) and len(ps) == len(pred):  # no repeated item: plain sets
        same: Iterable[tuple[Any, ...]] = gs & ps
        g_rest = [k for k in gold if k not in same]
        p_rest = [k for k in pred if k not in same]
    else:
        g, p = Counter(gold), Counter(pred)
        same = list((g & p).elements())
        g_rest, p_rest = list((g - p).elements()), list((p - g).elements())
    for label, n in Counter(map(itemgetter(-1), same)).items():
        into[(label, label)] += n
    if g_rest or p_rest:
        into.update(_pair_labels([(k[:-1], k[-1]) for k in g_rest], [(k[:-1], k[-1]) for k in p_rest]))


_TRIGGER_KEY = itemgetter(0, 1, 2)
_ROLE_KEY = itemgetter(0, 1, 4, 5, 3)


def confusions(g: View, p: View, ps: PairScore, into: dict[str, Counter[tuple[str, str]]]) -> None:
    """Entity type (paired by span), event type (by trigger span), role (by trigger and argument span)."""
    # Entities: the scorer's first step already paired identical (span, type) items.
    ent = into["entity_type"]
    for label, n in ps.entity_same.items():
        ent[(label, label)] += n
    g_left, p_left = ps.entity_left
    if g_left or p_left:
        ent.update(_pair_labels([(m[:2], m[2]) for m in g_left], [(m[:2], m[2]) for m in p_left]))
    _confuse(into["event_type"], list(map(_TRIGGER_KEY, g.events)), list(map(_TRIGGER_KEY, p.events)))
    _confuse(into["role"], list(map(_ROLE_KEY, ps.gold_args)), list(map(_ROLE_KEY, ps.pred_args)))


def context(text: str, start: int, end: int, width: int = CONTEXT) -> str:
    """The span in brackets with ``width`` characters either side, newlines shown as spaces."""
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    return f"{left}[[{text[start:end]}]]{right}".replace("\n", " ")


def _error(doc: View, layer: str, kind: str, span: tuple[int, int], label: str, *, note: str = "") -> dict[str, Any]:
    start, end = span
    return {
        "doc_id": doc.id,
        "layer": layer,
        "error": kind,
        "start": start,
        "end": end,
        "text": doc.text[start:end],
        "label": label,
        "note": note,
        "context": context(doc.text, start, end),
    }


def errors(gold: View, pred: View, ps: PairScore) -> list[dict[str, Any]]:
    """False negatives and false positives of one pair: strict entities, Trig-C triggers, Arg-C arguments."""
    out: list[dict[str, Any]] = []
    g, p = gold.mentions, pred.mentions

    def desc(m: Mention) -> str:
        return f"{m[2]} {m[3]} [{m[0]}, {m[1]}) {gold.text[m[0] : m[1]]!r}"

    for i, j in ps.strict_inc:
        out.append(_error(gold, "entity", "FN", (g[i][0], g[i][1]), g[i][2], note=f"predicted as {desc(p[j])}"))
        out.append(_error(pred, "entity", "FP", (p[j][0], p[j][1]), p[j][2], note=f"gold is {desc(g[i])}"))
    out.extend(_error(gold, "entity", "FN", (g[i][0], g[i][1]), g[i][2], note="missed") for i in ps.strict_mis)
    out.extend(_error(pred, "entity", "FP", (p[j][0], p[j][1]), p[j][2], note="spurious") for j in ps.strict_spu)

    gt, pt = sorted(map(_TRIGGER_KEY, gold.events)), sorted(map(_TRIGGER_KEY, pred.events))
    fn, fp = multiset_unmatched(gt, pt)
    out.extend(_error(gold, "trigger", "FN", (gt[i][0], gt[i][1]), gt[i][2]) for i in fn)
    out.extend(_error(pred, "trigger", "FP", (pt[j][0], pt[j][1]), pt[j][2]) for j in fp)
    ga, pa = ps.gold_args, ps.pred_args
    fn, fp = multiset_unmatched([events.arg_key(a, "arg_c") for a in ga], [events.arg_key(a, "arg_c") for a in pa])
    for side, doc, items, idx in (("FN", gold, ga, fn), ("FP", pred, pa, fp)):
        for i in idx:
            a = items[i]
            note = f"trigger {doc.text[a[0] : a[1]]!r} [{a[0]}, {a[1]})"
            out.append(_error(doc, "argument", side, (a[4], a[5]), f"{a[2]} {a[3]}", note=note))
    out.sort(key=lambda e: (e["doc_id"], e["start"], e["end"], e["layer"], e["error"], e["label"]))
    return out


def _confusion_json(total: Counter[tuple[str, str]]) -> dict[str, Any]:
    labels = sorted(({a for a, _ in total} | {b for _, b in total}) - {NONE})
    rows = [*labels, NONE]
    return {
        "labels": rows,
        "matrix": {g: {p: total.get((g, p), 0) for p in rows if total.get((g, p), 0)} for g in rows},
    }


class _Columns(dict[str, int]):
    """Metric key -> column, a new key getting the next column."""

    def __missing__(self, key: str) -> int:
        n = self[key] = len(self)
        return n


class Evaluation:
    """The whole evaluation, fed one pair at a time; memory per pair is a few hundred integers.

    Per document it keeps the counts of every metric as compact rows (column, COR, INC, PAR, MIS,
    SPU in ``array`` buffers; the bootstrap resamples them), adds to the confusion counters and
    keeps the error listing bounded: the first ``max_errors`` errors in (document id, offset)
    order, so the listing does not depend on the order pairs come in. Contexts are built only for
    the documents that can still enter the listing, and for ``on_error`` (which sees every error).

    Example:
        >>> from newsevents.evaluate.pair import View
        >>> gold = View("d1", "Ann met Bob.", [(0, 3, "PER", "NAM"), (8, 11, "PER", "NAM")], [], [])
        >>> pred = View("d1", "Ann met Bob.", [(0, 3, "PER", "NAM")], [], [])
        >>> ev = Evaluation(max_errors=1)
        >>> ev.add(gold, pred)
        >>> res = ev.result(bootstrap_n=0)
        >>> res["metrics"]["entities.strict"]["recall"], res["error_counts"]["total"], res["errors"][0]["context"]
        (0.5, 1, 'Ann met [[Bob]].')
    """

    def __init__(
        self,
        *,
        coref: bool = False,
        max_errors: int | None = MAX_ERRORS,
        on_error: Callable[[dict[str, Any]], None] | None = None,
        detailed: bool = True,
    ) -> None:
        if max_errors is not None and max_errors < 0:
            raise ValueError(f"max_errors must be >= 0 or None, found {max_errors}")
        self.coref = coref
        self.max_errors = max_errors
        self.on_error = on_error
        # False: counts only (what a comparison needs), no confusions and no error listing.
        self.detailed = detailed
        self.doc_ids: list[str] = []
        self._cols = _Columns()
        self._row_col = array("i")
        self._row_counts = array("i")
        self._doc_end = array("q")
        self._conf: dict[str, Counter[tuple[str, str]]] = {
            "entity_type": Counter(),
            "event_type": Counter(),
            "role": Counter(),
        }
        self._dropped = {"dropped_gold": 0, "dropped_pred": 0}
        self._kept_ids: list[str] = []
        self._kept: list[list[dict[str, Any]]] = []
        self._n_kept = 0

    def add(self, gold: View, pred: View) -> None:
        """Score one pair (same document) and fold it in."""
        ps = score_views(gold, pred, coref=self.coref)
        tally = ps.tally
        self.doc_ids.append(gold.id)
        self._row_col.extend(map(self._cols.__getitem__, tally))
        self._row_counts.extend(chain.from_iterable(tally.values()))
        self._doc_end.append(len(self._row_col))
        self._dropped["dropped_gold"] += ps.dropped_gold
        self._dropped["dropped_pred"] += ps.dropped_pred
        if not self.detailed:
            return
        confusions(gold, pred, ps, self._conf)
        listing = self.max_errors is None or (
            self.max_errors > 0 and (self._n_kept < self.max_errors or gold.id < self._kept_ids[-1])
        )
        if not (listing or self.on_error):
            return
        errs = errors(gold, pred, ps)
        if self.on_error is not None:
            for e in errs:
                self.on_error(e)
        if listing and errs:
            self._keep(gold.id, errs)

    def _keep(self, doc_id: str, errs: list[dict[str, Any]]) -> None:
        at = bisect_right(self._kept_ids, doc_id)
        self._kept_ids.insert(at, doc_id)
        self._kept.insert(at, errs)
        self._n_kept += len(errs)
        limit = self.max_errors
        if limit is None:
            return
        while self._kept and self._n_kept - len(self._kept[-1]) >= limit:
            self._n_kept -= len(self._kept.pop())
            self._kept_ids.pop()
        if self._n_kept > limit:
            cut = self._n_kept - limit
            del self._kept[-1][-cut:]
            self._n_kept = limit

    def totals(self) -> Tally:
        """Counts of every metric summed over the documents added so far."""
        cols = np.frombuffer(self._row_col, dtype=np.int32)
        counts = np.frombuffer(self._row_counts, dtype=np.int32).reshape(-1, 5)
        # Float sums of integers are exact far beyond any corpus (2**53).
        sums = np.stack(
            [np.bincount(cols, weights=counts[:, k], minlength=len(self._cols)) for k in range(5)], axis=1
        ).astype(np.int64)
        # Sorted keys: macro averages sum in this order, which must not depend on the input order.
        return {key: Counts(*(int(x) for x in sums[self._cols[key]])) for key in sorted(self._cols)}

    def _matrix(self, keys: Sequence[str]) -> bootstrap.FloatArray:
        """Array [document in id order, key, (credit, act, pos)] for the bootstrap."""
        n = len(self.doc_ids)
        order = sorted(range(n), key=self.doc_ids.__getitem__)
        rank = np.empty(n, dtype=np.int64)
        rank[np.asarray(order, dtype=np.int64)] = np.arange(n)
        ends = np.frombuffer(self._doc_end, dtype=np.int64)
        docs = np.repeat(np.arange(n), np.diff(ends, prepend=0))
        # A key this evaluation never saw (another system's label) stays a column of zeros; a
        # column not among ``keys`` is left out.
        position = np.full(len(self._cols), -1, dtype=np.int64)
        for k, key in enumerate(keys):
            col = self._cols.get(key)  # get: indexing would add the key
            if col is not None:
                position[col] = k
        cols = position[np.frombuffer(self._row_col, dtype=np.int32)]
        c: npt.NDArray[np.int32] = np.frombuffer(self._row_counts, dtype=np.int32).reshape(-1, 5)
        m = np.zeros((n, len(keys), 3), dtype=np.float64)
        if bool((cols < 0).any()):
            keep = cols >= 0
            docs, cols, c = docs[keep], cols[keep], c[keep]
        where = (rank[docs], cols)
        paired = c[:, 0] + c[:, 1] + c[:, 2]
        m[(*where, 0)] = c[:, 0] + 0.5 * c[:, 2]
        m[(*where, 1)] = paired + c[:, 4]
        m[(*where, 2)] = paired + c[:, 3]
        return m

    def resampled_scores(
        self, keys: Sequence[str], resampler: bootstrap.Resampler
    ) -> tuple[bootstrap.FloatArray, bootstrap.FloatArray, bootstrap.FloatArray]:
        """P, R, F1 of each key in each resample (documents in id order): arrays [resample, key]."""
        return bootstrap.scores(resampler.sums(self._matrix(keys)))

    def result(self, *, bootstrap_n: int = 1000, seed: int = 0, confidence: float = 0.95) -> dict[str, Any]:
        """Every score as a JSON-ready dict (shape in ``docs/evaluation.md``)."""
        total = self.totals()
        keys = sorted(total)
        metrics: dict[str, Any] = {k: total[k].to_dict() for k in keys}
        macros: dict[str, Any] = {}
        for fam in MACRO_FAMILIES:
            m = macro(total, fam)
            if m is not None:
                macros[fam.rstrip(".")] = m
        if bootstrap_n > 0 and self.doc_ids:
            rs = bootstrap.Resampler(len(self.doc_ids), bootstrap_n, seed)
            p_s, r_s, f_s = self.resampled_scores(keys, rs)
            for k, key in enumerate(keys):
                metrics[key]["ci"] = {
                    "precision": bootstrap.interval(p_s[:, k], confidence),
                    "recall": bootstrap.interval(r_s[:, k], confidence),
                    "f1": bootstrap.interval(f_s[:, k], confidence),
                }
            for name, m in macros.items():
                cols = [k for k, key in enumerate(keys) if key.startswith(name + ".")]
                m["ci"] = {
                    "precision": bootstrap.interval(bootstrap.nanmean_rows(p_s[:, cols]), confidence),
                    "recall": bootstrap.interval(bootstrap.nanmean_rows(r_s[:, cols]), confidence),
                    "f1": bootstrap.interval(bootstrap.nanmean_rows(f_s[:, cols]), confidence),
                }
        listed = [e for errs in self._kept for e in errs]
        return {
            "tool": "newsevents evaluate",
            "version": __version__,
            "ontology": load_ontology().version,
            "tokenizer": TOKENIZER,
            "documents": len(self.doc_ids),
            "document_ids": sorted(self.doc_ids),
            "settings": {
                "coref": self.coref,
                "bootstrap": bootstrap_n,
                "seed": seed,
                "confidence": confidence,
                "max_errors": self.max_errors,
            },
            "rules": RULES,
            "metrics": metrics,
            "macro": macros,
            "bio_view": dict(self._dropped),
            "confusion": {name: _confusion_json(c) for name, c in self._conf.items()},
            "error_counts": error_counts(total, len(listed)),
            "errors": listed,
        }


def error_counts(total: Mapping[str, Counts], listed: int) -> dict[str, Any]:
    """FN and FP per layer of the error listing, from the summed counts (no listing needed)."""
    zero = Counts()
    strict, trig, arg = (total.get(k, zero) for k in ("entities.strict", "events.trig_c", "events.arg_c"))
    layers = {
        "entity": {"FN": strict.inc + strict.mis, "FP": strict.inc + strict.spu},
        "trigger": {"FN": trig.mis, "FP": trig.spu},
        "argument": {"FN": arg.mis, "FP": arg.spu},
    }
    return {"total": sum(v for layer in layers.values() for v in layer.values()), "listed": listed, **layers}


def evaluate_documents(
    gold: Sequence[Document],
    pred: Sequence[Document],
    *,
    coref: bool = False,
    bootstrap_n: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
    max_errors: int | None = MAX_ERRORS,
) -> dict[str, Any]:
    """Every score of ``pred`` against ``gold`` (aligned lists) as a JSON-ready dict.

    ``max_errors`` bounds the error listing (the first errors in document id and offset order;
    None lists every error); ``error_counts`` gives the totals either way.
    """
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} documents, pred {len(pred)}")
    ev = Evaluation(coref=coref, max_errors=max_errors)
    for g, p in zip(gold, pred, strict=True):
        ev.add(view_of_document(g), view_of_document(p))
    return ev.result(bootstrap_n=bootstrap_n, seed=seed, confidence=confidence)


def compare_documents(
    gold: Sequence[Document],
    pred_a: Sequence[Document],
    pred_b: Sequence[Document],
    *,
    coref: bool = False,
    bootstrap_n: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> dict[str, Any]:
    """F1 of systems A and B on the same gold, their difference and its paired-bootstrap p-value."""
    order = sorted(range(len(gold)), key=lambda i: gold[i].id)
    gold, pred_a, pred_b = [gold[i] for i in order], [pred_a[i] for i in order], [pred_b[i] for i in order]
    tallies_a = [score_pair(g, p, coref=coref) for g, p in zip(gold, pred_a, strict=True)]
    tallies_b = [score_pair(g, p, coref=coref) for g, p in zip(gold, pred_b, strict=True)]
    total_a, total_b = sum_tallies(tallies_a), sum_tallies(tallies_b)
    keys = sorted(set(total_a) | set(total_b))
    rs = bootstrap.Resampler(len(gold), bootstrap_n, seed) if bootstrap_n > 0 and gold else None
    resampled = None
    if rs is not None:
        _, _, fa = bootstrap.resampled_scores(tallies_a, keys, rs)
        _, _, fb = bootstrap.resampled_scores(tallies_b, keys, rs)
        resampled = (fa, fb)
    return _comparison(
        total_a,
        total_b,
        keys,
        resampled,
        n_docs=len(gold),
        coref=coref,
        bootstrap_n=bootstrap_n,
        seed=seed,
        confidence=confidence,
    )


def compare_evaluations(
    a: Evaluation, b: Evaluation, *, bootstrap_n: int = 1000, seed: int = 0, confidence: float = 0.95
) -> dict[str, Any]:
    """:func:`compare_documents` from two evaluations fed the same gold documents (any order).

    What ``newsevents compare`` runs while streaming (:func:`newsevents.evaluate.stream.compare_paths`):
    both resample the documents in id order, so the result is that of :func:`compare_documents`.
    """
    if sorted(a.doc_ids) != sorted(b.doc_ids):
        raise ValueError("the two evaluations were not fed the same gold documents")
    total_a, total_b = a.totals(), b.totals()
    keys = sorted(set(total_a) | set(total_b))
    n = len(a.doc_ids)
    resampled = None
    if bootstrap_n > 0 and n:
        rs = bootstrap.Resampler(n, bootstrap_n, seed)
        resampled = (a.resampled_scores(keys, rs)[2], b.resampled_scores(keys, rs)[2])
    return _comparison(
        total_a,
        total_b,
        keys,
        resampled,
        n_docs=n,
        coref=a.coref,
        bootstrap_n=bootstrap_n,
        seed=seed,
        confidence=confidence,
    )


def _comparison(
    total_a: Mapping[str, Counts],
    total_b: Mapping[str, Counts],
    keys: Sequence[str],
    resampled: tuple[bootstrap.FloatArray, bootstrap.FloatArray] | None,
    *,
    n_docs: int,
    coref: bool,
    bootstrap_n: int,
    seed: int,
    confidence: float,
) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    for k, key in enumerate(keys):
        a, b = total_a.get(key, Counts()), total_b.get(key, Counts())
        row: dict[str, Any] = {"f1_a": a.f1, "f1_b": b.f1, "difference": None, "p_value": None, "interval": None}
        if a.f1 is not None and b.f1 is not None:
            row["difference"] = a.f1 - b.f1
            if resampled is not None:
                fa, fb = resampled
                test = bootstrap.paired_test(fa[:, k], fb[:, k], a.f1 - b.f1, confidence)
                row["p_value"] = test["p_value"]
                row["interval"] = test["interval"]
        rows[key] = row
    return {
        "tool": "newsevents compare",
        "version": __version__,
        "documents": n_docs,
        "settings": {"coref": coref, "bootstrap": bootstrap_n, "seed": seed, "confidence": confidence},
        "test": PAIRED_TEST,
        "metrics": rows,
    }
