"""Every bench script runs once at a tiny size, so none can rot.

These are not timed tests: they check that each script runs on the landed code and prints its
result rows in the documented shape (``--json``). The figures themselves live in
``docs/benchmarks.md``, measured at 10k/100k documents with the commands written there.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newsevents.validate import validate_paths

REPO = Path(__file__).resolve().parents[2]
BENCH = REPO / "bench"
GOLD_SEED = REPO / "annotations" / "gold" / "dw-2019-12-29-us-hits-back-iraq.json"
FIXTURE_SEED = REPO / "tests" / "cases" / "validate" / "valid" / "annotated.json"
# The cleaning development set sits beside the project (shared/), never inside it.
CLEANING_DEV = next(
    (p for p in (REPO.parent / "shared" / "cleaning-dev", Path("/work/shared/cleaning-dev")) if p.is_dir()), None
)
N_DOCS = 20


def run_script(name: str, *args: str, timeout: int = 120) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, str(BENCH / name), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=REPO,
    )
    assert out.returncode == 0, f"{name} exited {out.returncode}:\n{out.stderr[-3000:]}"
    return json.loads(out.stdout)


def check_shape(result: dict[str, Any], bench: str) -> dict[str, dict[str, Any]]:
    assert result["bench"] == bench
    assert result["machine"]["cpus"] >= 1
    assert result["machine"]["python"].count(".") == 2
    assert "newsevents" in result["machine"]["versions"]
    rows = {r["name"]: r for r in result["rows"]}
    assert rows, "no result rows"
    for r in rows.values():
        assert set(r) >= {"name", "items", "seconds", "per_second", "unit", "ratio", "reference", "target", "met"}
        assert r["seconds"] >= 0
        if r["target"] is not None:
            assert isinstance(r["met"], bool), f"{r['name']}: a row with a target says whether it was met"
            assert r["ratio"] is not None
    return rows


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "corpus"
    seed = GOLD_SEED if GOLD_SEED.is_file() else FIXTURE_SEED
    done = subprocess.run(
        [
            sys.executable,
            str(BENCH / "generate.py"),
            "--n",
            str(N_DOCS),
            "--out",
            str(out),
            "--pred",
            "--jsonl",
            "--record",
            str(seed),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return out


def test_generator_is_deterministic_and_shifts_offsets(corpus: Path, tmp_path: Path) -> None:
    info = json.loads((corpus / "corpus.json").read_text(encoding="utf-8"))
    assert info["documents"] == N_DOCS
    gold = sorted((corpus / "gold").glob("*.json"))
    assert [p.name for p in gold] == [f"bench-{i:06d}.json" for i in range(N_DOCS)]
    assert len((corpus / "gold.jsonl").read_text(encoding="utf-8").splitlines()) == N_DOCS
    records = [json.loads(p.read_text(encoding="utf-8")) for p in gold]
    # Offsets differ per document: the filler paragraph has a varying length.
    last_starts = {r["entity_mentions"][-1]["start"] for r in records}
    assert len(last_starts) > 1
    again = tmp_path / "again"
    subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), "--n", "3", "--out", str(again), "--record", info["seed_record"]],
        check=True,
        capture_output=True,
    )
    for i in range(3):
        name = f"bench-{i:06d}.json"
        assert (again / "gold" / name).read_bytes() == (corpus / "gold" / name).read_bytes()


def test_generated_records_are_valid(corpus: Path) -> None:
    report = validate_paths([corpus / "gold", corpus / "pred"], levels=3)
    assert report.records == 2 * N_DOCS
    assert report.findings == []


def test_bench_validate(corpus: Path) -> None:
    rows = check_shape(
        run_script("bench_validate.py", str(corpus), "--json", "--repeat", "1", "--ref-limit", "5"), "validate"
    )
    for level in (1, 2, 3):
        assert rows[f"validate_paths level {level} (read + parse + validate)"]["items"] == N_DOCS
    assert rows["validate_paths level 3 (read + parse + validate)"]["target"] is not None
    assert rows["reference: jsonschema is_valid (parsed records)"]["items"] == 5


def test_bench_evaluate(corpus: Path) -> None:
    result = run_script("bench_evaluate.py", str(corpus), "--json", "--repeat", "1", "--bootstrap", "20")
    rows = check_shape(result, "evaluate")
    assert rows["bio.score_tags (same tags)"]["target"] is not None
    assert rows["reference: seqeval classification_report strict IOB2"]["items"] == N_DOCS
    assert rows["reference: nervaluate Evaluator (4 schemes, per type)"]["items"] == N_DOCS
    assert result["info"]["entities.strict.f1"] == result["info"]["entities.strict.f1 (score_mentions)"]


def test_bench_build(corpus: Path) -> None:
    result = run_script("bench_build.py", str(corpus), "--json", "--repeat", "1", "--limit", "10")
    rows = check_shape(result, "build")
    assert rows["build_project (read, validate, render, install)"]["items"] == 10
    for config in ("documents", "sentences", "ner"):
        ref = rows[f"reference: pyarrow.parquet.read_table {config}"]
        assert rows[f"load_dataset {config}, warm cache"]["items"] == ref["items"] > 0
    assert result["info"]["rows_per_config"]["documents"] == 10


def test_bench_memory(corpus: Path) -> None:
    result = run_script("bench_memory.py", str(corpus), "--json", "--limit", "10")
    rows = check_shape(result, "memory")
    for stage in ("validate", "build", "evaluate"):
        row = rows[f"{stage} peak RSS"]
        assert row["extra"]["peak_rss_mib"] > 0
        assert row["reference"] == "corpus copies held"
    assert result["info"]["gold_on_disk_bytes"] > 0


def test_bench_scaleout(corpus: Path) -> None:
    rows = check_shape(run_script("bench_scaleout.py", str(corpus), "--json", "--limit", "10"), "scale-out")
    assert rows["validate: Dataset.map num_proc=2"]["reference"] == "num_proc=1 (speed-up)"


@pytest.mark.skipif(
    CLEANING_DEV is None, reason="the cleaning development set (shared/cleaning-dev) is not beside the project"
)
def test_bench_clean() -> None:
    assert CLEANING_DEV is not None
    result = run_script("bench_clean.py", str(CLEANING_DEV), "--json", "--limit", "5")
    rows = check_shape(result, "clean")
    assert rows["clean html (trafilatura + newsevents rules + record)"]["items"] == 5
    assert rows["reference: trafilatura.extract default (html)"]["items"] == 5
    assert 0.0 <= result["info"]["f1"]["html"] <= 1.0


@pytest.mark.skipif(
    CLEANING_DEV is None, reason="the cleaning development set (shared/cleaning-dev) is not beside the project"
)
@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("check_trafilatura_paths.py", "selections differing: 0; extracted texts differing: 0"),
        ("check_markup_author.py", "; differing: 0"),
        ("clean_html_stages.py", "ratio (reference / profile resolution + clean_page): "),
    ],
)
def test_html_checks_run_on_real_pages(script: str, expected: str) -> None:
    """The HTML cleaner's exactness checks and stage timing run (and the checks find no difference)."""
    assert CLEANING_DEV is not None
    args = [str(BENCH / script), str(CLEANING_DEV / "html"), "--limit", "4"]
    args += ["--repeat", "1"] if script == "clean_html_stages.py" else []
    out = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=300, check=False, cwd=REPO)
    assert out.returncode == 0, out.stdout + out.stderr[-3000:]
    assert out.stdout.startswith("4 pages")
    assert expected in out.stdout


@pytest.mark.skipif(
    CLEANING_DEV is None, reason="the cleaning development set (shared/cleaning-dev) is not beside the project"
)
def test_cv_clean_and_the_block_classifier_agree_on_the_rules_figure() -> None:
    # Both scripts score the rules on the same held-out folds: the same figure, or one of them rotted.
    assert CLEANING_DEV is not None
    cv = run_script("cv_clean.py", str(CLEANING_DEV), "--renderers", "blocks", "--limit", "20", "--json")
    learned = run_script(
        "block_classifier.py",
        str(CLEANING_DEV),
        "--renderers",
        "blocks",
        "--limit",
        "20",
        "--models",
        "logreg",
        "--json",
    )
    rules = cv["renderers"]["blocks"]
    held = learned["renderers"]["blocks"]["models"]["logreg"]["held_out"]
    assert rules["pages"] == learned["renderers"]["blocks"]["pages"] == 20
    assert held["rules"]["cv_mean"] == pytest.approx(rules["f1_cv_mean"], abs=1e-4)
    assert 0.0 <= held["model"]["cv_mean"] <= 1.0
    assert 0.0 <= held["hybrid"]["cv_mean"] <= 1.0


def test_dask_example_cleans_and_validates(corpus: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason='the Dask example needs the bench extra: pip install "newsevents[bench]"')
    pages = tmp_path / "pages"
    pages.mkdir()
    # Text renderings made from the generated records: real input for the text cleaner.
    for p in sorted((corpus / "gold").glob("*.json"))[:4]:
        (pages / f"{p.stem}.txt").write_text(json.loads(p.read_text(encoding="utf-8"))["text"] + "\n", encoding="utf-8")
    out = tmp_path / "out"
    cleaned = subprocess.run(
        [sys.executable, str(BENCH / "dask_pipeline.py"), "clean", str(pages), "--out", str(out), "--workers", "2"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert cleaned.returncode == 0, cleaned.stderr[-3000:]
    summary = json.loads(cleaned.stdout)
    assert summary["files"] == summary["ok"] == 4
    assert sorted(p.name for p in out.glob("*.json")) == sorted(f"{p.stem}.json" for p in pages.iterdir())
    validated = subprocess.run(
        [sys.executable, str(BENCH / "dask_pipeline.py"), "validate", str(corpus / "gold"), "--workers", "2"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert validated.returncode == 0, validated.stderr[-3000:]
    assert json.loads(validated.stdout)["ok"] == N_DOCS
