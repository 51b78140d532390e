"""Evaluate: documents/s against seqeval (same BIO data) and nervaluate (same spans).

In one run, over the gold and predicted records of a generated corpus (``gold/`` and ``pred/``,
``bench/generate.py --pred``):

- ``load_pair``: read, validate (level 2) and align gold and predictions (what the CLI does first);
- ``evaluate_documents``: every score (entities strict/exact/partial/type/BIO per type and kind,
  events Trig/Arg/+ per type and role, confusions, error listing), without and with the
  1000-resample document bootstrap;
- BIO chunk scoring like for like: ``bio.score_tags`` against seqeval's ``classification_report``
  (``mode="strict", scheme=IOB2``, the same reading; and seqeval's default lenient mode) on the
  same tag sequences, one per document. Target: at least 10x seqeval;
- span scoring like for like: ``score_mentions`` (strict, exact, partial, type; overall and per
  type) against nervaluate's ``Evaluator`` on the same spans (its ends inclusive).

Usage:
    python bench/generate.py --n 10000 --out /tmp/ne-bench/10k --pred
    python bench/bench_evaluate.py /tmp/ne-bench/10k [--json] [--limit N]
"""

from __future__ import annotations

import sys
from pathlib import Path

from benchlib import Row, json_files, parser, report, timed
from nervaluate import Evaluator
from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from newsevents.evaluate import bio, evaluate_documents
from newsevents.evaluate.counts import sum_tallies
from newsevents.evaluate.entities import mentions_of, score_mentions
from newsevents.evaluate.load import load_pair

TARGET = 10.0  # at least 10x seqeval


def run(corpus: Path, *, limit: int | None, bootstrap: int, repeat: int) -> tuple[list[Row], dict[str, object]]:
    gold_files = json_files(corpus / "gold", limit)
    pred_files = json_files(corpus / "pred", limit)
    if not gold_files or len(gold_files) != len(pred_files):
        raise SystemExit(
            f"bench_evaluate: need gold/ and pred/ with the same files under {corpus} (generate.py --pred)"
        )
    t_load, pair = timed(lambda: load_pair(gold_files, pred_files))
    if not pair.ok:
        raise SystemExit(f"bench_evaluate: loading found errors: {pair.findings[:3]}")
    gold, pred = pair.gold, pair.pred
    n = len(gold)
    rows = [Row("load_pair (read + validate L2 + align)", n, t_load, note="gold and predictions")]

    t_eval0, res = timed(lambda: evaluate_documents(gold, pred, bootstrap_n=0))
    t_eval, _ = timed(lambda: evaluate_documents(gold, pred, bootstrap_n=bootstrap))

    # The same BIO data for both scorers: one IOB2 sequence per document.
    t_tags, tagged = timed(
        lambda: [
            (bio.tags(g.text, mentions_of(g))[0], bio.tags(p.text, mentions_of(p))[0])
            for g, p in zip(gold, pred, strict=True)
        ]
    )
    y_true = [t for t, _ in tagged]
    y_pred = [p for _, p in tagged]
    t_ours_bio, ours = timed(lambda: bio.score_tags(y_true, y_pred), repeat)
    t_seq, ref = timed(
        lambda: classification_report(y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0),
        repeat,
    )
    t_seq_default, _ = timed(lambda: classification_report(y_true, y_pred, output_dict=True, zero_division=0), repeat)
    if abs((ours["micro"].f1 or 0.0) - ref["micro avg"]["f1-score"]) > 1e-9:
        raise SystemExit("bench_evaluate: score_tags and seqeval disagree; the comparison is not like for like")
    bio_ratio = t_seq / t_ours_bio
    rows.append(
        Row("BIO view (tokenize + tag, both sides)", n, t_tags, note="input of the two rows below, not timed in them")
    )
    rows.append(Row("reference: seqeval classification_report strict IOB2", n, t_seq))
    rows.append(Row("reference: seqeval classification_report default mode", n, t_seq_default))
    rows.append(
        Row(
            "bio.score_tags (same tags)",
            n,
            t_ours_bio,
            ratio=bio_ratio,
            reference="seqeval strict (x faster)",
            target=f">= {TARGET:g}x seqeval",
            met=bio_ratio >= TARGET,
        )
    )

    # The same spans for both span scorers.
    spans_g = [mentions_of(g) for g in gold]
    spans_p = [mentions_of(p) for p in pred]
    labels = sorted({m[2] for doc in spans_g + spans_p for m in doc})
    nv_true = [[{"label": m[2], "start": m[0], "end": m[1] - 1} for m in doc] for doc in spans_g]
    nv_pred = [[{"label": m[2], "start": m[0], "end": m[1] - 1} for m in doc] for doc in spans_p]
    t_nv, _ = timed(lambda: Evaluator(nv_true, nv_pred, tags=labels, loader="default").evaluate(), repeat)
    t_sm, tally = timed(
        lambda: sum_tallies(score_mentions(g, p, kinds=False)[0] for g, p in zip(spans_g, spans_p, strict=True)), repeat
    )
    rows.append(Row("reference: nervaluate Evaluator (4 schemes, per type)", n, t_nv))
    rows.append(
        Row(
            "score_mentions (4 schemes, per type; same spans)",
            n,
            t_sm,
            ratio=t_nv / t_sm,
            reference="nervaluate (x faster)",
        )
    )

    rows.append(
        Row(
            "evaluate_documents, no bootstrap (every metric)",
            n,
            t_eval0,
            ratio=t_seq / t_eval0,
            reference="seqeval strict (x faster)",
            target=f">= {TARGET:g}x seqeval",
            met=t_seq / t_eval0 >= TARGET,
            note="all entity and event metrics, confusions and error list vs seqeval's BIO chunks alone",
        )
    )
    rows.append(
        Row(
            f"evaluate_documents, bootstrap {bootstrap}",
            n,
            t_eval,
            ratio=t_seq / t_eval,
            reference="seqeval strict (x faster)",
        )
    )
    info: dict[str, object] = {
        "corpus": str(corpus),
        "documents": n,
        "tokens_per_document": round(sum(len(t) for t in y_true) / n, 1),
        "gold_mentions": sum(len(d) for d in spans_g),
        "pred_mentions": sum(len(d) for d in spans_p),
        "entities.strict.f1": round(res["metrics"]["entities.strict"]["f1"], 4),
        "entities.strict.f1 (score_mentions)": round(tally["entities.strict"].f1 or 0.0, 4),
        "bio micro f1 (ours = seqeval)": round(ref["micro avg"]["f1-score"], 4),
    }
    return rows, info


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.split("\n\n")[0])
    p.add_argument("corpus", type=Path, help="generated corpus folder with gold/ and pred/")
    p.add_argument("--limit", type=int, default=None, help="use the first N documents only")
    p.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples for the full row (default 1000)")
    p.add_argument("--repeat", type=int, default=3, help="best of N runs for the scorer rows (default 3)")
    args = p.parse_args(argv)
    rows, info = run(args.corpus, limit=args.limit, bootstrap=args.bootstrap, repeat=args.repeat)
    report("evaluate", rows, as_json=args.json, info=info)
    return 0


if __name__ == "__main__":
    sys.exit(main())
