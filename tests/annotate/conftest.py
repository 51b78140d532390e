"""One real Label Studio server for the whole test session, started by the project's own command.

The fixture runs ``newsevents annotate serve`` exactly as an annotator does (a temporary project
folder, no credentials in the environment, so they are generated into its ``.env``; a first start,
migrations included) on a free loopback port, waits for the URL line, and stops it with Ctrl-C
(SIGINT) at the end. If it cannot start, every test that needs it fails (never skips): the
annotation stage is only tested against the real thing. With ``CI`` set the failure message
carries the server log.

Tests that start servers of their own (``test_serve_signals.py``) start them on a copy of a
migrated database (:func:`migrated_database`) instead of migrating again, a minute each: Label
Studio's migrations run once, in the background from the first test of this folder on, with
Django's own ``migrate`` as Label Studio's first start runs it.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# annotate_support.py sits beside the tests; the tests folder is not a package.
sys.path.insert(0, str(Path(__file__).parent))

from annotate_support import ANNOTATORS, Live

from newsevents.annotate import client as ls
from newsevents.annotate.server import DATABASE_FILE, OFFLINE_ENV, free_port, health, load_credentials

__all__ = ["ANNOTATORS", "Live"]  # test modules of other authors import Live from here


def _fail(msg: str, root: Path) -> None:
    log_file = root / ".label-studio" / "server.log"
    log = log_file.read_text(errors="replace")[-4000:] if log_file.exists() else "(no log)"
    loud = f"\n--- server log (tail) ---\n{log}" if os.environ.get("CI") else ""
    pytest.fail(f"the Label Studio server needed by tests/annotate could not start: {msg}{loud}", pytrace=False)


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    root = tmp_path_factory.mktemp("project")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABEL_STUDIO_")}
    env["NEWSEVENTS_ROOT"] = str(root)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsevents.cli", "annotate", "serve", "--port", str(port), "--timeout", "900"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert proc.stdout is not None
    printed = proc.stdout.readline()  # serve prints the URL once the health check answers
    if not printed.startswith("Label Studio is running at"):
        proc.kill()
        _, err = proc.communicate(timeout=30)
        _fail(f"`newsevents annotate serve` exited with {proc.returncode}: {err.strip()[-1000:]}", root)
    try:
        creds = load_credentials(root / ".env", environ={})
        url = f"http://127.0.0.1:{port}"
        session = ls.connect(url, creds.token)
        users = {}
        for email in ANNOTATORS:
            u = session.client.users.create(
                username=email.split("@")[0], email=email, password=secrets.token_urlsafe(12)
            )
            assert u.id is not None
            users[email] = int(u.id)
        yield Live(url, root, creds, session, users, printed)
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    # Stopping with Ctrl-C is a clean exit, and nothing serve printed holds a secret.
    assert proc.returncode == 0, err
    for text in (printed, out, err):
        assert creds.password not in text
        assert creds.token not in text
    assert not health(url)  # the server went down with serve


# The tests that start a server of their own on a copy of the migrated database.
_OWN_SERVERS = "test_serve_signals.py::test_a_signal_to_serve_stops_the_whole_server"
MIGRATE_TIMEOUT = 900.0  # the machine is shared and slow; a migration alone takes about a minute


class Migration:
    """Label Studio's migrations into an empty folder, run in the background (Django's
    ``migrate``, through Label Studio's own ``manage.py``, with the server's offline settings)."""

    def __init__(self, folder: Path) -> None:
        spec = importlib.util.find_spec("label_studio")
        if spec is None or spec.origin is None:
            pytest.fail("label-studio is not installed (pip install -e '.[test]')", pytrace=False)
        self.folder = folder
        self.log = folder / "migrate.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("LABEL_STUDIO_")}
        env.update(OFFLINE_ENV)
        env["LABEL_STUDIO_BASE_DATA_DIR"] = str(folder)
        manage = Path(spec.origin).parent / "manage.py"
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, str(manage), "migrate", "--no-color", "--verbosity", "0"],
                env=env, cwd=folder, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip

    def database(self) -> Path:
        """The migrated database, once the migrations have finished (a test failure if they fail)."""
        try:
            code = self.proc.wait(MIGRATE_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.stop()
            code = None
        db = self.folder / DATABASE_FILE
        if code != 0 or not db.is_file():
            log = self.log.read_text(errors="replace")[-4000:]
            pytest.fail(f"Label Studio's migrations failed (exit {code}):\n{log}", pytrace=False)
        return db

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(30)


@pytest.fixture(scope="session", autouse=True)
def migration(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Migration | None]:
    """Started with the first test of this folder when the session runs a test that needs it."""
    if not any(_OWN_SERVERS in item.nodeid for item in request.session.items):
        yield None
        return
    started = Migration(tmp_path_factory.mktemp("ls-migrated"))
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture
def migrated_database(migration: Migration | None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Label Studio database with every migration applied and nothing else (no user, no project):
    what a server's first start makes before it creates its user. Copy it, never open it."""
    return (migration or Migration(tmp_path_factory.mktemp("ls-migrated"))).database()
