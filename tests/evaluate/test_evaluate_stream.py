"""Streaming evaluation from files: the same result as in memory, bounded memory and error listing."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from newsevents.cli import main
from newsevents.evaluate import evaluate_documents
from newsevents.evaluate.load import load_pair
from newsevents.evaluate.stream import evaluate_paths
from newsevents.records import Document

DATA = Path(__file__).parent / "data"
COPIES = 6  # each toy document under six ids: 18 gold documents


def _records(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def _renamed(rec: dict[str, Any], k: int) -> dict[str, Any]:
    return {**rec, "id": f"{rec['id']}-{k}"}


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, Path, list[dict[str, Any]], list[dict[str, Any]]]:
    """Gold as one file per record under shuffled names; predictions (two systems mixed, one
    missing) shuffled into files holding lists and single records."""
    rnd = random.Random(5)
    systems = [_records(DATA / "pred-system-a"), _records(DATA / "pred-system-b")]
    gold = [_renamed(r, k) for k in range(COPIES) for r in _records(DATA / "gold")]
    pred = [_renamed(systems[k % 2][n], k) for k in range(COPIES) for n in range(len(systems[0]))]
    pred = pred[1:]  # the first gold document has no prediction: scored as empty
    gold_dir, pred_dir = tmp_path / "gold", tmp_path / "pred"
    gold_dir.mkdir()
    pred_dir.mkdir()
    names = [f"g{n:03d}.json" for n in range(len(gold))]
    rnd.shuffle(names)
    for name, rec in zip(names, gold, strict=True):
        (gold_dir / name).write_text(json.dumps(rec), encoding="utf-8")
    shuffled = list(pred)
    rnd.shuffle(shuffled)
    chunks = [shuffled[0:5], shuffled[5:6], shuffled[6:10], shuffled[10:11], shuffled[11:]]
    for n, chunk in enumerate(chunks):
        body: Any = chunk[0] if len(chunk) == 1 else chunk
        (pred_dir / f"p{n}.json").write_text(json.dumps(body), encoding="utf-8")
    return gold_dir, pred_dir, gold, pred


def _in_memory(gold_dir: Path, pred_dir: Path, **kw: Any) -> dict[str, Any]:
    pair = load_pair([gold_dir], [pred_dir])
    assert pair.ok
    return evaluate_documents(pair.gold, pair.pred, coref=True, bootstrap_n=200, seed=3, **kw)


@pytest.mark.parametrize("window", [0, 2, 64])
def test_streaming_equals_in_memory_and_holds_at_most_the_window(corpus, window):
    gold_dir, pred_dir, gold, _ = corpus
    want = _in_memory(gold_dir, pred_dir, max_errors=None)
    got = evaluate_paths([gold_dir], [pred_dir], coref=True, bootstrap_n=200, seed=3, max_errors=None, window=window)
    assert got.ok
    assert got.result == want
    assert got.result["documents"] == len(gold)
    assert [f.check for f in got.findings] == ["evaluate.missing-prediction"]
    # By construction: never more than the window of predictions waiting for their gold document.
    assert got.held_max <= window
    if window < 2:
        assert got.rereads > 0  # shuffled orders: some predictions were found again by the index


def test_orders_of_files_and_records_do_not_change_any_number(corpus, tmp_path):
    gold_dir, pred_dir, gold, pred = corpus
    first = evaluate_paths([gold_dir], [pred_dir], coref=True, bootstrap_n=300, seed=1).result
    # The same documents in another layout: one gold list in reverse order, one prediction per file.
    other = tmp_path / "other"
    (other / "pred").mkdir(parents=True)
    (other / "gold.json").write_text(json.dumps(gold[::-1]), encoding="utf-8")
    for n, rec in enumerate(pred):
        (other / "pred" / f"{len(pred) - n:03d}.json").write_text(json.dumps(rec), encoding="utf-8")
    second = evaluate_paths([other / "gold.json"], [other / "pred"], coref=True, bootstrap_n=300, seed=1).result
    assert first is not None
    assert second == first
    assert first["metrics"]["entities.strict"]["ci"]["f1"][0] < first["metrics"]["entities.strict"]["f1"]
    # In memory too: the bootstrap resamples documents in id order, whatever order they come in.
    docs = [Document.from_dict(r) for r in gold]
    by_id = {r["id"]: Document.from_dict(r) for r in pred}
    preds = [by_id.get(d.id, d) for d in docs]
    a = evaluate_documents(docs, preds, bootstrap_n=300, seed=1)
    b = evaluate_documents(docs[::-1], preds[::-1], bootstrap_n=300, seed=1)
    assert a == b


def test_error_listing_is_bounded_and_counted(corpus):
    gold_dir, pred_dir, _, _ = corpus
    full = evaluate_paths([gold_dir], [pred_dir], bootstrap_n=0, max_errors=None).result
    assert full is not None
    every = full["errors"]
    assert len(every) > 20
    counts = full["error_counts"]
    assert counts["total"] == counts["listed"] == len(every)
    for layer in ("entity", "trigger", "argument"):
        for kind in ("FN", "FP"):
            assert counts[layer][kind] == sum(e["layer"] == layer and e["error"] == kind for e in every)
    for limit in (0, 1, 7, len(every) + 5):
        got = evaluate_paths([gold_dir], [pred_dir], bootstrap_n=0, max_errors=limit, window=1).result
        assert got is not None
        assert got["errors"] == every[:limit]  # the first errors in document id and offset order
        assert got["error_counts"] == {**counts, "listed": min(limit, len(every))}
        assert got["metrics"] == full["metrics"]


def test_errors_out_writes_every_error_and_only_on_success(corpus, tmp_path, capsys):
    gold_dir, pred_dir, _, _ = corpus
    out = tmp_path / "errors" / "all.jsonl"
    code = main(
        ["evaluate", str(gold_dir), str(pred_dir), "--format", "json", "--errors", "3", "--errors-out", str(out)]
    )
    res = json.loads(capsys.readouterr().out)
    assert code == 0
    assert len(res["errors"]) == 3
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == res["error_counts"]["total"]
    full = evaluate_paths([gold_dir], [pred_dir], bootstrap_n=0, max_errors=None).result
    assert full is not None
    key = lambda e: json.dumps(e, sort_keys=True)  # noqa: E731
    assert sorted(map(key, lines)) == sorted(map(key, full["errors"]))
    before = out.read_bytes()
    # A failed run (a prediction for another text) leaves the earlier file as it was, and no temporary file.
    bad = DATA / "pred-errors" / "evaluate.text-mismatch.json"
    code = main(["evaluate", str(DATA / "gold"), str(bad), "--errors-out", str(out)])
    capsys.readouterr()
    assert code == 1
    assert out.read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["all.jsonl"]


def test_errors_option_usage(capsys, tmp_path):
    gold = str(DATA / "gold")
    assert main(["evaluate", gold, gold, "--errors", "-1"]) == 2
    assert main(["evaluate", gold, gold, "--errors-out", str(tmp_path)]) == 2
    assert "--errors" in capsys.readouterr().err


@pytest.mark.parametrize("path", sorted((DATA / "pred-errors").glob("*.json")), ids=lambda p: p.stem)
def test_streaming_findings_equal_loading_findings(path):
    pair = load_pair([DATA / "gold"], [path])
    got = evaluate_paths([DATA / "gold"], [path], bootstrap_n=0)
    assert {(f.check, f.severity, f.doc_id, f.file) for f in got.findings} == {
        (f.check, f.severity, f.doc_id, f.file) for f in pair.findings
    }
    assert got.ok == pair.ok
    assert (got.result is None) == (not pair.ok)


def test_duplicates_unknown_and_empty_gold_are_errors(tmp_path):
    gold = _records(DATA / "gold")
    (tmp_path / "gold.json").write_text(json.dumps([*gold, gold[0]]), encoding="utf-8")
    got = evaluate_paths([tmp_path / "gold.json"], [DATA / "pred-system-a"], bootstrap_n=0)
    assert [f.check for f in got.findings if f.severity == "error"] == ["evaluate.duplicate-document"]
    assert got.result is None
    (tmp_path / "empty").mkdir()
    got = evaluate_paths([tmp_path / "empty"], [DATA / "pred-system-a"], bootstrap_n=0)
    checks = [f.check for f in got.findings]
    assert checks[0] == "evaluate.no-documents"
    assert checks.count("evaluate.unknown-document") == 3
