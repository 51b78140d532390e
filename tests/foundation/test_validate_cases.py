"""Data-driven validator tests: each file under tests/cases/validate/invalid/ is named after the
one check it must trigger; every file under valid/ must pass with no finding."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from newsevents.cli import main
from newsevents.validate import CHECKS, GENERATED_CASES, render_catalogue, validate_paths, validate_record

CASES = Path(__file__).resolve().parent.parent / "cases" / "validate"
INVALID = sorted((CASES / "invalid").iterdir())
VALID = sorted((CASES / "valid").iterdir())


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_case_has_no_finding(path: Path) -> None:
    report = validate_paths([path])
    assert report.records >= 1
    assert report.findings == []


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name.removesuffix(".json"))
def test_invalid_case_triggers_exactly_its_check(path: Path) -> None:
    check = path.name.removesuffix(".json")
    report = validate_paths([path])
    assert {f.check for f in report.findings} == {check}
    for f in report.findings:
        assert f.file == str(path)
        assert f.message
        assert f.level == CHECKS[check]


def test_every_check_has_a_case_and_a_catalogue_entry() -> None:
    cased = {p.name.removesuffix(".json") for p in INVALID} | set(GENERATED_CASES)
    assert set(CHECKS) == cased
    for name in GENERATED_CASES.values():
        assert name.strip("`") in globals()
    catalogue = (CASES.parent.parent.parent / "docs" / "checks.md").read_text(encoding="utf-8")
    assert catalogue == render_catalogue(), "docs/checks.md is stale: run python scripts/render_checks.py"
    catalogued = set(re.findall(r"^\| `([a-z]+\.[A-Za-z0-9-]+)` \|", catalogue, flags=re.MULTILINE))
    assert catalogued == set(CHECKS)


def _base() -> dict:
    return json.loads((CASES / "valid" / "annotated.json").read_text(encoding="utf-8"))


def test_too_large_file_is_a_finding(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as f:
        f.truncate(65 * 1024 * 1024)  # sparse: no 65 MB written
    report = validate_paths([big])
    assert [f.check for f in report.findings] == ["io.too-large"]


def test_fifty_megabyte_text_is_a_finding(tmp_path: Path) -> None:
    rec = _base()
    rec.update(text="word " * 10_000_000, entity_mentions=[], event_mentions=[])
    rec.pop("text_sha256")
    rec.pop("cleaning")
    path = tmp_path / "huge-text.json"
    path.write_text(json.dumps(rec), encoding="utf-8")
    report = validate_paths([path])
    assert [f.check for f in report.findings] == ["schema.maxLength"]
    assert "50000000 characters" in report.findings[0].message


def test_cli_exit_codes_and_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(CASES / "valid")]) == 0
    capsys.readouterr()
    assert main(["validate", "--format", "json", str(CASES / "invalid" / "ref.span-text.json")]) == 1
    out = json.loads(capsys.readouterr().out)
    [finding] = out["findings"]
    assert finding["check"] == "ref.span-text"
    assert finding["doc_id"] == "case-ref-span-text"
    assert finding["pointer"] == "/entity_mentions/2"
    assert "Kirkuq" in finding["message"]
    assert main(["validate", str(tmp_path / "missing.json")]) == 2


def test_human_output_groups_by_document(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(CASES / "invalid")]) == 1
    out = capsys.readouterr().out
    assert "(document case-meaning-argument-type)" in out
    assert out.rstrip().splitlines()[-1].startswith(f"{len(INVALID)} files")


def test_all_findings_are_collected_not_only_the_first() -> None:
    rec = _base()
    rec["entity_mentions"][0]["text"] = "Rebelz"
    rec["entity_mentions"][1]["end"] = 10_000
    rec["event_mentions"][0]["arguments"][0]["role"] = "Victim"
    checks = sorted(f.check for f in validate_record(rec))
    assert checks == ["meaning.role-not-allowed", "ref.offset-range", "ref.span-text"]


def test_walking_a_folder_skips_raw_exports_and_adjudication_logs(tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "project-1.json").write_text('[{"id": 1, "annotations": []}]', encoding="utf-8")
    (tmp_path / "adjudication" / "doc").mkdir(parents=True)
    (tmp_path / "adjudication" / "doc" / "decisions.json").write_text('{"summary": {}}', encoding="utf-8")
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "annotated.json").write_bytes((CASES / "valid" / "annotated.json").read_bytes())
    report = validate_paths([tmp_path])
    assert (report.files, report.records, report.findings) == (1, 1, [])
    # named explicitly, an export is read (and is not a record)
    assert validate_paths([tmp_path / "exports" / "project-1.json"]).errors


def test_fifo_is_refused_unopened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)  # nobody writes to it: opening it for reading would block forever
    good = tmp_path / "good.json"
    good.write_bytes((CASES / "valid" / "minimal.json").read_bytes())
    report = validate_paths([tmp_path])
    assert (report.files, report.records) == (2, 1)
    [finding] = report.findings
    assert (finding.check, finding.file, finding.level) == ("io.special-file", str(fifo), 0)
    assert "FIFO" in finding.message


def test_five_thousand_digit_integer_is_a_finding(tmp_path: Path) -> None:
    rec = json.dumps(_base())
    path = tmp_path / "long-int.json"
    # json.loads raises ValueError (4,300-digit limit) on this: it used to crash validate
    path.write_text(rec.replace('"line": 2', '"line": ' + "9" * 5000), encoding="utf-8")
    report = validate_paths([path])
    assert [f.check for f in report.findings] == ["io.integer-too-large"]
    assert "5000 digits" in report.findings[0].message
    # one that parses but does not fit in 64 bits is the same finding, with its pointer
    path.write_text(rec.replace('"line": 2', '"line": ' + "9" * 40), encoding="utf-8")
    [finding] = validate_paths([path]).findings
    assert (finding.check, finding.pointer) == ("io.integer-too-large", "/cleaning/removed/0/line")
    # and a parsed record given to validate_record directly, however large the integer
    rec2 = _base()
    rec2["cleaning"]["removed"][0]["line"] = 10**5000
    assert [f.check for f in validate_record(rec2)] == ["io.integer-too-large"]


def test_time_budget_is_a_finding(tmp_path: Path) -> None:
    bad = _base()
    bad["entity_mentions"][0]["type"] = "NOPE"
    (tmp_path / "slow.json").write_text(json.dumps([bad] * 50), encoding="utf-8")
    (tmp_path / "z-good.json").write_bytes((CASES / "valid" / "minimal.json").read_bytes())
    report = validate_paths([tmp_path], time_budget=0.0)
    checks = [(f.check, Path(f.file or "").name) for f in report.findings]
    assert ("io.time-budget", "slow.json") in checks
    assert report.records < 51  # the rest of the slow file is not checked
    assert validate_paths([tmp_path]).records == 51  # the default budget is ample


def test_internal_error_is_a_finding_and_other_files_are_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsevents.validate as v  # noqa: PLC0415

    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.json").write_bytes((CASES / "valid" / "minimal.json").read_bytes())
    real = v.validate_record

    def flaky(rec: object, **kw: object) -> list:
        if str(kw.get("file", "")).endswith("b.json"):
            raise KeyError("a bug")
        return real(rec, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(v, "validate_record", flaky)
    report = v.validate_paths([tmp_path])
    assert report.files == 3
    assert [(f.check, Path(f.file or "").name) for f in report.findings] == [("io.internal-error", "b.json")]
    assert "KeyError" in report.findings[0].message
