"""``newsevents annotate config|serve|push|pull``: the Label Studio annotation session.

Environment and server problems (server down, refused token, unknown project, busy port, server
extra missing) print one line and exit 2; data findings print one line each and exit 1.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from newsevents.cli import EXIT_FINDINGS, EXIT_OK, UsageError
from newsevents.records import Finding, Severity
from newsevents.resources import project_root

if TYPE_CHECKING:
    from newsevents.annotate.server import Server

DEFAULT_DATA_DIR = ".label-studio"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "annotate",
        help="annotation with Label Studio: config, serve, push, pull",
        description="Annotate the corpus in a local Label Studio (see docs/annotation.md).",
    )
    asub = p.add_subparsers(dest="annotate_command", metavar="SUBCOMMAND", required=True)

    c = asub.add_parser("config", help="print the labeling config generated from schema/ontology.json")
    c.add_argument("--output", type=Path, help="write it to this file instead of stdout")
    c.set_defaults(func=run_config)

    s = asub.add_parser("serve", help="start the local Label Studio server (Ctrl-C stops it)")
    s.add_argument("--port", type=int, default=8080, help="port on 127.0.0.1 (default 8080; a busy port is an error)")
    s.add_argument("--data-dir", type=Path, help=f"server data folder (default <project>/{DEFAULT_DATA_DIR})")
    s.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for the server to answer")
    s.set_defaults(func=run_serve)

    for name, helptext, func in (
        ("push", "create/update the project and import corpus documents as tasks", run_push),
        ("pull", "export the project and write annotations/passes and annotations/gold", run_pull),
    ):
        q = asub.add_parser(name, help=helptext)
        q.add_argument("--url", help="server URL (default: LABEL_STUDIO_URL from the environment or .env)")
        q.add_argument("--title", default="newsevents", help="project title (default newsevents)")
        q.set_defaults(func=func)
        if name == "push":
            q.add_argument("corpus", nargs="*", type=Path, metavar="PATH", help="records or folders (default corpus/)")
            q.add_argument(
                "--predictions", type=Path, metavar="FILE", help="canonical records to import as pre-annotations"
            )
        else:
            q.add_argument("--project", type=int, help="project id (instead of --title)")
            q.add_argument("--corpus", type=Path, help="corpus folder (default corpus/)")
            q.add_argument("--out", type=Path, help="annotations folder (default annotations/)")
            q.add_argument(
                "--prune",
                action="store_true",
                help="remove pass files of this project and server whose annotation is no longer in Label Studio "
                "(without it they are only reported; gold files, exports, files of other servers and git-tracked "
                "files are never removed)",
            )
            q.add_argument(
                "--force",
                action="store_true",
                help="replace files of another server or of unknown origin, and let --prune remove git-tracked files",
            )
            q.add_argument(
                "--allow-shrink",
                action="store_true",
                help="replace a gold record with one that has less than half of its mentions",
            )


@contextmanager
def _env_errors() -> Iterator[None]:
    from newsevents.annotate.client import AnnotateError  # noqa: PLC0415 - needs the SDK
    from newsevents.annotate.server import ServerError  # noqa: PLC0415

    try:
        yield
    except (AnnotateError, ServerError) as exc:
        raise UsageError(str(exc)) from exc


def _print_findings(findings: list[Finding]) -> int:
    for f in findings:
        print(str(f), file=sys.stderr)
    errors = sum(f.severity == Severity.ERROR.value for f in findings)
    if findings:
        print(f"{errors} errors, {len(findings) - errors} warnings", file=sys.stderr)
    return errors


def run_config(args: argparse.Namespace) -> int:
    from newsevents.annotate.config import config_errors, label_config  # noqa: PLC0415
    from newsevents.io import atomic_write_text  # noqa: PLC0415

    xml = label_config()
    errors = config_errors(xml)
    for e in errors:
        print(f"newsevents annotate config: the SDK rejects the config: {e}", file=sys.stderr)
    if args.output:
        atomic_write_text(args.output, xml)
    else:
        sys.stdout.write(xml)
    return EXIT_FINDINGS if errors else EXIT_OK


def _connection(url: str | None) -> tuple[str, str]:
    from newsevents.annotate.server import ENV_TOKEN, ENV_URL, HOST, read_env_file  # noqa: PLC0415

    stored = read_env_file(project_root() / ".env")
    url = url or os.environ.get(ENV_URL) or stored.get(ENV_URL) or f"http://{HOST}:8080"
    token = os.environ.get(ENV_TOKEN) or stored.get(ENV_TOKEN)
    if not token:
        raise UsageError(f"no {ENV_TOKEN} in the environment or in .env; run `newsevents annotate serve` first")
    return checked_url(url), token


def checked_url(url: str) -> str:
    """The server URL if it is ``http(s)://host[:port][/path]``; a usage error otherwise (not a traceback).

    >>> checked_url("http://127.0.0.1:8080")
    'http://127.0.0.1:8080'
    """
    from urllib.parse import urlsplit  # noqa: PLC0415

    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a port that is not a number
    except ValueError as exc:
        raise UsageError(f"server URL {url!r} is not a URL: {exc}") from exc
    if parts.scheme not in {"http", "https"} or not parts.hostname or url != url.strip() or port == 0:
        raise UsageError(f"server URL {url!r} is not http(s)://HOST[:PORT], e.g. http://127.0.0.1:8080")
    return url


class _Stopped(BaseException):  # like KeyboardInterrupt: no `except Exception` in a library eats it
    """Raised by serve's signal handler in the main thread: a stop was asked for."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


# Ctrl-C (SIGINT), kill (SIGTERM) and a closed terminal (SIGHUP) all stop the server.
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@dataclass
class _StopState:
    servers: list[Server] = field(default_factory=list)  # the server, once launched
    stopping: bool = False  # a signal now SIGKILLs the servers instead of raising


@contextmanager
def _stop_on_signals() -> Iterator[_StopState]:
    """Turn the first stop signal into :class:`_Stopped`; a second one SIGKILLs the server's group.

    The handlers are set explicitly because a background job started by a non-interactive shell
    inherits an ignored SIGINT, and before the server is started so that a signal during the slow
    first start stops it too. Once ``stopping`` is set, signals must not raise: that would abort
    the stop half-way and let serve exit before the server is gone.
    """
    state = _StopState()

    def handler(signum: int, _frame: object) -> None:
        if not state.stopping:
            state.stopping = True
            raise _Stopped(signum)
        for srv in state.servers:  # asked again while stopping: stop now
            srv.kill()

    previous = {sig: signal.signal(sig, handler) for sig in _STOP_SIGNALS}
    try:
        yield state
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _still_waiting(timeout: float) -> Callable[[float, str], None]:
    def note(elapsed: float, last_line: str) -> None:
        said = f"; server log: {last_line}" if last_line else ""
        print(f"still waiting for Label Studio after {elapsed:.0f} s (timeout {timeout:.0f} s){said}", file=sys.stderr)

    return note


def run_serve(args: argparse.Namespace) -> int:
    from newsevents.annotate import client as ls  # noqa: PLC0415
    from newsevents.annotate import server  # noqa: PLC0415

    root = project_root()
    data_dir = args.data_dir or root / DEFAULT_DATA_DIR
    env_file = root / ".env"
    ready = False
    with _stop_on_signals() as state, _env_errors():
        try:
            if server.port_in_use(args.port):  # before the slow start, and before any message
                raise UsageError(
                    f"port {args.port} on {server.HOST} is already in use; stop what runs there or pass --port"
                )
            creds = server.load_credentials(env_file, create=True)
            first = not (data_dir / "label_studio.sqlite3").exists()
            if first:
                print(
                    f"starting Label Studio in {data_dir} (first start: migrations take a minute)...", file=sys.stderr
                )
            srv = server.launch_server(data_dir, creds, port=args.port)
            state.servers.append(srv)
            print(
                f"waiting for Label Studio to answer {srv.url}/health/ (up to {args.timeout:.0f} s; log: {srv.log_file})",
                file=sys.stderr,
            )
            srv.wait_ready(args.timeout, on_wait=_still_waiting(args.timeout))
            try:
                session = ls.connect(srv.url, creds.token)
            except ls.AuthenticationError as exc:
                raise UsageError(
                    f"{exc}. The data folder {data_dir} was set up with another token: restore it in .env or start on a new folder"
                ) from exc
            # The id the server's database holds wins; a new database gets a new id (never the id
            # file of a deleted one), so pull can tell this server's files from another's.
            sid = ls.server_id(session)
            if sid is None:
                sid = server.server_id(srv.data_dir, fresh=first)
                ls.publish_server_id(session, sid)
            server.record_server_id(srv.data_dir, sid)
            if os.environ.get(server.ENV_URL) is None:
                server.update_env_file(env_file, {server.ENV_URL: srv.url})
            # Ready before the line is printed: a caller that stops serve as soon as it reads the
            # line must get the exit code of a stopped running server (0), not of an aborted start.
            ready = True
            # flush: a script waiting for this line may read serve's output from a file or pipe
            print(
                f"Label Studio is running at {srv.url}/ (user and password in {env_file}); log in {srv.log_file}",
                flush=True,
            )
            print("Press Ctrl-C to stop it.", file=sys.stderr)
            while srv.running():
                time.sleep(1)
            code = srv.process.returncode
            raise UsageError(f"Label Studio stopped on its own (exit code {code}); see {srv.log_file}")
        except _Stopped as stop:
            if not ready:
                print(f"{stop}: stopping Label Studio before it was ready...", file=sys.stderr)
                return 128 + stop.signum
            print("stopping Label Studio...", file=sys.stderr)
            return EXIT_OK
        finally:
            # Every way out (a signal, an error, a bug) stops the server and waits until its whole
            # process group is gone, so a caller may remove the data folder right after serve exits.
            # (A signal between the launch and the line above is covered by the atexit stop.)
            state.stopping = True
            for srv in state.servers:
                srv.stop()


def run_push(args: argparse.Namespace) -> int:
    from newsevents.annotate import client as ls  # noqa: PLC0415
    from newsevents.annotate import workflow  # noqa: PLC0415

    paths = args.corpus or [project_root() / "corpus"]
    missing = [p for p in (*paths, *([args.predictions] if args.predictions else [])) if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(map(str, missing))}")
    docs, findings = workflow.load_records(paths, check="annotate.bad-document")
    preds: list = []  # type: ignore[type-arg]
    if args.predictions:
        preds, pfind = workflow.load_records([args.predictions], check="annotate.bad-prediction")
        findings.extend(pfind)
    url, token = _connection(args.url)
    with _env_errors():
        session = ls.connect(url, token)
        report = workflow.push(session, docs, title=args.title, predictions=preds or None)
    findings.extend(report.findings)
    print(
        f"project {report.project} ({report.project_action}) at {url}: {report.imported} tasks imported, "
        f"{report.already_there} already there; {report.predictions_added} predictions added, "
        f"{report.predictions_unchanged} already there"
    )
    return EXIT_FINDINGS if _print_findings(findings) else EXIT_OK


def run_pull(args: argparse.Namespace) -> int:
    from newsevents.annotate import client as ls  # noqa: PLC0415
    from newsevents.annotate import pullplan, workflow  # noqa: PLC0415
    from newsevents.annotate.transaction import StorageError  # noqa: PLC0415

    root = project_root()
    corpus_dir = args.corpus or root / "corpus"
    out = args.out or root / "annotations"
    if not corpus_dir.exists():
        raise UsageError(f"no such folder: {corpus_dir}")
    docs, findings = workflow.load_records([corpus_dir], check="annotate.bad-document")
    corpus = {d.id: d for d in docs}
    url, token = _connection(args.url)
    with _env_errors():
        session = ls.connect(url, token)
        guidelines = workflow.guideline_version(root)
        result = workflow.pull(session, corpus, title=args.title, project_id=args.project, guidelines=guidelines)
    # Everything is decided before anything is written; then one transaction writes it all.
    plan = pullplan.plan_pull(result, out, prune=args.prune, force=args.force, allow_shrink=args.allow_shrink)
    findings.extend(result.findings)
    findings.extend(workflow.validation_findings(result.records, out))
    findings.extend(plan.findings)
    if plan.stops:
        _print_findings([*findings, *plan.stops])
        print(f"project {result.project}: nothing written under {out} ({len(plan.stops)} problems stop the pull)")
        return EXIT_FINDINGS
    try:
        pullplan.apply_plan(plan, out)
    except StorageError as exc:  # a full or read-only disk: one line, nothing changed
        raise UsageError(str(exc)) from exc
    stale_passes = sum(not s.gold for s in plan.stale)
    print(
        f"project {result.project} (server {result.server}): export saved as {out / 'exports' / result.export_name}; "
        f"{plan.passes} annotator passes and {plan.golds} gold records written under {out}, {plan.unchanged} unchanged; "
        + (f"{len(plan.removes)} stale pass files removed" if args.prune else f"{stale_passes} stale pass files kept")
    )
    for rel in plan.removes:
        print(f"removed {out / rel}")
    return EXIT_FINDINGS if _print_findings(findings) else EXIT_OK
