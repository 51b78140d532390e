"""Post a canonical record as one annotator's annotation on its Label Studio task.

Used to load annotator passes (e.g. for the gold annotation work) through the real server, so they
come back with ``newsevents annotate pull`` like any pass made in the browser:

    .venv/bin/python scripts/ls_post_pass.py --email ann@example.org annotations/passes/doc/ann.json

The task is found by the record's id (``data.doc_id``) and must hold the same text; the user must
exist in Label Studio. The token comes from LABEL_STUDIO_USER_TOKEN or the project's ``.env``.
Exit codes: 0 posted, 1 the record does not fit (invalid, no task, other text), 2 environment
(server down, refused token, unknown project or user).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from newsevents.annotate import client as ls
from newsevents.annotate.convert import record_to_prediction
from newsevents.annotate.server import ENV_TOKEN, ENV_URL, HOST, read_env_file
from newsevents.annotate.workflow import DEFAULT_TITLE, load_records
from newsevents.resources import project_root


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("record", type=Path, help="canonical record (JSON) to post")
    p.add_argument("--email", required=True, help="the Label Studio user the annotation is attributed to")
    p.add_argument("--url", help="server URL (default LABEL_STUDIO_URL from the environment or .env)")
    p.add_argument("--title", default=DEFAULT_TITLE, help="project title")
    p.add_argument("--project", type=int, help="project id (instead of --title)")
    p.add_argument("--ground-truth", action="store_true", help="flag the annotation as ground truth")
    args = p.parse_args(argv)

    docs, findings = load_records([args.record], check="annotate.bad-record")
    if findings or len(docs) != 1:
        for f in findings:
            print(f"ls_post_pass: {f}", file=sys.stderr)
        if not findings:
            print(f"ls_post_pass: {args.record} must hold exactly one record, found {len(docs)}", file=sys.stderr)
        return 1
    doc = docs[0]
    stored = read_env_file(project_root() / ".env")
    url = args.url or os.environ.get(ENV_URL) or stored.get(ENV_URL) or f"http://{HOST}:8080"
    token = os.environ.get(ENV_TOKEN) or stored.get(ENV_TOKEN)
    if not token:
        print(f"ls_post_pass: no {ENV_TOKEN} in the environment or .env", file=sys.stderr)
        return 2
    try:
        session = ls.connect(url, token)
        project = ls.resolve_project(session, title=args.title, project_id=args.project)
        users = {email.lower(): uid for uid, email in ls.users_by_id(session).items()}
        uid = users.get(args.email.lower())
        if uid is None:
            print(f"ls_post_pass: Label Studio at {url} has no user {args.email}; create it first", file=sys.stderr)
            return 2
        tasks = [t for t in ls.list_tasks(session, project) if t.data.get("doc_id") == doc.id]
        if not tasks:
            print(
                f"ls_post_pass: project {project} has no task for document {doc.id!r}; push it first", file=sys.stderr
            )
            return 1
        task = tasks[0]
        if task.data.get("text") != doc.text:
            print(
                f"ls_post_pass: task {task.id} holds another text than {args.record}; offsets would not fit",
                file=sys.stderr,
            )
            return 1
        result = record_to_prediction(doc)["result"]
        created = session.call(
            "creating the annotation",
            lambda: session.client.annotations.create(
                task.id, result=result, completed_by=uid, ground_truth=args.ground_truth
            ),
        )
    except ls.AnnotateError as exc:
        print(f"ls_post_pass: {exc}", file=sys.stderr)
        return 2
    print(f"annotation {created.id} posted on task {task.id} (project {project}) for {args.email}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
