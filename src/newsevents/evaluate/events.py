"""Event scores of one document: triggers and arguments, ACE/OneIE and TextEE rules.

Every event metric matches *keys* as multisets (COR = sum over keys of min(#gold, #pred), the
rest MIS or SPU). The keys, with trigger span ``ts, te``, event type ``E``, role ``R`` and the
argument's entity-mention span ``as, ae``:

========  =========================  ==========================================================
metric    key                        meaning
========  =========================  ==========================================================
trig_i    (ts, te)                   trigger identification
trig_c    (ts, te, E)                trigger classification
arg_i     (E, as, ae)                argument identification: span and the event type of its
                                     trigger (the trigger's span need not match; OneIE)
arg_c     (E, R, as, ae)             argument classification: also the role
arg_i+    (ts, te, E, as, ae)        TextEE's stricter Arg-I+: the argument's trigger must also
                                     match (span and type)
arg_c+    (ts, te, E, R, as, ae)     TextEE's Arg-C+
========  =========================  ==========================================================

With ``coref=True`` four more metrics ``arg_i.coref`` ... ``arg_c+.coref`` replace the argument
span by the gold entity cluster (WikiEvents' coreference-aware matching). Both sides look the
cluster up by span: an argument's value is the cluster (``entity``) of the gold mention with
exactly its span (the smallest cluster id if several gold mentions share the span, which valid
gold does not have), or its span if no gold mention has it. So a predicted argument counts when
it hits any mention of the gold argument's entity.

Breakdowns: ``events.trig_c.type.<E>``, ``events.arg_c.type.<E>`` (keys of type E only) and
``events.arg_c.role.<R>`` (keys of role R only).
"""

from __future__ import annotations

from collections.abc import Hashable

from newsevents.evaluate.counts import Tally
from newsevents.evaluate.matching import multiset_counts
from newsevents.records import Document

ARG_METRICS = ("arg_i", "arg_c", "arg_i+", "arg_c+")

# One argument: trigger start, trigger end, event type, role, argument start, end, cluster value.
Arg = tuple[int, int, str, str, int, int, Hashable]


def triggers(doc: Document) -> list[tuple[int, int, str]]:
    return sorted((e.trigger.start, e.trigger.end, e.type) for e in doc.event_mentions)


def arguments(doc: Document, span_cluster: dict[tuple[int, int], str] | None = None) -> list[Arg]:
    """Every argument of ``doc``; the cluster value is the gold cluster (see module doc).

    ``span_cluster`` maps gold mention spans to gold clusters (:func:`gold_span_clusters`); None
    means ``doc`` is the gold itself.
    """
    if span_cluster is None:
        span_cluster = gold_span_clusters(doc)
    by_id = {m.id: m for m in doc.entity_mentions}
    out: list[Arg] = []
    for ev in doc.event_mentions:
        for a in ev.arguments:
            m = by_id.get(a.mention)
            if m is None:  # validation reports it; scoring ignores a dangling argument
                continue
            c = span_cluster.get((m.start, m.end))
            cluster: Hashable = ("cluster", c) if c is not None else ("span", m.start, m.end)
            out.append((ev.trigger.start, ev.trigger.end, ev.type, a.role, m.start, m.end, cluster))
    return sorted(out, key=lambda a: a[:6])


def gold_span_clusters(gold: Document) -> dict[tuple[int, int], str]:
    out: dict[tuple[int, int], str] = {}
    for m in gold.entity_mentions:
        key = (m.start, m.end)
        if key not in out or m.entity < out[key]:
            out[key] = m.entity
    return out


def arg_key(a: Arg, metric: str, *, coref: bool = False) -> Hashable:
    """The matching key of argument ``a`` under ``metric`` (a name of :data:`ARG_METRICS`)."""
    ts, te, etype, role, s, e, cluster = a
    filler: tuple[Hashable, ...] = (cluster,) if coref else (s, e)
    if metric == "arg_i":
        return (etype, *filler)
    if metric == "arg_c":
        return (etype, role, *filler)
    if metric == "arg_i+":
        return (ts, te, etype, *filler)
    if metric == "arg_c+":
        return (ts, te, etype, role, *filler)
    raise ValueError(f"argument metric must be one of {ARG_METRICS}, found {metric!r}")


def argument_pair(gold: Document, pred: Document) -> tuple[list[Arg], list[Arg]]:
    """Gold and predicted arguments, clusters looked up in the gold."""
    clusters = gold_span_clusters(gold)
    return arguments(gold, clusters), arguments(pred, clusters)


def score_document(
    gold: Document, pred: Document, *, coref: bool = False, args: tuple[list[Arg], list[Arg]] | None = None
) -> Tally:
    """Event tally of one document pair; ``args`` are :func:`argument_pair`'s, if already computed."""
    tally: Tally = {}
    gt, pt = triggers(gold), triggers(pred)
    tally["events.trig_i"] = multiset_counts([t[:2] for t in gt], [t[:2] for t in pt])
    tally["events.trig_c"] = multiset_counts(gt, pt)
    for etype in {t[2] for t in gt} | {t[2] for t in pt}:
        tally[f"events.trig_c.type.{etype}"] = multiset_counts(
            [t for t in gt if t[2] == etype], [t for t in pt if t[2] == etype]
        )
    ga, pa = args if args is not None else argument_pair(gold, pred)
    for metric in ARG_METRICS:
        tally[f"events.{metric}"] = multiset_counts([arg_key(a, metric) for a in ga], [arg_key(a, metric) for a in pa])
        if coref:
            tally[f"events.{metric}.coref"] = multiset_counts(
                [arg_key(a, metric, coref=True) for a in ga], [arg_key(a, metric, coref=True) for a in pa]
            )
    for etype in {a[2] for a in ga} | {a[2] for a in pa}:
        tally[f"events.arg_c.type.{etype}"] = multiset_counts(
            [arg_key(a, "arg_c") for a in ga if a[2] == etype], [arg_key(a, "arg_c") for a in pa if a[2] == etype]
        )
    for role in {a[3] for a in ga} | {a[3] for a in pa}:
        tally[f"events.arg_c.role.{role}"] = multiset_counts(
            [arg_key(a, "arg_c") for a in ga if a[3] == role], [arg_key(a, "arg_c") for a in pa if a[3] == role]
        )
    return tally
