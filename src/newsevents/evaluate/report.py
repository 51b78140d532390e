"""The whole evaluation of a system: every score with its interval, confusions, and errors.

:func:`evaluate_documents` returns a JSON-ready dict (shape in ``docs/evaluation.md``);
:func:`compare_documents` the paired comparison of two systems. Rendering to text and markdown is
in :mod:`newsevents.evaluate.render`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from typing import Any

from newsevents import __version__
from newsevents.evaluate import bootstrap, entities, events
from newsevents.evaluate.counts import Counts, Tally, add_tally, macro, sum_tallies
from newsevents.evaluate.matching import Match, Mention, multiset_unmatched
from newsevents.ontology import load_ontology
from newsevents.records import Document
from newsevents.text import TOKENIZER

NONE = "(none)"
CONTEXT = 40

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


def score_pair(
    gold: Document,
    pred: Document,
    *,
    coref: bool = False,
    args: tuple[list[events.Arg], list[events.Arg]] | None = None,
) -> tuple[Tally, dict[str, Match], dict[str, int]]:
    tally, matches, dropped = entities.score_document(gold, pred)
    add_tally(tally, events.score_document(gold, pred, coref=coref, args=args))
    return tally, matches, dropped


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


def confusions(
    gold: Document, pred: Document, args: tuple[list[events.Arg], list[events.Arg]]
) -> dict[str, Counter[tuple[str, str]]]:
    """Entity type (paired by span), event type (by trigger span), role (by trigger and argument span)."""
    ent = _pair_labels(
        [((m.start, m.end), m.type) for m in gold.entity_mentions],
        [((m.start, m.end), m.type) for m in pred.entity_mentions],
    )
    ev = _pair_labels(
        [((e.trigger.start, e.trigger.end), e.type) for e in gold.event_mentions],
        [((e.trigger.start, e.trigger.end), e.type) for e in pred.event_mentions],
    )
    ga, pa = args
    role = _pair_labels([((a[0], a[1], a[4], a[5]), a[3]) for a in ga], [((a[0], a[1], a[4], a[5]), a[3]) for a in pa])
    return {"entity_type": ent, "event_type": ev, "role": role}


def context(text: str, start: int, end: int, width: int = CONTEXT) -> str:
    """The span in brackets with ``width`` characters either side, newlines shown as spaces."""
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    return f"{left}[[{text[start:end]}]]{right}".replace("\n", " ")


def _error(
    doc: Document, layer: str, kind: str, span: tuple[int, int], label: str, *, note: str = ""
) -> dict[str, Any]:
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


def errors(
    gold: Document, pred: Document, strict: Match, args: tuple[list[events.Arg], list[events.Arg]]
) -> list[dict[str, Any]]:
    """False negatives and false positives: strict entities, Trig-C triggers, Arg-C arguments."""
    out: list[dict[str, Any]] = []
    g, p = entities.mentions_of(gold), entities.mentions_of(pred)

    def desc(m: Mention) -> str:
        return f"{m[2]} {m[3]} [{m[0]}, {m[1]}) {gold.text[m[0] : m[1]]!r}"

    for i, j in strict.inc:
        out.append(_error(gold, "entity", "FN", (g[i][0], g[i][1]), g[i][2], note=f"predicted as {desc(p[j])}"))
        out.append(_error(pred, "entity", "FP", (p[j][0], p[j][1]), p[j][2], note=f"gold is {desc(g[i])}"))
    out.extend(_error(gold, "entity", "FN", (g[i][0], g[i][1]), g[i][2], note="missed") for i in strict.mis)
    out.extend(_error(pred, "entity", "FP", (p[j][0], p[j][1]), p[j][2], note="spurious") for j in strict.spu)

    gt, pt = events.triggers(gold), events.triggers(pred)
    fn, fp = multiset_unmatched(gt, pt)
    out.extend(_error(gold, "trigger", "FN", (gt[i][0], gt[i][1]), gt[i][2]) for i in fn)
    out.extend(_error(pred, "trigger", "FP", (pt[j][0], pt[j][1]), pt[j][2]) for j in fp)
    ga, pa = args
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


def evaluate_documents(
    gold: Sequence[Document],
    pred: Sequence[Document],
    *,
    coref: bool = False,
    bootstrap_n: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
) -> dict[str, Any]:
    """Every score of ``pred`` against ``gold`` (aligned lists) as a JSON-ready dict."""
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} documents, pred {len(pred)}")
    # Document id order, so that the bootstrap resamples (by position) do not depend on input order.
    order = sorted(range(len(gold)), key=lambda i: gold[i].id)
    gold, pred = [gold[i] for i in order], [pred[i] for i in order]
    per_doc: list[Tally] = []
    conf: dict[str, Counter[tuple[str, str]]] = {"entity_type": Counter(), "event_type": Counter(), "role": Counter()}
    errs: list[dict[str, Any]] = []
    dropped = {"dropped_gold": 0, "dropped_pred": 0}
    for g, p in zip(gold, pred, strict=True):
        args = events.argument_pair(g, p)
        tally, matches, drop = score_pair(g, p, coref=coref, args=args)
        per_doc.append(tally)
        for name_, v in drop.items():
            dropped[name_] += v
        for name, c in confusions(g, p, args).items():
            conf[name].update(c)
        errs.extend(errors(g, p, matches["strict"], args))
    total = sum_tallies(per_doc)
    keys = sorted(total)
    metrics: dict[str, Any] = {k: total[k].to_dict() for k in keys}
    macros: dict[str, Any] = {}
    for fam in MACRO_FAMILIES:
        m = macro(total, fam)
        if m is not None:
            macros[fam.rstrip(".")] = m
    if bootstrap_n > 0 and per_doc:
        rs = bootstrap.Resampler(len(per_doc), bootstrap_n, seed)
        p_s, r_s, f_s = bootstrap.resampled_scores(per_doc, keys, rs)
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
    return {
        "tool": "newsevents evaluate",
        "version": __version__,
        "ontology": load_ontology().version,
        "tokenizer": TOKENIZER,
        "documents": len(gold),
        "document_ids": [d.id for d in gold],
        "settings": {"coref": coref, "bootstrap": bootstrap_n, "seed": seed, "confidence": confidence},
        "rules": RULES,
        "metrics": metrics,
        "macro": macros,
        "bio_view": dropped,
        "confusion": {name: _confusion_json(c) for name, c in conf.items()},
        "errors": errs,
    }


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
    tallies_a = [score_pair(g, p, coref=coref)[0] for g, p in zip(gold, pred_a, strict=True)]
    tallies_b = [score_pair(g, p, coref=coref)[0] for g, p in zip(gold, pred_b, strict=True)]
    total_a, total_b = sum_tallies(tallies_a), sum_tallies(tallies_b)
    keys = sorted(set(total_a) | set(total_b))
    rs = bootstrap.Resampler(len(gold), bootstrap_n, seed) if bootstrap_n > 0 and gold else None
    if rs is not None:
        _, _, fa = bootstrap.resampled_scores(tallies_a, keys, rs)
        _, _, fb = bootstrap.resampled_scores(tallies_b, keys, rs)
    rows: dict[str, Any] = {}
    for k, key in enumerate(keys):
        a, b = total_a.get(key, Counts()), total_b.get(key, Counts())
        row: dict[str, Any] = {"f1_a": a.f1, "f1_b": b.f1, "difference": None, "p_value": None, "interval": None}
        if a.f1 is not None and b.f1 is not None:
            row["difference"] = a.f1 - b.f1
            if rs is not None:
                test = bootstrap.paired_test(fa[:, k], fb[:, k], a.f1 - b.f1, confidence)
                row["p_value"] = test["p_value"]
                row["interval"] = test["interval"]
        rows[key] = row
    return {
        "tool": "newsevents compare",
        "version": __version__,
        "documents": len(gold),
        "settings": {"coref": coref, "bootstrap": bootstrap_n, "seed": seed, "confidence": confidence},
        "test": PAIRED_TEST,
        "metrics": rows,
    }
