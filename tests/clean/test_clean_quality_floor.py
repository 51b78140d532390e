"""Quality floor: bag-of-words F1 on the project's own fixtures may not fall below pinned values.

The floors in ``cases/quality_floor.json`` are pinned together with a hash of the fixtures, so a
changed fixture cannot silently move the bar: re-measure (the failure message prints the new
figures) and update both in the same commit.
"""

from __future__ import annotations

import hashlib
import json
import statistics

from clean_support import CASES, RENDERINGS, prf

from newsevents.clean import clean_page

FLOOR = json.loads((CASES / "quality_floor.json").read_text(encoding="utf-8"))


def fixtures_sha256() -> str:
    h = hashlib.sha256()
    for p in sorted(RENDERINGS.iterdir()):
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def measure() -> dict[str, float]:
    scores: dict[str, list[float]] = {}
    for path in sorted(RENDERINGS.iterdir()):
        if path.name.endswith(".expect.json"):
            continue
        article, renderer = path.name.split(".")[0], path.name.split(".")[1]
        gold = json.loads((RENDERINGS / f"{article}.expect.json").read_text(encoding="utf-8"))
        doc = clean_page(path.read_bytes(), name=path.name).document
        text = doc.text if doc else ""
        if doc and text.startswith(doc.title):
            text = text[len(doc.title) :]
        scores.setdefault(renderer, []).append(prf(gold["body"], text)[2])
    return {r: round(statistics.mean(v), 4) for r, v in sorted(scores.items())}


def test_floor_is_pinned_to_these_fixtures():
    assert FLOOR["fixtures_sha256"] == fixtures_sha256(), (
        f"fixtures changed: re-measure ({measure()}) and update quality_floor.json"
    )


def test_f1_not_below_floor():
    got = measure()
    assert set(got) == set(FLOOR["f1"])
    low = {r: (got[r], FLOOR["f1"][r]) for r in got if got[r] < FLOOR["f1"][r]}
    assert not low, f"F1 fell below the floor (got, floor): {low}"
