"""Generate a scaled benchmark corpus from one real annotated record.

Each generated document is the seed record with:

- a new id (``bench-000000`` ...) and a split drawn 80/10/10 over train/validation/test;
- a filler paragraph of varying length inserted after the headline, so every offset after the
  headline shifts by a different amount per document (and texts, hashes and sizes differ);
- every span (entity mentions, triggers, cleaning paragraphs) shifted to match, so each record
  stays valid at all three levels.

With ``--pred`` a second folder holds a "system output" for each document: the same text with
mentions dropped, retyped or trimmed and events/arguments dropped at fixed rates, also valid.
Everything is seeded: the same arguments give byte-identical files.

Usage:
    python bench/generate.py --n 10000 --out /tmp/ne-bench/g10k --pred
    python bench/generate.py --n 20 --out /tmp/ne-bench/tiny --pred --jsonl

Layout of ``--out``: ``gold/<id>.json`` (one record per file, the project's JSON layout),
``pred/<id>.json`` with ``--pred``, ``gold.jsonl`` with ``--jsonl``, and ``corpus.json``
describing the run (seed record and its sha256, n, seed, bytes on disk).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
GOLD_SEED = REPO / "annotations" / "gold" / "dw-2019-12-29-us-hits-back-iraq.json"
PASS_A_SEED = Path("/work/annotation-work/pass-a/record.json")
SPLITS = (("train", 0.8), ("validation", 0.9), ("test", 1.0))
# Filler words: ASCII, so the text stays NFC; sentences end with "." so the splitter sees them.
WORDS = [
    "officials",
    "said",
    "the",
    "talks",
    "would",
    "continue",
    "next",
    "week",
    "while",
    "analysts",
    "expected",
    "further",
    "statements",
    "from",
    "ministers",
    "in",
    "the",
    "region",
    "about",
    "security",
    "trade",
    "energy",
    "and",
    "the",
    "economy",
]
ENTITY_TYPES = ("PER", "ORG", "GPE", "LOC", "FAC")


def default_seed() -> Path:
    """The committed gold record when it exists, else the annotator pass used before it landed."""
    return GOLD_SEED if GOLD_SEED.is_file() else PASS_A_SEED


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def filler(rng: random.Random, index: int) -> str:
    """A paragraph of 1..12 sentences; its length (and so the offset shift) varies per document."""
    sentences = []
    for s in range(rng.randint(1, 12)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(4, 18))]
        sentences.append(f"Report {index} part {s + 1}: " + " ".join(words) + ".")
    return " ".join(sentences)


def _shift_span(span: dict[str, Any], at: int, delta: int) -> None:
    if span["start"] >= at:
        span["start"] += delta
        span["end"] += delta


def scale_record(seed: dict[str, Any], index: int, rng: random.Random) -> dict[str, Any]:
    """Document ``index``: the seed with a new id, a split, and a filler paragraph after the headline."""
    rec = copy.deepcopy(seed)
    text: str = rec["text"]
    at = text.find("\n\n")
    at = len(text) if at < 0 else at + 2  # insertion point: start of the second paragraph
    para = filler(rng, index)
    inserted = para + "\n\n" if at < len(text) else "\n\n" + para
    delta = len(inserted)
    rec["text"] = text[:at] + inserted + text[at:]
    rec["text_sha256"] = sha256(rec["text"])
    doc_id = f"bench-{index:06d}"
    rec["id"] = doc_id
    draw = rng.random()
    rec["split"] = next(name for name, upper in SPLITS if draw < upper)
    src = rec["source"]
    src["raw_file"] = f"bench/{doc_id}.txt"
    src["raw_sha256"] = sha256(rec["text"])
    for m in rec.get("entity_mentions", []):
        _shift_span(m, at, delta)
    for ev in rec.get("event_mentions", []):
        _shift_span(ev["trigger"], at, delta)
    cleaning = rec.get("cleaning")
    if cleaning:
        paras = cleaning["paragraphs"]
        for p in paras:
            _shift_span(p, at, delta)
        # The filler paragraph gets its own entry (borrowing the headline's raw lines).
        start = at if at < len(text) else at + 2
        paras.insert(1, {"start": start, "end": start + len(para), "raw_lines": list(paras[0]["raw_lines"])})
        paras.sort(key=lambda p: p["start"])
    return rec


def _trimmed(text: str, m: dict[str, Any]) -> tuple[int, int] | None:
    """The span without its first word (a boundary error), or None for a one-word span."""
    cut = m["text"].find(" ")
    if cut < 0:
        return None
    rest = m["text"][cut:]
    start = m["start"] + cut + (len(rest) - len(rest.lstrip()))
    return (start, m["end"]) if start < m["end"] and text[start : m["end"]].strip() == text[start : m["end"]] else None


def predict(gold: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A system output for ``gold``: about 10% of mentions missed, 5% retyped, 5% trimmed; events likewise.

    Changes are chosen so the record stays valid: a retyped mention gets its own cluster and is
    never an argument (the ontology restricts argument types); a trimmed span never lands on
    another mention's or a trigger's span; arguments of dropped mentions are dropped too.
    """
    rec = copy.deepcopy(gold)
    text = rec["text"]
    used_as_arg = {a["mention"] for ev in rec.get("event_mentions", []) for a in ev["arguments"]}
    taken = {(m["start"], m["end"]) for m in rec.get("entity_mentions", [])}
    taken |= {(ev["trigger"]["start"], ev["trigger"]["end"]) for ev in rec.get("event_mentions", [])}
    kept: list[dict[str, Any]] = []
    for m in rec.get("entity_mentions", []):
        draw = rng.random()
        if draw < 0.10:
            continue
        if draw < 0.15 and m["id"] not in used_as_arg:
            m["type"] = rng.choice([t for t in ENTITY_TYPES if t != m["type"]])
            m["entity"] = f"{m['entity']}-retyped-{m['id']}"
        elif draw < 0.20:
            span = _trimmed(text, m)
            if span and span not in taken:
                taken.discard((m["start"], m["end"]))
                taken.add(span)
                m["start"], m["end"] = span
                m["text"] = text[span[0] : span[1]]
        kept.append(m)
    rec["entity_mentions"] = kept
    ids = {m["id"] for m in kept}
    events = []
    for ev in rec.get("event_mentions", []):
        if rng.random() < 0.10:
            continue
        ev["arguments"] = [a for a in ev["arguments"] if a["mention"] in ids and rng.random() >= 0.10]
        events.append(ev)
    rec["event_mentions"] = events
    rec["provenance"] = {"status": "predicted", "annotators": [], "system": "bench-perturbed-gold"}
    return rec


def dump(obj: Any) -> str:
    """The project's JSON layout (``newsevents.io.dump_json``), without importing the package."""
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def generate(
    seed_path: Path, out: Path, n: int, *, seed: int = 0, pred: bool = False, jsonl: bool = False
) -> dict[str, Any]:
    """Write ``n`` documents under ``out`` and return the description written to ``corpus.json``."""
    started = time.perf_counter()
    seed_text = seed_path.read_text(encoding="utf-8")
    seed_rec = json.loads(seed_text)
    gold_dir = out / "gold"
    gold_dir.mkdir(parents=True, exist_ok=True)
    pred_dir = out / "pred"
    if pred:
        pred_dir.mkdir(parents=True, exist_ok=True)
    gold_bytes = pred_bytes = 0
    jsonl_file = (out / "gold.jsonl").open("w", encoding="utf-8") if jsonl else None
    try:
        for i in range(n):
            # One generator per document: document i is the same whatever n is.
            rng = random.Random(f"{seed}:{i}")
            rec = scale_record(seed_rec, i, rng)
            data = dump(rec)
            (gold_dir / f"{rec['id']}.json").write_text(data, encoding="utf-8")
            gold_bytes += len(data.encode("utf-8"))
            if jsonl_file is not None:
                jsonl_file.write(json.dumps(rec, ensure_ascii=False) + "\n")
            if pred:
                pdata = dump(predict(rec, rng))
                (pred_dir / f"{rec['id']}.json").write_text(pdata, encoding="utf-8")
                pred_bytes += len(pdata.encode("utf-8"))
    finally:
        if jsonl_file is not None:
            jsonl_file.close()
    info = {
        "seed_record": str(seed_path),
        "seed_record_sha256": hashlib.sha256(seed_text.encode("utf-8")).hexdigest(),
        "seed_id": seed_rec.get("id"),
        "documents": n,
        "seed": seed,
        "entity_mentions_per_document": len(seed_rec.get("entity_mentions", [])),
        "event_mentions_per_document": len(seed_rec.get("event_mentions", [])),
        "gold_bytes": gold_bytes,
        "pred_bytes": pred_bytes,
        "jsonl": jsonl,
        "seconds": round(time.perf_counter() - started, 2),
    }
    (out / "corpus.json").write_text(dump(info), encoding="utf-8")
    return info


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=10_000, help="number of documents (default 10000)")
    p.add_argument("--out", type=Path, required=True, help="output folder (use /tmp; never commit it)")
    p.add_argument(
        "--record",
        type=Path,
        default=None,
        help=f"seed record (default {GOLD_SEED.relative_to(REPO)} if present, else {PASS_A_SEED})",
    )
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--pred", action="store_true", help="also write perturbed predictions under OUT/pred/")
    p.add_argument("--jsonl", action="store_true", help="also write OUT/gold.jsonl (one record per line)")
    args = p.parse_args(argv)
    record = args.record or default_seed()
    if not record.is_file():
        print(f"generate: no seed record at {record}", file=sys.stderr)
        return 2
    info = generate(record, args.out, args.n, seed=args.seed, pred=args.pred, jsonl=args.jsonl)
    print(json.dumps(info))
    return 0


if __name__ == "__main__":
    sys.exit(main())
