"""Oracle cross-checks: newsevents' entity scores against seqeval and nervaluate on random inputs.

Where the rules overlap the numbers must agree to the digit:

* seqeval (mode="strict", scheme=IOB2) on any tag sequences (malformed ones included) against
  ``bio.score_tags``, micro, per type and macro;
* seqeval on the BIO view of random flat token-aligned mentions against the strict scheme;
* nervaluate strict and exact (overall and per type) on any flat inputs (no mention overlaps
  another of its own side), where its prediction-order greedy matching pairs the same number of
  correct mentions as ours;
* nervaluate strict, exact, partial and type, every count, overall and per type, on inputs where
  each mention overlaps at most one mention of the other side (the matching is then forced).

The cases where newsevents deliberately differs are pinned in cases/differs-*.json.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nervaluate import Evaluator
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from newsevents.evaluate import bio, score
from newsevents.evaluate.counts import Counts, macro
from newsevents.evaluate.matching import match_mentions, sort_spans
from newsevents.records import Document, EntityMention, Source

# seqeval averages over no labels when a draw has no chunk at all: numpy warns, the value is unused.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Mean of empty slice:RuntimeWarning", "ignore:invalid value encountered:RuntimeWarning"
)

LABELS = ["PER", "ORG", "GPE"]
NV_SCHEME = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}
EXAMPLES = settings(max_examples=300, deadline=None)


def close(a: float | None, b: float) -> bool:
    return math.isclose(a or 0.0, b, abs_tol=1e-12)


# --- seqeval on tag sequences -------------------------------------------------------------------

tag = st.sampled_from(["O", "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-GPE", "I-GPE"])


@st.composite
def tag_pairs(draw):
    lengths = draw(st.lists(st.integers(0, 12), min_size=1, max_size=6))
    y_true = [draw(st.lists(tag, min_size=n, max_size=n)) for n in lengths]
    y_pred = [draw(st.lists(tag, min_size=n, max_size=n)) for n in lengths]
    return y_true, y_pred


@EXAMPLES
@given(tag_pairs())
def test_bio_scores_equal_seqeval_strict_iob2(pair):
    y_true, y_pred = pair
    ours = bio.score_tags(y_true, y_pred)
    ref = classification_report(y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    labels = {k for k in ref if k not in {"micro avg", "macro avg", "weighted avg"}}
    assert labels == set(ours) - {"micro"}
    for label in labels:
        c = ours[label]
        assert c.cor + c.mis == ref[label]["support"]
        assert close(c.precision, ref[label]["precision"])
        assert close(c.recall, ref[label]["recall"])
        assert close(c.f1, ref[label]["f1-score"])
    if labels:
        m = ref["micro avg"]
        assert close(ours["micro"].precision, m["precision"])
        assert close(ours["micro"].recall, m["recall"])
        assert close(ours["micro"].f1, m["f1-score"])
        mac = macro({f"t.{k}": v for k, v in ours.items() if k != "micro"}, "t.")
        assert mac is not None
        assert close(mac["f1"], ref["macro avg"]["f1-score"])
        assert close(mac["precision"], ref["macro avg"]["precision"])
        assert close(mac["recall"], ref["macro avg"]["recall"])


# --- random flat token-aligned documents ----------------------------------------------------------

N_TOKENS = 30
TEXT = " ".join(["w"] * N_TOKENS)  # token i is the character 2 * i


@st.composite
def flat_mentions(draw):
    """Non-overlapping token ranges with labels: [(first, end), label]."""
    out = []
    pos = 0
    while pos < N_TOKENS:
        pos += draw(st.integers(0, 4))
        if pos >= N_TOKENS or draw(st.integers(0, 3)) == 0:
            break
        end = min(N_TOKENS, pos + draw(st.integers(1, 4)))
        out.append((pos, end, draw(st.sampled_from(LABELS))))
        pos = end
    return out


def to_doc(doc_id: str, ranges) -> Document:
    mentions = tuple(
        EntityMention(f"T{n}", 2 * s, 2 * e - 1, TEXT[2 * s : 2 * e - 1], label, "NAM", f"E{n}")
        for n, (s, e, label) in enumerate(ranges)
    )
    return Document(doc_id, "t", TEXT, "en", Source("P", "L", "f", "0" * 64), "test", entity_mentions=mentions)


def to_tags(ranges) -> list[str]:
    tags = ["O"] * N_TOKENS
    for s, e, label in ranges:
        tags[s] = "B-" + label
        for k in range(s + 1, e):
            tags[k] = "I-" + label
    return tags


flat_corpus = st.lists(st.tuples(flat_mentions(), flat_mentions()), min_size=1, max_size=4)


@EXAMPLES
@given(flat_corpus)
def test_strict_on_flat_mentions_equals_seqeval_on_bio_view(corpus):
    gold = [to_doc(f"d{i}", g) for i, (g, _) in enumerate(corpus)]
    pred = [to_doc(f"d{i}", p) for i, (_, p) in enumerate(corpus)]
    y_true = [to_tags(g) for g, _ in corpus]
    y_pred = [to_tags(p) for _, p in corpus]
    ref = classification_report(y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    for match in ("strict", "bio"):
        ours = score(gold, pred, match=match)
        if ours.counts.empty:
            continue
        assert close(ours.precision, ref["micro avg"]["precision"])
        assert close(ours.recall, ref["micro avg"]["recall"])
        assert close(ours.f1, ref["micro avg"]["f1-score"])
        per = score(gold, pred, match=match, average=None)
        for label, s in per.items():
            assert close(s.f1, ref[label]["f1-score"])


def nervaluate(gold_docs, pred_docs):
    """nervaluate results on (start, end-exclusive, label) lists: its ends are inclusive."""
    true = [[{"label": m[2], "start": m[0], "end": m[1] - 1} for m in d] for d in gold_docs]
    pred = [[{"label": m[2], "start": m[0], "end": m[1] - 1} for m in d] for d in pred_docs]
    # nervaluate processes predictions in list order; give it the position order we sort by.
    true = [sorted(d, key=lambda e: (e["start"], e["end"], e["label"])) for d in true]
    pred = [sorted(d, key=lambda e: (e["start"], e["end"], e["label"])) for d in pred]
    return Evaluator(true, pred, tags=LABELS, loader="dict").evaluate()


def ours_by_scheme(gold_docs, pred_docs, scheme, label=None) -> Counts:
    total = Counts()
    for g, p in zip(gold_docs, pred_docs, strict=True):
        gs = sort_spans((s, e, t, "NAM") for s, e, t in g if label is None or t == label)
        ps = sort_spans((s, e, t, "NAM") for s, e, t in p if label is None or t == label)
        total = total + match_mentions(gs, ps, scheme).counts()
    return total


def same_scores(ours: Counts, ref) -> bool:
    return (
        ours.act == ref.correct + ref.incorrect + ref.partial + ref.spurious
        and ours.pos == ref.correct + ref.incorrect + ref.partial + ref.missed
        and close(ours.precision, ref.precision)
        and close(ours.recall, ref.recall)
        and close(ours.f1, ref.f1)
    )


@EXAMPLES
@given(flat_corpus)
def test_strict_and_exact_on_flat_mentions_equal_nervaluate(corpus):
    gold = [[(2 * s, 2 * e - 1, t) for s, e, t in g] for g, _ in corpus]
    pred = [[(2 * s, 2 * e - 1, t) for s, e, t in p] for _, p in corpus]
    ref = nervaluate(gold, pred)
    for scheme in ("strict", "exact"):
        ours = ours_by_scheme(gold, pred, scheme)
        r = ref["overall"][NV_SCHEME[scheme]]
        assert ours.cor == r.correct
        if not ours.empty:
            assert same_scores(ours, r)
        for label, per in ref["entities"].items():
            o = ours_by_scheme(gold, pred, scheme, label)
            assert o.cor == per[NV_SCHEME[scheme]].correct
            assert same_scores(o, per[NV_SCHEME[scheme]])


@st.composite
def unambiguous_corpus(draw):
    """Documents in slots 20 code points apart: each mention overlaps at most one of the other side."""
    docs = []
    for _ in range(draw(st.integers(1, 4))):
        gold, pred = [], []
        for slot in range(draw(st.integers(0, 8))):
            base = 20 * slot
            what = draw(st.sampled_from(["gold", "pred", "both", "both"]))
            for side, out in (("gold", gold), ("pred", pred)):
                if what in (side, "both"):
                    s = draw(st.integers(0, 10))
                    e = draw(st.integers(s + 1, 12))
                    out.append((base + s, base + e, draw(st.sampled_from(LABELS))))
        docs.append((gold, pred))
    return docs


@settings(max_examples=400, deadline=None)
@given(unambiguous_corpus())
def test_all_schemes_on_unambiguous_mentions_equal_nervaluate(corpus):
    gold = [g for g, _ in corpus]
    pred = [p for _, p in corpus]
    ref = nervaluate(gold, pred)
    for scheme, nv in NV_SCHEME.items():
        ours = ours_by_scheme(gold, pred, scheme)
        r = ref["overall"][nv]
        assert (ours.cor, ours.inc, ours.par, ours.mis, ours.spu) == (
            r.correct,
            r.incorrect,
            r.partial,
            r.missed,
            r.spurious,
        )
        if not ours.empty:
            assert same_scores(ours, r)
        for label, per in ref["entities"].items():
            o = ours_by_scheme(gold, pred, scheme, label)
            p = per[nv]
            assert (o.cor, o.inc, o.par, o.mis, o.spu) == (p.correct, p.incorrect, p.partial, p.missed, p.spurious)


def test_malformed_tags_and_lengths_are_refused():
    with pytest.raises(ValueError, match="IOB2 tags"):
        bio.score_tags([["B-PER", "X-PER"]], [["O", "O"]])
    with pytest.raises(ValueError, match="sequence 1"):
        bio.score_tags([["O"], ["O", "O"]], [["O"], ["O"]])
    assert bio.score_tags([["O"]], [["O"]]) == {"micro": Counts()}
