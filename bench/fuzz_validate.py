"""Fuzz the validator with hostile mutations of a valid record: crashes, hangs and misses (all 0).

Each record is the valid case ``tests/cases/validate/valid/annotated.json`` with 1-3 values
replaced, appended to or prefixed with hostile strings and numbers: lone surrogates, trailing
newlines, odd dates and URLs, integers beyond 64 bits, random JSON. For each one:

- crash: ``validate_record`` raised;
- hang: it took more than ``--hang-s`` seconds;
- miss: a record it accepted (no error) that a later stage cannot write (a string that is not
  UTF-8, an integer beyond 64 bits, a record ``Document.from_dict`` refuses), or a record on which
  jsonschema-rs and jsonschema disagree while level 0 has nothing to say.

Usage:
    python bench/fuzz_validate.py                 # 100,000 records (issue #18's figure)
    python bench/fuzz_validate.py --n 200 --json  # a smoke run (tests/foundation/test_fuzz_bench.py)
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from newsevents.records import Document
from newsevents.validate import _fast_schema_check, _schema_validator, validate_record

BASE_PATH = Path(__file__).resolve().parent.parent / "tests" / "cases" / "validate" / "valid" / "annotated.json"
ODD = [
    "\ud800",
    "\udfff",
    "\ud83d\ude00",
    "\n",
    "\r\n",
    "\x00",
    "0000-01-01",
    "9999-12-31",
    "2019-02-29",
    "2020-02-29",
    "2019-12-29\n",
    "+2019-12-29",
    "::::",
    "https://x.org/\n",
    "http://exa mple.org",
    "",
    "../../x",
]
NUMBERS = [2**63 - 1, 2**63, -(2**63) - 1, 10**30, 10**5000, 7.0, -1, 0, float("inf"), True, None]


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += _paths(v, (*prefix, i))
    return out


def _value(rng: random.Random, old: Any) -> Any:
    kind = rng.random()
    if kind < 0.45:
        odd = rng.choice(ODD)
        if isinstance(old, str) and rng.random() < 0.7:
            return old + odd if rng.random() < 0.5 else odd + old
        return odd
    if kind < 0.7:
        return rng.choice(NUMBERS)
    if kind < 0.85:  # random code points, surrogates included
        return "".join(chr(rng.randrange(0x110000)) for _ in range(rng.randrange(1, 6)))
    return rng.choice([[], {}, [old], {"x": old}, "x" * rng.randrange(1, 200)])


def mutate(base: dict[str, Any], paths: list[tuple[Any, ...]], rng: random.Random) -> Any:
    rec = json.loads(json.dumps(base))
    for _ in range(rng.randrange(1, 4)):
        path = rng.choice(paths)
        parent: Any = rec
        try:
            for key in path[:-1]:
                parent = parent[key]
            old = parent[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue
        if not isinstance(parent, dict | list):
            continue
        if rng.random() < 0.1:
            del parent[path[-1]]
        elif isinstance(parent, dict) and rng.random() < 0.1:
            parent[rng.choice(ODD)] = old  # a hostile property name
        else:
            parent[path[-1]] = _value(rng, old)
    return rec


def _fits(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_fits(k) and _fits(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_fits(v) for v in value)
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
    elif isinstance(value, int) and not isinstance(value, bool):
        return -(2**63) <= value < 2**63
    return True


def run(n: int, seed: int, hang_s: float) -> dict[str, Any]:
    base = json.loads(BASE_PATH.read_text(encoding="utf-8"))
    paths = _paths(base)[1:]
    rng = random.Random(seed)
    crashes = hangs = misses = disagreements = invalid = 0
    examples: list[str] = []
    start = time.perf_counter()
    for i in range(n):
        rec = mutate(base, paths, rng)
        t = time.perf_counter()
        try:
            findings = validate_record(rec)
        except Exception as exc:  # noqa: BLE001 - counting crashes is the point
            crashes += 1
            examples.append(f"crash #{i}: {type(exc).__name__}: {str(exc)[:120]}")
            continue
        if time.perf_counter() - t > hang_s:
            hangs += 1
            examples.append(f"hang #{i}: {time.perf_counter() - t:.1f} s")
        errors = [f for f in findings if f.severity == "error"]
        invalid += bool(errors)
        if not errors:
            try:
                ok = _fits(rec)
                json.dumps(rec, ensure_ascii=False).encode("utf-8")
                Document.from_dict(rec)
            except Exception:  # noqa: BLE001
                ok = False
            if not ok:
                misses += 1
                examples.append(f"miss #{i}: accepted a record a later stage cannot write")
        if _fits(rec):
            try:
                reference = not list(_schema_validator().iter_errors(rec))
                if _fast_schema_check()(rec) != reference:
                    disagreements += 1
                    examples.append(f"disagreement #{i}: jsonschema says {reference}")
            except ValueError:
                pass  # an integer of 4,300+ digits: level 0 refuses it before either validator
    took = time.perf_counter() - start
    return {
        "records": n,
        "seed": seed,
        "invalid": invalid,
        "crashes": crashes,
        "hangs": hangs,
        "misses": misses + disagreements,
        "disagreements": disagreements,
        "seconds": round(took, 1),
        "examples": examples[:20],
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "python": platform.python_version(),
        "jsonschema": metadata.version("jsonschema"),
        "jsonschema_rs": metadata.version("jsonschema-rs"),
    }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=100_000, help="records to fuzz (default 100000)")
    p.add_argument("--seed", type=int, default=18)
    p.add_argument("--hang-s", type=float, default=5.0, help="a record taking longer is a hang (default 5 s)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    args = p.parse_args()
    res = run(args.n, args.seed, args.hang_s)
    if args.json:
        print(json.dumps(res, indent=2))
    else:
        print(
            f"fuzz_validate: {res['records']} records ({res['invalid']} invalid), seed {res['seed']}: "
            f"{res['crashes']} crashes, {res['hangs']} hangs, {res['misses']} misses "
            f"({res['disagreements']} validator disagreements) in {res['seconds']} s"
        )
        for line in res["examples"]:
            print(f"  {line}")
    return 0 if res["crashes"] == res["hangs"] == res["misses"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
