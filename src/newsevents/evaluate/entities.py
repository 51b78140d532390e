"""Entity mention scores of one document: four schemes, per type, per kind, the BIO view.

Keys of the returned tally (see ``docs/evaluation.md``):

* ``entities.<scheme>``: micro counts, scheme in strict, exact, partial, type;
* ``entities.<scheme>.type.<T>``: the scheme run on gold and predicted mentions of type T only
  (nervaluate's per-type counting);
* ``entities.<scheme>.kind.<K>``: the micro matching's outcomes attributed to a mention kind:
  a pair (COR, INC or PAR) and a MIS count for the *gold* mention's kind, a SPU for the
  predicted mention's kind (ACE practice: recall by gold kind stays meaningful for systems that do
  not predict kinds);
* ``entities.bio`` and ``entities.bio.type.<T>``: CoNLL chunk counts on the BIO view.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsevents.evaluate import bio
from newsevents.evaluate.counts import Counts, Tally, add_tally
from newsevents.evaluate.matching import SCHEMES, Match, Mention, match_mentions, sort_spans
from newsevents.records import Document


def mentions_of(doc: Document) -> list[Mention]:
    return sort_spans((m.start, m.end, m.type, m.kind) for m in doc.entity_mentions)


def _kind_counts(gold: Sequence[Mention], pred: Sequence[Mention], m: Match) -> dict[str, list[int]]:
    per: dict[str, list[int]] = {}

    def bump(kind: str, slot: int) -> None:
        per.setdefault(kind, [0, 0, 0, 0, 0])[slot] += 1

    for slot, pairs in ((0, m.cor), (1, m.inc), (2, m.par)):
        for i, _ in pairs:
            bump(gold[i][3], slot)
    for i in m.mis:
        bump(gold[i][3], 3)
    for j in m.spu:
        bump(pred[j][3], 4)
    return per


def score_mentions(
    gold: Sequence[Mention], pred: Sequence[Mention], *, kinds: bool = True
) -> tuple[Tally, dict[str, Match]]:
    """Tally of the four schemes for one document's sorted mentions, and the micro matches."""
    tally: Tally = {}
    matches: dict[str, Match] = {}
    by_label: dict[str, tuple[list[Mention], list[Mention]]] = {}
    for side, mentions in ((0, gold), (1, pred)):
        for x in mentions:
            by_label.setdefault(x[2], ([], []))[side].append(x)
    for scheme in SCHEMES:
        m = match_mentions(gold, pred, scheme)
        matches[scheme] = m
        tally[f"entities.{scheme}"] = m.counts()
        for label, (g, p) in sorted(by_label.items()):
            tally[f"entities.{scheme}.type.{label}"] = match_mentions(g, p, scheme).counts()
        if kinds:
            for kind, c in _kind_counts(gold, pred, m).items():
                tally[f"entities.{scheme}.kind.{kind}"] = Counts(*c)
    return tally, matches


def score_document(gold: Document, pred: Document) -> tuple[Tally, dict[str, Match], dict[str, int]]:
    """Entity tally of one document pair, the micro matches, and BIO-view dropped counts."""
    g, p = mentions_of(gold), mentions_of(pred)
    tally, matches = score_mentions(g, p)
    g_kept, g_drop = bio.flatten(bio.token_ranges(gold.text, g))
    p_kept, p_drop = bio.flatten(bio.token_ranges(pred.text, p))
    add_tally(tally, bio.score_chunks([r[:3] for r in g_kept], [r[:3] for r in p_kept], "entities.bio"))
    return tally, matches, {"dropped_gold": g_drop, "dropped_pred": p_drop}
