"""The evaluate stage's commands end to end: files in, exit codes, findings and scores out."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from newsevents.cli import main

DATA = Path(__file__).parent / "data"
GOLD = DATA / "gold"
ERRORS = sorted((DATA / "pred-errors").glob("*.json"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_evaluate_json_has_every_score_with_an_interval(capsys):
    code, out, _ = run(
        capsys, "evaluate", str(GOLD), str(DATA / "pred-system-a"), "--format", "json", "--coref", "--bootstrap", "200"
    )
    assert code == 0
    res = json.loads(out)
    assert res["documents"] == 3
    for key in (
        "entities.strict",
        "entities.exact",
        "entities.partial",
        "entities.type",
        "entities.bio",
        "events.trig_i",
        "events.trig_c",
        "events.arg_i",
        "events.arg_c",
        "events.arg_i+",
        "events.arg_c+",
        "events.arg_c.coref",
        "entities.strict.type.PER",
        "entities.strict.kind.NOM",
        "events.arg_c.role.Attacker",
    ):
        m = res["metrics"][key]
        lo, hi = m["ci"]["f1"]
        assert lo <= m["f1"] <= hi, key
    assert set(res["confusion"]) == {"entity_type", "event_type", "role"}
    assert res["confusion"]["entity_type"]["matrix"]["PER"]["ORG"] == 1  # "both sides" retyped
    assert {e["layer"] for e in res["errors"]} == {"entity", "trigger", "argument"}
    assert all("[[" in e["context"] for e in res["errors"])
    assert res["rules"]["events.arg_c+"].startswith("(trigger span")


def test_evaluate_is_seeded(capsys):
    args = ("evaluate", str(GOLD), str(DATA / "pred-system-b"), "--format", "json", "--bootstrap", "100", "--seed", "3")
    first = run(capsys, *args)[1]
    assert run(capsys, *args)[1] == first
    other = json.loads(run(capsys, *args[:-1], "4")[1])
    assert other["metrics"]["entities.strict"]["f1"] == json.loads(first)["metrics"]["entities.strict"]["f1"]


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_evaluate_renders(capsys, fmt):
    code, out, _ = run(capsys, "evaluate", str(GOLD), str(DATA / "pred-system-a"), "--format", fmt, "--bootstrap", "50")
    assert code == 0
    for needle in ("strict", "BIO chunks", "Trig-C", "Arg-C+", "by role", "Confusion: entity type", "Errors"):
        assert needle in out


@pytest.mark.parametrize("path", ERRORS, ids=[p.stem for p in ERRORS])
def test_prediction_problems_are_findings(capsys, path):
    check = path.stem
    code, out, err = run(capsys, "evaluate", str(GOLD), str(path), "--format", "json", "--bootstrap", "0")
    assert f"[{check}]" in err
    if check == "evaluate.missing-prediction":  # a warning: scored as empty
        assert code == 0
        res = json.loads(out)
        assert res["metrics"]["entities.strict"]["MIS"] >= 3
    else:
        assert code == 1
        assert out == ""


def test_compare_gives_paired_p_values(capsys):
    code, out, _ = run(
        capsys,
        "compare",
        str(GOLD),
        str(DATA / "pred-system-a"),
        str(DATA / "pred-system-b"),
        "--format",
        "json",
        "--bootstrap",
        "200",
    )
    assert code == 0
    res = json.loads(out)
    row = res["metrics"]["entities.strict"]
    assert row["difference"] > 0
    assert 0 < row["p_value"] <= 1
    same = json.loads(
        run(
            capsys,
            "compare",
            str(GOLD),
            str(DATA / "pred-system-a"),
            str(DATA / "pred-system-a"),
            "--format",
            "json",
            "--bootstrap",
            "50",
        )[1]
    )
    assert same["metrics"]["entities.strict"]["p_value"] == 1.0
    code, out, _ = run(
        capsys, "compare", str(GOLD), str(DATA / "pred-system-a"), str(DATA / "pred-system-b"), "--bootstrap", "50"
    )
    assert code == 0
    assert "entities.strict" in out


def test_usage_errors_exit_2(capsys):
    code, _, err = run(capsys, "evaluate", str(GOLD), "no/such/folder")
    assert code == 2
    assert "no such file" in err
    assert run(capsys, "evaluate", str(GOLD), str(GOLD), "--bootstrap", "-1")[0] == 2


def test_baseline_writes_valid_predictions_and_scores(capsys, tmp_path):
    code, out, _ = run(capsys, "baseline", "--out", str(tmp_path / "lex"), str(GOLD))
    assert code == 0
    assert "wrote 3 prediction records" in out
    code, _, _ = run(capsys, "validate", str(tmp_path / "lex"))
    assert code == 0
    code, out, _ = run(capsys, "evaluate", str(GOLD), str(tmp_path / "lex"), "--format", "json", "--bootstrap", "50")
    assert code == 0
    res = json.loads(out)
    assert res["metrics"]["entities.strict"]["COR"] > 0
    assert res["metrics"]["events.trig_c"]["COR"] > 0


def test_spacy_baseline_without_spacy_says_how_to_install(capsys, tmp_path, monkeypatch):
    # None in sys.modules makes `import spacy` raise ModuleNotFoundError, as on a machine without it.
    monkeypatch.setitem(sys.modules, "spacy", None)
    code, _, err = run(capsys, "baseline", "--spacy", "en_core_web_sm", "--out", str(tmp_path / "sp"), str(GOLD))
    assert code == 2
    assert "pip install spacy" in err
    assert not (tmp_path / "sp").exists()


def test_gold_that_is_not_gold_is_a_warning(capsys):
    system = str(DATA / "pred-system-a")
    code, out, err = run(capsys, "evaluate", system, system, "--format", "json", "--bootstrap", "0")
    assert code == 0
    assert err.count("[evaluate.gold-status]") == 3
    assert json.loads(out)["metrics"]["entities.strict"]["f1"] == 1.0
