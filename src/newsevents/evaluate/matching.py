"""One-to-one matching of gold and predicted spans, stated precisely and deterministic.

Mentions are tuples ``(start, end, label, kind)`` with end-exclusive offsets, sorted by
:func:`sort_spans` (start, end, label, kind); ties between identical tuples do not matter because
identical tuples are interchangeable. Matching runs in *steps*; each step only pairs mentions left
unpaired by the steps before it, and every mention is paired at most once:

``equal(key)``
    Group both sides by ``key`` (e.g. start, end and label); inside each group pair gold and
    predictions in sorted order, ``min(#gold, #pred)`` pairs per group.
``overlap(same_label)``
    Candidate pairs are all unpaired (gold, prediction) pairs whose spans share at least one code
    point (``g.start < p.end and p.start < g.end``), found by a sweep over the sorted starts; with
    ``same_label`` only pairs with equal labels. Candidates are taken greedily in the order: larger
    overlap (in code points) first, then earlier gold start, earlier gold end, earlier prediction
    start, earlier prediction end, then sorted position; a candidate is taken when both its
    mentions are still unpaired.

The four entity schemes (SemEval-2013 Task 9, as in nervaluate) are these steps in order:

=========  ===============================================================  ==================
scheme     steps giving COR                                                 then, giving INC/PAR
=========  ===============================================================  ==================
strict     equal(start, end, type)                                          overlap -> INC
exact      equal(start, end, type), equal(start, end)                       overlap -> INC
partial    equal(start, end, type), equal(start, end)                       overlap -> PAR
type       equal(start, end, type), overlap(same type)                      overlap -> INC
=========  ===============================================================  ==================

Unpaired gold mentions are MIS, unpaired predictions SPU. (In ``exact`` and ``partial`` the
first step only decides which same-span mentions pair up, preferring equal types; it does not
change the counts.)

Example:
    >>> gold = sort_spans([(0, 10, "ORG", "NAM"), (10, 20, "ORG", "NAM")])
    >>> pred = sort_spans([(5, 18, "ORG", "NAM"), (18, 20, "ORG", "NAM")])
    >>> m = match_mentions(gold, pred, "partial")
    >>> (m.cor, m.par, m.mis, m.spu)
    ([], [(1, 0)], [0], [1])
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from newsevents.evaluate.counts import Counts

Mention = tuple[int, int, str, str]  # start, end (exclusive), label, kind
SCHEMES = ("strict", "exact", "partial", "type")


def sort_spans(spans: Iterable[Mention]) -> list[Mention]:
    return sorted(spans)


@dataclass
class Match:
    """Result of matching one document: pairs as (gold index, prediction index)."""

    cor: list[tuple[int, int]] = field(default_factory=list)
    inc: list[tuple[int, int]] = field(default_factory=list)
    par: list[tuple[int, int]] = field(default_factory=list)
    mis: list[int] = field(default_factory=list)
    spu: list[int] = field(default_factory=list)

    def counts(self) -> Counts:
        return Counts(len(self.cor), len(self.inc), len(self.par), len(self.mis), len(self.spu))


def pair_equal(
    gold: Sequence[Mention],
    pred: Sequence[Mention],
    g_free: list[bool],
    p_free: list[bool],
    width: int,
) -> list[tuple[int, int]]:
    """Pair unpaired mentions whose first ``width`` fields are equal, in sorted order per group."""
    if not (gold and pred):
        return []
    by_key: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for j in range(len(pred) - 1, -1, -1):  # reversed, so that pop() yields sorted order
        if p_free[j]:
            by_key[pred[j][:width]].append(j)
    pairs = []
    for i, g in enumerate(gold):
        if g_free[i]:
            bucket = by_key.get(g[:width])
            if bucket:
                j = bucket.pop()
                g_free[i] = p_free[j] = False
                pairs.append((i, j))
    return pairs


def overlapping(
    gold: Sequence[Mention], pred: Sequence[Mention], g_free: list[bool], p_free: list[bool]
) -> list[tuple[int, int, int]]:
    """All (overlap, gold index, prediction index) of unpaired overlapping mentions, by a sweep."""
    events = [(g[0], 0, i) for i, g in enumerate(gold) if g_free[i]]
    events += [(p[0], 1, j) for j, p in enumerate(pred) if p_free[j]]
    events.sort()
    active: tuple[list[int], list[int]] = ([], [])
    sides = (gold, pred)
    out: list[tuple[int, int, int]] = []
    for start, side, idx in events:
        other = 1 - side
        # Drop what ended at or before this start: it cannot overlap this or any later span.
        for s in (0, 1):
            if active[s] and any(sides[s][k][1] <= start for k in active[s]):
                active[s][:] = [k for k in active[s] if sides[s][k][1] > start]
        end = sides[side][idx][1]
        for k in active[other]:
            ov = min(end, sides[other][k][1]) - start
            out.append((ov, idx, k) if side == 0 else (ov, k, idx))
        active[side].append(idx)
    return out


def pair_overlap(
    gold: Sequence[Mention],
    pred: Sequence[Mention],
    g_free: list[bool],
    p_free: list[bool],
    *,
    same_label: bool,
) -> list[tuple[int, int]]:
    """Greedy one-to-one pairing of overlapping mentions, larger overlap first (see module doc)."""
    if not (any(g_free) and any(p_free)):
        return []
    cands = overlapping(gold, pred, g_free, p_free)
    if same_label:
        cands = [c for c in cands if gold[c[1]][2] == pred[c[2]][2]]
    cands.sort(key=lambda c: (-c[0], gold[c[1]][0], gold[c[1]][1], pred[c[2]][0], pred[c[2]][1], c[1], c[2]))
    pairs = []
    for _, i, j in cands:
        if g_free[i] and p_free[j]:
            g_free[i] = p_free[j] = False
            pairs.append((i, j))
    return pairs


def match_mentions(gold: Sequence[Mention], pred: Sequence[Mention], scheme: str) -> Match:
    """Match sorted ``gold`` and ``pred`` mentions of one document under ``scheme``."""
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {SCHEMES}, found {scheme!r}")
    g_free = [True] * len(gold)
    p_free = [True] * len(pred)
    m = Match()
    m.cor = pair_equal(gold, pred, g_free, p_free, 3)
    if scheme in ("exact", "partial"):
        m.cor += pair_equal(gold, pred, g_free, p_free, 2)
    elif scheme == "type":
        m.cor += pair_overlap(gold, pred, g_free, p_free, same_label=True)
    rest = pair_overlap(gold, pred, g_free, p_free, same_label=False)
    if scheme == "partial":
        m.par = rest
    else:
        m.inc = rest
    m.mis = [i for i, free in enumerate(g_free) if free]
    m.spu = [j for j, free in enumerate(p_free) if free]
    return m


def multiset_counts(gold: Iterable[Hashable], pred: Iterable[Hashable]) -> Counts:
    """COR/MIS/SPU of two multisets of keys: COR is the sum over keys of min(#gold, #pred)."""
    g, p = Counter(gold), Counter(pred)
    cor = sum((g & p).values())
    return Counts(cor=cor, mis=sum(g.values()) - cor, spu=sum(p.values()) - cor)


def multiset_unmatched(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> tuple[list[int], list[int]]:
    """Indices of the gold and predicted keys left over by the multiset match (last copies first)."""
    left = Counter(gold) - Counter(pred)
    extra = Counter(pred) - Counter(gold)
    fn = []
    for i in range(len(gold) - 1, -1, -1):
        if left[gold[i]] > 0:
            left[gold[i]] -= 1
            fn.append(i)
    fp = []
    for j in range(len(pred) - 1, -1, -1):
        if extra[pred[j]] > 0:
            extra[pred[j]] -= 1
            fp.append(j)
    return sorted(fn), sorted(fp)
