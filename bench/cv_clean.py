"""Clean: grouped k-fold cross-validation of the cleaner, per renderer and for HTML.

The development pages measure the cleaner, and the same pages were used to write its rules, so the
figure on all pages is an in-sample one. This script gives the held-out figure beside it: the pages
are split into ``k`` folds by site (the host of the gold URL, ``www.`` removed), so the pages of one
site are never on both sides. For each fold, every candidate setting is scored on the other folds,
the best one is chosen there, and its score on the held-out fold is that fold's figure. The line
printed per renderer is the mean of the held-out folds ± their standard deviation (and the range),
beside the all-pages figure of the default setting.

Without ``--grid`` the only candidate is the cleaner as it is, so nothing is tuned and the held-out
figures show how much the score varies between groups of sites. ``--grid NAME=V1,V2 ...`` adds
candidate values of module constants of ``newsevents.clean.textclean`` (every combination), so a
change of constants is chosen by the held-out figure, not the in-sample one.

Measure: the scorer's own ``prf`` (bag-of-words P/R/F1 per page, macro-averaged) loaded from
``score_clean.py`` in the set folder (nothing from the set is copied here); a leading headline equal
to ``title`` is not scored, as in the scorer. Titles: exact match after whitespace normalisation
against ``titles.jsonl``. Dates: the reference is the date the page's markup states, read by
htmldate with trafilatura's settings (original date, no extensive search) from ``html/``; for HTML
input this is the cleaner's own source, so only coverage says something there.

Usage:
    python bench/cv_clean.py ../shared/cleaning-dev [--renderers blocks,w3m,lynx,html2text,html]
        [--folds 5] [--grid START_BONUS=20,30,40] [--json] [--worst N]
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import itertools
import json
import statistics
import sys
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from newsevents.clean import clean_page, textclean
from newsevents.clean.corpus import resolve_profile

RENDERERS = ("blocks", "w3m", "lynx", "html2text", "html")


@dataclass(frozen=True, slots=True)
class PageScore:
    f1: float
    precision: float
    recall: float
    title_exact: bool | None  # None: no gold title
    date_found: bool
    date_right: bool | None  # None: no reference date


def load_scorer(set_dir: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_clean", set_dir / "score_clean.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"cv_clean: no score_clean.py in {set_dir}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_gold(set_dir: Path, limit: int = 0) -> list[dict[str, Any]]:
    """The set's gold rows by id; with ``limit``, the first ``limit`` of them (a quick run)."""
    rows = sorted(read_jsonl(set_dir / "gold.jsonl"), key=lambda r: str(r["id"]))
    return rows[:limit] if limit else rows


def site(url: str) -> str:
    host = urllib.parse.urlparse(url or "").hostname or url
    return host.removeprefix("www.")


def grouped_folds(groups: dict[str, str], k: int) -> list[list[str]]:
    """Page ids in ``k`` folds; all pages of a group in one fold (largest groups placed first, each
    into the fold with the fewest pages, as scikit-learn's ``GroupKFold`` does)."""
    members: dict[str, list[str]] = {}
    for page, group in sorted(groups.items()):
        members.setdefault(group, []).append(page)
    folds: list[list[str]] = [[] for _ in range(k)]
    for group in sorted(members, key=lambda g: (-len(members[g]), g)):
        smallest = min(range(k), key=lambda i: (len(folds[i]), i))
        folds[smallest].extend(members[group])
    return folds


def reference_dates(set_dir: Path, ids: list[str]) -> dict[str, str]:
    """The date each page's markup states (htmldate, original date, no extensive search)."""
    from htmldate import find_date  # noqa: PLC0415 - only the date figures need it

    out = {}
    for doc_id in ids:
        path = set_dir / "html" / f"{doc_id}.html.gz"
        if not path.exists():
            continue
        html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        date = find_date(html, extensive_search=False, original_date=True)
        if date:
            out[doc_id] = date[:10]
    return out


def read_inputs(folder: Path, ids: set[str]) -> dict[str, tuple[str, bytes]]:
    out: dict[str, tuple[str, bytes]] = {}
    for path in sorted(folder.iterdir()):
        doc_id = path.name.split(".", 1)[0]
        if doc_id not in ids:
            continue
        raw, name = path.read_bytes(), path.name
        if name.endswith(".gz"):
            raw, name = gzip.decompress(raw), name[:-3]
        out[doc_id] = (name, raw)
    return out


@contextmanager
def constants(setting: dict[str, float]) -> Iterator[None]:
    """Module constants of the text cleaner set for the duration of one candidate's run."""
    saved = {name: getattr(textclean, name) for name in setting}
    try:
        for name, value in setting.items():
            setattr(textclean, name, type(saved[name])(value))
        yield
    finally:
        for name, value in saved.items():
            setattr(textclean, name, value)


def score_pages(
    scorer: ModuleType,
    pages: dict[str, tuple[str, bytes]],
    gold: dict[str, str],
    titles: dict[str, str],
    dates: dict[str, str],
) -> dict[str, PageScore]:
    out = {}
    for doc_id, (name, raw) in pages.items():
        profile, _ = resolve_profile(None, raw)
        doc = clean_page(raw, name=name, profile=profile).document
        title, text, published = (doc.title, doc.text, doc.published) if doc else ("", "", None)
        if title and text.startswith(title):
            text = text[len(title) :]
        p, r, f = scorer.prf(gold[doc_id], text)
        want = titles.get(doc_id)
        ref = dates.get(doc_id)
        out[doc_id] = PageScore(
            f1=f,
            precision=p,
            recall=r,
            title_exact=None if want is None else scorer.norm_ws(title) == want,
            date_found=published is not None,
            date_right=None if ref is None else published == ref,
        )
    return out


def mean(values: list[float]) -> float:
    return statistics.mean(values) if values else 0.0


def share(values: list[bool | None]) -> float:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else 0.0


def objective(score: PageScore, select: str) -> float:
    if select == "title":  # title exact first, F1 to break ties
        return float(bool(score.title_exact)) + 1e-3 * score.f1
    return score.f1


def cross_validate(
    runs: dict[str, dict[str, PageScore]], folds: list[list[str]], select: str = "f1"
) -> tuple[list[float], list[float], list[str]]:
    """Held-out F1 and title exact per fold: the candidate chosen on the other folds (by ``select``),
    scored on this one."""
    held, held_titles, chosen = [], [], []
    for i, fold in enumerate(folds):
        train = [p for j, f in enumerate(folds) if j != i for p in f]
        best = max(runs, key=lambda c: (mean([objective(runs[c][p], select) for p in train]), c == "default"))
        held.append(mean([runs[best][p].f1 for p in fold]))
        held_titles.append(share([runs[best][p].title_exact for p in fold]))
        chosen.append(best)
    return held, held_titles, chosen


def parse_grid(items: list[str]) -> list[dict[str, float]]:
    axes = []
    for item in items:
        name, _, values = item.partition("=")
        if not hasattr(textclean, name):
            raise SystemExit(f"cv_clean: textclean has no constant {name}")
        axes.append([(name, float(v)) for v in values.split(",")])
    return [dict(combo) for combo in itertools.product(*axes)] if axes else []


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("set_dir", type=Path)
    ap.add_argument("--renderers", default=",".join(RENDERERS))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--grid", nargs="*", default=[], help="NAME=V1,V2 candidate values of textclean constants")
    ap.add_argument("--select", choices=("f1", "title"), default="f1", help="what a fold's candidate is chosen by")
    ap.add_argument("--worst", type=int, default=0, help="list the N worst pages per renderer")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--limit", type=int, default=0, help="only the first N pages by id (a quick smoke run)")
    args = ap.parse_args(argv)
    scorer = load_scorer(args.set_dir)
    gold_rows = read_gold(args.set_dir, args.limit)
    gold = {r["id"]: r["body"] for r in gold_rows}
    titles = {r["id"]: scorer.norm_ws(r["title"]) for r in read_jsonl(args.set_dir / "titles.jsonl") if r.get("title")}
    titles.update({r["id"]: scorer.norm_ws(r["title"]) for r in gold_rows if r.get("title")})
    folds = grouped_folds({r["id"]: site(r.get("url", r["id"])) for r in gold_rows}, args.folds)
    dates = reference_dates(args.set_dir, sorted(gold))
    candidates: dict[str, dict[str, float]] = {"default": {}} | {
        ",".join(f"{k}={v:g}" for k, v in c.items()): c for c in parse_grid(args.grid)
    }
    report: dict[str, Any] = {"set": str(args.set_dir.resolve()), "folds": [len(f) for f in folds], "renderers": {}}
    for renderer in args.renderers.split(","):
        folder = args.set_dir / renderer
        if not folder.is_dir():
            continue
        pages = read_inputs(folder, set(gold))
        runs = {}
        for cname, setting in candidates.items():
            with constants(setting):
                runs[cname] = score_pages(scorer, pages, gold, titles, dates)
        held, held_titles, chosen = cross_validate(runs, [[p for p in f if p in pages] for f in folds], args.select)
        base = runs["default"]
        row: dict[str, Any] = {
            "pages": len(base),
            "precision": round(mean([s.precision for s in base.values()]), 4),
            "recall": round(mean([s.recall for s in base.values()]), 4),
            "f1_all": round(mean([s.f1 for s in base.values()]), 4),
            "f1_cv_mean": round(mean(held), 4),
            "f1_cv_sd": round(statistics.stdev(held), 4) if len(held) > 1 else 0.0,
            "f1_cv_min": round(min(held), 4),
            "f1_cv_max": round(max(held), 4),
            "title_exact": round(share([s.title_exact for s in base.values()]), 4),
            "title_exact_cv": round(mean(held_titles), 4),
            "date_found": round(share([s.date_found for s in base.values()]), 4),
            "date_right": round(share([s.date_right for s in base.values()]), 4),
            "chosen": chosen,
            "below_0_8": sum(1 for s in base.values() if s.f1 < 0.8),
        }
        if args.worst:
            row["worst"] = [(k, round(v.f1, 3)) for k, v in sorted(base.items(), key=lambda kv: kv[1].f1)[: args.worst]]
        report["renderers"][renderer] = row
        if not args.json:
            print(
                f"{renderer:10s} F1 all {row['f1_all']:.3f} (P {row['precision']:.3f} R {row['recall']:.3f})"
                f"  CV {row['f1_cv_mean']:.3f} ± {row['f1_cv_sd']:.3f} [{row['f1_cv_min']:.3f}-{row['f1_cv_max']:.3f}]"
                f"  title exact {100 * row['title_exact']:.0f}%  date found {100 * row['date_found']:.0f}%"
                f" right {100 * row['date_right']:.0f}%  below-0.8 {row['below_0_8']}"
            )
            if len(candidates) > 1:
                print(
                    f"{'':10s} chosen per fold: {', '.join(chosen)}; held-out title exact {100 * row['title_exact_cv']:.0f}%"
                )
            if args.worst:
                print(f"{'':10s} worst: " + ", ".join(f"{k} {v}" for k, v in row["worst"]))
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        print(f"folds of {', '.join(str(len(f)) for f in folds)} pages, grouped by site; {len(dates)} reference dates")
    return 0


if __name__ == "__main__":
    sys.exit(main())
