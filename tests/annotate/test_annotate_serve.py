"""``newsevents annotate serve`` as an annotator runs it, and the credentials file it writes."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

from annotate_support import Live

from newsevents.annotate.server import (
    CREDENTIAL_KEYS,
    OFFLINE_ENV,
    Credentials,
    health,
    load_credentials,
    read_env_file,
    server_env,
)


def _clean_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABEL_STUDIO_")}
    env["NEWSEVENTS_ROOT"] = str(root)
    return env


def test_credentials_are_generated_once_into_a_private_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("HF_TOKEN=keep-me\n# a comment\n")
    first = load_credentials(env_file, environ={}, create=True)
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    stored = read_env_file(env_file)
    assert stored["HF_TOKEN"] == "keep-me"  # noqa: S105 - a test value
    assert all(stored[k] for k in CREDENTIAL_KEYS)
    assert load_credentials(env_file, environ={}, create=True) == first  # not regenerated
    assert first.password not in repr(first)
    assert first.token not in repr(first)
    from_env = load_credentials(env_file, environ={"LABEL_STUDIO_USER_TOKEN": "from-environment"})
    assert from_env.token == "from-environment"  # noqa: S105 - a test value


def test_server_environment_is_offline_and_loopback(tmp_path: Path) -> None:
    shell = {"USERNAME": "shell-user", "HOST": "example.org"}
    env = server_env(tmp_path, Credentials("u@x", "p", "t"), base=shell)
    assert env["LABEL_STUDIO_LATEST_VERSION_CHECK"] == "false"
    assert env["COLLECT_ANALYTICS"] == "false"
    assert env["SENTRY_DSN"] == env["FRONTEND_SENTRY_DSN"] == ""  # empty: Sentry is not initialised
    assert env["LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN"] == "true"  # noqa: S105 - a flag
    assert "USERNAME" not in env  # Label Studio would read it as the admin's name
    assert "HOST" not in env
    assert set(OFFLINE_ENV) <= set(env)


def test_serve_refuses_a_busy_port(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        proc = subprocess.run(
        [sys.executable, "-m", "newsevents.cli", "annotate", "serve", "--port", port],
            env=_clean_env(tmp_path), capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"newsevents annotate: port {port} on 127.0.0.1 is already in use; stop what runs there or pass --port"
    ]


def test_serve_printed_the_url_and_wrote_private_credentials(live: Live) -> None:
    # The session fixture started the server with `newsevents annotate serve` in a fresh folder.
    assert live.printed.startswith(f"Label Studio is running at {live.url}/")
    env_file = live.root / ".env"
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
    stored = read_env_file(env_file)
    assert stored["LABEL_STUDIO_URL"] == live.url
    assert stored["LABEL_STUDIO_USER_TOKEN"] == live.creds.token
    assert (live.root / ".label-studio" / "label_studio.sqlite3").is_file()
    assert health(live.url)
    log = live.log_file.read_text(errors="replace")
    assert f"Starting development server at {live.url}/" in log  # bound where asked, not moved
    assert live.creds.password not in log
    assert live.creds.token not in log
