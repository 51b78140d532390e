"""Document-level bootstrap: confidence intervals and the paired test, seeded and vectorised.

Resampling unit: the document. Each of ``n`` resamples draws ``len(docs)`` documents with
replacement (``numpy.random.default_rng(seed).integers``), sums each metric's counts over the
drawn documents and recomputes the score from the sums (never an average of per-document
scores). Intervals are percentile intervals (``numpy.quantile``, linear interpolation) at the
given confidence; resamples in which a metric has nothing to score (ACT = POS = 0) are left out
of that metric's interval.

The paired test (:func:`paired_test`) applies the *same* resampled document lists to both
systems and computes, per resample, ``d* = F1(A) - F1(B)``. With the observed difference ``d``,
the two-sided p-value is ``(1 + #{|d* - d| >= |d|}) / (n + 1)`` (the bootstrap distribution
shifted to the null hypothesis of no difference; Efron & Tibshirani 1993, sec. 16.4).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newsevents.evaluate.counts import Counts

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Resampler:
    """Seeded document resamples; every call to :meth:`sums` sees the same resamples.

    Resamples are drawn ``CHUNK`` at a time from ``numpy.random.default_rng(seed)`` and applied
    as multiplicity weights (one matrix product per chunk), so memory stays bounded for large
    corpora and two systems scored with the same resampler are paired.
    """

    n_docs: int
    n: int
    seed: int

    CHUNK = 128

    def sums(self, m: FloatArray) -> FloatArray:
        """Summed counts per resample: ``m`` is [doc, ...], the result [resample, ...]."""
        flat = m.reshape(self.n_docs, -1)
        out = np.empty((self.n, flat.shape[1]), dtype=np.float64)
        rng = np.random.default_rng(self.seed)
        for lo in range(0, self.n, self.CHUNK):
            c = min(self.CHUNK, self.n - lo)
            idx = rng.integers(0, self.n_docs, size=(c, self.n_docs))
            cells = (np.arange(c)[:, None] * self.n_docs + idx).ravel()
            weights = np.bincount(cells, minlength=c * self.n_docs).reshape(c, self.n_docs)
            out[lo : lo + c] = weights.astype(np.float64) @ flat
        return out.reshape(self.n, *m.shape[1:])


def matrix(per_doc: Sequence[dict[str, Counts]], keys: Sequence[str]) -> FloatArray:
    """Array [doc, key, (credit, act, pos)]."""
    m = np.zeros((len(per_doc), len(keys), 3), dtype=np.float64)
    zero = Counts()
    for d, tally in enumerate(per_doc):
        for k, key in enumerate(keys):
            c = tally.get(key, zero)
            m[d, k] = (c.credit, c.act, c.pos)
    return m


def scores(sums: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """P, R, F1 arrays from summed (credit, act, pos) in the last axis; NaN where act = pos = 0."""
    credit, act, pos = sums[..., 0], sums[..., 1], sums[..., 2]
    empty = (act + pos) == 0
    p = np.where(empty, np.nan, credit / np.where(act > 0, act, 1))
    r = np.where(empty, np.nan, credit / np.where(pos > 0, pos, 1))
    f = np.where(empty, np.nan, 2 * credit / np.where(empty, 1, act + pos))
    return p, r, f


def resampled_scores(
    per_doc: Sequence[dict[str, Counts]], keys: Sequence[str], resampler: Resampler
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """P, R, F1 of each key in each resample: arrays [resample, key]."""
    return scores(resampler.sums(matrix(per_doc, keys)))


def nanmean_rows(a: FloatArray) -> FloatArray:
    """Mean over the defined values of each row (a macro average per resample); NaN if none."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a resample where no label occurs: NaN
        means: FloatArray = np.nanmean(a, axis=1)
        return means


def interval(samples: FloatArray, confidence: float) -> list[float] | None:
    """Percentile interval of the defined (non-NaN) samples; None if none is defined."""
    ok = samples[~np.isnan(samples)]
    if ok.size == 0:
        return None
    alpha = (1.0 - confidence) / 2
    lo, hi = np.quantile(ok, [alpha, 1.0 - alpha])
    return [float(lo), float(hi)]


def paired_test(
    f1_a: FloatArray, f1_b: FloatArray, observed: float, confidence: float
) -> dict[str, float | list[float] | int | None]:
    """p-value and interval of the F1 difference A - B from paired resamples (see module doc)."""
    d = f1_a - f1_b
    d = d[~np.isnan(d)]
    n = int(d.size)
    if n == 0:
        return {"p_value": None, "interval": None, "resamples": 0}
    extreme = int(np.sum(np.abs(d - observed) >= abs(observed) - 1e-12))
    return {"p_value": (1 + extreme) / (n + 1), "interval": interval(d, confidence), "resamples": n}
