"""Properties on random documents with nested mentions, events, arguments and clusters."""

from __future__ import annotations

import dataclasses
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from newsevents.evaluate import entities, events, score
from newsevents.evaluate.counts import Counts, add_tally
from newsevents.evaluate.load import empty_prediction
from newsevents.evaluate.pair import score_views, view_of_document
from newsevents.evaluate.report import compare_documents, evaluate_documents
from newsevents.ontology import load_ontology
from newsevents.records import Argument, Document, EntityMention, EventMention, Source, Span

ONTO = load_ontology()
N_TOKENS = 25
TEXT = " ".join(f"w{i:02d}" for i in range(N_TOKENS))  # token i spans [4i, 4i + 3)
EXAMPLES = settings(max_examples=200, deadline=None)


@st.composite
def documents(draw, doc_id: str) -> Document:
    mentions = []
    for n in range(draw(st.integers(0, 8))):
        s = draw(st.integers(0, N_TOKENS - 1))
        e = draw(st.integers(s + 1, min(N_TOKENS, s + 4)))
        mentions.append(
            EntityMention(
                id=f"T{n}",
                start=4 * s,
                end=4 * e - 1,
                text=TEXT[4 * s : 4 * e - 1],
                type=draw(st.sampled_from(ONTO.entity_types[:4])),
                kind=draw(st.sampled_from(ONTO.mention_kinds)),
                entity=f"E{draw(st.integers(0, 3))}",
            )
        )
    events = []
    for n in range(draw(st.integers(0, 4))):
        t = draw(st.integers(0, N_TOKENS - 1))
        etype = draw(st.sampled_from(sorted(ONTO.event_types)[:4]))
        roles = sorted(ONTO.event_types[etype].roles)
        args = tuple(Argument(draw(st.sampled_from(roles)), m.id) for m in mentions if draw(st.booleans()))
        events.append(
            EventMention(f"V{n}", etype, Span(4 * t, 4 * t + 3, TEXT[4 * t : 4 * t + 3]), "actual", f"X{n}", args)
        )
    return Document(
        doc_id,
        "t",
        TEXT,
        "en",
        Source("P", "L", "f", "0" * 64),
        "test",
        entity_mentions=tuple(mentions),
        event_mentions=tuple(events),
    )


@st.composite
def corpora(draw) -> list[Document]:
    return [draw(documents(f"doc{i}")) for i in range(draw(st.integers(1, 4)))]


def _scores(res: dict) -> list[tuple[str, float | None]]:
    out = []
    for key, m in res["metrics"].items():
        out += [(key, m[k]) for k in ("precision", "recall", "f1")]
    for key, m in res["macro"].items():
        out += [(f"macro {key}", m[k]) for k in ("precision", "recall", "f1")]
    return out


@EXAMPLES
@given(corpora())
def test_predictions_equal_to_gold_score_one_everywhere(gold):
    res = evaluate_documents(gold, gold, coref=True, bootstrap_n=20)
    for key, value in _scores(res):
        if value is not None:
            assert value == 1.0, key
    for key, m in res["metrics"].items():
        if m["f1"] is not None:
            assert m["ci"]["f1"] == [1.0, 1.0], key
    assert res["errors"] == []


@EXAMPLES
@given(corpora(), corpora(), st.randoms(use_true_random=False))
def test_scores_do_not_depend_on_document_or_mention_order(gold, pred_raw, rnd: random.Random):
    pred = [dataclasses.replace(p, id=g.id) for g, p in zip(gold, pred_raw, strict=False)]
    pred += [empty_prediction(g) for g in gold[len(pred) :]]
    base = evaluate_documents(gold, pred, coref=True, bootstrap_n=30, seed=7)
    order = list(range(len(gold)))
    rnd.shuffle(order)

    def shuffled(d: Document) -> Document:
        ents, evs = list(d.entity_mentions), list(d.event_mentions)
        rnd.shuffle(ents)
        rnd.shuffle(evs)
        return dataclasses.replace(d, entity_mentions=tuple(ents), event_mentions=tuple(evs))

    again = evaluate_documents(
        [shuffled(gold[i]) for i in order], [shuffled(pred[i]) for i in order], coref=True, bootstrap_n=30, seed=7
    )
    assert again["metrics"] == base["metrics"]
    assert again["macro"] == base["macro"]
    assert again["confusion"] == base["confusion"]
    assert again["errors"] == base["errors"]


@EXAMPLES
@given(corpora())
def test_empty_predictions_give_recall_zero_without_crashing(gold):
    empty = [empty_prediction(g) for g in gold]
    res = evaluate_documents(gold, empty, coref=True, bootstrap_n=20)
    for key, m in res["metrics"].items():
        if m["POS"]:
            assert m["recall"] == 0.0, key
            assert m["precision"] == 0.0, key
            assert m["ci"]["f1"] == [0.0, 0.0], key
        assert m["ACT"] == 0
    assert score(gold, [], match="strict").recall in (0.0, None)


@settings(max_examples=40, deadline=None)
@given(corpora(), corpora())
def test_compare_a_system_with_itself_gives_no_difference(gold, pred_raw):
    pred = [dataclasses.replace(p, id=g.id) for g, p in zip(gold, pred_raw, strict=False)]
    pred += [empty_prediction(g) for g in gold[len(pred) :]]
    res = compare_documents(gold, pred, pred, bootstrap_n=30)
    for m in res["metrics"].values():
        if m["difference"] is not None:
            assert m["difference"] == 0.0
            assert m["p_value"] == 1.0


def test_bootstrap_interval_by_hand():
    # Two documents: one all right (F1 1), one all wrong (F1 0). A resample holds both (F1 0.5),
    # twice the right one (1.0, probability 1/4) or twice the wrong one (0.0, probability 1/4),
    # so the 95% percentile interval is [0, 1]; with one document it collapses to its score.
    right = Document("a", "t", TEXT, "en", Source("P", "L", "f", "0" * 64), "test")
    wrong = dataclasses.replace(right, id="b")
    m = EntityMention("T1", 0, 3, TEXT[0:3], "PER", "NAM", "E1")
    m_other = EntityMention("T1", 4, 7, TEXT[4:7], "PER", "NAM", "E1")
    gold = [dataclasses.replace(right, entity_mentions=(m,)), dataclasses.replace(wrong, entity_mentions=(m,))]
    pred = [dataclasses.replace(right, entity_mentions=(m,)), dataclasses.replace(wrong, entity_mentions=(m_other,))]
    res = evaluate_documents(gold, pred, bootstrap_n=1000, seed=0)
    strict = res["metrics"]["entities.strict"]
    assert strict["f1"] == 0.5
    assert strict["ci"]["f1"] == [0.0, 1.0]
    one = evaluate_documents(gold[:1], pred[:1], bootstrap_n=100)["metrics"]["entities.strict"]
    assert one["ci"]["f1"] == [1.0, 1.0]
    res_b = compare_documents(gold, pred, [dataclasses.replace(d, entity_mentions=()) for d in gold], bootstrap_n=1000)
    row = res_b["metrics"]["entities.strict"]
    assert row["difference"] == 0.5
    assert 0 < row["p_value"] < 1


@EXAMPLES
@given(corpora(), corpora(), st.booleans())
def test_one_pass_scorer_equals_the_reference_rules(gold, pred_raw, coref):
    # pair.score_views (the fast scorer behind every score) against entities.score_document and
    # events.score_document, which state the rules one metric at a time.
    for g, p in zip(gold, pred_raw, strict=False):
        ref, matches, dropped = entities.score_document(g, p)
        add_tally(ref, events.score_document(g, p, coref=coref))
        ps = score_views(view_of_document(g), view_of_document(p), coref=coref)
        assert {k: Counts(*row) for k, row in ps.tally.items()} == ref
        strict = matches["strict"]
        assert (ps.strict_inc, ps.strict_mis, ps.strict_spu) == (strict.inc, strict.mis, strict.spu)
        assert {"dropped_gold": ps.dropped_gold, "dropped_pred": ps.dropped_pred} == dropped
