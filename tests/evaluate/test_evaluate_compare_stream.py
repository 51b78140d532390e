"""Streaming comparison from files: the same result and findings as loading both systems."""

from __future__ import annotations

import json
import random
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from evaluate_support import record

from newsevents.cli import main
from newsevents.evaluate.load import align, load_records
from newsevents.evaluate.report import compare_documents
from newsevents.evaluate.stream import compare_paths
from newsevents.records import Finding

DATA = Path(__file__).parent / "data"
COPIES = 6  # each toy document under six ids: 18 gold documents
ERRORS = sorted((DATA / "pred-errors").glob("*.json"))


def _records(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def _renamed(rec: dict[str, Any], k: int) -> dict[str, Any]:
    return {**rec, "id": f"{rec['id']}-{k}"}


def _write_shuffled(folder: Path, recs: list[dict[str, Any]], rnd: random.Random) -> None:
    """Records shuffled into files holding lists and single records."""
    folder.mkdir()
    shuffled = list(recs)
    rnd.shuffle(shuffled)
    cuts = [0, 5, 6, 10, 11, len(shuffled)]
    for n, (lo, hi) in enumerate(pairwise(cuts)):
        chunk = shuffled[lo:hi]
        body: Any = chunk[0] if len(chunk) == 1 else chunk
        (folder / f"p{n}.json").write_text(json.dumps(body), encoding="utf-8")


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Gold one record per file under shuffled names; A and B (the two toy systems, swapped on odd
    copies) shuffled into list and single-record files; A lacks one prediction, B has them all."""
    rnd = random.Random(11)
    sys_a, sys_b = _records(DATA / "pred-system-a"), _records(DATA / "pred-system-b")
    gold = [_renamed(r, k) for k in range(COPIES) for r in _records(DATA / "gold")]
    a = [_renamed((sys_a, sys_b)[k % 2][n], k) for k in range(COPIES) for n in range(len(sys_a))]
    b = [_renamed((sys_b, sys_a)[k % 2][n], k) for k in range(COPIES) for n in range(len(sys_a))]
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    names = [f"g{n:03d}.json" for n in range(len(gold))]
    rnd.shuffle(names)
    for name, rec in zip(names, gold, strict=True):
        (gold_dir / name).write_text(json.dumps(rec), encoding="utf-8")
    _write_shuffled(tmp_path / "a", a[1:], rnd)  # the first gold document has no prediction in A
    _write_shuffled(tmp_path / "b", b, rnd)
    return gold_dir, tmp_path / "a", tmp_path / "b"


def _loaded(gold: Path, a: Path, b: Path, **kw: Any) -> tuple[dict[str, Any] | None, list[Finding]]:
    """What ``compare`` did before it streamed: load gold and both systems, align each, compare."""
    g = load_records([gold])
    pa, pb = align(g, load_records([a])), align(g, load_records([b]))
    findings = list(dict.fromkeys([*pa.findings, *pb.findings]))
    if not (pa.ok and pb.ok):
        return None, findings
    return compare_documents(pa.gold, pa.pred, pb.pred, **kw), findings


def _key(findings: list[Finding]) -> list[str]:
    return sorted(json.dumps(f.to_dict(), sort_keys=True) for f in findings)


@pytest.mark.parametrize("window", [0, 2, 64])
def test_streamed_compare_equals_in_memory_and_holds_at_most_the_window(corpus, window):
    gold, a, b = corpus
    want, want_findings = _loaded(gold, a, b, coref=True, bootstrap_n=200, seed=3)
    got = compare_paths([gold], [a], [b], coref=True, bootstrap_n=200, seed=3, window=window)
    assert got.ok
    assert want is not None
    assert got.result == want
    assert got.result["documents"] == 3 * COPIES
    assert got.result["metrics"]["entities.strict"]["p_value"] is not None
    assert [f.check for f in got.findings] == ["evaluate.missing-prediction"]
    assert _key(got.findings) == _key(want_findings)
    # By construction: each side holds at most the window of predictions waiting for their gold.
    assert got.held_max <= window
    if window == 0:
        assert got.rereads > 0  # shuffled orders: predictions were found again through the index


def test_file_and_record_order_do_not_change_the_comparison(corpus, tmp_path):
    gold, a, b = corpus
    first = compare_paths([gold], [a], [b], bootstrap_n=300, seed=1).result
    # Another layout of the same documents: gold as one list in reverse id order, A one per file.
    other = tmp_path / "other"
    (other / "a").mkdir(parents=True)
    gold_recs = sorted(_records(gold), key=lambda r: r["id"], reverse=True)
    (other / "gold.json").write_text(json.dumps(gold_recs), encoding="utf-8")
    a_recs = [r for p in sorted(a.glob("*.json")) for r in _as_list(json.loads(p.read_text(encoding="utf-8")))]
    for n, rec in enumerate(a_recs):
        (other / "a" / f"{len(a_recs) - n:03d}.json").write_text(json.dumps(rec), encoding="utf-8")
    second = compare_paths([other / "gold.json"], [other / "a"], [b], bootstrap_n=300, seed=1).result
    assert first is not None
    assert second == first


def _as_list(value: Any) -> list[dict[str, Any]]:
    return value if isinstance(value, list) else [value]


def test_a_label_only_one_system_predicts_is_compared(tmp_path):
    text = "Ann met Bob in Paris.\n\nThey talked."
    gold = [record("d1", text, [{"start": 0, "end": 3, "type": "PER"}]), record("d2", text, [])]
    a = [record("d1", text, [{"start": 0, "end": 3, "type": "PER"}], status="predicted")]
    b = [
        record("d1", text, [{"start": 15, "end": 20, "type": "GPE"}], status="predicted"),
        record("d2", text, [{"start": 8, "end": 11, "type": "ORG"}], status="predicted"),
    ]
    for name, recs in (("gold", gold), ("a", a), ("b", b)):
        (tmp_path / f"{name}.json").write_text(json.dumps(recs), encoding="utf-8")
    paths = [tmp_path / "gold.json", tmp_path / "a.json", tmp_path / "b.json"]
    want, want_findings = _loaded(*paths, bootstrap_n=100, seed=2)
    got = compare_paths([paths[0]], [paths[1]], [paths[2]], bootstrap_n=100, seed=2)
    assert want is not None
    assert got.result == want
    assert _key(got.findings) == _key(want_findings)
    row = got.result["metrics"]["entities.strict.type.ORG"]  # in B's counts only
    assert (row["f1_a"], row["f1_b"]) == (None, 0.0)
    assert got.result["metrics"]["entities.strict"]["difference"] == 1.0


@pytest.mark.parametrize("bad", ERRORS, ids=lambda p: p.stem)
@pytest.mark.parametrize("side", ["a", "b", "both"])
def test_findings_of_bad_inputs_equal_the_loading_findings(bad, side):
    good = DATA / "pred-system-a"
    a, b = (bad if side in ("a", "both") else good), (bad if side in ("b", "both") else good)
    want, want_findings = _loaded(DATA / "gold", a, b, bootstrap_n=20)
    got = compare_paths([DATA / "gold"], [a], [b], bootstrap_n=20)
    assert _key(got.findings) == _key(want_findings)
    assert len(got.findings) == len(set(got.findings))  # a finding of both sides is kept once
    assert got.ok == (want is not None)
    assert got.result == want  # no scores when there is an error


def test_gold_errors_and_no_gold_are_reported_once(tmp_path):
    gold = _records(DATA / "gold")
    (tmp_path / "gold.json").write_text(json.dumps([*gold, gold[0]]), encoding="utf-8")
    a, b = DATA / "pred-system-a", DATA / "pred-system-b"
    got = compare_paths([tmp_path / "gold.json"], [a], [b], bootstrap_n=0)
    assert [f.check for f in got.findings if f.severity == "error"] == ["evaluate.duplicate-document"]
    assert got.result is None
    (tmp_path / "empty").mkdir()
    got = compare_paths([tmp_path / "empty"], [a], [b], bootstrap_n=0)
    _, want_findings = _loaded(tmp_path / "empty", a, b)
    assert _key(got.findings) == _key(want_findings)
    checks = [f.check for f in got.findings]
    assert checks.count("evaluate.no-documents") == 1
    assert checks.count("evaluate.unknown-document") == 6  # three per system, in two folders


def test_cli_compare_streams_and_refuses_bad_input(corpus, capsys):
    gold, a, b = corpus
    code = main(["compare", str(gold), str(a), str(b), "--format", "json", "--bootstrap", "100", "--seed", "4"])
    out, err = capsys.readouterr()
    assert code == 0
    want, _ = _loaded(gold, a, b, bootstrap_n=100, seed=4)
    fmt = {"name": "records", "detected": True, "cannot_express": []}
    assert json.loads(out) == {
        **(want or {}),
        "gold": str(gold),
        "a": str(a),
        "b": str(b),
        "pred_format": {"a": fmt, "b": fmt},
        "warnings": {"evaluate.missing-prediction": 1},  # the fixture leaves one document out of a side
    }
    assert "evaluate.missing-prediction" in err
    bad = DATA / "pred-errors" / "evaluate.text-mismatch.json"
    code = main(["compare", str(DATA / "gold"), str(DATA / "pred-system-a"), str(bad)])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert "evaluate.text-mismatch" in err
    assert "no scores computed" in err
