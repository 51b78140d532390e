"""Every difference between two annotations of one document, by class.

The classes are those of ``newsevents evaluate``'s error listing, computed by the same code
(:func:`newsevents.evaluate.pair.score_views` and the multiset match of
:mod:`newsevents.evaluate.matching`), with the listing's false negatives and false positives
paired where they describe the same item:

============  ===========================================================================
class         meaning (A is the reference: gold, or the first pass; B the other side)
============  ===========================================================================
missed        in A, nothing in B pairs with it (one FN)
spurious      in B, nothing in A pairs with it (one FP)
wrong-type    same span, another entity or event type (one FN and one FP)
wrong-span    overlapping span (entity: another span, of any type, paired by the strict
              scheme; trigger: same event type; argument: same event type and role)
wrong-role    an argument with the same event type and span, another role
============  ===========================================================================

Entities follow the strict scheme: its INC pairs are ``wrong-type`` (same span) or ``wrong-span``,
its MIS ``missed`` and its SPU ``spurious``, so per layer ``FN = missed + wrong-*`` and
``FP = spurious + wrong-*`` equal ``evaluate``'s ``error_counts`` (strict entities, Trig-C
triggers, Arg-C arguments).

Example:
    >>> from newsevents.evaluate.pair import View
    >>> a = View("d", "Ann met Bob.", [(0, 3, "PER", "NAM"), (8, 11, "PER", "NAM")], [], [])
    >>> b = View("d", "Ann met Bob.", [(0, 3, "ORG", "NAM")], [], [])
    >>> [(d.cls, d.layer, d.a, d.b) for d in differences(a, b)]
    [('wrong-type', 'entity', (0, 3, 'PER'), (0, 3, 'ORG')), ('missed', 'entity', (8, 11, 'PER'), None)]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from newsevents.evaluate.matching import multiset_unmatched
from newsevents.evaluate.pair import Arg, View, score_views

CLASSES = ("missed", "spurious", "wrong-type", "wrong-span", "wrong-role")
LAYERS = ("entity", "trigger", "argument")

# (start, end, label) of an entity or a trigger; (trigger start, trigger end, event type, role,
# argument start, argument end) of an argument.
Item = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Difference:
    """One difference: its class, layer and the item of each side (None where a side has none)."""

    cls: str
    layer: str
    a: Item | None
    b: Item | None

    @property
    def span(self) -> tuple[int, int]:
        """The span to point at: argument span for arguments, else the item's span (A's first)."""
        item = self.a if self.a is not None else self.b
        assert item is not None  # noqa: S101 - a difference has at least one side
        return (item[4], item[5]) if self.layer == "argument" else (item[0], item[1])

    @property
    def fn(self) -> int:
        """False negatives of ``evaluate``'s listing this difference stands for."""
        return int(self.a is not None)

    @property
    def fp(self) -> int:
        return int(self.b is not None)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _pair_rest(layer: str, fn: list[Item], fp: list[Item], rules: Sequence[tuple[str, Any]]) -> Iterable[Difference]:
    """Pair leftover FN and FP items, rule by rule (greedy, in sorted order); the rest are missed/spurious."""
    fn, fp = sorted(fn), sorted(fp)
    free_b = [True] * len(fp)
    for a in fn:
        for cls, same in rules:
            j = next((j for j, b in enumerate(fp) if free_b[j] and same(a, b)), None)
            if j is not None:
                free_b[j] = False
                yield Difference(cls, layer, a, fp[j])
                break
        else:
            yield Difference("missed", layer, a, None)
    for j, b in enumerate(fp):
        if free_b[j]:
            yield Difference("spurious", layer, None, b)


def _trigger_rules() -> list[tuple[str, Any]]:
    return [
        ("wrong-type", lambda a, b: a[:2] == b[:2]),
        ("wrong-span", lambda a, b: a[2] == b[2] and _overlap(a[:2], b[:2])),
    ]


def _argument_rules() -> list[tuple[str, Any]]:
    # Items: (trigger start, end, event type, role, argument start, end); Arg-C ignores the trigger.
    return [
        ("wrong-role", lambda a, b: a[2] == b[2] and a[4:6] == b[4:6] and a[3] != b[3]),
        ("wrong-span", lambda a, b: a[2:4] == b[2:4] and _overlap(a[4:6], b[4:6])),
    ]


def differences(a: View, b: View) -> list[Difference]:
    """Every difference of ``b`` against ``a`` (same document), sorted by position then layer."""
    ps = score_views(a, b)
    out: list[Difference] = []
    ga, pb = a.mentions, b.mentions
    for i, j in ps.strict_inc:
        cls = "wrong-type" if ga[i][:2] == pb[j][:2] else "wrong-span"
        out.append(Difference(cls, "entity", ga[i][:3], pb[j][:3]))
    out.extend(Difference("missed", "entity", ga[i][:3], None) for i in ps.strict_mis)
    out.extend(Difference("spurious", "entity", None, pb[j][:3]) for j in ps.strict_spu)

    gt = sorted(e[:3] for e in a.events)
    pt = sorted(e[:3] for e in b.events)
    fn, fp = multiset_unmatched(gt, pt)
    out.extend(_pair_rest("trigger", [gt[i] for i in fn], [pt[j] for j in fp], _trigger_rules()))

    def key(x: Arg) -> Item:
        return x[:6]

    ga_args, pb_args = [key(x) for x in ps.gold_args], [key(x) for x in ps.pred_args]
    # Arg-C matches (event type, role, argument span): the trigger does not take part.
    fn, fp = multiset_unmatched([x[2:6] for x in ga_args], [x[2:6] for x in pb_args])
    out.extend(_pair_rest("argument", [ga_args[i] for i in fn], [pb_args[j] for j in fp], _argument_rules()))
    out.sort(key=lambda d: (d.span, LAYERS.index(d.layer), CLASSES.index(d.cls), repr(d.a), repr(d.b)))
    return out


def summary(diffs: Iterable[Difference]) -> dict[str, Any]:
    """Counts per layer and class, and FN/FP per layer as ``evaluate``'s ``error_counts`` gives them."""
    by: Counter[tuple[str, str]] = Counter()
    fn: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    for d in diffs:
        by[(d.layer, d.cls)] += 1
        fn[d.layer] += d.fn
        fp[d.layer] += d.fp
    return {
        "classes": {layer: {c: by[(layer, c)] for c in CLASSES} for layer in LAYERS},
        "error_counts": {layer: {"FN": fn[layer], "FP": fp[layer]} for layer in LAYERS},
        "total": sum(by.values()),
    }
