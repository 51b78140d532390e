"""`annotate serve` says what it waits for: the wait calls back while the server has not answered."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newsevents.annotate.server import Server, ServerError, free_port


def test_wait_ready_reports_progress_with_the_last_log_line(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    log.write_text("Applying migrations...\nApplying tasks.0042_something... OK\n", encoding="utf-8")
    # A real process that never answers on its port: the wait must say so, then give up.
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"], start_new_session=True)
    srv = Server(process=proc, url=f"http://127.0.0.1:{free_port()}", data_dir=tmp_path, log_file=log)
    notes: list[tuple[float, str]] = []
    with pytest.raises(ServerError, match="did not answer"):
        srv.wait_ready(2.5, on_wait=lambda elapsed, line: notes.append((elapsed, line)), every=0.5)
    assert len(notes) >= 2
    assert all(line == "Applying tasks.0042_something... OK" for _, line in notes)
    assert [e for e, _ in notes] == sorted(e for e, _ in notes)
    assert proc.poll() is not None  # the give-up stopped the process


def test_cli_note_names_the_wait(capsys: pytest.CaptureFixture[str]) -> None:
    from newsevents.cli.annotate import _still_waiting  # noqa: PLC0415

    _still_waiting(300)(45.2, "Applying migrations...")
    err = capsys.readouterr().err
    assert err == "still waiting for Label Studio after 45 s (timeout 300 s); server log: Applying migrations...\n"
