"""Counts of matched, wrong, missed and spurious items, and the scores computed from them.

Every score of the evaluate stage is computed from five counts summed over documents (the
SemEval-2013 Task 9 categories): COR correct, INC incorrect, PAR partial, MIS missed, SPU spurious.
Layers without incorrect or partial matches (triggers, arguments, BIO chunks) use only COR, MIS
and SPU. From them::

    ACT (predicted)  = COR + INC + PAR + SPU
    POS (gold)       = COR + INC + PAR + MIS
    credit           = COR + 0.5 * PAR
    precision        = credit / ACT            (0 when ACT is 0)
    recall           = credit / POS            (0 when POS is 0)
    F1               = 2 * credit / (ACT + POS)   (= harmonic mean of P and R; 0 when both are 0)

PAR is non-zero only in the ``partial`` scheme, so one formula serves every metric. When both ACT
and POS are 0 there is nothing to score: the scores are ``None`` (``null`` in JSON), not 0.

Example:
    >>> c = Counts(cor=3, par=2, mis=1, spu=2)
    >>> (c.act, c.pos, c.precision, c.recall, round(c.f1, 4))
    (7, 6, 0.5714285714285714, 0.6666666666666666, 0.6154)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# A tally maps a metric key (such as "entities.strict" or "events.arg_c.role.Attacker") to counts.
Tally = dict[str, "Counts"]


@dataclass(frozen=True, slots=True)
class Counts:
    """COR/INC/PAR/MIS/SPU counts of one metric."""

    cor: int = 0
    inc: int = 0
    par: int = 0
    mis: int = 0
    spu: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.cor + other.cor,
            self.inc + other.inc,
            self.par + other.par,
            self.mis + other.mis,
            self.spu + other.spu,
        )

    @property
    def act(self) -> int:
        return self.cor + self.inc + self.par + self.spu

    @property
    def pos(self) -> int:
        return self.cor + self.inc + self.par + self.mis

    @property
    def credit(self) -> float:
        return self.cor + 0.5 * self.par

    @property
    def empty(self) -> bool:
        return self.act == 0 and self.pos == 0

    @property
    def precision(self) -> float | None:
        if self.empty:
            return None
        return self.credit / self.act if self.act else 0.0

    @property
    def recall(self) -> float | None:
        if self.empty:
            return None
        return self.credit / self.pos if self.pos else 0.0

    @property
    def f1(self) -> float | None:
        if self.empty:
            return None
        return 2 * self.credit / (self.act + self.pos)

    def to_dict(self) -> dict[str, Any]:
        return {
            "COR": self.cor,
            "INC": self.inc,
            "PAR": self.par,
            "MIS": self.mis,
            "SPU": self.spu,
            "ACT": self.act,
            "POS": self.pos,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


def add_tally(into: Tally, other: Mapping[str, Counts]) -> None:
    """Add ``other`` to ``into`` key by key."""
    for key, c in other.items():
        have = into.get(key)
        into[key] = c if have is None else have + c


def sum_tallies(tallies: Iterable[Mapping[str, Counts]]) -> Tally:
    out: Tally = {}
    for t in tallies:
        add_tally(out, t)
    return out


def macro(tally: Mapping[str, Counts], prefix: str) -> dict[str, Any] | None:
    """Unweighted mean of P, R and F1 over the keys ``prefix + label`` with any gold or prediction.

    Like seqeval's ``macro avg``: each label that occurs in gold or predictions counts once.
    """
    rows = [c for k, c in tally.items() if k.startswith(prefix) and not c.empty]
    if not rows:
        return None
    n = len(rows)
    return {
        "labels": n,
        "precision": sum(c.precision or 0.0 for c in rows) / n,
        "recall": sum(c.recall or 0.0 for c in rows) / n,
        "f1": sum(c.f1 or 0.0 for c in rows) / n,
    }
