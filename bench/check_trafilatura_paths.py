"""Check ``newsevents.clean.trafilatura_paths`` against trafilatura's own expressions on real pages.

For every ``.html`` / ``.html.gz`` page of a folder (e.g. ``../shared/cleaning-dev/html``; read
where they are, never copied), trafilatura's extraction runs in precision and in balanced mode
with a checking stand-in in place of each of the four expressions: at every point trafilatura
evaluates one (raw page, cleaned copy, converted tree, readability's input, ...), both the XPath
and the Python function run on the same element, and any difference in the elements selected is
reported (there should be none). Then each mode's text is compared with and without
:func:`~newsevents.clean.trafilatura_paths.python_paths`, and the time of each expression is
given per page.

Usage:
    python bench/check_trafilatura_paths.py ../shared/cleaning-dev/html [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("folder", type=Path, help="folder of HTML pages")
    p.add_argument("--limit", type=int, default=None, help="first N pages only")
    args = p.parse_args(argv)

    from trafilatura import bare_extraction  # noqa: PLC0415 - heavy import
    from trafilatura.utils import load_html  # noqa: PLC0415

    from newsevents.clean import trafilatura_paths  # noqa: PLC0415

    if not trafilatura_paths.copies_current():
        print("the installed trafilatura's expressions are not the ones copied: its own run, nothing to check")
        return 0
    slots = trafilatura_paths.slots()
    evaluations, differ, t_xpath, t_python = Counter[str](), [], Counter[str](), Counter[str]()
    current = [""]

    class Checking:
        def __init__(self, original: Any, python: Any, name: str) -> None:
            self.original, self.python, self.name, self.path = original, python, name, original.path

        def __call__(self, node: Any) -> Any:
            start = time.process_time()
            expected = self.original(node)
            mid = time.process_time()
            got = self.python(node)
            t_xpath[self.name] += mid - start
            t_python[self.name] += time.process_time() - mid
            evaluations[self.name] += 1
            if got != expected:
                differ.append((current[0], self.name, len(expected), len(got)))
            return expected

    names = ("OVERALL_DISCARD_XPATH[0]", "OVERALL_DISCARD_XPATH[1]", "REMOVE_COMMENTS_XPATH[0]", "BODY_XPATH[0]")
    paths = sorted(q for q in args.folder.iterdir() if q.name.endswith((".html", ".html.gz", ".htm")))
    paths = paths[: args.limit] if args.limit else paths
    texts_differ = []
    for path in paths:
        raw = path.read_bytes()
        html = (gzip.decompress(raw) if path.name.endswith(".gz") else raw).decode("utf-8", errors="replace")
        current[0] = path.name
        for precision in (True, False):
            options = {"favor_precision": precision, "include_comments": False, "deduplicate": False}
            for (lst, i, original, python), name in zip(slots, names, strict=True):
                lst[i] = Checking(original, python.select, name)
            try:
                checked = bare_extraction(load_html(html), **options)
            finally:
                for lst, i, original, _ in slots:
                    lst[i] = original
            stock = bare_extraction(load_html(html), **options)
            with trafilatura_paths.python_paths():
                fast = bare_extraction(load_html(html), **options)
            texts = {getattr(d, "text", None) for d in (checked, stock, fast)}
            if len(texts) != 1:
                texts_differ.append((path.name, "precision" if precision else "balanced"))
    n = max(1, len(paths))
    print(f"{len(paths)} pages, precision and balanced; evaluations: {dict(evaluations)}")
    print(f"selections differing: {len(differ)}; extracted texts differing: {len(texts_differ)}")
    for name, expr, expected, got in differ:
        print(f"  {name} {expr}: trafilatura {expected} elements, newsevents {got}")
    for name, mode in texts_differ:
        print(f"  {name} ({mode}): text differs")
    for name in names:
        print(f"CPU ms per page, {name}: XPath {1000 * t_xpath[name] / n:.1f}, Python {1000 * t_python[name] / n:.1f}")
    return 1 if differ or texts_differ else 0


if __name__ == "__main__":
    sys.exit(main())
