"""One real Label Studio server for the whole test session, started by the project's own command.

The fixture runs ``newsevents annotate serve`` exactly as an annotator does (a temporary project
folder, no credentials in the environment, so they are generated into its ``.env``) on a free
loopback port, waits for the URL line, and stops it with Ctrl-C (SIGINT) at the end. If it cannot
start, every test that needs it fails (never skips): the annotation stage is only tested against
the real thing. With ``CI`` set the failure message carries the server log.
"""

from __future__ import annotations

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
from newsevents.annotate.server import free_port, health, load_credentials

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
