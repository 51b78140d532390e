"""What changed between two release folders: documents and annotations added, removed, changed.

Reads each release's ``documents`` parquet files (listed in its ``release.json``) with pyarrow and
decodes labels with the features stored in the files, so it needs no ``datasets`` cache and works
on full and stand-off releases alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Features

from newsevents.build.features import decode_labels
from newsevents.io import read_json
from newsevents.records import JSON


class ReleaseError(Exception):
    """A folder is not a readable release (no or bad ``release.json``, missing data file)."""


def release_data_path(folder: Path, rel: object) -> Path:
    """``folder / rel`` for a data file named in ``release.json``, refused unless it lies inside ``folder``."""
    if not isinstance(rel, str) or not rel or "\\" in rel:
        raise ReleaseError(f"{folder}: release.json names a data file {rel!r}: not a relative path")
    parts = PurePosixPath(rel).parts
    if PurePosixPath(rel).is_absolute() or ".." in parts:
        raise ReleaseError(f"{folder}: release.json names a data file {rel!r} outside the release folder")
    return folder / rel


def read_release(folder: Path) -> tuple[JSON, dict[str, JSON]]:
    """``release.json`` and the decoded ``documents`` rows by id.

    Raises:
        ReleaseError: no or bad ``release.json``, a data file missing, outside the folder,
            truncated or not parquet.
    """
    loaded = read_json(folder / "release.json")
    if loaded.findings or not isinstance(loaded.value, dict):
        why = "; ".join(f.message for f in loaded.findings) or "not an object"
        raise ReleaseError(f"{folder}: not a release folder (release.json: {why})")
    release: JSON = loaded.value
    configs = release.get("configs")
    documents = configs.get("documents") if isinstance(configs, dict) else None
    if not isinstance(documents, dict) or not isinstance(release.get("version"), str):
        raise ReleaseError(f"{folder}: release.json needs a version and configs.documents (split -> data file)")
    rows: dict[str, JSON] = {}
    for rel in documents.values():
        path = release_data_path(folder, rel)
        if not path.is_file():
            raise ReleaseError(f"{folder}: data file {rel} named in release.json is missing")
        try:
            table = pq.read_table(path)  # type: ignore[no-untyped-call]  # pyarrow ships no type hints
            features = Features.from_arrow_schema(table.schema)
            decoded = [decode_labels(row, features) for row in table.to_pylist()]
        except (OSError, pa.ArrowException, ValueError, KeyError, TypeError) as exc:
            # a truncated or foreign file: pyarrow says "Parquet magic bytes not found" and the like
            raise ReleaseError(
                f"{folder}: data file {rel} is not a readable documents table ({exc}); rebuild it"
            ) from exc
        for row in decoded:
            if not isinstance(row.get("id"), str):
                raise ReleaseError(f"{folder}: data file {rel} has a row without a document id; rebuild it")
            rows[row["id"]] = row
    return release, rows


@dataclass
class Change:
    kind: str  # "added", "removed", "changed"
    what: str  # "document", "entity mention", "event mention"
    doc_id: str
    item_id: str | None = None
    fields: tuple[str, ...] = ()
    detail: str = ""


@dataclass
class ReleaseDiff:
    old_version: str
    new_version: str
    changes: list[Change] = field(default_factory=list)

    def count(self, kind: str, what: str) -> int:
        return sum(c.kind == kind and c.what == what for c in self.changes)


def _describe_entity(m: JSON) -> str:
    return (
        f"{m['type']}/{m['kind']} [{m['start']}, {m['end']}) {m['text']!r}"
        if m.get("text") is not None
        else f"{m['type']}/{m['kind']} [{m['start']}, {m['end']})"
    )


def _describe_event(e: JSON) -> str:
    t = e["trigger"]
    text = f" {t['text']!r}" if t.get("text") is not None else ""
    return f"{e['type']} [{t['start']}, {t['end']}){text}, {len(e['arguments'])} arguments"


def _diff_items(doc_id: str, what: str, old: list[JSON], new: list[JSON], describe: Any) -> list[Change]:
    a = {m["id"]: m for m in old}
    b = {m["id"]: m for m in new}
    out = [Change("added", what, doc_id, i, detail=describe(b[i])) for i in sorted(b.keys() - a.keys())]
    out += [Change("removed", what, doc_id, i, detail=describe(a[i])) for i in sorted(a.keys() - b.keys())]
    for i in sorted(a.keys() & b.keys()):
        changed = tuple(k for k in sorted(a[i].keys() | b[i].keys()) if a[i].get(k) != b[i].get(k))
        if changed:
            out.append(Change("changed", what, doc_id, i, changed, f"{describe(a[i])} -> {describe(b[i])}"))
    return out


_ANNOTATION_FIELDS = ("entity_mentions", "event_mentions")


def diff_releases(old: Path, new: Path) -> ReleaseDiff:
    old_rel, a = read_release(old)
    new_rel, b = read_release(new)
    d = ReleaseDiff(old_rel["version"], new_rel["version"])
    d.changes += [Change("added", "document", i, detail=f"split {b[i]['split']}") for i in sorted(b.keys() - a.keys())]
    d.changes += [
        Change("removed", "document", i, detail=f"split {a[i]['split']}") for i in sorted(a.keys() - b.keys())
    ]
    for i in sorted(a.keys() & b.keys()):
        changed = tuple(k for k in a[i] if k not in _ANNOTATION_FIELDS and a[i].get(k) != b[i].get(k))
        if changed:
            d.changes.append(Change("changed", "document", i, fields=changed))
        d.changes += _diff_items(
            i, "entity mention", a[i]["entity_mentions"], b[i]["entity_mentions"], _describe_entity
        )
        d.changes += _diff_items(i, "event mention", a[i]["event_mentions"], b[i]["event_mentions"], _describe_event)
    for i in sorted(b.keys() - a.keys()):
        d.changes += _diff_items(i, "entity mention", [], b[i]["entity_mentions"], _describe_entity)
        d.changes += _diff_items(i, "event mention", [], b[i]["event_mentions"], _describe_event)
    for i in sorted(a.keys() - b.keys()):
        d.changes += _diff_items(i, "entity mention", a[i]["entity_mentions"], [], _describe_entity)
        d.changes += _diff_items(i, "event mention", a[i]["event_mentions"], [], _describe_event)
    return d
