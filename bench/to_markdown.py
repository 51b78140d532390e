"""Render bench results (the ``--json`` output of the bench scripts) as markdown table rows.

Usage:
    python bench/to_markdown.py /tmp/ne-bench/results/*.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def cell(row: dict, key: str) -> str:
    value = row.get(key)
    if value is None:
        return ""
    if key == "met":
        return "yes" if value else "**no**"
    if key == "ratio":
        return f"{value:.2f}"
    return str(value)


def render(path: Path) -> str:
    result = json.loads(path.read_text(encoding="utf-8"))
    m = result["machine"]
    lines = [
        f"### {result['bench']} ({path.name})",
        "",
        f"`{result.get('command', '?')}` — {m['date']}, load average {m['load_average']}",
        "",
        "| measurement | items | seconds | per second | ratio | reference | target | met | note |",
        "|---|---:|---:|---:|---:|---|---|---|---|",
    ]
    lines.extend(
        f"| {r['name']} | {r['items']} {r['unit']} | {r['seconds']:.3f} | {r['per_second']:,.1f} | {cell(r, 'ratio')} | "
        f"{cell(r, 'reference')} | {cell(r, 'target')} | {cell(r, 'met')} | {r.get('note', '')} |"
        for r in result["rows"]
    )
    info = {k: v for k, v in result.get("info", {}).items() if not str(k).startswith("profile")}
    if info:
        lines += ["", "```", json.dumps(info, indent=1), "```"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    for name in argv if argv is not None else sys.argv[1:]:
        print(render(Path(name)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
