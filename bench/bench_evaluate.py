"""Evaluate: documents/s against seqeval (same BIO data) and nervaluate (same spans).

In one run, over the gold and predicted records of a generated corpus (``gold/`` and ``pred/``,
``bench/generate.py --pred``):

- ``evaluate_paths``: the whole evaluation as ``newsevents evaluate`` runs it, streaming from the
  files (read, validate level 2, align, score every metric, confusions, bounded error listing),
  without and with the 1000-resample document bootstrap; against seqeval on the same documents;
- ``load_pair``: read, validate and align into ``Document`` lists (the input of the next rows);
- ``evaluate_documents``: the whole evaluation in memory (every score, confusions, error listing of
  1000), without and with the bootstrap. Target: at least 10x seqeval;
- BIO chunk scoring like for like: ``bio.score_tags`` against seqeval's ``classification_report``
  (``mode="strict", scheme=IOB2``, the same reading; and seqeval's default lenient mode) on the
  same tag sequences, one per document;
- span scoring like for like: ``score_mentions`` (strict, exact, partial, type; overall and per
  type) against nervaluate's ``Evaluator`` on the same spans (its ends inclusive).

``--profile`` adds a cProfile of ``evaluate_documents`` on the first 500 documents.

Usage:
    python bench/generate.py --n 10000 --out /tmp/ne-bench/g10k --pred
    python bench/bench_evaluate.py /tmp/ne-bench/g10k [--json] [--limit N] [--profile]
"""

from __future__ import annotations

import cProfile
import io
import pstats
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
from newsevents.evaluate.stream import evaluate_paths

TARGET = 10.0  # at least 10x seqeval


def run(
    corpus: Path, *, limit: int | None, bootstrap: int, repeat: int, profile: bool = False
) -> tuple[list[Row], dict[str, object]]:
    gold_files = json_files(corpus / "gold", limit)
    pred_files = json_files(corpus / "pred", limit)
    if not gold_files or len(gold_files) != len(pred_files):
        raise SystemExit(
            f"bench_evaluate: need gold/ and pred/ with the same files under {corpus} (generate.py --pred)"
        )
    t_stream0, streamed = timed(lambda: evaluate_paths(gold_files, pred_files, bootstrap_n=0))
    t_stream, _ = timed(lambda: evaluate_paths(gold_files, pred_files, bootstrap_n=bootstrap))
    if streamed.result is None:
        raise SystemExit(f"bench_evaluate: evaluate_paths found errors: {streamed.findings[:3]}")
    t_load, pair = timed(lambda: load_pair(gold_files, pred_files))
    if not pair.ok:
        raise SystemExit(f"bench_evaluate: loading found errors: {pair.findings[:3]}")
    gold, pred = pair.gold, pair.pred
    n = len(gold)
    rows = [
        Row(
            "load_pair (read + validate L2 + align)",
            n,
            t_load,
            note="gold and predictions, input of the in-memory rows",
        )
    ]

    t_eval0, res = timed(lambda: evaluate_documents(gold, pred, bootstrap_n=0), repeat)
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

    for name, t in (
        ("evaluate_paths end to end from files (read + validate L2 + score), no bootstrap", t_stream0),
        (f"evaluate_paths end to end from files, bootstrap {bootstrap}", t_stream),
        ("evaluate_documents in memory, no bootstrap (every metric)", t_eval0),
        (f"evaluate_documents in memory, bootstrap {bootstrap}", t_eval),
    ):
        target = "in memory" in name and "no bootstrap" in name
        rows.append(
            Row(
                name,
                n,
                t,
                ratio=t_seq / t,
                reference="seqeval strict (x faster)",
                target=f">= {TARGET:g}x seqeval" if target else None,
                met=t_seq / t >= TARGET if target else None,
                note="all entity and event metrics, confusions, error counts and a listing of 1000 errors"
                if target
                else "",
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
        "streamed result equals in-memory result (bootstrap off)": streamed.result["metrics"] == res["metrics"],
        "errors (total, listed)": [res["error_counts"]["total"], res["error_counts"]["listed"]],
        "ms_per_doc": {
            "evaluate_paths end to end": round(1000 * t_stream0 / n, 3),
            "load_pair": round(1000 * t_load / n, 3),
            "evaluate_documents in memory": round(1000 * t_eval0 / n, 3),
            "seqeval strict (BIO chunks only)": round(1000 * t_seq / n, 3),
        },
    }
    if profile:
        prof = cProfile.Profile()
        prof.enable()
        evaluate_documents(gold[:500], pred[:500], bootstrap_n=0)
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(20)
        info["profile_evaluate_documents_tottime_top20"] = "\n" + out.getvalue()
    return rows, info


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.split("\n\n")[0])
    p.add_argument("corpus", type=Path, help="generated corpus folder with gold/ and pred/")
    p.add_argument("--limit", type=int, default=None, help="use the first N documents only")
    p.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples for the full row (default 1000)")
    p.add_argument("--repeat", type=int, default=3, help="best of N runs for the scorer rows (default 3)")
    p.add_argument("--profile", action="store_true", help="add a cProfile of evaluate_documents (first 500 docs)")
    args = p.parse_args(argv)
    rows, info = run(args.corpus, limit=args.limit, bootstrap=args.bootstrap, repeat=args.repeat, profile=args.profile)
    report("evaluate", rows, as_json=args.json, info=info)
    return 0


if __name__ == "__main__":
    sys.exit(main())
