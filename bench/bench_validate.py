"""Validate: documents/s for levels 1, 2 and 3 against json.loads (the floor) and plain jsonschema.

In one run, over the same files:

- the floor: read each file and ``json.loads`` it, nothing else (the faster of ``json.loads(bytes)``
  and ``json.loads(bytes.decode())``);
- ``validate_paths level N``: ``newsevents.validate.validate_paths`` (read, parse, validate) for
  N = 1, 2, 3; the headline ratio is level 3's time over the floor's (target: at most 3x);
- validator against validator on the first ``--ref-limit`` records, already parsed: our level 1
  (``validate_record(levels=1)``), jsonschema-rs alone, and the reference a user would pick, a
  plain ``jsonschema`` validator (Draft 2020-12 with format checking) built once.

Usage:
    python bench/generate.py --n 10000 --out /tmp/ne-bench/g10k
    python bench/bench_validate.py /tmp/ne-bench/g10k [--json] [--profile]
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import sys
from pathlib import Path

import jsonschema
import jsonschema_rs
from benchlib import Row, json_files, parser, report, timed

from newsevents.schema import load_schema
from newsevents.validate import validate_paths, validate_record

TARGET = 3.0  # full validation within 3x of json.loads


def corpus_folder(path: Path) -> Path:
    """A generated corpus folder (``gold/`` inside) or a folder of records."""
    return path / "gold" if (path / "gold").is_dir() else path


def floor_bytes(files: list[Path]) -> int:
    for f in files:
        json.loads(f.read_bytes())
    return len(files)


def floor_text(files: list[Path]) -> int:
    # json.loads on bytes decodes with the slower "surrogatepass" handler; decoding first is faster.
    for f in files:
        json.loads(f.read_bytes().decode("utf-8"))
    return len(files)


def run(folder: Path, *, ref_limit: int, profile: bool, repeat: int) -> tuple[list[Row], dict[str, object]]:
    files = json_files(folder)
    n = len(files)
    if n == 0:
        raise SystemExit(f"bench_validate: no *.json under {folder}")
    floor_bytes(files)  # warm the page cache so every pass below reads from memory
    rows: list[Row] = []
    # The floor is the faster of the two plain ways to read and parse the files.
    t_bytes, _ = timed(lambda: floor_bytes(files), repeat)
    t_text, _ = timed(lambda: floor_text(files), repeat)
    t_floor = min(t_bytes, t_text)
    rows.append(Row("floor: json.loads(path.read_bytes())", n, t_bytes))
    rows.append(Row("floor: json.loads(path.read_bytes().decode())", n, t_text))
    level_times = {}
    for level in (1, 2, 3):
        t, rep = timed(lambda lv=level: validate_paths([folder], levels=lv), repeat)
        if rep.records != n or not rep.ok:
            raise SystemExit(f"bench_validate: level {level} read {rep.records} records, {len(rep.errors)} errors")
        level_times[level] = t
        slower = t / t_floor
        rows.append(
            Row(
                f"validate_paths level {level} (read + parse + validate)",
                n,
                t,
                ratio=slower,
                reference="faster floor (x slower)",
                target=f"<= {TARGET:g}x floor" if level == 3 else None,
                met=slower <= TARGET if level == 3 else None,
            )
        )

    # Validator against validator on parsed records (the reference is too slow for the whole corpus).
    sub = [json.loads(f.read_bytes()) for f in files[:ref_limit]]
    schema = load_schema()
    cls = jsonschema.validators.validator_for(schema)
    reference = cls(schema, format_checker=cls.FORMAT_CHECKER)
    fast = jsonschema_rs.validator_for(schema, validate_formats=True)
    validate_record(sub[0], levels=1)  # compile the cached validators outside the timing
    t_ref, ok_ref = timed(lambda: all(reference.is_valid(r) for r in sub), repeat)
    t_rs, ok_rs = timed(lambda: all(fast.is_valid(r) for r in sub), repeat)
    t_l1, l1 = timed(lambda: [validate_record(r, levels=1) for r in sub], repeat)
    t_l3, l3 = timed(lambda: [validate_record(r, levels=3) for r in sub], repeat)
    if not (ok_ref and ok_rs) or any(l1) or any(l3):
        raise SystemExit("bench_validate: a generated record is invalid; regenerate the corpus")
    m = len(sub)
    rows.append(Row("reference: jsonschema is_valid (parsed records)", m, t_ref))
    rows.append(
        Row(
            "jsonschema-rs is_valid alone (parsed records)",
            m,
            t_rs,
            ratio=t_ref / t_rs,
            reference="jsonschema (x faster)",
        )
    )
    rows.append(
        Row(
            "validate_record level 1 (parsed records)",
            m,
            t_l1,
            ratio=t_ref / t_l1,
            reference="jsonschema (x faster)",
        )
    )
    rows.append(
        Row("validate_record level 3 (parsed records)", m, t_l3, ratio=t_ref / t_l3, reference="jsonschema (x faster)")
    )

    info: dict[str, object] = {
        "corpus": str(folder),
        "bytes_on_disk": sum(f.stat().st_size for f in files),
        "validator_rows_on_first": m,
        # Where the time of a level-3 run goes, per document (ms): the floor, then each layer.
        "ms_per_doc": {
            "read+parse (floor)": round(1000 * t_floor / n, 3),
            "level 1 (schema, jsonschema-rs)": round(1000 * t_l1 / m, 3),
            "levels 2+3 (references, meaning)": round(1000 * (t_l3 - t_l1) / m, 3),
            "validate_paths level 3 total": round(1000 * level_times[3] / n, 3),
        },
    }
    if profile:
        prof = cProfile.Profile()
        prof.enable()
        validate_paths(files[: min(n, 500)], levels=3)
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(15)
        info["profile_level3_tottime_top15"] = "\n" + out.getvalue()
    return rows, info


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.split("\n\n")[0])
    p.add_argument("corpus", type=Path, help="generated corpus folder (with gold/) or a folder of records")
    p.add_argument(
        "--ref-limit", type=int, default=500, help="records for the validator-vs-validator rows (default 500)"
    )
    p.add_argument("--repeat", type=int, default=3, help="best of N runs per row (default 3)")
    p.add_argument("--profile", action="store_true", help="add a cProfile of level 3 (first 500 files)")
    args = p.parse_args(argv)
    rows, info = run(corpus_folder(args.corpus), ref_limit=args.ref_limit, profile=args.profile, repeat=args.repeat)
    report("validate", rows, as_json=args.json, info=info)
    return 0


if __name__ == "__main__":
    sys.exit(main())
