"""A thin layer over label-studio-sdk 2.x: connect, find or create the project, tasks, export.

Every SDK or network failure becomes an :class:`AnnotateError` subclass with a one-line message
naming what to do; the CLI turns them into exit code 2.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from label_studio_sdk import LabelStudio
from label_studio_sdk.core.api_error import ApiError
from label_studio_sdk.types.import_api_request import ImportApiRequest

from newsevents.records import JSON

T = TypeVar("T")


class AnnotateError(Exception):
    """Label Studio cannot be used as asked (server down, bad token, no such project)."""


class ServerUnavailableError(AnnotateError):
    pass


class AuthenticationError(AnnotateError):
    pass


class ProjectNotFoundError(AnnotateError):
    pass


class RequestRejectedError(AnnotateError):
    pass


class UnknownServerError(AnnotateError):
    """The server holds no newsevents server id: its records could not be told from another's."""


def _detail(exc: ApiError) -> str:
    body = exc.body
    if isinstance(body, dict):
        for key in ("validation_errors", "detail"):
            if key in body:
                return json.dumps(body[key], ensure_ascii=False)[:300]
    return str(body)[:300]


@contextmanager
def api_errors(url: str, what: str) -> Iterator[None]:
    """Turn SDK and transport errors raised inside the block into one-line :class:`AnnotateError`."""
    try:
        yield
    except httpx.TransportError as exc:
        raise ServerUnavailableError(
            f"cannot reach Label Studio at {url} ({type(exc).__name__}); is `newsevents annotate serve` running?"
        ) from exc
    except ApiError as exc:
        if exc.status_code in (401, 403):
            raise AuthenticationError(
                f"Label Studio at {url} refused the API token (HTTP {exc.status_code}) while {what}; check LABEL_STUDIO_USER_TOKEN / .env"
            ) from exc
        raise RequestRejectedError(
            f"Label Studio at {url} refused {what} (HTTP {exc.status_code}): {_detail(exc)}"
        ) from exc


@dataclass
class Session:
    """A connected client and the URL it talks to."""

    client: LabelStudio
    url: str

    def call(self, what: str, fn: Callable[[], T]) -> T:
        with api_errors(self.url, what):
            return fn()


def connect(url: str, token: str, *, timeout: float = 120.0) -> Session:
    """A client for ``url`` with a legacy API token, checked with one request.

    Raises:
        ServerUnavailableError: nothing answers at ``url``.
        AuthenticationError: the token is refused.
    """
    # trust_env=False: a proxy from the environment must not see requests to the loopback server.
    http = httpx.Client(timeout=timeout, trust_env=False, follow_redirects=True)
    client = LabelStudio(base_url=url, api_key=token, httpx_client=http)  # type: ignore[no-untyped-call]
    session = Session(client, url.rstrip("/"))
    session.call("checking the token", client.users.whoami)
    return session


def find_project(s: Session, title: str) -> int | None:
    """The id of the project titled exactly ``title`` (the lowest id if several), else None."""

    def run() -> list[int]:
        projects: list[Any] = list(s.client.projects.list(title=title))
        return sorted(int(p.id) for p in projects if p.title == title and p.id is not None)

    ids = s.call("listing projects", run)
    return ids[0] if ids else None


def project_by_id(s: Session, project_id: int) -> int:
    try:
        s.call(f"reading project {project_id}", lambda: s.client.projects.get(project_id))
    except RequestRejectedError as exc:
        raise ProjectNotFoundError(f"Label Studio at {s.url} has no project {project_id}") from exc
    return project_id


def resolve_project(s: Session, *, title: str, project_id: int | None = None) -> int:
    """The project named by id, else by title.

    Raises:
        ProjectNotFoundError: it does not exist.
    """
    if project_id is not None:
        return project_by_id(s, project_id)
    found = find_project(s, title)
    if found is None:
        raise ProjectNotFoundError(
            f"Label Studio at {s.url} has no project titled {title!r}; run `newsevents annotate push` first"
        )
    return found


def ensure_project(s: Session, title: str, config: str) -> tuple[int, str]:
    """Create the project ``title`` with ``config``, or update its config; returns (id, what happened)."""
    pid = find_project(s, title)
    if pid is None:
        project = s.call("creating the project", lambda: s.client.projects.create(title=title, label_config=config))
        if project.id is None:
            raise RequestRejectedError(f"Label Studio at {s.url} created project {title!r} without an id")
        return project.id, "created"
    current = s.call("reading the project", lambda: s.client.projects.get(pid))
    if (current.label_config or "").strip() == config.strip():
        return pid, "unchanged"
    s.call("updating the labeling config", lambda: s.client.projects.update(pid, label_config=config))
    return pid, "config updated"


@dataclass(frozen=True, slots=True)
class TaskInfo:
    id: int
    data: JSON


def list_tasks(s: Session, project: int) -> list[TaskInfo]:
    def run() -> list[TaskInfo]:
        tasks: list[Any] = list(s.client.tasks.list(project=project, fields="task_only", page_size=500))
        return [TaskInfo(int(t.id), dict(t.data or {})) for t in tasks if t.id is not None]

    return s.call("listing tasks", run)


def import_tasks(s: Session, project: int, data: list[JSON]) -> list[int]:
    if not data:
        return []
    resp = s.call(
        "importing tasks",
        lambda: s.client.projects.import_tasks(
            project, request=[ImportApiRequest(data=d) for d in data], return_task_ids=True
        ),
    )
    # Community edition answers synchronously with the new ids (an extra field of the model).
    return [int(i) for i in getattr(resp, "task_ids", None) or []]


def task_prediction_results(s: Session, task: int) -> list[list[Any]]:
    return s.call("listing predictions", lambda: [list(p.result or []) for p in s.client.predictions.list(task=task)])


def create_prediction(s: Session, task: int, prediction: JSON) -> None:
    s.call(
        "creating a prediction",
        lambda: s.client.predictions.create(
            task=task, result=prediction["result"], model_version=prediction.get("model_version")
        ),
    )


def export_json(s: Session, project: int) -> bytes:
    """The project's full JSON export (every task), as the server sends it."""
    return s.call(
        "exporting the project",
        lambda: b"".join(s.client.projects.exports.download_sync(project, export_type="JSON", download_all_tasks=True)),
    )


def users_by_id(s: Session) -> dict[int, str]:
    """User id -> email (else user name) for every user the token can see."""
    users = s.call("listing users", lambda: list(s.client.users.list()))
    return {int(u.id): str(u.email or u.username or f"user-{u.id}") for u in users if u.id is not None}


# The server id (see newsevents.annotate.server.server_id) is kept in the title of the server's
# organization: it lives in the server's database, so a new database (a fresh clone, a deleted
# data folder) never shows the id of an old one, and pull reads it through the API like the rest.
SERVER_ID_PREFIX = "newsevents-server "


def _raw(s: Session, what: str, path: str, method: str, body: JSON | None = None) -> Any:
    """A JSON request the SDK has no community-edition method for (organizations)."""

    def run() -> Any:
        http = s.client._client_wrapper.httpx_client  # noqa: SLF001 - the SDK's own authenticated client
        resp = http.request(path, method=method, json=body)
        if resp.status_code in (401, 403):
            raise AuthenticationError(
                f"Label Studio at {s.url} refused the API token (HTTP {resp.status_code}) while {what}; check LABEL_STUDIO_USER_TOKEN / .env"
            )
        if resp.status_code >= 400:
            raise RequestRejectedError(
                f"Label Studio at {s.url} refused {what} (HTTP {resp.status_code}): {resp.text[:300]}"
            )
        return resp.json()

    return s.call(what, run)


def _organization(s: Session) -> int:
    me = s.call("reading the current user", s.client.users.whoami)
    org = getattr(me, "active_organization", None)
    if not isinstance(org, int):
        raise RequestRejectedError(f"Label Studio at {s.url} names no organization for this token's user")
    return org


def server_id(s: Session) -> str | None:
    """The newsevents server id the server holds (set by ``newsevents annotate serve``), else None."""
    org = _organization(s)
    data = _raw(s, "reading the organization", f"api/organizations/{org}", "GET")
    title = data.get("title") if isinstance(data, dict) else None
    if isinstance(title, str) and title.startswith(SERVER_ID_PREFIX):
        return title.removeprefix(SERVER_ID_PREFIX).strip() or None
    return None


def publish_server_id(s: Session, sid: str) -> None:
    """Store ``sid`` in the server (its organization's title) unless it is there already."""
    if server_id(s) == sid:
        return
    org = _organization(s)
    _raw(s, "storing the server id", f"api/organizations/{org}", "PATCH", {"title": SERVER_ID_PREFIX + sid})
