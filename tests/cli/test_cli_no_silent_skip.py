"""Every input a command is given or finds is processed or reported with a check id (issue #17)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsevents import progress
from newsevents.cli import main
from newsevents.resources import project_root

REPO = Path(__file__).resolve().parents[2]
PAGE = REPO / "tests" / "clean" / "cases" / "renderings" / "pier.blocks.txt"
GOLD = REPO / "annotations" / "gold"


@pytest.fixture
def outside_a_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The working directory is an empty folder that is no newsevents project."""
    monkeypatch.delenv("NEWSEVENTS_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    project_root.cache_clear()
    yield tmp_path
    project_root.cache_clear()


def test_clean_reports_a_pdf_found_beside_a_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(PAGE, src / "pier.txt")
    (src / "report.pdf").write_bytes(b"%PDF-1.4\n")
    (src / ".hidden.pdf").write_bytes(b"%PDF-1.4\n")  # hidden files are not read, as documented
    out = tmp_path / "out"
    assert main(["clean", str(src), "--out", str(out), "--jobs", "1"]) == 0  # found in a folder: a warning
    assert [p.name for p in out.iterdir()] == ["pier.json"]
    captured = capsys.readouterr()
    shown = captured.out + captured.err
    assert "clean.unsupported-format" in shown
    assert "report.pdf" in shown
    assert "supported: .txt, .html, .htm, .html.gz" in shown
    assert ".hidden.pdf" not in shown
    assert "cleaned 1 of 2 files" in captured.out
    assert "1 not cleaned (unsupported, hidden or not a file)" in captured.out


def test_clean_of_a_named_pdf_says_unsupported_file_type(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    out = tmp_path / "out"
    assert main(["clean", str(pdf), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert "clean.unsupported-format" in captured.err
    assert "unsupported file type" in captured.err
    assert "no article text" not in captured.err + captured.out
    assert not out.exists() or not any(out.iterdir())


def test_clean_of_an_empty_folder_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert f"no files found in {tmp_path}" in capsys.readouterr().err


def test_validate_outside_a_project_says_where_it_looked(
    outside_a_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate"]) == 2
    err = capsys.readouterr().err
    assert f"no corpus/ or annotations/ folder in {outside_a_project}" in err
    assert "NEWSEVENTS_ROOT" in err


def test_validate_of_a_folder_without_records_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("not a record\n", encoding="utf-8")
    assert main(["validate", str(tmp_path)]) == 2
    assert f"nothing to validate: no *.json file found in {tmp_path}" in capsys.readouterr().err
    (tmp_path / "empty.json").write_text("[]", encoding="utf-8")
    assert main(["validate", str(tmp_path)]) == 2
    assert "1 JSON files hold no record" in capsys.readouterr().err


def test_validate_reports_files_it_does_not_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for gold in GOLD.glob("*.json"):
        shutil.copy(gold, tmp_path / gold.name)
    (tmp_path / "preds.jsonl").write_text("{}\n", encoding="utf-8")
    (tmp_path / ".notes.txt").write_text("hidden\n", encoding="utf-8")
    assert main(["validate", str(tmp_path)]) == 0  # a warning
    out = capsys.readouterr().out
    assert "preds.jsonl" in out
    assert "[validate.not-json] warning: not a .json file: not read" in out
    assert ".notes.txt" not in out
    assert out.splitlines()[-1].endswith("0 errors, 1 warnings")


def test_validate_of_records_still_reports_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(GOLD)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1].endswith("0 errors, 0 warnings")
    assert "records" in out


def test_no_bar_when_the_output_is_not_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(PAGE, tmp_path / "pier.txt")
    assert main(["clean", str(tmp_path / "pier.txt"), "--out", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    assert "\r" not in captured.err + captured.out
    assert "it/s" not in captured.err


def test_a_bar_is_drawn_on_a_terminal_once_work_takes_long(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSEVENTS_PROGRESS", "1")  # stands for a terminal
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "MININTERVAL", 0.0)  # stands for work that takes more than a few seconds
    shutil.copy(PAGE, tmp_path / "pier.txt")
    assert main(["clean", str(tmp_path / "pier.txt"), "--out", str(tmp_path / "out"), "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    assert "clean: 100%" in err
    assert "1/1" in err


def test_library_progress_is_counted_only_inside_a_cli_bar(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    progress.advance()  # no bar open: nothing happens
    assert capsys.readouterr().err == ""
    monkeypatch.setenv("NEWSEVENTS_PROGRESS", "1")
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "MININTERVAL", 0.0)
    with progress.counting(total=3, desc="evaluate"):
        for _ in range(3):
            progress.advance()
    assert "evaluate: 100%" in capsys.readouterr().err
    monkeypatch.setenv("NEWSEVENTS_PROGRESS", "0")
    assert not progress.enabled()


def test_evaluate_counts_its_documents_on_the_bar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSEVENTS_PROGRESS", "1")
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "MININTERVAL", 0.0)
    assert main(["evaluate", str(GOLD), str(GOLD), "--bootstrap", "0", "--format", "json"]) == 0
    captured = capsys.readouterr()
    n = len(list(GOLD.glob("*.json")))
    assert f"evaluate:{n}doc" in captured.err.replace(" ", "")
    assert json.loads(captured.out)["gold"] == str(GOLD)


def test_build_counts_its_documents_on_the_bar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Both passes of the build (collect, then write) count each document."""
    root = tmp_path / "project"
    shutil.copytree(Path(__file__).parent.parent / "build" / "cases" / "project", root)
    shutil.copy(Path(__file__).parent.parent.parent / "DATASHEET.md", root / "DATASHEET.md")
    monkeypatch.setenv("NEWSEVENTS_PROGRESS", "1")
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "MININTERVAL", 0.0)
    assert main(["build", "--root", str(root)]) == 0
    n = len(list((root / "corpus").glob("*.json")))
    assert f"build:{2 * n}doc" in capsys.readouterr().err.replace(" ", "")


def test_hidden_inputs_fifos_and_broken_links_in_a_folder_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(PAGE, src / "pier.txt")
    shutil.copy(PAGE, src / "..txt")
    os.mkfifo(src / "pipe.txt")
    (src / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    assert main(["clean", str(src), "--out", str(tmp_path / "out"), "--jobs", "1"]) == 0
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert f"{src / '..txt'}: [clean.hidden-input] warning" in text
    assert f"{src / 'pipe.txt'}: [clean.not-a-file] warning" in text
    assert f"{src / 'gone.txt'}: [clean.not-a-file] warning" in text
    assert "cleaned 1 of 4 files" in captured.out


def test_a_server_url_that_is_not_a_url_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LABEL_STUDIO_USER_TOKEN", "t")
    for url in ("::::", "127.0.0.1:8080", "ftp://x", "http://", "http://h:port"):
        assert main(["annotate", "pull", "--url", url]) == 2, url
        assert "is not" in capsys.readouterr().err
