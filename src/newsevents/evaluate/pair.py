"""Every count of one gold/prediction pair in one pass: the scorer behind the whole evaluation.

The rules are those of :mod:`newsevents.evaluate.matching`, :mod:`newsevents.evaluate.entities`,
:mod:`newsevents.evaluate.bio` and :mod:`newsevents.evaluate.events` (which stay the readable
reference; a property test checks that both give the same tally on random documents). What is
done once here instead of once per metric:

* the text is tokenized once for both sides (they share it), and a span's token range is looked
  up once for both sides;
* the first step of every entity scheme, ``equal(start, end, type)``, is run once: it pairs the
  same mentions in every scheme and in every per-type run. The later steps run on what it leaves
  (in a typical prediction, a fifth of the mentions), and per type they reduce to one overlap
  matching, shared by the four schemes: within one type ``equal(start, end)`` finds nothing the
  first step left, and ``overlap(same type)`` is ``overlap``;
* multiset matches count keys with :class:`collections.Counter` once per metric and split the
  counts by label from the per-key minimums, instead of one match per label;
* a pair is described by a :class:`View` (sorted mention tuples, triggers, arguments), built from
  a :class:`~newsevents.records.Document` or straight from a parsed JSON record, so streaming
  never builds ``Document`` objects.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from newsevents.evaluate.matching import Mention, pair_equal, pair_overlap
from newsevents.records import Document
from newsevents.text import tokenize

# Counts of one metric in one document: COR, INC, PAR, MIS, SPU.
Row = list[int]
PairTally = dict[str, Row]
# One argument: trigger start, trigger end, event type, role, argument start, end, cluster value.
Arg = tuple[int, int, str, str, int, int, Hashable]
# One event: trigger start, trigger end, event type, its (role, mention id) arguments.
Event = tuple[int, int, str, tuple[tuple[str, str], ...]]

_first3 = itemgetter(0, 1, 2)
_label = itemgetter(2)


@dataclass(frozen=True, slots=True)
class View:
    """What scoring reads of one record: id, text, sorted mentions, events, mention spans and clusters."""

    id: str
    text: str
    mentions: list[Mention]
    events: list[Event]
    # (mention id, start, end, entity cluster) of every entity mention, in record order.
    refs: list[tuple[str, int, int, str]]


def view_of_document(doc: Document) -> View:
    ms = doc.entity_mentions
    return View(
        doc.id,
        doc.text,
        sorted([(m.start, m.end, m.type, m.kind) for m in ms]),
        [
            (e.trigger.start, e.trigger.end, e.type, tuple((a.role, a.mention) for a in e.arguments))
            for e in doc.event_mentions
        ],
        [(m.id, m.start, m.end, m.entity) for m in ms] if doc.event_mentions else [],
    )


def view_of_record(rec: Mapping[str, Any]) -> View:
    """The view of a parsed record that passed validation (levels 1-2)."""
    ms = rec.get("entity_mentions") or ()
    evs = rec.get("event_mentions") or ()
    return View(
        rec["id"],
        rec["text"],
        sorted([(m["start"], m["end"], m["type"], m["kind"]) for m in ms]),
        [
            (
                e["trigger"]["start"],
                e["trigger"]["end"],
                e["type"],
                tuple((a["role"], a["mention"]) for a in e["arguments"]),
            )
            for e in evs
        ],
        [(m["id"], m["start"], m["end"], m["entity"]) for m in ms] if evs else [],
    )


def empty_view(gold: View) -> View:
    """What a missing prediction is scored as: the gold text with no annotations."""
    return View(gold.id, gold.text, [], [], [])


# Metric keys are built once per label, not once per document.
_KEYS: dict[tuple[str, str], str] = {}


def _key(family: str, label: str) -> str:
    k = _KEYS.get((family, label))
    if k is None:
        k = _KEYS[(family, label)] = family + label
    return k


@dataclass
class PairScore:
    """Counts of one pair and what the error listing and confusions need."""

    tally: PairTally
    dropped_gold: int = 0
    dropped_pred: int = 0
    # Strict entity matching, as indices into the views' sorted mentions.
    strict_inc: list[tuple[int, int]] = field(default_factory=list)
    strict_mis: list[int] = field(default_factory=list)
    strict_spu: list[int] = field(default_factory=list)
    gold_args: list[Arg] = field(default_factory=list)
    pred_args: list[Arg] = field(default_factory=list)


def _multiset(
    tally: PairTally,
    key: str,
    gold: Sequence[Hashable],
    pred: Sequence[Hashable],
    by: tuple[tuple[str, Callable[[Any], str]], ...] = (),
) -> None:
    """COR/MIS/SPU of two multisets of keys under ``key``, and split by label for each ``by``."""
    g, p = Counter(gold), Counter(pred)
    cor = sum((g & p).values())
    tally[key] = [cor, 0, 0, len(gold) - cor, len(pred) - cor]
    for family, label_of in by:
        rows: dict[str, Row] = {}
        for k, n in g.items():
            row = rows.get(label_of(k))
            if row is None:
                row = rows[label_of(k)] = [0, 0, 0, 0, 0]
            c = min(n, p.get(k, 0))
            row[0] += c
            row[3] += n - c
        for k, n in p.items():
            row = rows.get(label_of(k))
            if row is None:
                row = rows[label_of(k)] = [0, 0, 0, 0, 0]
            row[4] += n - min(n, g.get(k, 0))
        for label, row in rows.items():
            tally[_key(family, label)] = row


def _step_one(gold: Sequence[Mention], pred: Sequence[Mention]) -> list[tuple[int, int]]:
    """``equal(start, end, type)`` over all mentions (the first step of every scheme)."""
    g3 = list(map(_first3, gold))
    index = dict(zip(g3, range(len(g3)), strict=True))
    if len(index) != len(g3):  # repeated gold spans and types: the general rule
        return pair_equal(gold, pred, [True] * len(gold), [True] * len(pred), 3)
    pairs = []
    taken: set[int] = set()
    for j, k in enumerate(map(_first3, pred)):
        i = index.get(k)
        if i is not None and i not in taken:  # the first prediction in sorted order takes it
            taken.add(i)
            pairs.append((i, j))
    pairs.sort()
    return pairs


def _kinds(
    tally: PairTally,
    scheme: str,
    *,
    gold: Sequence[Mention],
    pred: Sequence[Mention],
    slots: Sequence[tuple[int, Sequence[tuple[int, int]]]],
    mis: Sequence[int],
    spu: Sequence[int],
    base: Mapping[str, int],
) -> None:
    per: dict[str, Row] = {}
    for kind, n in base.items():
        per[kind] = [n, 0, 0, 0, 0]
    for slot, pairs in slots:
        for i, _ in pairs:
            k = gold[i][3]
            row = per.get(k) or per.setdefault(k, [0, 0, 0, 0, 0])
            row[slot] += 1
    for i in mis:
        k = gold[i][3]
        row = per.get(k) or per.setdefault(k, [0, 0, 0, 0, 0])
        row[3] += 1
    for j in spu:
        k = pred[j][3]
        row = per.get(k) or per.setdefault(k, [0, 0, 0, 0, 0])
        row[4] += 1
    family = f"entities.{scheme}.kind."
    for kind, row in per.items():
        tally[_key(family, kind)] = row


def _rest(
    gold: Sequence[Mention], pred: Sequence[Mention], steps: str
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[int], list[int]]:
    """The steps after the first on the mentions it left: (COR pairs, INC/PAR pairs, MIS, SPU)."""
    g_free, p_free = [True] * len(gold), [True] * len(pred)
    cor: list[tuple[int, int]] = []
    if steps == "exact":
        cor = pair_equal(gold, pred, g_free, p_free, 2)
    elif steps == "type":
        cor = pair_overlap(gold, pred, g_free, p_free, same_label=True)
    other = pair_overlap(gold, pred, g_free, p_free, same_label=False)
    return (
        cor,
        other,
        [i for i, free in enumerate(g_free) if free],
        [j for j, free in enumerate(p_free) if free],
    )


def _entities(g: View, p: View, out: PairScore) -> None:
    tally = out.tally
    gold, pred = g.mentions, p.mentions
    first = _step_one(gold, pred)
    g_paired = {i for i, _ in first}
    p_paired = {j for _, j in first}
    g_left = [i for i in range(len(gold)) if i not in g_paired]
    p_left = [j for j in range(len(pred)) if j not in p_paired]
    gr = [gold[i] for i in g_left]
    pr = [pred[j] for j in p_left]
    n1 = len(first)
    base_kinds = Counter(gold[i][3] for i, _ in first)

    def back(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return [(g_left[i], p_left[j]) for i, j in pairs]

    # Micro: strict is overlap -> INC; exact and partial share equal(start, end) then overlap; type
    # is overlap(same type) -> COR then overlap -> INC.
    for scheme, steps in (("strict", "strict"), ("exact", "exact"), ("type", "type")):
        cor, other, mis, spu = _rest(gr, pr, steps)
        cor_g, other_g = back(cor), back(other)
        mis_g, spu_g = [g_left[i] for i in mis], [p_left[j] for j in spu]
        counts = [n1 + len(cor), len(other), 0, len(mis), len(spu)]
        if scheme == "strict":
            out.strict_inc, out.strict_mis, out.strict_spu = other_g, mis_g, spu_g
        names = ("exact", "partial") if scheme == "exact" else (scheme,)
        for name in names:
            slot = 2 if name == "partial" else 1
            row = list(counts)
            if slot == 2:
                row[1], row[2] = 0, row[1]
            tally[_key("entities.", name)] = row
            _kinds(
                tally,
                name,
                gold=gold,
                pred=pred,
                slots=((0, cor_g), (slot, other_g)),
                mis=mis_g,
                spu=spu_g,
                base=base_kinds,
            )

    # Per type: the first step's pairs of that type, then one overlap matching on what is left.
    firsts = Counter(gold[i][2] for i, _ in first)
    g_by: dict[str, list[Mention]] = {}
    p_by: dict[str, list[Mention]] = {}
    for m in gr:
        g_by.setdefault(m[2], []).append(m)
    for m in pr:
        p_by.setdefault(m[2], []).append(m)
    labels = set(map(_label, gold)) | set(map(_label, pred))
    for label in labels:
        gl, pl = g_by.get(label, ()), p_by.get(label, ())
        n = firsts.get(label, 0)
        ov = len(pair_overlap(gl, pl, [True] * len(gl), [True] * len(pl), same_label=False)) if gl and pl else 0
        n_mis, n_spu = len(gl) - ov, len(pl) - ov
        tally[_key("entities.strict.type.", label)] = [n, ov, 0, n_mis, n_spu]
        tally[_key("entities.exact.type.", label)] = [n, ov, 0, n_mis, n_spu]
        tally[_key("entities.partial.type.", label)] = [n, 0, ov, n_mis, n_spu]
        tally[_key("entities.type.type.", label)] = [n + ov, 0, 0, n_mis, n_spu]


def _flatten(ranges: list[tuple[int, int, str, str]]) -> tuple[list[tuple[int, int, str]], int]:
    kept: list[tuple[int, int, str]] = []
    last_end = -1
    ranges.sort(key=lambda r: (r[0], -r[1], r[2], r[3]))
    for r in ranges:
        if r[0] >= last_end:
            kept.append(r[:3])
            last_end = r[1]
    return kept, len(ranges) - len(kept)


def _bio(g: View, p: View, out: PairScore) -> None:
    toks = tokenize(g.text)
    starts = list(map(itemgetter(0), toks))
    ends = list(map(itemgetter(1), toks))
    if p.text != g.text:  # only through the in-memory API; files with other texts are refused
        p_toks = tokenize(p.text)
        p_starts, p_ends = list(map(itemgetter(0), p_toks)), list(map(itemgetter(1), p_toks))
    else:
        p_starts, p_ends = starts, ends
    cache: dict[tuple[int, int], tuple[int, int]] = {}

    def ranges(mentions: Sequence[Mention], s_list: list[int], e_list: list[int]) -> list[tuple[int, int, str, str]]:
        rs = []
        own = s_list is starts
        for start, end, label, kind in mentions:
            span = (start, end)
            r = cache.get(span) if own else None
            if r is None:
                r = (bisect_right(e_list, start), bisect_left(s_list, end))
                if own:
                    cache[span] = r
            if r[0] < r[1]:
                rs.append((r[0], r[1], label, kind))
        return rs

    g_kept, out.dropped_gold = _flatten(ranges(g.mentions, starts, ends))
    p_kept, out.dropped_pred = _flatten(ranges(p.mentions, p_starts, p_ends))
    _multiset(out.tally, "entities.bio", g_kept, p_kept, (("entities.bio.type.", _label),))


def gold_clusters(g: View) -> dict[tuple[int, int], str]:
    """Gold mention span -> its cluster (the smallest cluster id if several mentions share it)."""
    out: dict[tuple[int, int], str] = {}
    for _, start, end, entity in g.refs:
        key = (start, end)
        have = out.get(key)
        if have is None or entity < have:
            out[key] = entity
    return out


def arguments(v: View, clusters: Mapping[tuple[int, int], str]) -> list[Arg]:
    """Every argument of ``v``, sorted; a dangling argument (validation reports it) is skipped."""
    if not any(e[3] for e in v.events):
        return []
    span_of = {mid: (s, e) for mid, s, e, _ in v.refs}
    out: list[Arg] = []
    for ts, te, etype, args in v.events:
        for role, mention in args:
            span = span_of.get(mention)
            if span is None:
                continue
            c = clusters.get(span)
            cluster: Hashable = ("cluster", c) if c is not None else ("span", span[0], span[1])
            out.append((ts, te, etype, role, span[0], span[1], cluster))
    out.sort(key=itemgetter(0, 1, 2, 3, 4, 5))
    return out


_ARG_I = itemgetter(2, 4, 5)
_ARG_C = itemgetter(2, 3, 4, 5)
_ARG_IP = itemgetter(0, 1, 2, 4, 5)
_ARG_CP = itemgetter(0, 1, 2, 3, 4, 5)
_ARG_I_CO = itemgetter(2, 6)
_ARG_C_CO = itemgetter(2, 3, 6)
_ARG_IP_CO = itemgetter(0, 1, 2, 6)
_ARG_CP_CO = itemgetter(0, 1, 2, 3, 6)
_FIRST = itemgetter(0)
_SECOND = itemgetter(1)


def _events(g: View, p: View, out: PairScore, coref: bool) -> None:
    tally = out.tally
    gt = sorted(map(_first3, g.events))
    pt = sorted(map(_first3, p.events))
    _multiset(tally, "events.trig_i", [t[:2] for t in gt], [t[:2] for t in pt])
    _multiset(tally, "events.trig_c", gt, pt, (("events.trig_c.type.", _label),))
    clusters = gold_clusters(g) if (g.events or p.events) else {}
    ga, pa = arguments(g, clusters), arguments(p, clusters)
    out.gold_args, out.pred_args = ga, pa
    _multiset(tally, "events.arg_i", list(map(_ARG_I, ga)), list(map(_ARG_I, pa)))
    if coref:
        _multiset(tally, "events.arg_i.coref", list(map(_ARG_I_CO, ga)), list(map(_ARG_I_CO, pa)))
    _multiset(
        tally,
        "events.arg_c",
        list(map(_ARG_C, ga)),
        list(map(_ARG_C, pa)),
        (("events.arg_c.type.", _FIRST), ("events.arg_c.role.", _SECOND)),
    )
    if coref:
        _multiset(tally, "events.arg_c.coref", list(map(_ARG_C_CO, ga)), list(map(_ARG_C_CO, pa)))
    _multiset(tally, "events.arg_i+", list(map(_ARG_IP, ga)), list(map(_ARG_IP, pa)))
    if coref:
        _multiset(tally, "events.arg_i+.coref", list(map(_ARG_IP_CO, ga)), list(map(_ARG_IP_CO, pa)))
    _multiset(tally, "events.arg_c+", list(map(_ARG_CP, ga)), list(map(_ARG_CP, pa)))
    if coref:
        _multiset(tally, "events.arg_c+.coref", list(map(_ARG_CP_CO, ga)), list(map(_ARG_CP_CO, pa)))


def score_views(g: View, p: View, *, coref: bool = False) -> PairScore:
    """Every count of prediction ``p`` against gold ``g`` (same document)."""
    out = PairScore({})
    _entities(g, p, out)
    _bio(g, p, out)
    _events(g, p, out, coref)
    return out
