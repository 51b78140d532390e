"""Push corpus documents to Label Studio and pull annotations back into ``annotations/``.

Reading and writing files happens here, at the edges; the decisions are pure functions
(:func:`plan_push`, :func:`newsevents.annotate.convert.export_to_records`). Pull fetches and
converts everything (:func:`pull`), decides what to write, replace and remove
(:func:`newsevents.annotate.pullplan.plan_pull`), and only then changes ``annotations/``, in one
transaction (:func:`newsevents.annotate.pullplan.apply_plan`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from newsevents.annotate import client as ls
from newsevents.annotate.config import label_config
from newsevents.annotate.convert import export_to_records, record_to_prediction
from newsevents.io import iter_json_files, read_json
from newsevents.records import Document, Finding, Severity
from newsevents.validate import iter_records, validate_record

DEFAULT_TITLE = "newsevents"


def load_records(paths: Iterable[Path], *, check: str) -> tuple[list[Document], list[Finding]]:
    """Records from JSON files (one record or a list per file); invalid ones become findings.

    Records must pass validation levels 1 and 2 (schema, offsets, NFC text with ``\\n`` newlines):
    text is normalised before import and never changed afterwards.
    """
    docs: list[Document] = []
    findings: list[Finding] = []
    for path in iter_json_files(paths):
        loaded = read_json(path)
        findings.extend(loaded.findings)
        if loaded.findings:
            continue
        for rec in iter_records(loaded.value):
            errors = [f for f in validate_record(rec, file=str(path), levels=2) if f.severity == Severity.ERROR.value]
            if errors:
                first = errors[0]
                findings.append(
                    Finding(
                        check,
                        f"record not imported: {len(errors)} validation errors, first [{first.check}] {first.pointer}: {first.message}",
                        file=str(path),
                        doc_id=first.doc_id,
                    )
                )
                continue
            docs.append(Document.from_dict(rec))
    return docs, findings


def task_data(doc: Document) -> dict[str, str]:
    """What a task holds: the text, the document id and the text's sha256."""
    return {"text": doc.text, "doc_id": doc.id, "text_sha256": doc.text_sha256}


def plan_push(
    existing: Iterable[ls.TaskInfo], docs: Iterable[Document]
) -> tuple[list[Document], dict[str, int], list[Finding]]:
    """Which documents to import, the task id of each document already there, and findings.

    A document whose id has a task is not imported again; if the task's text differs it is a
    finding (``annotate.text-changed``), never a second task.
    """
    by_doc: dict[str, ls.TaskInfo] = {}
    findings: list[Finding] = []
    for t in existing:
        doc_id = t.data.get("doc_id")
        if not isinstance(doc_id, str):
            continue
        if doc_id in by_doc:
            findings.append(
                Finding(
                    "annotate.duplicate-task",
                    f"tasks {by_doc[doc_id].id} and {t.id} both hold document {doc_id!r}; the first is used",
                    severity=Severity.WARNING.value,
                    doc_id=doc_id,
                )
            )
            continue
        by_doc[doc_id] = t
    to_import: list[Document] = []
    seen: set[str] = set()
    for doc in docs:
        if doc.id in seen:
            findings.append(
                Finding(
                    "annotate.duplicate-document",
                    f"document {doc.id!r} is given twice; pushed once",
                    severity=Severity.WARNING.value,
                    doc_id=doc.id,
                )
            )
            continue
        seen.add(doc.id)
        task = by_doc.get(doc.id)
        if task is None:
            to_import.append(doc)
        elif task.data.get("text") != doc.text:
            findings.append(
                Finding(
                    "annotate.text-changed",
                    f"task {task.id} holds another text for {doc.id!r} (sha256 {str(task.data.get('text_sha256'))[:12]}..., corpus {doc.text_sha256[:12]}...); not re-imported. Annotations are tied to the text: delete the task in Label Studio to re-import it",
                    doc_id=doc.id,
                    pointer=f"/task/{task.id}",
                )
            )
    return to_import, {d: t.id for d, t in by_doc.items()}, findings


@dataclass
class PushReport:
    project: int = 0
    project_action: str = ""
    imported: int = 0
    already_there: int = 0
    predictions_added: int = 0
    predictions_unchanged: int = 0
    findings: list[Finding] = field(default_factory=list)


def push(
    session: ls.Session,
    docs: list[Document],
    *,
    title: str = DEFAULT_TITLE,
    predictions: list[Document] | None = None,
    config: str | None = None,
) -> PushReport:
    """Create or update the project, import new documents as tasks, add predictions once each."""
    report = PushReport()
    report.project, report.project_action = ls.ensure_project(session, title, config or label_config())
    existing = ls.list_tasks(session, report.project)
    to_import, task_ids, findings = plan_push(existing, docs)
    report.findings.extend(findings)
    new_ids = ls.import_tasks(session, report.project, [task_data(d) for d in to_import])
    report.imported = len(new_ids)
    report.already_there = len(docs) - len(to_import)
    if len(new_ids) == len(to_import):
        task_ids.update({d.id: tid for d, tid in zip(to_import, new_ids, strict=True)})
    else:  # the server did not return ids: look them up
        task_ids = plan_push(ls.list_tasks(session, report.project), [])[1]
    texts = {t.data.get("doc_id"): t.data.get("text") for t in existing}
    texts.update({d.id: d.text for d in to_import})
    for doc in predictions or []:
        tid = task_ids.get(doc.id)
        if tid is None:
            report.findings.append(
                Finding(
                    "annotate.prediction-no-task",
                    f"no task for document {doc.id!r}; push the corpus document first",
                    doc_id=doc.id,
                )
            )
            continue
        if texts.get(doc.id) != doc.text:
            report.findings.append(
                Finding(
                    "annotate.prediction-text-mismatch",
                    f"the prediction's text differs from task {tid}'s; offsets would not fit, not imported",
                    doc_id=doc.id,
                    pointer=f"/task/{tid}",
                )
            )
            continue
        pred = record_to_prediction(doc)
        if pred["result"] in ls.task_prediction_results(session, tid):
            report.predictions_unchanged += 1
            continue
        ls.create_prediction(session, tid, pred)
        report.predictions_added += 1
    return report


@dataclass
class PullResult:
    """Everything a pull would write, computed before any file is touched."""

    project: int
    export_bytes: bytes
    export_name: str
    records: list[Document]
    findings: list[Finding]
    # (task id, annotation id) of every submitted, non-skipped annotation in the export
    live: frozenset[tuple[int, int]] = frozenset()
    # the newsevents id of the server (project, task and annotation ids are only unique per server)
    server: str | None = None


def export_file_name(project: int, data: bytes) -> str:
    """``project-<id>-<sha256 prefix>.json``: the same export always gets the same name."""
    return f"project-{project}-{hashlib.sha256(data).hexdigest()[:16]}.json"


def guideline_version(root: Path) -> str | None:
    """The version named by ``docs/guidelines.md`` ("Guideline version: X"), if there is one."""
    path = root / "docs" / "guidelines.md"
    if not path.is_file():
        return None
    m = re.search(r"^Guideline version:\s*(\S+)\s*$", path.read_text(encoding="utf-8"), re.MULTILINE)
    return m.group(1) if m else None


def with_server(doc: Document, server: str) -> Document:
    """``doc`` with ``server`` recorded in ``provenance.label_studio``."""
    ls_ref = dict(doc.provenance.label_studio or {})
    ls_ref["server"] = server
    return replace(doc, provenance=replace(doc.provenance, label_studio=ls_ref))


def pull(
    session: ls.Session,
    corpus: Mapping[str, Document],
    *,
    title: str = DEFAULT_TITLE,
    project_id: int | None = None,
    guidelines: str | None = None,
) -> PullResult:
    """Export the project and convert it; nothing is written.

    Raises:
        UnknownServerError: the server holds no newsevents server id (it was not started by
            ``newsevents annotate serve``), so its records could not be told from another
            server's.
    """
    server = ls.server_id(session)
    if server is None:
        raise ls.UnknownServerError(
            f"Label Studio at {session.url} has no newsevents server id (its organization title does not start with {ls.SERVER_ID_PREFIX.strip()!r}); start it with `newsevents annotate serve`, which sets one, and pull again"
        )
    project = ls.resolve_project(session, title=title, project_id=project_id)
    data = ls.export_json(session, project)
    name = export_file_name(project, data)
    try:
        export: Any = json.loads(data)
    except json.JSONDecodeError as exc:
        raise ls.RequestRejectedError(
            f"Label Studio at {session.url} sent an export that is not JSON: {exc.msg}"
        ) from exc
    if not isinstance(export, list):
        raise ls.RequestRejectedError(f"Label Studio at {session.url} sent an export that is not a list of tasks")
    users = ls.users_by_id(session)
    records, findings = export_to_records(
        export, corpus, users=users, project=project, file=f"annotations/exports/{name}", guideline_version=guidelines
    )
    records = [with_server(d, server) for d in records]
    return PullResult(project, data, name, records, findings, live_annotations(export), server)


def live_annotations(export: list[Any]) -> frozenset[tuple[int, int]]:
    """``(task, annotation)`` ids of the submitted, non-skipped annotations of an export."""
    out = set()
    for task in export:
        if not isinstance(task, dict) or not isinstance(task.get("id"), int):
            continue
        for ann in task.get("annotations") or []:
            if isinstance(ann, dict) and isinstance(ann.get("id"), int) and not ann.get("was_cancelled"):
                out.add((task["id"], ann["id"]))
    return frozenset(out)


def record_rel_path(doc: Document) -> str:
    """Where a pulled record goes under ``annotations/``, as a relative POSIX path.

    ``gold/<doc-id>.json``, or ``passes/<doc-id>/<annotator>-<key>.json`` where ``<key>`` is the
    hash of the annotator's exact e-mail (``provenance.label_studio.annotator_key``), so that two
    e-mails with the same readable slug (``Ann@x`` and ``ann@x``, ``a+b@x`` and ``a-b@x``) never
    share a file. Records pulled before the key existed keep ``<annotator>.json``.
    """
    if doc.provenance.status == "gold":
        return f"gold/{doc.id}.json"
    name = doc.provenance.annotators[0] if doc.provenance.annotators else "unknown"
    key = (doc.provenance.label_studio or {}).get("annotator_key")
    return f"passes/{doc.id}/{name}-{key}.json" if isinstance(key, str) else f"passes/{doc.id}/{name}.json"


def record_path(root: Path, doc: Document) -> Path:
    """:func:`record_rel_path` under ``root``."""
    return root / record_rel_path(doc)


def validation_findings(records: Iterable[Document], annotations: Path) -> list[Finding]:
    """The validator's findings on the converted records (e.g. an argument of the wrong type)."""
    out: list[Finding] = []
    for doc in records:
        out.extend(validate_record(doc.to_dict(), file=str(record_path(annotations, doc))))
    return out


@dataclass(frozen=True, slots=True)
class StaleFile:
    """A file under ``annotations/`` written by an earlier pull of this project *from this server*
    whose Label Studio annotation is no longer there (deleted, skipped, or its task deleted)."""

    path: Path
    doc_id: str
    task: int
    annotation: int
    gold: bool  # gold files are reported, never removed


@dataclass(frozen=True, slots=True)
class LabelStudioRef:
    """Where a record file says it came from (``provenance.label_studio``)."""

    doc_id: str
    server: str | None  # None: unknown origin (pulled before server ids existed, or hand-made)
    project: int | None
    task: int | None
    annotation: int | None


def label_studio_ref(value: Any) -> LabelStudioRef | None:
    """The origin of a record pulled from Label Studio, else None (not a record, other tool)."""
    if not isinstance(value, dict) or not isinstance(value.get("id"), str):
        return None
    prov = value.get("provenance")
    ref = prov.get("label_studio") if isinstance(prov, dict) else None
    if not isinstance(prov, dict) or prov.get("tool") != "label-studio" or not isinstance(ref, dict):
        return None

    def num(key: str) -> int | None:
        v = ref.get(key)
        return v if isinstance(v, int) and not isinstance(v, bool) else None

    server = ref.get("server")
    return LabelStudioRef(
        value["id"], server if isinstance(server, str) else None, num("project"), num("task"), num("annotation")
    )


def stale_files(result: PullResult, annotations: Path) -> list[StaleFile]:
    """Pass and gold files from earlier pulls of ``result.project`` on this server whose annotation is gone.

    Only files this pull does not (re)write count, and only records whose provenance names this
    server (``label_studio.server``) and project. Files of another server, or without a server id
    (unknown origin: pulled before ids existed, like the committed seed passes), are foreign and
    never stale, whatever their project and task ids: a new server numbers its projects and tasks
    from 1 again. Unreadable files and files of other tools are left alone too.
    """
    if result.server is None:
        return []
    written = {record_path(annotations, d) for d in result.records}
    out: list[StaleFile] = []
    for folder, gold in (("passes", False), ("gold", True)):
        pattern = "*.json" if gold else "*/*.json"
        for path in sorted((annotations / folder).glob(pattern)):
            if path in written or path.is_symlink() or not path.is_file():
                continue
            loaded = read_json(path)
            ref = None if loaded.findings else label_studio_ref(loaded.value)
            if (
                ref is None
                or ref.server != result.server
                or ref.project != result.project
                or ref.task is None
                or ref.annotation is None
            ):
                continue
            if (ref.task, ref.annotation) not in result.live:
                out.append(StaleFile(path, ref.doc_id, ref.task, ref.annotation, gold))
    return out


def stale_findings(stale: Iterable[StaleFile], *, pruned: bool, kept: frozenset[Path] = frozenset()) -> list[Finding]:
    """One warning per stale file: ``annotate.stale-pass`` (removed if ``pruned`` and not in
    ``kept``, the git-tracked files kept without ``--force``) or ``annotate.stale-gold``."""
    out = []
    for s in stale:
        gone = f"annotation {s.annotation} of task {s.task} is no longer in Label Studio"
        if s.gold:
            check, what = "annotate.stale-gold", "gold record kept (gold files are never removed by pull)"
        elif pruned and s.path in kept:
            check, what = "annotate.stale-pass", "pass file kept: git tracks it; pull with --prune --force to remove it"
        elif pruned:
            check, what = "annotate.stale-pass", "pass file removed (--prune)"
        else:
            check, what = "annotate.stale-pass", "pass file kept; pull again with --prune to remove it"
        out.append(
            Finding(check, f"{gone}: {what}", severity=Severity.WARNING.value, file=str(s.path), doc_id=s.doc_id)
        )
    return out
