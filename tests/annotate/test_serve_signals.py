"""Stopping ``newsevents annotate serve`` with SIGTERM or SIGINT stops the Label Studio server too.

Each case starts its own server (so no order dependence on the session fixture), on a free loopback
port with a temporary data folder holding a copy of a migrated database (``conftest.py``: the
migrations run once for the session; a first start that runs them is the session fixture's), sends
one signal, and then checks that serve exited promptly with a sensible code, that the port closed
and that no process it started (Label Studio and anything under it, found by the data folder on its
command line as well as by ancestry) survives.

SIGTERM goes out as soon as the port answers, which is the moment ``scripts/gold_session.sh``'s
trap can fire (serve may still be finishing its start-up); SIGINT goes out after serve announced
the server, as Ctrl-C in a terminal does, followed by a SIGTERM while serve is stopping (an
impatient user, or the script's trap after a Ctrl-C): the stop must still finish.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from newsevents.annotate.server import DATABASE_FILE, Server, ServerError, free_port, port_in_use

START_TIMEOUT = 300.0  # the machine is shared and slow
STOP_TIMEOUT = 45.0  # serve's own stop allows 15 s before SIGKILL


def _env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABEL_STUDIO_")}
    env["NEWSEVENTS_ROOT"] = str(root)
    return env


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _using(data_dir: Path) -> list[psutil.Process]:
    """Live processes whose command line names ``data_dir`` (the server, whoever its parent is)."""
    found = []
    for p in psutil.process_iter(["cmdline", "status"]):
        cmd = p.info["cmdline"] or []
        if p.info["status"] != psutil.STATUS_ZOMBIE and any(str(data_dir) in arg for arg in cmd):
            found.append(p)
    return found


@pytest.mark.parametrize(
    ("sig", "after_ready", "then", "codes"),
    [
        # The trap may fire before serve announced the server: 0 if it was ready, 143 if it was not.
        pytest.param(signal.SIGTERM, False, None, {0, 128 + signal.SIGTERM}, id="SIGTERM-as-soon-as-the-port-answers"),
        pytest.param(signal.SIGINT, True, signal.SIGTERM, {0}, id="SIGINT-after-the-ready-line-then-SIGTERM"),
    ],
)
def test_a_signal_to_serve_stops_the_whole_server(
    tmp_path: Path,
    migrated_database: Path,
    *,
    sig: signal.Signals,
    after_ready: bool,
    then: signal.Signals | None,
    codes: set[int],
) -> None:
    data_dir = (tmp_path / "ls-data").resolve()
    data_dir.mkdir(mode=0o700)
    shutil.copyfile(migrated_database, data_dir / DATABASE_FILE)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsevents.cli", "annotate", "serve",
         "--port", str(port), "--data-dir", str(data_dir), "--timeout", str(START_TIMEOUT)],
        env=_env(tmp_path), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    started: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not port_in_use(port):
            assert proc.poll() is None, f"serve exited with {proc.returncode} before the port answered"
            assert time.monotonic() < deadline, "the port never answered"
            started = _descendants(proc.pid) or started
            time.sleep(0.2)
        if after_ready:
            assert proc.stdout is not None
            assert proc.stdout.readline().startswith(f"Label Studio is running at http://127.0.0.1:{port}/")
        started = _descendants(proc.pid) or started
        assert started, "serve started no server process"
        proc.send_signal(sig)
        t0 = time.monotonic()
        if then is not None:
            assert proc.stderr is not None
            while "stopping" not in proc.stderr.readline():  # serve is inside its stop now
                assert proc.poll() is None, "serve exited without saying it stops the server"
            proc.send_signal(then)
        _, err = proc.communicate(timeout=STOP_TIMEOUT)
        took = time.monotonic() - t0
    finally:
        if proc.poll() is None:  # the test failed: do not leave serve behind
            proc.kill()
            proc.wait(30)
        survivors_now = [p for p in started if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        strays = _using(data_dir)
        for p in {*survivors_now, *strays}:  # clean up before asserting, so a failure leaves nothing running
            p.kill()
    assert not survivors_now, f"still running after serve exited: {[p.pid for p in survivors_now]}"
    assert not strays, f"processes on {data_dir} still running: {[p.pid for p in strays]}"
    assert not port_in_use(port)
    assert proc.returncode in codes, f"serve exited with {proc.returncode} after {sig.name}: {err[-2000:]}"
    assert took < STOP_TIMEOUT


# The library helper on its own, with small real process groups instead of Label Studio (fast):
# a leader that ignores SIGTERM, and a leader that leaves a worker behind in its group.

_IGNORES_SIGTERM = (
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('up', flush=True); time.sleep(600)"
)
_LEAVES_A_WORKER = (
    "import os, signal, subprocess, sys, time\n"
    "w = subprocess.Popen([sys.executable, '-c', "
    "'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)'])\n"
    "print(w.pid, flush=True)\n"
    "time.sleep(600)\n"
)


def _group_server(tmp_path: Path, code: str) -> tuple[Server, str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, start_new_session=True
    )
    assert proc.stdout is not None
    first = proc.stdout.readline().decode().strip()  # the group is set up
    return Server(proc, f"http://127.0.0.1:{free_port()}", tmp_path, tmp_path / "server.log"), first


def test_stop_escalates_to_sigkill_when_the_server_ignores_sigterm(tmp_path: Path) -> None:
    srv, _ = _group_server(tmp_path, _IGNORES_SIGTERM)
    t0 = time.monotonic()
    srv.stop(timeout=1.0)
    assert time.monotonic() - t0 < 10
    assert srv.process.returncode == -signal.SIGKILL
    srv.stop()  # a second stop is harmless


def test_stop_returns_only_once_the_whole_process_group_is_gone(tmp_path: Path) -> None:
    srv, worker_pid = _group_server(tmp_path, _LEAVES_A_WORKER)
    worker = psutil.Process(int(worker_pid))
    srv.stop(timeout=1.0)
    assert srv.process.returncode == -signal.SIGTERM
    assert not worker.is_running() or worker.status() == psutil.STATUS_ZOMBIE


def test_a_server_that_never_answers_is_stopped_when_the_wait_gives_up(tmp_path: Path) -> None:
    srv, _ = _group_server(tmp_path, "import time; print('up', flush=True); time.sleep(600)")
    with pytest.raises(ServerError, match="did not answer"):
        srv.wait_ready(timeout=1.0)
    assert srv.process.returncode == -signal.SIGTERM  # stopped, not left running


def test_a_start_interrupted_by_ctrl_c_stops_the_server(tmp_path: Path) -> None:
    srv, _ = _group_server(tmp_path, "import time; print('up', flush=True); time.sleep(600)")

    def ctrl_c(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, ctrl_c)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        with pytest.raises(KeyboardInterrupt):
            srv.wait_ready(timeout=60.0)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert srv.process.returncode == -signal.SIGTERM
