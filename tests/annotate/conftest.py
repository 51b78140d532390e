"""One real Label Studio server for the whole test session, started by the project's own code.

The server runs on a free loopback port with a temporary data folder and is stopped at the end.
If it cannot start, every test that needs it fails (never skips): the annotation stage is only
tested against the real thing. With ``CI`` set the failure message carries the server log.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# annotate_support.py sits beside the tests; the tests folder is not a package.
sys.path.insert(0, str(Path(__file__).parent))

from newsevents.annotate import client as ls  # noqa: E402
from newsevents.annotate.server import Credentials, Server, ServerError, free_port, start_server  # noqa: E402


@dataclass
class Live:
    server: Server
    creds: Credentials
    session: ls.Session
    users: dict[str, int]  # email -> id of the annotator accounts

    @property
    def url(self) -> str:
        return self.server.url


ANNOTATORS = ("alice@example.org", "bob@example.org", "carol@example.org")


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    data = tmp_path_factory.mktemp("label-studio-data")
    creds = Credentials("admin@tests.local", secrets.token_urlsafe(16), secrets.token_hex(20))
    try:
        server = start_server(data, creds, port=free_port(), timeout=300)
    except ServerError as exc:
        log = (data / "server.log").read_text(errors="replace")[-4000:] if (data / "server.log").exists() else ""
        loud = f"\n--- server log (tail) ---\n{log}" if os.environ.get("CI") else ""
        pytest.fail(f"the Label Studio server needed by tests/annotate could not start: {exc}{loud}", pytrace=False)
    try:
        session = ls.connect(server.url, creds.token)
        users = {}
        for email in ANNOTATORS:
            u = session.client.users.create(username=email.split("@")[0], email=email, password=secrets.token_urlsafe(12))
            assert u.id is not None
            users[email] = int(u.id)
        yield Live(server, creds, session, users)
    finally:
        server.stop()
