"""Shared parts of the bench scripts: timing, result rows, machine facts, peak memory.

Every bench script prints one table of result rows (or, with ``--json``, one JSON object with the
same rows and the machine they were measured on). A row is one measurement: what ran, how many
items, seconds, items per second, and (for the headline rows) the ratio against the reference a
user would otherwise use, the target and whether it was met.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
LIBRARIES = (
    "newsevents",
    "jsonschema",
    "jsonschema-rs",
    "datasets",
    "pyarrow",
    "trafilatura",
    "seqeval",
    "nervaluate",
    "dask",
    "distributed",
)


@dataclass
class Row:
    """One measurement."""

    name: str
    items: int
    seconds: float
    unit: str = "docs"
    ratio: float | None = None  # ours vs the reference, as "times faster" (>1: ours is faster) unless noted
    reference: str | None = None
    target: str | None = None
    met: bool | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.items / self.seconds if self.seconds > 0 else float("inf")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["per_second"] = round(self.per_second, 2)
        d["seconds"] = round(self.seconds, 4)
        if self.ratio is not None:
            d["ratio"] = round(self.ratio, 3)
        return d


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Best wall-clock seconds of ``repeat`` calls of ``fn()`` and the last result.

    The best of a few runs is the figure least disturbed by other load on the machine.
    """
    best = float("inf")
    out = None
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def versions() -> dict[str, str]:
    out = {}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def machine() -> dict[str, Any]:
    mem_kb = 0
    try:
        with Path("/proc/meminfo").open() as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem_kb = int(line.split()[1])
    except OSError:
        pass
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "versions": versions(),
    }


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--json", action="store_true", help="print the result as one JSON object")
    return p


def report(bench: str, rows: list[Row], *, as_json: bool, info: dict[str, Any] | None = None) -> None:
    """Print the rows as a table (or JSON) with the machine they ran on."""
    script = Path(sys.argv[0]).resolve()
    shown = script.relative_to(REPO).as_posix() if script.is_relative_to(REPO) else sys.argv[0]
    command = " ".join(["python", shown, *sys.argv[1:]])
    result = {
        "bench": bench,
        "command": command,
        "rows": [r.to_dict() for r in rows],
        "machine": machine(),
        "info": info or {},
    }
    if as_json:
        json.dump(result, sys.stdout, indent=2)
        print()
        return
    m = result["machine"]
    print(
        f"# {bench}  ({m['date']}, {m['cpus']} CPUs, {m['ram_gib']} GiB, Python {m['python']}, load {m['load_average']})"
    )
    for k, v in (info or {}).items():
        print(f"#   {k}: {v}")
    head = ("measurement", "items", "seconds", "per s", "ratio", "reference", "target", "met")
    print(" | ".join(head))
    for r in rows:
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else ""
        met = "" if r.met is None else ("yes" if r.met else "NO")
        cells = (
            r.name,
            f"{r.items} {r.unit}",
            f"{r.seconds:.3f}",
            f"{r.per_second:,.1f}",
            ratio,
            r.reference or "",
            r.target or "",
            met,
        )
        print(" | ".join(cells))
        if r.note:
            print(f"    note: {r.note}")


def json_files(folder: Path, limit: int | None = None) -> list[Path]:
    files = sorted(p for p in folder.glob("*.json") if not p.name.startswith("."))
    return files[:limit] if limit else files


def iter_loaded(files: list[Path]) -> Iterator[tuple[Path, Any]]:
    for f in files:
        yield f, json.loads(f.read_bytes())
