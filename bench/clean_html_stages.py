"""Where the HTML cleaner's time goes: CPU ms a page, stage by stage, beside trafilatura alone.

For every ``.html`` / ``.html.gz`` page of a folder (e.g. ``../shared/cleaning-dev/html``; read
where they are, never copied), one page at a time: ``trafilatura.extract`` (default settings, the
reference of ``bench_clean.py``), the profile resolution and ``clean_page`` as the clean stage runs
them, and then the stages of :func:`newsevents.clean.htmlclean._extract_article` again one by one
(parse, metadata, headline, precision extraction, extraction bound, the balanced extraction where
it runs, the line rules on the extracted paragraphs). "other" is what ``clean_page`` spends outside
those stages (source lines, the author, the record). The best of ``--repeat`` rounds per stage.

Usage:
    python bench/clean_html_stages.py ../shared/cleaning-dev/html [--repeat 2] [--limit N] [--no-prefilter]
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import sys
import time
from collections import Counter
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("folder", type=Path, help="folder of HTML pages")
    p.add_argument("--repeat", type=int, default=2, help="best of N rounds per stage (default 2)")
    p.add_argument("--limit", type=int, default=None, help="first N pages only")
    p.add_argument(
        "--no-prefilter", action="store_true", help="the line rules stage without the literal prefilter, for comparison"
    )
    args = p.parse_args(argv)

    from trafilatura import extract  # noqa: PLC0415 - heavy import
    from trafilatura.utils import load_html  # noqa: PLC0415

    from newsevents.clean import clean_page  # noqa: PLC0415
    from newsevents.clean import htmlclean as h  # noqa: PLC0415
    from newsevents.clean.corpus import resolve_profile  # noqa: PLC0415
    from newsevents.clean.normalize import normalize_line  # noqa: PLC0415
    from newsevents.clean.rules import PatternRule, first_match  # noqa: PLC0415
    from newsevents.clean.textclean import count_words  # noqa: PLC0415

    def unfiltered(rule: PatternRule) -> PatternRule:
        copy = dataclasses.replace(rule)
        object.__setattr__(copy, "literals", ())  # every line searched, as before the prefilter
        return copy

    pages = []
    for path in sorted(q for q in args.folder.iterdir() if q.name.endswith((".html", ".html.gz", ".htm"))):
        raw = path.read_bytes()
        name = path.name
        if name.endswith(".gz"):
            raw, name = gzip.decompress(raw), name[:-3]
        pages.append((name, raw))
    pages = pages[: args.limit] if args.limit else pages
    best: dict[str, float] = {}
    balanced_runs = 0
    for _ in range(max(1, args.repeat)):
        spent: Counter[str] = Counter()
        balanced_runs = 0
        for name, raw in pages:
            t = time.process_time()

            def lap(stage: str, start: float, spent: Counter[str] = spent) -> float:
                now = time.process_time()
                spent[stage] += now - start
                return now

            extract(raw.decode("utf-8", errors="replace"))
            t = lap("reference: trafilatura.extract", t)
            profile, _ = resolve_profile(None, raw)
            t = lap("profile resolution", t)
            clean_page(raw, name=name, profile=profile)
            t = lap("clean_page (all below)", t)
            text = raw.decode("utf-8", errors="replace")
            tree = load_html(text)
            t = lap("  decode and parse", t)
            meta = h.page_metadata(tree, author=False)
            t = lap("  metadata", t)
            h.page_headline(tree, meta.title, meta.sitename)
            t = lap("  headline", t)
            doc = h._extract(tree, url=meta.url, precision=True)  # noqa: SLF001 - the stage itself
            t = lap("  precision extraction", t)
            ptext = h._text(doc)  # noqa: SLF001
            bound = h.extraction_bound(tree)
            t = lap("  extraction bound", t)
            if len(ptext) < h.RECALL_FALLBACK * bound:
                balanced_runs += 1
                balanced = h._extract(tree, url=meta.url, precision=False)  # noqa: SLF001
                if len(ptext) < h.RECALL_FALLBACK * len(h._text(balanced)):  # noqa: SLF001
                    ptext = h._text(balanced)  # noqa: SLF001
                lap("  balanced extraction", t)
            t = time.process_time()
            rules = (profile.rules if profile else ()) + h._HTML_RULES  # noqa: SLF001 - as clean_html runs them
            if args.no_prefilter:
                rules = tuple(unfiltered(r) for r in rules)
            longest = max((r.max_words for r in rules), default=0)
            for line in ptext.split("\n"):
                text = normalize_line(line)
                if text and (words := count_words(text)) <= longest:
                    first_match(rules, text, words)
            lap("  line rules", t)
        parts = sum(v for k, v in spent.items() if k.startswith("  "))
        spent["  other"] = spent["clean_page (all below)"] - parts
        for stage, seconds in spent.items():
            best[stage] = min(best.get(stage, float("inf")), seconds)
    n = max(1, len(pages))
    ours = best["profile resolution"] + best["clean_page (all below)"]
    print(f"{len(pages)} pages; CPU ms a page, best of {max(1, args.repeat)} rounds")
    for stage, seconds in best.items():
        print(f"{stage:34s} {1000 * seconds / n:6.1f}")
    print(f"balanced extraction ran on {balanced_runs} pages")
    print(f"ratio (reference / profile resolution + clean_page): {best['reference: trafilatura.extract'] / ours:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
