"""Helpers shared by the clean-stage tests: paths and the bag-of-words score."""

from __future__ import annotations

import collections
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
RENDERINGS = CASES / "renderings"
REPO = HERE.parent.parent
SEED_ID = "dw-2019-12-29-us-hits-back-iraq"

_TOKEN = re.compile(r"\w+")


def bag(text: str) -> collections.Counter[str]:
    return collections.Counter(t.lower() for t in _TOKEN.findall(text))


def prf(gold: str, pred: str) -> tuple[float, float, float]:
    """Bag-of-words precision, recall and F1 (the measure of the cleaning-dev scorer)."""
    g, p = bag(gold), bag(pred)
    tp = sum((g & p).values())
    precision = tp / sum(p.values()) if p else 0.0
    recall = tp / sum(g.values()) if g else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
