"""Exit code 3: an internal error is one line naming where it happened and saying it is a bug."""

from __future__ import annotations

import argparse

import pytest

import newsevents.cli.schema
from newsevents.cli import EXIT_INTERNAL, main


def _bug(_args: argparse.Namespace) -> int:
    return {}["missing"]  # type: ignore[no-any-return]


def test_a_bug_is_exit_3_with_one_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(newsevents.cli.schema, "run", _bug)
    monkeypatch.delenv("NEWSEVENTS_DEBUG", raising=False)
    assert main(["schema"]) == EXIT_INTERNAL == 3
    err = capsys.readouterr().err
    assert "Traceback" not in err
    [line] = err.splitlines()
    assert line.startswith("newsevents schema: internal error at ")
    assert "test_cli_exit_codes.py:" in line  # the file where it was raised
    assert "KeyError" in line
    assert "bug" in line
    assert "--debug" in line


def test_debug_prints_the_traceback(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(newsevents.cli.schema, "run", _bug)
    assert main(["--debug", "schema"]) == 3
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert "in _bug" in err


def test_usage_errors_stay_exit_2(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "missing")]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["no-such-command"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
