"""Clean: pages/s for text and HTML input against trafilatura alone, with the quality score beside.

In one run over a cleaning evaluation set (``gold.jsonl`` plus one folder per renderer, e.g.
``../shared/cleaning-dev/``; the files are read where they are, never copied):

- for each text renderer folder (``blocks``, ``w3m``, ``lynx``, ``html2text``) and for ``html``:
  the clean stage's pure function (profile resolution + ``clean_page``) on the page bytes already
  in memory, pages/s, and the set's bag-of-words F1 against the gold bodies (the scorer's own
  ``prf`` from ``score_clean.py``, loaded from the set folder);
- the reference a user would pick for HTML, ``trafilatura.extract`` alone on the same pages, with
  its default settings and with ``favor_precision=True``, pages/s and F1. The ratio is
  newsevents' pages/s over trafilatura's (the cleaner runs trafilatura and then its own rules, so
  below 1 is expected; the rules' cost is what the ratio shows). The ratio is given twice: from the
  separate timed runs above, and from a run that alternates the two page by page (CPU time), which
  a shared machine's changing speed disturbs least; issue #14's target (0.8) is on the second.
  Who goes first on a page alternates too (``--order`` fixes it, to show what the order does).

Usage:
    python bench/bench_clean.py ../shared/cleaning-dev [--json] [--limit N] [--repeat N] [--order ORDER]
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from statistics import mean
from types import ModuleType

from benchlib import Row, parser, report, timed

from newsevents.clean import clean_page
from newsevents.clean.corpus import resolve_profile

TARGET_RATIO = 0.8  # issue #14: HTML at 0.8x trafilatura's pages per second
TEXT_RENDERERS = ("blocks", "w3m", "lynx", "html2text")


def load_scorer(set_dir: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_clean", set_dir / "score_clean.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"bench_clean: no score_clean.py in {set_dir}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_pages(folder: Path, gold: dict[str, str], limit: int | None) -> dict[str, tuple[str, bytes]]:
    """id -> (file name, raw bytes) for the pages that have a gold body (HTML gunzipped here, untimed)."""
    out: dict[str, tuple[str, bytes]] = {}
    for path in sorted(folder.iterdir()):
        name = path.name
        doc_id = name.split(".", 1)[0]
        if doc_id not in gold:
            continue
        raw = path.read_bytes()
        if name.endswith(".gz"):
            raw, name = gzip.decompress(raw), name[:-3]
        out[doc_id] = (name, raw)
        if limit and len(out) >= limit:
            break
    return out


def ours(pages: dict[str, tuple[str, bytes]]) -> dict[str, tuple[str, str]]:
    """id -> (title, text) from the clean stage; a page it cannot clean gives empty text."""
    out = {}
    for doc_id, (name, raw) in pages.items():
        profile, _ = resolve_profile(None, raw)
        doc = clean_page(raw, name=name, profile=profile).document
        out[doc_id] = (doc.title, doc.text) if doc else ("", "")
    return out


def trafilatura_alone(**options: bool) -> Callable[[dict[str, tuple[str, bytes]]], dict[str, tuple[str, str]]]:
    """trafilatura as a user runs it: its own pruning expressions (the cleaner puts faster ones
    with the same result in their place only inside its own calls; checked on every call)."""
    from trafilatura import extract, xpaths  # noqa: PLC0415 - heavy import

    from newsevents.clean.trafilatura_paths import PythonExpression  # noqa: PLC0415

    def run(pages: dict[str, tuple[str, bytes]]) -> dict[str, tuple[str, str]]:
        stock = (*xpaths.OVERALL_DISCARD_XPATH, *xpaths.REMOVE_COMMENTS_XPATH, *xpaths.BODY_XPATH)
        if any(isinstance(x, PythonExpression) for x in stock):
            raise SystemExit("bench_clean: the reference would not run stock trafilatura")
        return {
            doc_id: ("", extract(raw.decode("utf-8", errors="replace"), **options) or "")
            for doc_id, (_, raw) in pages.items()
        }

    return run


ORDERS = ("alternate", "ours-first", "reference-first")


def interleaved(
    pages: dict[str, tuple[str, bytes]],
    ours_fn: Callable[[dict[str, tuple[str, bytes]]], object],
    ref_fn: Callable[[dict[str, tuple[str, bytes]]], object],
    repeat: int,
    order: str = "alternate",
) -> tuple[float, float]:
    """CPU seconds of each side over all pages, each page run by one side right after the other,
    so that a change in the machine's speed during the run (other load, CPU steal on a shared host)
    falls on both alike: the smallest total of ``repeat`` rounds per side.

    Whichever side runs first on a page pays for bringing it into the CPU's caches (on the
    development pages a fixed order moved the ratio by about 0.03), so by default the order
    alternates from page to page and from round to round; ``ours-first`` and ``reference-first``
    keep one order throughout, to show the effect."""
    best = [float("inf"), float("inf")]  # ours, reference
    for round_no in range(max(1, repeat)):
        spent = [0.0, 0.0]
        for i, (doc_id, page) in enumerate(pages.items()):
            ours_first = order == "ours-first" or (order == "alternate" and (i + round_no) % 2 == 0)
            for side in (0, 1) if ours_first else (1, 0):
                start = time.process_time()
                (ours_fn, ref_fn)[side]({doc_id: page})
                spent[side] += time.process_time() - start
        best = [min(b, t) for b, t in zip(best, spent, strict=True)]
    return best[0], best[1]


def f1(scorer: ModuleType, gold: dict[str, str], outputs: dict[str, tuple[str, str]]) -> float:
    scores = []
    for doc_id, (title, text) in outputs.items():
        body = text[len(title) :] if title and text.startswith(title) else text  # as score_clean.py does
        scores.append(scorer.prf(gold[doc_id], body)[2])
    return mean(scores) if scores else 0.0


def run(
    set_dir: Path, *, limit: int | None, repeat: int, order: str = "alternate"
) -> tuple[list[Row], dict[str, object]]:
    scorer = load_scorer(set_dir)
    gold = {}
    with (set_dir / "gold.jsonl").open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            gold[row["id"]] = row["body"]
    rows: list[Row] = []
    quality: dict[str, float] = {}
    for renderer in TEXT_RENDERERS:
        folder = set_dir / renderer
        if not folder.is_dir():
            continue
        pages = read_pages(folder, gold, limit)
        t, out = timed(lambda p=pages: ours(p), repeat)
        quality[renderer] = round(f1(scorer, gold, out), 3)
        rows.append(Row(f"clean text ({renderer})", len(pages), t, unit="pages", note=f"F1 {quality[renderer]:.3f}"))
    pages = read_pages(set_dir / "html", gold, limit)
    refs = {
        "trafilatura.extract default": trafilatura_alone(),
        "trafilatura.extract favor_precision": trafilatura_alone(favor_precision=True),
    }
    ours(dict(list(pages.items())[:1]))  # import trafilatura and warm its caches outside the timing
    t_ours, out = timed(lambda: ours(pages), repeat)
    quality["html"] = round(f1(scorer, gold, out), 3)
    ref_times = {}
    for name, fn in refs.items():
        t_ref, ref_out = timed(lambda fn=fn: fn(pages), repeat)
        ref_times[name] = t_ref
        quality[name] = round(f1(scorer, gold, ref_out), 3)
        rows.append(Row(f"reference: {name} (html)", len(pages), t_ref, unit="pages", note=f"F1 {quality[name]:.3f}"))
    rows.append(
        Row(
            "clean html (trafilatura + newsevents rules + record)",
            len(pages),
            t_ours,
            unit="pages",
            ratio=ref_times["trafilatura.extract default"] / t_ours,
            reference="trafilatura default (x as fast), separate runs",
            note=f"F1 {quality['html']:.3f}",
        )
    )
    t_ours_i, t_ref_i = interleaved(pages, ours, refs["trafilatura.extract default"], repeat, order)
    rows.append(
        Row(
            f"clean html, interleaved page by page with trafilatura default ({order})",
            len(pages),
            t_ours_i,
            unit="pages",
            ratio=t_ref_i / t_ours_i,
            reference=f"trafilatura default {t_ref_i:.3f} s in the same rounds (x as fast)",
            target=">= 0.8x (#14)",
            met=t_ref_i / t_ours_i >= TARGET_RATIO,
        )
    )
    return rows, {"set": str(set_dir.resolve()), "f1": quality, "pages_per_folder": len(pages)}


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.split("\n\n")[0])
    p.add_argument("set_dir", type=Path, help="cleaning evaluation set (gold.jsonl, html/, blocks/, ...)")
    p.add_argument("--limit", type=int, default=None, help="first N pages per folder only")
    p.add_argument("--repeat", type=int, default=1, help="best of N runs per row (default 1)")
    p.add_argument(
        "--order", choices=ORDERS, default="alternate", help="who runs first on each page of the interleaved row"
    )
    args = p.parse_args(argv)
    rows, info = run(args.set_dir, limit=args.limit, repeat=args.repeat, order=args.order)
    report("clean", rows, as_json=args.json, info=info)
    return 0


if __name__ == "__main__":
    sys.exit(main())
