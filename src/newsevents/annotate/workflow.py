"""Push corpus documents to Label Studio and pull annotations back into ``annotations/``.

Reading and writing files happens here, at the edges; the decisions are pure functions
(:func:`plan_push`, :func:`newsevents.annotate.convert.export_to_records`). Pull fetches and
converts everything before it writes anything, and writes each file atomically, so a failure
leaves ``annotations/`` as it was.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsevents.annotate import client as ls
from newsevents.annotate.config import label_config
from newsevents.annotate.convert import export_to_records, record_to_prediction
from newsevents.io import atomic_write_bytes, iter_json_files, read_json, write_json
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


def pull(
    session: ls.Session,
    corpus: Mapping[str, Document],
    *,
    title: str = DEFAULT_TITLE,
    project_id: int | None = None,
    guidelines: str | None = None,
) -> PullResult:
    """Export the project and convert it; nothing is written."""
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
    return PullResult(project, data, name, records, findings, live_annotations(export))


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


def record_path(root: Path, doc: Document) -> Path:
    """Where a pulled record goes: ``passes/<doc-id>/<annotator>.json`` or ``gold/<doc-id>.json``."""
    if doc.provenance.status == "gold":
        return root / "gold" / f"{doc.id}.json"
    return root / "passes" / doc.id / f"{doc.provenance.annotators[0]}.json"


def write_pull(result: PullResult, annotations: Path) -> list[Path]:
    """Write the raw export and the records under ``annotations`` (each file atomically)."""
    written = []
    export_path = annotations / "exports" / result.export_name
    if not export_path.exists():
        atomic_write_bytes(export_path, result.export_bytes)
    written.append(export_path)
    for doc in result.records:
        path = record_path(annotations, doc)
        write_json(path, doc.to_dict())
        written.append(path)
    return written


def validation_findings(records: Iterable[Document], annotations: Path) -> list[Finding]:
    """The validator's findings on the converted records (e.g. an argument of the wrong type)."""
    out: list[Finding] = []
    for doc in records:
        out.extend(validate_record(doc.to_dict(), file=str(record_path(annotations, doc))))
    return out


@dataclass(frozen=True, slots=True)
class StaleFile:
    """A file under ``annotations/`` written by an earlier pull of this project whose Label Studio
    annotation is no longer there (deleted, skipped, or its task deleted)."""

    path: Path
    doc_id: str
    task: int
    annotation: int
    gold: bool  # gold files are reported, never removed


def _label_studio_ref(value: Any, project: int) -> tuple[str, int, int] | None:
    """``(doc id, task, annotation)`` of a record pulled from ``project``, else None."""
    if not isinstance(value, dict) or not isinstance(value.get("id"), str):
        return None
    prov = value.get("provenance")
    ref = prov.get("label_studio") if isinstance(prov, dict) else None
    if not isinstance(prov, dict) or prov.get("tool") != "label-studio" or not isinstance(ref, dict):
        return None
    task, annotation = ref.get("task"), ref.get("annotation")
    if ref.get("project") != project or not isinstance(task, int) or not isinstance(annotation, int):
        return None
    return value["id"], task, annotation


def stale_files(result: PullResult, annotations: Path) -> list[StaleFile]:
    """Pass and gold files from earlier pulls of ``result.project`` whose annotation is gone.

    Only files this pull does not (re)write count, and only records whose provenance says they
    came from Label Studio project ``result.project``; unreadable files and files of other
    projects or tools are left alone (the validator reports unreadable ones). Project ids are per
    server: pulling from another server than the files came from reports its project's files too.
    """
    written = {record_path(annotations, d) for d in result.records}
    out: list[StaleFile] = []
    for folder, gold in (("passes", False), ("gold", True)):
        pattern = "*.json" if gold else "*/*.json"
        for path in sorted((annotations / folder).glob(pattern)):
            if path in written or not path.is_file():
                continue
            loaded = read_json(path)
            ref = None if loaded.findings else _label_studio_ref(loaded.value, result.project)
            if ref is not None and (ref[1], ref[2]) not in result.live:
                out.append(StaleFile(path, ref[0], ref[1], ref[2], gold))
    return out


def stale_findings(stale: Iterable[StaleFile], *, pruned: bool) -> list[Finding]:
    """One warning per stale file: ``annotate.stale-pass`` (removed if ``pruned``) or ``annotate.stale-gold``."""
    out = []
    for s in stale:
        gone = f"annotation {s.annotation} of task {s.task} is no longer in Label Studio"
        if s.gold:
            check, what = "annotate.stale-gold", "gold record kept (gold files are never removed by pull)"
        elif pruned:
            check, what = "annotate.stale-pass", "pass file removed (--prune)"
        else:
            check, what = "annotate.stale-pass", "pass file kept; pull again with --prune to remove it"
        out.append(
            Finding(check, f"{gone}: {what}", severity=Severity.WARNING.value, file=str(s.path), doc_id=s.doc_id)
        )
    return out


def prune(stale: Iterable[StaleFile]) -> list[Path]:
    """Remove the stale pass files (never gold), and a document's pass folder left empty."""
    removed = []
    for s in stale:
        if s.gold:
            continue
        s.path.unlink(missing_ok=True)
        removed.append(s.path)
        if not any(s.path.parent.iterdir()):
            s.path.parent.rmdir()
    return removed
