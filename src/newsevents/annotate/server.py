"""Start and stop a local Label Studio server: SQLite in a project folder, loopback only, offline.

The server is the ``label-studio`` package (the ``server`` extra). It runs as a child process with
its log in ``<data_dir>/server.log``; credentials come from the environment or from the project's
git-ignored ``.env`` (generated on first use, mode 600 from its first byte) and never reach a log or
the terminal. The data folder holds the database with the API token in plain text: it is mode 700
and the server runs with umask 077, so nothing in it is readable by other users.

Each data folder has a server id (a UUID, :func:`server_id`), kept in ``<data-dir>/newsevents-server-id``
and published to the server's database by ``serve``; ``pull`` records it in every record so that
files pulled from another server are never mistaken for stale ones.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
DEFAULT_PORT = 8080
ENV_USERNAME = "LABEL_STUDIO_USERNAME"
ENV_PASSWORD = "LABEL_STUDIO_PASSWORD"  # noqa: S105 - the variable's name, not a password
ENV_TOKEN = "LABEL_STUDIO_USER_TOKEN"  # noqa: S105
ENV_URL = "LABEL_STUDIO_URL"
CREDENTIAL_KEYS = (ENV_USERNAME, ENV_PASSWORD, ENV_TOKEN)
SERVER_ID_FILE = "newsevents-server-id"
DATABASE_FILE = "label_studio.sqlite3"

# Environment that keeps the server offline and quiet: no version check against PyPI, no
# analytics, no Sentry (an empty DSN disables it), no browser, legacy tokens accepted.
OFFLINE_ENV = {
    "LABEL_STUDIO_LATEST_VERSION_CHECK": "false",
    "LATEST_VERSION_CHECK": "false",
    "COLLECT_ANALYTICS": "false",
    "LABEL_STUDIO_COLLECT_ANALYTICS": "false",
    "SENTRY_DSN": "",
    "LABEL_STUDIO_SENTRY_DSN": "",
    "FRONTEND_SENTRY_DSN": "",
    "LABEL_STUDIO_FRONTEND_SENTRY_DSN": "",
    "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
    "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
    "FEATURE_FLAGS_OFFLINE": "true",
    "CONVERTER_DOWNLOAD_RESOURCES": "false",
    "LABEL_STUDIO_LOCAL_FILES_SERVING_ENABLED": "false",
    "DJANGO_DB": "sqlite",
    "PYTHONUNBUFFERED": "1",
}


class ServerError(Exception):
    """The server cannot be started or reached: an environment problem (exit 2)."""


@dataclass(frozen=True, slots=True)
class Credentials:
    """The admin user and its legacy API token. ``repr`` hides the secrets."""

    username: str
    password: str = field(repr=False)
    token: str = field(repr=False)


def read_env_file(path: Path) -> dict[str, str]:
    """``KEY=VALUE`` lines of a ``.env`` file (comments and blank lines skipped, quotes removed)."""
    out: dict[str, str] = {}
    if not path.is_file():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        s = line.strip()
        if not s or s.startswith("#") or "=" not in s:
            continue
        key, _, value = s.partition("=")
        key = key.strip().removeprefix("export ").strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        out[key] = value
    return out


def write_private(path: Path, text: str) -> None:
    """Replace ``path`` atomically with a file of mode 600 from its first byte (never readable by
    others, not even for a moment: ``mkstemp`` creates it 600 and nothing widens it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def update_env_file(path: Path, updates: dict[str, str]) -> None:
    """Add or replace keys in ``.env``, keeping its other lines, mode 600."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    kept = [ln for ln in lines if ln.partition("=")[0].strip().removeprefix("export ").strip() not in updates]
    kept.extend(f"{k}={v}" for k, v in updates.items())
    write_private(path, "\n".join(kept) + "\n")


def private_data_dir(data_dir: Path) -> Path:
    """Create ``data_dir`` mode 700 (or tighten an existing one and its top-level files to owner-only).

    Label Studio keeps the API token in plain text in its database there.
    """
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    data_dir.chmod(0o700)
    for p in data_dir.iterdir():
        if not p.is_symlink():
            p.chmod(p.stat().st_mode & 0o700)
    return data_dir


def server_id(data_dir: Path, *, fresh: bool) -> str:
    """The data folder's server id from ``<data_dir>/newsevents-server-id``, created if missing.

    A ``fresh`` folder (no database yet: a new server, whose project and task ids start again at 1)
    always gets a new id, even if an old id file was left behind.
    """
    path = data_dir / SERVER_ID_FILE
    if not fresh and path.is_file():
        text = path.read_text(encoding="utf-8").strip()
        with contextlib.suppress(ValueError):
            return str(uuid.UUID(text))
    sid = str(uuid.uuid4())
    write_private(path, sid + "\n")
    return sid


def record_server_id(data_dir: Path, sid: str) -> None:
    """Write ``sid`` to the data folder's id file (the id the server's database holds wins)."""
    path = data_dir / SERVER_ID_FILE
    if not path.is_file() or path.read_text(encoding="utf-8").strip() != sid:
        write_private(path, sid + "\n")


def load_credentials(env_file: Path, *, environ: dict[str, str] | None = None, create: bool = False) -> Credentials:
    """Credentials from the environment, else from ``env_file``; generated into it if ``create``.

    Raises:
        ServerError: some are missing and ``create`` is false.
    """
    env = dict(os.environ if environ is None else environ)
    if env_file.is_file() and env_file.stat().st_mode & 0o077:
        env_file.chmod(0o600)  # an older or hand-made .env: the secrets in it are the owner's only
    stored = read_env_file(env_file)
    values = {k: env.get(k) or stored.get(k) or "" for k in CREDENTIAL_KEYS}
    missing = {k for k, v in values.items() if not v}
    if missing and create:
        generated = {
            ENV_USERNAME: "admin@newsevents.local",
            ENV_PASSWORD: secrets.token_urlsafe(18),
            ENV_TOKEN: secrets.token_hex(20),
        }
        updates = {k: generated[k] for k in sorted(missing)}
        update_env_file(env_file, updates)
        values.update(updates)
    elif missing:
        raise ServerError(
            f"no {', '.join(sorted(missing))} in the environment or in {env_file}; run `newsevents annotate serve` first"
        )
    return Credentials(values[ENV_USERNAME], values[ENV_PASSWORD], values[ENV_TOKEN])


def port_in_use(port: int, host: str = HOST) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def free_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        port: int = s.getsockname()[1]
        return port


def health(url: str, timeout: float = 2.0) -> bool:
    """True when ``GET <url>/health/`` answers 200 (the trailing slash matters)."""
    # No proxy: the server is on the loopback interface, and a proxy from the environment would
    # answer for it (or leak the request).
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{url.rstrip('/')}/health/", timeout=timeout) as resp:
            return bool(resp.status == 200)
    except (urllib.error.URLError, OSError, ValueError):
        return False


def label_studio_executable() -> str:
    """The ``label-studio`` command beside this Python, else on PATH.

    Raises:
        ServerError: the server extra is not installed.
    """
    beside = Path(sys.executable).parent / "label-studio"
    if beside.is_file():
        return str(beside)
    found = shutil.which("label-studio")
    if found:
        return found
    raise ServerError('the Label Studio server is not installed; install the extra: pip install -e ".[server]"')


@dataclass
class Server:
    """A server started by :func:`launch_server` (or :func:`start_server`).

    The server runs in its own session, so its process group holds Label Studio and anything it
    starts; :meth:`stop` ends that whole group and returns only once it is gone.
    """

    process: subprocess.Popen[bytes]
    url: str
    data_dir: Path
    log_file: Path

    def running(self) -> bool:
        return self.process.poll() is None

    def wait_ready(
        self, timeout: float = 180.0, *, on_wait: Callable[[float, str], None] | None = None, every: float = 15.0
    ) -> None:
        """Wait until ``GET /health/`` answers; on any failure or interruption stop the server.

        ``on_wait(elapsed_seconds, last_log_line)`` is called every ``every`` seconds while the
        server has not answered yet, so that a command can say what it is waiting for.

        Raises:
            ServerError: the server exits early or does not answer within ``timeout`` seconds.
        """
        try:
            self._await_health(timeout, on_wait, every)
        except BaseException:  # a signal (KeyboardInterrupt) too: never leave a half-started server
            self.stop()
            raise

    def last_log_line(self) -> str:
        """The last non-empty line of the server's log (what it is doing), or ``""``."""
        try:
            with self.log_file.open("rb") as f:
                f.seek(max(0, self.log_file.stat().st_size - 4096))
                lines = [ln.strip() for ln in f.read().decode("utf-8", "replace").splitlines() if ln.strip()]
        except OSError:
            return ""
        return lines[-1][:200] if lines else ""

    def _await_health(self, timeout: float, on_wait: Callable[[float, str], None] | None, every: float) -> None:
        start = time.monotonic()
        deadline = start + timeout
        next_note = start + every
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(
                    f"Label Studio exited with code {self.process.returncode} while starting; see {self.log_file}"
                )
            if health(self.url):
                return
            now = time.monotonic()
            if on_wait is not None and now >= next_note:
                on_wait(now - start, self.last_log_line())
                next_note = now + every
            time.sleep(0.5)
        raise ServerError(f"Label Studio did not answer {self.url}/health/ within {timeout:.0f} s; see {self.log_file}")

    def kill(self) -> None:
        """SIGKILL the whole process group now (the caller still reaps it with :meth:`stop`)."""
        _signal_group(self.process.pid, signal.SIGKILL)

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the server's process group: SIGTERM, then SIGKILL after ``timeout`` seconds.

        Returns once the server has exited and no process of its group is left, so the caller may
        remove the data folder. Safe to call twice, and after the server died on its own.
        """
        pgid = self.process.pid  # start_new_session: the group id is the server's pid
        if self.process.poll() is None:
            _signal_group(pgid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                _signal_group(pgid, signal.SIGKILL)
                self.process.wait()
        # The leader is reaped; the kernel does not reuse its pid while the group id is in use, so
        # a group that still answers holds our server's leftovers (a worker it forked): end them.
        deadline = time.monotonic() + timeout
        while _group_alive(pgid):
            sig = signal.SIGTERM if time.monotonic() < deadline else signal.SIGKILL
            _signal_group(pgid, sig)
            time.sleep(0.1)
        atexit.unregister(self.stop)


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # gone already
        os.killpg(pgid, sig)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: have the kernel send SIGTERM to the server when the process that started it dies, so a
    killed ``newsevents annotate serve`` (or test run) never leaves an orphan server behind.

    Also sets umask 077: everything the server creates (database, media) is private.
    """
    os.umask(0o077)
    if sys.platform.startswith("linux"):
        import ctypes  # noqa: PLC0415

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def server_env(data_dir: Path, creds: Credentials, base: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    env.update(OFFLINE_ENV)
    env.update(
        {
            "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
            ENV_USERNAME: creds.username,
            ENV_PASSWORD: creds.password,
            ENV_TOKEN: creds.token,
        }
    )
    # Label Studio also reads the bare names (USERNAME, PASSWORD ...) as fallbacks; drop the
    # shell's USERNAME etc. so only ours count.
    for bare in ("USERNAME", "PASSWORD", "USER_TOKEN", "HOST"):
        env.pop(bare, None)
    return env


def launch_server(data_dir: Path, creds: Credentials, *, port: int = DEFAULT_PORT) -> Server:
    """Start Label Studio on ``127.0.0.1:port`` with its data in ``data_dir``; do not wait.

    The server gets its own session (so :meth:`Server.stop` reaches every process it starts), is
    stopped at interpreter exit if the caller forgets, and on Linux is sent SIGTERM by the kernel
    if the process that started it dies without stopping it.

    Raises:
        ServerError: the port is busy (Label Studio would silently move to another one) or the
            server is not installed.
    """
    if port_in_use(port):
        raise ServerError(f"port {port} on {HOST} is already in use; stop what runs there or pass --port")
    exe = label_studio_executable()
    data_dir = private_data_dir(data_dir.resolve())
    log_file = data_dir / "server.log"
    url = f"http://{HOST}:{port}"
    cmd = [
        exe, "start",
        "--data-dir", str(data_dir),
        "--internal-host", HOST,
        "--port", str(port),
        "--host", url,
        "--no-browser",
        "--enable-legacy-api-token",
        "--log-level", "WARNING",
    ]  # fmt: skip
    with os.fdopen(os.open(log_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600), "ab") as log:
        process = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=server_env(data_dir, creds),
            cwd=data_dir,
            start_new_session=True,  # its own process group, so stop() reaches every child
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - only calls prctl, no locks or threads
        )
    server = Server(process, url, data_dir, log_file)
    atexit.register(server.stop)
    return server


def start_server(
    data_dir: Path,
    creds: Credentials,
    *,
    port: int = DEFAULT_PORT,
    timeout: float = 180.0,
) -> Server:
    """Start Label Studio on ``127.0.0.1:port`` with its data in ``data_dir``; wait for health.

    The first start on an empty folder runs the migrations (tens of seconds). If the wait fails or
    is interrupted (Ctrl-C), the server is stopped before the exception propagates.

    Raises:
        ServerError: the port is busy, the server is not installed, exits early, or does not
            answer within ``timeout`` seconds.
    """
    server = launch_server(data_dir, creds, port=port)
    server.wait_ready(timeout)
    return server
