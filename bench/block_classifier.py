"""Clean: does a learned block classifier beat the text cleaner's rules? Grouped cross-validation.

An experiment, not part of the cleaner. For each text renderer of a cleaning evaluation set (e.g.
``../shared/cleaning-dev/``; files are read where they are, nothing is copied), every page is split
into blocks and the cleaner's passes (``textclean.PASSES``) run over them, so each block carries the
rules' verdict, region weight and keep/drop decision. Each block gets a label from the gold body and
a small row of numeric features; a scikit-learn classifier learns article vs boilerplate.

Labels: a block is *article* when it has at least one word token (casefolded ``\\w+``) and at least
``LABEL_SHARE`` of its units occur in the gold body; otherwise *boilerplate*. ``--labels set``: the
units are its tokens, looked up in the gold body's token set. ``--labels ngram`` (default): the
units are its token trigrams (bigrams or the token for blocks of two or one token), looked up in the
gold body's trigrams; with token sets a repeated headline, a caption or a teaser on the article's
subject counts as article because its words are the article's words. The *oracle* line keeps exactly
the article-labelled blocks: what block selection reaches when it predicts these labels perfectly.

Features (``FEATURES``, one row per block): size (words, characters, lines); shape (punctuation,
digit and capitalised-word shares, sentence end, function-word share with ``page_stopwords``, link
markers, bullet/heading/image); place (relative position, repetitions of the same text on the
page); the rules' view (verdict class one-hot, reason set, barrier, list item, forced keep, inside
the region, distance to the region, region weight ``page.weights[i]``, kept by ``assemble``,
headline); neighbours (previous/next block's words, class and kept flag).

Training weights: each block weighs its token count, normalised so that every page weighs the same
in total (the measure is bag-of-words F1 averaged over pages); mean weight 1. Fixed beforehand.

Models (fixed settings, nothing tuned): ``hgb`` = ``HistGradientBoostingClassifier`` (200
iterations, no early stopping, random_state 0), ``logreg`` = standardised ``LogisticRegression``.

Evaluation: the pages are split into ``k`` folds by site with ``cv_clean.grouped_folds`` (all pages
of a site in one fold). For each fold the model is fit on the other folds' blocks and predicts the
held-out fold's blocks. Texts compared, per held-out page:

- *rules*: ``clean_page`` as it is (the figure ``cv_clean.py`` reports);
- *model*: the rules' headline (``page.title_idx``) then the blocks with P(article) >= 0.5 in page
  order, joined by blank lines;
- *hybrid*: the rules' headline then the blocks ``assemble`` kept, less those with P < 0.1, plus
  those with P > 0.9 (the rules stand where the model is not confident).

As in ``cv_clean.py`` a leading headline equal to the title is not scored (without a headline the
first paragraph stands as title, as in ``clean_page``). Per renderer: held-out mean F1 of the folds
± standard deviation, per-fold figures, the per-fold difference to the rules, and pages won by more
than 0.05; then the in-sample figure (fit on all pages, scored on the same pages) for contrast.

Usage:
    python bench/block_classifier.py ../shared/cleaning-dev [--renderers blocks,w3m,lynx,html2text]
        [--folds 5] [--models hgb,logreg] [--labels ngram|set] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from cv_clean import grouped_folds, load_scorer, read_gold, read_inputs, site
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from newsevents.clean import clean_page, textclean
from newsevents.clean.blocks import Block, segment
from newsevents.clean.corpus import resolve_profile
from newsevents.clean.normalize import decode, split_lines

TEXT_RENDERERS = ("blocks", "w3m", "lynx", "html2text")
LABEL_SHARE = 0.8  # share of a block's tokens in the gold body for an "article" label
KEEP_AT = 0.5  # model: P(article) from which a block is kept
SURE_KEEP = 0.9  # hybrid: the model adds a block the rules dropped above this
SURE_DROP = 0.1  # hybrid: the model drops a block the rules kept below this
WIN_MARGIN = 0.05  # a page is won when its F1 is higher by more than this
RANDOM_STATE = 0

_TOKEN = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?。！？][\"'”’)\]»]*$")  # noqa: RUF001 - typographic quotes on purpose
_LINKISH = re.compile(r"https?://|www\.|[\[\]|»›@]|\s>\s")  # noqa: RUF001 - typographic quote on purpose
CLASSES = (textclean.GOOD, textclean.NEAR, textclean.SHORT, textclean.BAD)
CLASS_CODE = {textclean.BAD: 0.0, textclean.SHORT: 1.0, textclean.NEAR: 2.0, textclean.GOOD: 3.0}
FEATURES = (
    "words",
    "chars",
    "lines",
    "punct_share",
    "digit_share",
    "capital_share",
    "stop_share",
    "sentence_end",
    "link_marks",
    "bullet",
    "heading",
    "image",
    "position",
    "repeats",
    *(f"cls_{c}" for c in CLASSES),
    "reason",
    "barrier",
    "list_item",
    "forced_keep",
    "in_region",
    "region_distance",
    "weight",
    "kept",
    "headline",
    "prev_words",
    "prev_cls",
    "prev_kept",
    "next_words",
    "next_cls",
    "next_kept",
)


@dataclass(slots=True)
class PageData:
    """One rendering of one page: its blocks as the rules left them, features, labels, texts."""

    doc_id: str
    texts: list[str]
    title_idx: int | None
    x: np.ndarray  # blocks x FEATURES
    y: np.ndarray  # 1 = article
    weight: np.ndarray  # training weight per block
    kept: np.ndarray  # bool: kept by the rules' assemble
    rules_text: str  # clean_page's document text
    rules_title: str


def tokens(text: str) -> list[str]:
    return [t.casefold() for t in _TOKEN.findall(text)]


def grams(toks: list[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)]


def label_blocks(texts: list[str], gold_body: str, kind: str) -> np.ndarray:
    """1 for an article block, 0 for boilerplate (see the module docstring)."""
    gold = tokens(gold_body)
    vocab = {n: set(grams(gold, n)) for n in (1, 2, 3)}
    out = np.zeros(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        toks = tokens(text)
        if not toks:
            continue
        units = grams(toks, 1 if kind == "set" else min(3, len(toks)))
        if sum(1 for u in units if u in vocab[len(u)]) >= LABEL_SHARE * len(units):
            out[i] = 1
    return out


def shape_features(b: Block, stopwords: frozenset[str]) -> list[float]:
    text = b.text
    toks = _TOKEN.findall(text)
    visible = [c for c in text if not c.isspace()] or [" "]
    alpha = [t for t in toks if t[:1].isalpha()]
    return [
        float(textclean.count_words(text)),
        float(len(text)),
        float(len(b.lines)),
        sum(1 for c in visible if unicodedata.category(c).startswith("P")) / len(visible),
        sum(1 for c in visible if c.isdigit()) / len(visible),
        sum(1 for t in alpha if t[:1].isupper()) / len(alpha) if alpha else 0.0,
        sum(1 for t in toks if t.casefold() in stopwords) / len(toks) if toks else 0.0,
        float(bool(_SENTENCE_END.search(text))),
        float(len(_LINKISH.findall(text))),
        float(b.bullet),
        float(b.heading),
        float(b.image),
    ]


def block_features(page: textclean.Page, kept: np.ndarray) -> np.ndarray:
    blocks, verdicts = page.blocks, page.verdicts
    n = len(blocks)
    stopwords = textclean.page_stopwords(blocks)
    seen = Counter(" ".join(b.text.casefold().split()) for b in blocks)
    rows = []
    for i, (b, v) in enumerate(zip(blocks, verdicts, strict=True)):
        inside = page.start <= i <= page.end
        distance = 0 if inside or page.end < page.start else min(abs(i - page.start), abs(i - page.end))
        row = shape_features(b, stopwords)
        row += [
            i / (n - 1) if n > 1 else 0.0,
            float(seen[" ".join(b.text.casefold().split())] - 1),
            *(float(v.cls == c) for c in CLASSES),
            float(bool(v.reason)),
            float(v.barrier),
            float(v.list_item),
            float(v.forced_keep),
            float(inside),
            float(min(distance, 100)),
            float(page.weights[i]),
            float(kept[i]),
            float(i == page.title_idx),
        ]
        for j in (i - 1, i + 1):
            if 0 <= j < n:
                row += [float(verdicts[j].words), CLASS_CODE[verdicts[j].cls], float(kept[j])]
            else:
                row += [0.0, -1.0, 0.0]
        rows.append(row)
    return np.asarray(rows, dtype=np.float64).reshape(n, len(FEATURES))


def prepare(doc_id: str, name: str, raw: bytes, gold_body: str, labels: str) -> PageData | None:
    """The rules' passes over one rendering, as ``clean_page`` runs them; ``None`` when the page
    gives no blocks (the rules' own text is still scored in that case)."""
    profile, _ = resolve_profile(None, raw)
    doc = clean_page(raw, name=name, profile=profile).document
    rules_text, rules_title = (doc.text, doc.title) if doc else ("", "")
    decoded = decode(raw, name=name, doc_id=doc_id)
    if decoded.text is None or (profile is not None and profile.keep_all):
        return None
    page = textclean.Page(segment(split_lines(decoded.text)), profile=profile, name=name, doc_id=doc_id)
    for run in textclean.PASSES:
        page = run(page)
    if not page.blocks:
        return None
    outcome = textclean.assemble(page)
    by_first = {b.first: i for i, b in enumerate(page.blocks)}
    kept = np.zeros(len(page.blocks), dtype=bool)
    for p in outcome.paragraphs:
        kept[by_first[p.first]] = True
    texts = [b.text for b in page.blocks]
    y = label_blocks(texts, gold_body, labels)
    size = np.asarray([max(len(_TOKEN.findall(t)), 1) for t in texts], dtype=np.float64)
    return PageData(
        doc_id=doc_id,
        texts=texts,
        title_idx=page.title_idx,
        x=block_features(page, kept),
        y=y,
        weight=size / size.sum(),  # scaled to mean 1 over the training blocks in fit()
        kept=kept,
        rules_text=rules_text,
        rules_title=rules_title,
    )


def selected_text(page: PageData, keep: np.ndarray) -> tuple[str, str]:
    """(title, text): the rules' headline first, then the kept blocks in page order; without a
    headline the first paragraph stands as title, as in ``clean_page``."""
    parts = [page.texts[i] for i in np.flatnonzero(keep) if i != page.title_idx]
    if page.title_idx is not None:
        title = page.texts[page.title_idx]
        parts.insert(0, title)
    else:
        title = parts[0] if parts else ""
    return title, "\n\n".join(parts)


def page_f1(scorer: ModuleType, gold_body: str, title: str, text: str) -> float:
    if title and text.startswith(title):
        text = text[len(title) :]
    return scorer.prf(gold_body, text)[2]


def make_model(kind: str) -> Any:
    if kind == "hgb":
        return HistGradientBoostingClassifier(max_iter=200, early_stopping=False, random_state=RANDOM_STATE)
    if kind == "logreg":
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, random_state=RANDOM_STATE))
    raise SystemExit(f"block_classifier: unknown model {kind!r}")


def fit(kind: str, pages: list[PageData]) -> Any:
    x = np.vstack([p.x for p in pages])
    y = np.concatenate([p.y for p in pages])
    w = np.concatenate([p.weight for p in pages])
    w *= len(w) / w.sum()
    model = make_model(kind)
    step = "logisticregression__sample_weight" if kind == "logreg" else "sample_weight"
    model.fit(x, y, **{step: w})
    return model


def proba(model: Any, page: PageData) -> np.ndarray:
    return model.predict_proba(page.x)[:, 1]


def score_page(scorer: ModuleType, page: PageData, gold_body: str, p: np.ndarray | None) -> dict[str, float]:
    out = {
        "rules": page_f1(scorer, gold_body, page.rules_title, page.rules_text),
        "oracle": page_f1(scorer, gold_body, *selected_text(page, page.y == 1)),
    }
    if p is not None:
        out["model"] = page_f1(scorer, gold_body, *selected_text(page, p >= KEEP_AT))
        out["hybrid"] = page_f1(
            scorer, gold_body, *selected_text(page, (page.kept & (p >= SURE_DROP)) | (p > SURE_KEEP))
        )
    return out


def rules_f1(scorer: ModuleType, name: str, raw: bytes, gold_body: str) -> float:
    profile, _ = resolve_profile(None, raw)
    doc = clean_page(raw, name=name, profile=profile).document
    return page_f1(scorer, gold_body, doc.title, doc.text) if doc else 0.0


def sd(values: list[float]) -> float:
    return statistics.stdev(values) if len(values) > 1 else 0.0


def summarise(per_page: dict[str, dict[str, float]], folds: list[list[str]], systems: list[str]) -> dict[str, Any]:
    fold_means = {s: [statistics.mean(per_page[d][s] for d in f) for f in folds if f] for s in systems}
    out: dict[str, Any] = {}
    for s in systems:
        row: dict[str, Any] = {
            "cv_mean": round(statistics.mean(fold_means[s]), 4),
            "cv_sd": round(sd(fold_means[s]), 4),
            "folds": [round(v, 4) for v in fold_means[s]],
        }
        if s != "rules":
            diffs = [a - b for a, b in zip(fold_means[s], fold_means["rules"], strict=True)]
            row["diff_mean"] = round(statistics.mean(diffs), 4)
            row["diff_sd"] = round(sd(diffs), 4)
            row["diff_folds"] = [round(v, 4) for v in diffs]
            row["pages_won"] = sum(1 for v in per_page.values() if v[s] > v["rules"] + WIN_MARGIN)
            row["pages_lost"] = sum(1 for v in per_page.values() if v[s] < v["rules"] - WIN_MARGIN)
        out[s] = row
    return out


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_renderer(
    renderer: str,
    set_dir: Path,
    *,
    gold: dict[str, str],
    folds: list[list[str]],
    models: list[str],
    scorer: ModuleType,
    labels: str,
) -> dict[str, Any]:
    started = time.perf_counter()
    pages = read_inputs(set_dir / renderer, set(gold))
    data = {d: prepare(d, name, raw, gold[d], labels) for d, (name, raw) in pages.items()}
    usable = {d: p for d, p in data.items() if p is not None}
    folds = [[d for d in f if d in pages] for f in folds]
    blocks = sum(len(p.texts) for p in usable.values())
    article = sum(int(p.y.sum()) for p in usable.values())
    log(f"{renderer}: {len(pages)} pages, {blocks} blocks ({article} article) in {time.perf_counter() - started:.0f}s")
    result: dict[str, Any] = {"pages": len(pages), "blocks": blocks, "article_blocks": article, "models": {}}
    for kind in models:
        held: dict[str, dict[str, float]] = {}
        for k, fold in enumerate(folds):
            train = [usable[d] for j, f in enumerate(folds) if j != k for d in f if d in usable]
            model = fit(kind, train)
            for d in fold:
                p = usable.get(d)
                if p is None:  # no blocks to classify (not in the dev set): every system is the rules' text
                    f1 = rules_f1(scorer, *pages[d], gold[d])
                    held[d] = {"rules": f1, "oracle": f1, "model": f1, "hybrid": f1}
                    continue
                held[d] = score_page(scorer, p, gold[d], proba(model, p))
            log(f"{renderer} {kind}: fold {k + 1}/{len(folds)} done ({time.perf_counter() - started:.0f}s)")
        model = fit(kind, list(usable.values()))
        insample = {d: score_page(scorer, p, gold[d], proba(model, p)) for d, p in usable.items()}
        systems = ["rules", "model", "hybrid", "oracle"]
        result["models"][kind] = {
            "held_out": summarise(held, folds, systems),
            "in_sample": {s: round(statistics.mean(v[s] for v in insample.values()), 4) for s in systems},
        }
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def print_table(report: dict[str, Any], out: Callable[[str], None] = print) -> None:
    out(
        f"folds of {', '.join(str(n) for n in report['folds'])} pages, grouped by site;"
        f" labels: {report['settings']['labels']}\n"
    )
    out(
        "| renderer | system | held-out F1 mean ± sd | per fold | Δ vs rules per fold: mean ± sd (folds)"
        " | pages won/lost by >0.05 | in-sample F1 |"
    )
    out("|---|---|---|---|---|---|---|")
    for renderer, r in report["renderers"].items():
        for n, (kind, m) in enumerate(r["models"].items()):
            for system, row in m["held_out"].items():
                if system in ("rules", "oracle") and n:
                    continue  # the same for every model
                name = f"{kind} {system}" if system in ("model", "hybrid") else system
                folds = " ".join(f"{v:.3f}" for v in row["folds"])
                diff = (
                    f"{row['diff_mean']:+.3f} ± {row['diff_sd']:.3f} ({' '.join(f'{v:+.3f}' for v in row['diff_folds'])})"
                    if "diff_mean" in row
                    else ""
                )
                won = f"{row['pages_won']}/{row['pages_lost']}" if "pages_won" in row else ""
                out(
                    f"| {renderer} | {name} | {row['cv_mean']:.3f} ± {row['cv_sd']:.3f} | {folds} | {diff}"
                    f" | {won} | {m['in_sample'][system]:.3f} |"
                )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("set_dir", type=Path)
    ap.add_argument("--renderers", default=",".join(TEXT_RENDERERS))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--models", default="hgb,logreg", help="comma-separated: hgb, logreg")
    ap.add_argument("--labels", choices=("ngram", "set"), default="ngram", help="how gold labels blocks")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--limit", type=int, default=0, help="only the first N pages by id (a quick smoke run)")
    args = ap.parse_args(argv)
    scorer = load_scorer(args.set_dir)
    gold_rows = read_gold(args.set_dir, args.limit)
    gold = {r["id"]: r["body"] for r in gold_rows}
    folds = grouped_folds({r["id"]: site(r.get("url", r["id"])) for r in gold_rows}, args.folds)
    report: dict[str, Any] = {
        "set": str(args.set_dir.resolve()),
        "folds": [len(f) for f in folds],
        "settings": {
            "labels": args.labels,
            "label_share": LABEL_SHARE,
            "keep_at": KEEP_AT,
            "sure_keep": SURE_KEEP,
            "sure_drop": SURE_DROP,
            "win_margin": WIN_MARGIN,
            "features": list(FEATURES),
        },
        "renderers": {},
    }
    models = [m for m in args.models.split(",") if m]
    for renderer in args.renderers.split(","):
        if not (args.set_dir / renderer).is_dir():
            log(f"{renderer}: no folder, skipped")
            continue
        report["renderers"][renderer] = run_renderer(
            renderer, args.set_dir, gold=gold, folds=folds, models=models, scorer=scorer, labels=args.labels
        )
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        print_table(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
