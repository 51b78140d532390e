"""Check ``newsevents.clean.markup_author`` against trafilatura's ``extract_author`` on real pages.

For every ``.html`` / ``.html.gz`` page of a folder (e.g. ``../shared/cleaning-dev/html``; read
where they are, never copied): both functions on the same parsed page, the pages where they
differ (there should be none), and the time of each per page.

Usage:
    python bench/check_markup_author.py ../shared/cleaning-dev/html [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("folder", type=Path, help="folder of HTML pages")
    p.add_argument("--limit", type=int, default=None, help="first N pages only")
    args = p.parse_args(argv)

    from trafilatura.metadata import extract_author  # noqa: PLC0415 - heavy import
    from trafilatura.utils import load_html  # noqa: PLC0415

    from newsevents.clean.markup_author import markup_author  # noqa: PLC0415

    paths = sorted(q for q in args.folder.iterdir() if q.name.endswith((".html", ".html.gz", ".htm")))
    paths = paths[: args.limit] if args.limit else paths
    differ, found, t_ref, t_ours = [], 0, 0.0, 0.0
    for path in paths:
        raw = path.read_bytes()
        raw = gzip.decompress(raw) if path.name.endswith(".gz") else raw
        text = raw.decode("utf-8", errors="replace")
        start = time.process_time()
        ref = extract_author(load_html(text))  # it prunes a copy of the tree it is given
        mid = time.process_time()
        ours = markup_author(load_html(text))
        end = time.process_time()
        t_ref += mid - start
        t_ours += end - mid
        found += ref is not None
        if ref != ours:
            differ.append((path.name, ref, ours))
    n = max(1, len(paths))
    print(f"{len(paths)} pages, an author found on {found}; differing: {len(differ)}")
    for name, ref, ours in differ:
        print(f"  {name}: trafilatura {ref!r}, newsevents {ours!r}")
    print(
        f"CPU ms per page (parse included): extract_author {1000 * t_ref / n:.1f}, markup_author {1000 * t_ours / n:.1f}"
    )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
