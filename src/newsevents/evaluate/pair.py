"""Every count of one gold/prediction pair in one pass: the scorer behind the whole evaluation.

The rules are those of :mod:`newsevents.evaluate.matching`, :mod:`newsevents.evaluate.entities`,
:mod:`newsevents.evaluate.bio` and :mod:`newsevents.evaluate.events` (which stay the readable
reference; a property test checks that both give the same tally on random documents). What is
done once here instead of once per metric:

* the text is tokenized once for both sides (they share it), and the mentions' token ranges are
  found by one vectorised search (``numpy.searchsorted``) per side;
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

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, repeat
from operator import attrgetter, itemgetter
from typing import Any

import numpy as np
import numpy.typing as npt

from newsevents.evaluate.matching import Mention, overlapping, pair_equal
from newsevents.records import Document
from newsevents.text import tokenize

# Counts of one metric in one document: COR, INC, PAR, MIS, SPU.
Row = list[int]
PairTally = dict[str, Row]
# One argument: trigger start, trigger end, event type, role, argument start, end, cluster value.
Arg = tuple[int, int, str, str, int, int, Hashable]

_first3 = itemgetter(0, 1, 2)
_label = itemgetter(2)
_KIND = itemgetter(3)
_FIRST = itemgetter(0)
_SECOND = itemgetter(1)


@dataclass(frozen=True, slots=True)
class View:
    """What scoring reads of one record: id, text, sorted mentions, events, mention spans and clusters."""

    id: str
    text: str
    mentions: list[Mention]
    # (trigger start, trigger end, event type, arguments): the arguments as in the source, either
    # ``Argument`` objects (``records`` False) or dicts with "role" and "mention" (``records`` True).
    events: list[tuple[int, int, str, Sequence[Any]]]
    # (mention id, start, end, entity cluster) of every entity mention, in record order; only
    # filled when the record has events (arguments and clusters are looked up through it).
    refs: list[tuple[str, int, int, str]]
    records: bool = False


_MENTION = attrgetter("start", "end", "type", "kind")
_REF = attrgetter("id", "start", "end", "entity")
_EVENT = attrgetter("trigger.start", "trigger.end", "type", "arguments")
_MENTION_D = itemgetter("start", "end", "type", "kind")
_REF_D = itemgetter("id", "start", "end", "entity")
_ROLE_MENTION = attrgetter("role", "mention")
_ROLE_MENTION_D = itemgetter("role", "mention")


def view_of_document(doc: Document) -> View:
    ms = doc.entity_mentions
    evs = doc.event_mentions
    return View(
        doc.id,
        doc.text,
        sorted(map(_MENTION, ms)),
        list(map(_EVENT, evs)),
        list(map(_REF, ms)) if evs else [],
    )


def view_of_record(rec: Mapping[str, Any]) -> View:
    """The view of a parsed record that passed validation (levels 1-2)."""
    ms = rec.get("entity_mentions") or ()
    evs = rec.get("event_mentions") or ()
    return View(
        rec["id"],
        rec["text"],
        sorted(map(_MENTION_D, ms)),
        [(e["trigger"]["start"], e["trigger"]["end"], e["type"], e["arguments"]) for e in evs],
        list(map(_REF_D, ms)) if evs else [],
        records=True,
    )


def empty_view(gold: View) -> View:
    """What a missing prediction is scored as: the gold text with no annotations."""
    return View(gold.id, gold.text, [], [], [], records=gold.records)


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
    # Entity type confusion: the first step's pairs (same span and type) by type, and the mentions
    # it left on each side (paired by span in the confusion matrix).
    entity_same: Counter[str] = field(default_factory=Counter)
    entity_left: tuple[list[Mention], list[Mention]] = ([], [])
    gold_args: list[Arg] = field(default_factory=list)
    pred_args: list[Arg] = field(default_factory=list)


def _multiset(
    tally: PairTally,
    key: str,
    gold: Sequence[Hashable],
    pred: Sequence[Hashable],
    by: tuple[tuple[str, Callable[[Any], str]], ...] = (),
) -> None:
    """COR/MIS/SPU of two multisets of keys under ``key``, and split by label for each ``by``.

    COR is the sum over keys of min(#gold, #pred); every step runs in C (Counter, set and map).
    """
    g, p = Counter(gold), Counter(pred)
    common = g.keys() & p.keys()
    if len(g) == len(gold) and len(p) == len(pred):  # no repeated key: each common key counts once
        cor = len(common)
        counted: Iterable[Hashable] = common
    else:
        keys = list(common)
        mins = list(map(min, map(g.__getitem__, keys), map(p.__getitem__, keys)))
        cor = sum(mins)
        counted = list(chain.from_iterable(map(repeat, keys, mins)))
    tally[key] = [cor, 0, 0, len(gold) - cor, len(pred) - cor]
    for family, label_of in by:
        g_n, p_n, c_n = Counter(map(label_of, gold)), Counter(map(label_of, pred)), Counter(map(label_of, counted))
        for label in g_n.keys() | p_n.keys():
            c = c_n.get(label, 0)
            tally[_key(family, label)] = [c, 0, 0, g_n.get(label, 0) - c, p_n.get(label, 0) - c]


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


def _greedy(
    cands: Sequence[tuple[int, int, int]],
    gold: Sequence[Mention],
    pred: Sequence[Mention],
    g_free: list[bool],
    p_free: list[bool],
    *,
    same_label: bool,
) -> list[tuple[int, int]]:
    """:func:`newsevents.evaluate.matching.pair_overlap` over candidates sorted once for all schemes."""
    pairs = []
    for _, i, j in cands:
        if g_free[i] and p_free[j] and (not same_label or gold[i][2] == pred[j][2]):
            g_free[i] = p_free[j] = False
            pairs.append((i, j))
    return pairs


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
    # Every later step pairs overlapping mentions the first step left, in one order: find and sort
    # the candidates once (pair_overlap's order), then run each scheme's steps over them.
    cands = overlapping(gr, pr, [True] * len(gr), [True] * len(pr)) if gr and pr else []
    cands.sort(key=lambda c: (-c[0], gr[c[1]][0], gr[c[1]][1], pr[c[2]][0], pr[c[2]][1], c[1], c[2]))
    same_type: list[tuple[int, int]] = []

    def back(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return [(g_left[i], p_left[j]) for i, j in pairs]

    # Micro: strict is overlap -> INC; exact and partial share equal(start, end) then overlap; type
    # is overlap(same type) -> COR then overlap -> INC.
    for scheme in ("strict", "exact", "type"):
        g_free, p_free = [True] * len(gr), [True] * len(pr)
        cor: list[tuple[int, int]] = []
        if scheme == "exact":
            cor = pair_equal(gr, pr, g_free, p_free, 2)
        elif scheme == "type":
            cor = same_type = _greedy(cands, gr, pr, g_free, p_free, same_label=True)
        other = _greedy(cands, gr, pr, g_free, p_free, same_label=False)
        cor_g, other_g = back(cor), back(other)
        mis_g = [g_left[i] for i, free in enumerate(g_free) if free]
        spu_g = [p_left[j] for j, free in enumerate(p_free) if free]
        counts = [n1 + len(cor), len(other), 0, len(mis_g), len(spu_g)]
        if scheme == "strict":
            out.strict_inc, out.strict_mis, out.strict_spu = other_g, mis_g, spu_g
        for name in ("exact", "partial") if scheme == "exact" else (scheme,):
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

    # Per type T the four schemes reduce to the first step's pairs of type T and one overlap
    # matching of the type-T mentions it left; those matchings, run for every type at once, are
    # the type scheme's overlap(same type) step above.
    firsts = Counter(gold[i][2] for i, _ in first)
    out.entity_same, out.entity_left = firsts, (gr, pr)
    ovs = Counter(gr[i][2] for i, _ in same_type)
    g_rest, p_rest = Counter(map(_label, gr)), Counter(map(_label, pr))
    for label in set(map(_label, gold)) | set(map(_label, pred)):
        n, ov = firsts.get(label, 0), ovs.get(label, 0)
        n_mis, n_spu = g_rest.get(label, 0) - ov, p_rest.get(label, 0) - ov
        tally[_key("entities.strict.type.", label)] = [n, ov, 0, n_mis, n_spu]
        tally[_key("entities.exact.type.", label)] = [n, ov, 0, n_mis, n_spu]
        tally[_key("entities.partial.type.", label)] = [n, 0, ov, n_mis, n_spu]
        tally[_key("entities.type.type.", label)] = [n + ov, 0, 0, n_mis, n_spu]


def _flatten(ranges: list[tuple[int, int, str, str]]) -> tuple[list[tuple[int, int, str]], int]:
    """:func:`newsevents.evaluate.bio.flatten` on ranges given as (first, -end, type, kind)."""
    kept: list[tuple[int, int, str]] = []
    last_end = -1
    ranges.sort()
    for first, neg_end, label, _ in ranges:
        if first >= last_end:
            last_end = -neg_end
            kept.append((first, last_end, label))
    return kept, len(ranges) - len(kept)


def _ranges(
    mentions: Sequence[Mention], starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]
) -> list[tuple[int, int, str, str]]:
    """(first token, -end token, type, kind) of each mention on at least one token (bio.token_ranges)."""
    n = len(mentions)
    m_starts = np.fromiter(map(_FIRST, mentions), dtype=np.int64, count=n)
    m_ends = np.fromiter(map(_SECOND, mentions), dtype=np.int64, count=n)
    firsts = np.searchsorted(ends, m_starts, "right")  # first token ending after the mention starts
    lasts = np.searchsorted(starts, m_ends, "left")  # tokens starting before the mention ends
    rs = list(zip(firsts.tolist(), (-lasts).tolist(), map(_label, mentions), map(_KIND, mentions), strict=True))
    if bool((firsts >= lasts).any()):  # a mention on no token (only whitespace can do that): dropped
        rs = [r for r in rs if r[0] < -r[1]]
    return rs


def _token_bounds(text: str) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    toks = tokenize(text)
    flat = np.fromiter(chain.from_iterable(toks), dtype=np.int64, count=2 * len(toks))
    return flat[0::2], flat[1::2]


def _bio(g: View, p: View, out: PairScore) -> None:
    starts, ends = _token_bounds(g.text)
    # Gold and prediction share the text (files with another text are refused; only the in-memory
    # API can pass two texts).
    p_starts, p_ends = (starts, ends) if p.text == g.text else _token_bounds(p.text)
    g_kept, out.dropped_gold = _flatten(_ranges(g.mentions, starts, ends))
    p_kept, out.dropped_pred = _flatten(_ranges(p.mentions, p_starts, p_ends))
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


def arguments(v: View, clusters: Mapping[tuple[int, int], str] | None) -> list[Arg]:
    """Every argument of ``v``, sorted; a dangling argument (validation reports it) is skipped.

    The cluster value is looked up in ``clusters`` (:func:`gold_clusters`); None leaves it None
    (it is read by the coreference-aware metrics only).
    """
    if not any(e[3] for e in v.events):
        return []
    # A repeated id (a prediction may have one; gold may not) names its first mention.
    span_of = {mid: (s, e) for mid, s, e, _ in reversed(v.refs)}
    role_mention = _ROLE_MENTION_D if v.records else _ROLE_MENTION
    out: list[Arg] = []
    for ts, te, etype, args in v.events:
        for role, mention in map(role_mention, args):
            span = span_of.get(mention)
            if span is None:
                continue
            cluster: Hashable = None
            if clusters is not None:
                c = clusters.get(span)
                cluster = ("cluster", c) if c is not None else ("span", span[0], span[1])
            out.append((ts, te, etype, role, span[0], span[1], cluster))
    out.sort(key=_ARG_SORT)
    return out


_ARG_SORT = itemgetter(0, 1, 2, 3, 4, 5)
_ARG_I = itemgetter(2, 4, 5)
_ARG_C = itemgetter(2, 3, 4, 5)
_ARG_IP = itemgetter(0, 1, 2, 4, 5)
_ARG_CP = itemgetter(0, 1, 2, 3, 4, 5)
_ARG_I_CO = itemgetter(2, 6)
_ARG_C_CO = itemgetter(2, 3, 6)
_ARG_IP_CO = itemgetter(0, 1, 2, 6)
_ARG_CP_CO = itemgetter(0, 1, 2, 3, 6)


def _events(g: View, p: View, out: PairScore, coref: bool) -> None:
    tally = out.tally
    gt = sorted(map(_first3, g.events))
    pt = sorted(map(_first3, p.events))
    _multiset(tally, "events.trig_i", [t[:2] for t in gt], [t[:2] for t in pt])
    _multiset(tally, "events.trig_c", gt, pt, (("events.trig_c.type.", _label),))
    clusters = gold_clusters(g) if coref and (g.events or p.events) else None
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
