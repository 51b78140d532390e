"""Hand-computed cases (cases/*.json): each names what it exercises and gives the expected counts.

A case holds a text, gold and predicted annotations (entities by offsets or by the text they
cover), and ``expected`` counts and scores per metric key. Cases with a ``nervaluate`` block also
pin what nervaluate reports on the same entities, which documents each deliberate difference.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from evaluate_support import find, record
from nervaluate import Evaluator

from newsevents.evaluate import tallies
from newsevents.evaluate.counts import sum_tallies
from newsevents.evaluate.report import evaluate_documents
from newsevents.records import Document, Severity
from newsevents.validate import validate_record

CASES = sorted((Path(__file__).parent / "cases").glob("*.json"))
NV = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}
SCORE_KEYS = ("precision", "recall", "f1")


def _span(text: str, spec: Any) -> tuple[int, int]:
    if isinstance(spec, dict):
        return find(text, spec["find"], spec.get("nth", 0))
    return spec[0], spec[1]


def _side(case: dict[str, Any], side: str) -> dict[str, Any]:
    text = case["text"]
    spec = case[side]
    ents = []
    for n, e in enumerate(spec.get("entities", [])):
        if isinstance(e, list):
            ents.append({"start": e[0], "end": e[1], "type": e[2], "kind": e[3] if len(e) > 3 else "NAM"})
            continue
        s, end = _span(text, e)
        ents.append(
            {
                "start": s,
                "end": end,
                "type": e["type"],
                "kind": e.get("kind", "NAM"),
                "id": e.get("id", f"T{n + 1}"),
                "entity": e.get("entity", f"E{n + 1}"),
            }
        )
    evs = [{**ev, "trigger": _span(text, ev["trigger"])} for ev in spec.get("events", [])]
    return record("case", text, ents, evs, status="gold" if side == "gold" else "predicted")


def load_case(path: Path) -> tuple[dict[str, Any], Document, Document]:
    case = json.loads(path.read_text(encoding="utf-8"))
    gold, pred = _side(case, "gold"), _side(case, "pred")
    # Gold must pass every level; predictions only levels 1-2, as ``newsevents evaluate`` checks them.
    for rec, levels in ((gold, 3), (pred, 2)):
        errors = [f for f in validate_record(rec, levels=levels) if f.severity == Severity.ERROR.value]
        assert errors == [], f"{path.name}: the case's records must be valid: {errors}"
    return case, Document.from_dict(gold), Document.from_dict(pred)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case_counts(path: Path) -> None:
    case, gold, pred = load_case(path)
    assert case["description"]
    assert case["expected"]
    total = sum_tallies(tallies([gold], [pred], coref=case.get("coref", False)))
    for key, want in case["expected"].items():
        got = total[key].to_dict()
        for field, value in want.items():
            if value is None or field not in SCORE_KEYS:
                assert got[field] == value, f"{key} {field}"
            else:
                assert math.isclose(got[field], value), f"{key} {field}: {got[field]} != {value}"
    if "bio_view" in case:
        assert evaluate_documents([gold], [pred], bootstrap_n=0)["bio_view"] == case["bio_view"]


NV_CASES = [p for p in CASES if "nervaluate" in json.loads(p.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("path", NV_CASES, ids=[p.stem for p in NV_CASES])
def test_case_nervaluate_reports_the_documented_difference(path: Path) -> None:
    case, gold, pred = load_case(path)

    def entities(doc: Document) -> list[list[dict[str, Any]]]:
        return [
            [
                {"label": m.type, "start": m.start, "end": m.end - 1}
                for m in sorted(doc.entity_mentions, key=lambda m: (m.start, m.end))
            ]
        ]

    ref = Evaluator(entities(gold), entities(pred), tags=["PER", "ORG", "GPE"], loader="dict").evaluate()
    total = sum_tallies(tallies([gold], [pred]))
    for scheme, want in case["nervaluate"].items():
        r = ref["overall"][NV[scheme]]
        got = {"COR": r.correct, "INC": r.incorrect, "PAR": r.partial, "MIS": r.missed, "SPU": r.spurious, "f1": r.f1}
        assert {k: got[k] for k in want} == want
        ours = total[f"entities.{scheme}"].to_dict()
        assert any(ours[k] != v for k, v in want.items()), f"{path.name}: newsevents agrees with nervaluate on {scheme}"
