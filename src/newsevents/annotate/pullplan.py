"""What a pull may change under ``annotations/``, decided before anything is written, then applied
in one transaction.

:func:`plan_pull` reads the current files and decides, for every converted record, whether it is
written, left as it is, or whether the pull must stop; :func:`apply_plan` writes the plan with
:func:`newsevents.annotate.transaction.replace_tree` (all or nothing). The rules (docs/reliability.md,
"Annotation pull"):

* a file that came from another Label Studio server, or whose origin is unknown (no server id,
  not a record, unreadable), is never replaced without ``--force``, and never pruned;
* a gold record is never replaced by one with far fewer mentions (less than half) without
  ``--allow-shrink``;
* a gold record is only written from an annotation that converts and validates without errors;
* ``--prune`` removes stale pass files of this server only, and not a git-tracked one without
  ``--force``;
* every path is derived from data (document ids, e-mails) and is checked to stay inside
  ``annotations/`` (no ``..``, no absolute part, no symbolic link on the way) before anything is
  written.

A stop is an error finding (exit 1) and nothing is written.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from newsevents.annotate.transaction import pause_point, replace_tree, tidy, write_new
from newsevents.annotate.workflow import (
    PullResult,
    StaleFile,
    label_studio_ref,
    record_rel_path,
    stale_files,
    stale_findings,
)
from newsevents.io import dump_json, read_json
from newsevents.records import Document, Finding, Severity
from newsevents.validate import validate_record

# A gold record with fewer than this share of the mentions of the one it replaces "shrinks".
SHRINK_RATIO = 0.5
_SAFE_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_ANNOTATION_POINTER = re.compile(r"^/task/(\d+)/annotation/(\d+)(?:/|$)")


@dataclass
class PullPlan:
    """The changes a pull makes under ``annotations/``; paths are relative POSIX paths."""

    writes: dict[str, bytes] = field(default_factory=dict)
    removes: list[str] = field(default_factory=list)
    unchanged: int = 0
    stale: list[StaleFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # warnings and errors to report
    stops: list[Finding] = field(default_factory=list)  # errors that stop the pull: nothing is written

    @property
    def passes(self) -> int:
        return sum(p.startswith("passes/") for p in self.writes)

    @property
    def golds(self) -> int:
        return sum(p.startswith("gold/") for p in self.writes)


def unsafe_path(annotations: Path, rel: str) -> str | None:
    """Why ``rel`` may not be written under ``annotations``, else None.

    Every part must be a plain name (letters, digits, ``._-``, not starting with a dot: no ``..``,
    no absolute path, no hidden file), and no existing part may be a symbolic link.
    """
    if PurePosixPath(rel).is_absolute():
        return "not a relative path"
    parts = rel.split("/")  # not PurePosixPath(rel).parts, which would drop an empty part
    bad = [p for p in parts if not _SAFE_PART.match(p)]
    if bad:
        return f"part {bad[0]!r} is not a plain file name"
    here = annotations
    for p in parts:
        here = here / p
        if here.is_symlink():
            return f"{here} is a symbolic link"
    return None


def _mentions(value: object) -> int:
    if not isinstance(value, dict):
        return 0
    ents, evs = value.get("entity_mentions"), value.get("event_mentions")
    return (len(ents) if isinstance(ents, list) else 0) + (len(evs) if isinstance(evs, list) else 0)


def _origin(value: object, what_ok: str | None) -> str:
    """How a current file's origin reads in a message."""
    if what_ok is not None:
        return what_ok
    ref = label_studio_ref(value)
    if ref is None:
        return "not a record pulled from Label Studio"
    if ref.server is None:
        return "of unknown origin (no server id: pulled before server ids, or written by hand)"
    return f"from another Label Studio server ({ref.server})"


def _annotation_errors(findings: Iterable[Finding]) -> set[tuple[int, int]]:
    """``(task, annotation)`` of every annotation with a conversion error."""
    out = set()
    for f in findings:
        m = _ANNOTATION_POINTER.match(f.pointer)
        if m and f.severity == Severity.ERROR.value:
            out.add((int(m.group(1)), int(m.group(2))))
    return out


def _ref_key(doc: Document) -> tuple[int, int] | None:
    ref = doc.provenance.label_studio or {}
    task, ann = ref.get("task"), ref.get("annotation")
    return (task, ann) if isinstance(task, int) and isinstance(ann, int) else None


def git_tracked(folder: Path) -> frozenset[Path]:
    """Files under ``folder`` that git tracks (empty if git is missing or it is not a repository)."""
    if not folder.is_dir():
        return frozenset()
    try:
        proc = subprocess.run(
            ["git", "-C", str(folder), "ls-files", "-z", "--", "."],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    if proc.returncode != 0:
        return frozenset()
    return frozenset(folder / p for p in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if p)


def plan_pull(
    result: PullResult,
    annotations: Path,
    *,
    prune: bool = False,
    force: bool = False,
    allow_shrink: bool = False,
    tracked: Callable[[Path], frozenset[Path]] = git_tracked,
) -> PullPlan:
    """Decide what the pull writes, keeps and removes under ``annotations``; nothing is written."""
    plan = PullPlan()
    bad_annotations = _annotation_errors(result.findings)

    def stop(check: str, message: str, rel: str, doc_id: str | None) -> None:
        plan.stops.append(Finding(check, message, file=str(annotations / rel), doc_id=doc_id))

    export_rel = f"exports/{result.export_name}"
    for rel, doc_id in [(export_rel, None)] + [(record_rel_path(d), d.id) for d in result.records]:
        why = unsafe_path(annotations, rel)
        if why:
            stop(
                "annotate.unsafe-path",
                f"{rel}: a path made from the data must stay inside {annotations}, {why}",
                rel,
                doc_id,
            )
    if plan.stops:
        return plan
    if not (annotations / export_rel).exists():
        plan.writes[export_rel] = result.export_bytes

    for doc in result.records:
        rel = record_rel_path(doc)
        gold = doc.provenance.status == "gold"
        data = dump_json(doc.to_dict()).encode("utf-8")
        if gold:
            errors = [f for f in validate_record(doc.to_dict(), file=rel) if f.severity == Severity.ERROR.value]
            key = _ref_key(doc)
            if errors or (key is not None and key in bad_annotations):
                plan.findings.append(
                    Finding(
                        "annotate.gold-invalid",
                        f"not written: the chosen annotation ({key}) has {'validation' if errors else 'conversion'} errors (see the findings above); "
                        "the current gold record is kept. Fix the annotation in Label Studio and pull again",
                        file=str(annotations / rel),
                        doc_id=doc.id,
                    )
                )
                continue
        if rel in plan.writes:
            stop("annotate.path-collision", f"two pulled records map to {rel}; nothing written", rel, doc.id)
            continue
        path = annotations / rel
        if path.is_file():
            old = path.read_bytes()
            if old == data:
                plan.unchanged += 1
                continue
            loaded = read_json(path)
            ref = None if loaded.findings else label_studio_ref(loaded.value)
            same = ref is not None and ref.server is not None and ref.server == result.server
            if not same and not force:
                origin = "unreadable" if loaded.findings else _origin(loaded.value, None)
                stop(
                    "annotate.foreign-file",
                    f"the pull would replace this file, which is {origin}; nothing written. "
                    "Pull into another --out folder, or pass --force to replace it",
                    rel,
                    doc.id,
                )
                continue
            before, after = _mentions(loaded.value), len(doc.entity_mentions) + len(doc.event_mentions)
            if gold and before > 0 and after < before * SHRINK_RATIO and not allow_shrink:
                stop(
                    "annotate.gold-shrink",
                    f"the gold record would go from {before} to {after} mentions (annotation {_ref_key(doc)}); nothing written. "
                    "If that is right, pull again with --allow-shrink",
                    rel,
                    doc.id,
                )
                continue
        elif path.exists() or path.is_symlink():
            stop("annotate.foreign-file", f"{rel} exists and is not a regular file; nothing written", rel, doc.id)
            continue
        plan.writes[rel] = data

    plan.stale = stale_files(result, annotations)
    kept: frozenset[Path] = frozenset()
    if prune:
        candidates = [s for s in plan.stale if not s.gold]
        tracked_files = tracked(annotations) if candidates and not force else frozenset()
        kept = frozenset(s.path for s in candidates if s.path in tracked_files)
        plan.removes = [s.path.relative_to(annotations).as_posix() for s in candidates if s.path not in kept]
    plan.findings.extend(stale_findings(plan.stale, pruned=prune, kept=kept))
    return plan


def apply_plan(plan: PullPlan, annotations: Path) -> None:
    """Write the plan under ``annotations`` in one transaction: all of it, or nothing.

    Raises:
        StorageError: the disk is full or read-only, or a staged file does not read back as
            written; ``annotations`` is unchanged.
        ValueError: the plan has stops.
    """
    if plan.stops:
        raise ValueError("a plan with stops is not applied")
    if not plan.writes and not plan.removes:
        tidy(annotations)  # still remove what a killed earlier pull left beside the folder
        return

    def change(staging: Path) -> None:
        for i, (rel, data) in enumerate(sorted(plan.writes.items())):
            why = unsafe_path(staging, rel)
            if why:  # checked in plan_pull already; the staging copy mirrors the same tree
                raise OSError(f"{rel}: {why}")
            write_new(staging / rel, data)
            if i == 0:
                pause_point("writing")
        for rel in plan.removes:
            path = staging / rel
            path.unlink(missing_ok=True)
            if path.parent != staging and not any(path.parent.iterdir()):
                path.parent.rmdir()
        for rel, data in plan.writes.items():  # check: what is staged is what was planned
            if (staging / rel).read_bytes() != data:
                raise OSError(f"{rel}: the staged file does not read back as written")

    replace_tree(annotations, change)
