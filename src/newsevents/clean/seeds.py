"""Adding seed articles: copy the raw file, hash it, name it, append its manifest row.

``newsevents seeds add`` is the one way an article enters the corpus. The rules it applies are
written here once and documented in docs/cleaning.md ("Adding an article"):

- **File name**: ``<NNN>_<first 16 hex digits of the raw sha256><suffix>``, ``NNN`` being the
  row's position in the manifest (zero-padded to three digits). The raw bytes are copied
  unchanged; a file already in ``seeds/`` (same sha256) is not added twice.
- **Document id**: ``<publisher slug>-<published date>-<name slug>``: the publisher's name
  lower-cased with runs of other characters as one hyphen; the date ``YYYY-MM-DD`` (left out when
  unknown); the name from the file's stem without the publisher slug in front (else the first
  six words of the title), at most 40 characters cut at a hyphen. ``--id`` sets it by hand.
- **Split** (when not given): each article gets the key
  ``u = int(sha256("newsevents-split:" + id)[:8], 16) / 2**32``. The articles of one ``add`` are
  ranked by ``u``; the first half (rounded) go to ``train``, the next quarter (rounded) to
  ``validation``, the rest to ``test``: 2:1:1 exactly, so that every split of a batch holds
  enough documents for a score with an interval. An ``add`` of fewer than four articles uses the
  key directly: ``train`` below 0.5, ``validation`` below 0.75, else ``test``. The split is
  written into the manifest row, so adding articles later never moves one already there.
- **Licence**: an SPDX id (``CC-BY-2.5``; ``CC BY 2.5`` is normalised) or
  ``LicenseRef-all-rights-reserved``; an unknown one is refused (``--allow-unknown-license`` adds
  it, and the document is then treated as not redistributable).

Everything is checked before anything is written; the manifest is rewritten atomically after the
files are in place, so an interrupted ``add`` leaves at worst an unreferenced file in ``seeds/``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsevents.clean.corpus import MANIFEST, row_problem
from newsevents.io import atomic_write_bytes, read_json, write_json
from newsevents.licenses import LICENSES, license_info, normalize_license
from newsevents.records import Finding

SPLIT_SALT = "newsevents-split:"
NAME_MAX = 40
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
FORMATS = {".txt": "text", ".html": "html", ".htm": "html", ".html.gz": "html", ".htm.gz": "html", ".txt.gz": "text"}


def slug(value: str) -> str:
    """``Deutsche Welle`` -> ``deutsche-welle``.

    >>> slug("Over 900 asylum-seekers, rescued!")
    'over-900-asylum-seekers-rescued'
    """
    return _NOT_SLUG.sub("-", value.casefold()).strip("-")


def _cut(value: str, limit: int) -> str:
    if len(value) <= limit:
        return value
    head = value[:limit]
    return head.rsplit("-", 1)[0] if "-" in head else head


def suffix_of(name: str) -> str | None:
    """The input suffix the cleaner knows (``.txt``, ``.html.gz``, ...), or ``None``."""
    low = name.casefold()
    return next((s for s in sorted(FORMATS, key=len, reverse=True) if low.endswith(s)), None)


def doc_id_for(publisher: str, published: str | None, file_name: str, title: str | None) -> str:
    """The document id by the rule of the module docstring.

    >>> doc_id_for("Wikinews", "2015-05-18", "wikinews-asylum.txt", None)
    'wikinews-2015-05-18-asylum'
    >>> doc_id_for("Example News", None, "page.html", "A storm hits the coast today again")
    'example-news-page'
    """
    pub = _cut(slug(publisher), 30) or "unknown"
    suffix = suffix_of(file_name) or ""
    name = slug(file_name[: len(file_name) - len(suffix)])
    if name.startswith(pub + "-"):
        name = name[len(pub) + 1 :]
    if not name and title:
        name = slug(" ".join(title.split()[:6]))
    parts = [pub, published or "", _cut(name, NAME_MAX)]
    return "-".join(p for p in parts if p)


def split_key(doc_id: str) -> float:
    """The id's place in [0, 1) by its salted sha256 (module docstring)."""
    return int(hashlib.sha256((SPLIT_SALT + doc_id).encode()).hexdigest()[:8], 16) / 2**32


def assign_splits(doc_ids: Sequence[str]) -> dict[str, str]:
    """``train``/``validation``/``test`` for the articles of one ``add`` (module docstring).

    >>> sorted(assign_splits([f"doc-{i}" for i in range(8)]).values()).count("train")
    4
    """
    if len(doc_ids) < 4:
        return {i: "train" if (u := split_key(i)) < 0.5 else "validation" if u < 0.75 else "test" for i in doc_ids}
    ranked = sorted(doc_ids, key=lambda i: (split_key(i), i))
    n_train = round(len(ranked) * 0.5)
    n_validation = round(len(ranked) * 0.25)
    return {
        i: "train" if k < n_train else "validation" if k < n_train + n_validation else "test"
        for k, i in enumerate(ranked)
    }


@dataclass(frozen=True, slots=True)
class SeedRequest:
    """One article to add, with what the user or a source manifest says of it."""

    path: Path
    publisher: str
    license: str
    url: str | None = None
    published: str | None = None
    split: str | None = None
    language: str = "en"
    title: str | None = None
    attribution: str | None = None
    license_url: str | None = None
    profile: str | None = None
    id: str | None = None


@dataclass(frozen=True, slots=True)
class Planned:
    """A manifest row to append and the raw bytes to copy under its file name."""

    row: dict[str, Any]
    data: bytes


def plan_row(
    request: SeedRequest, data: bytes, index: int, *, allow_unknown_license: bool = False
) -> Planned | Finding:
    """The manifest row for one article, or a finding saying why it cannot be added."""
    where = str(request.path)
    suffix = suffix_of(request.path.name)
    if suffix is None:
        msg = f"unsupported file type; seeds are {', '.join(sorted(FORMATS))}"
        return Finding("seeds.unsupported-format", msg, file=where)
    info = license_info(request.license)
    if info is None and not allow_unknown_license:
        known = ", ".join(i.id for i in LICENSES.values())
        msg = f"licence {request.license!r} is not known ({known}); pass --allow-unknown-license to add it as not redistributable"
        return Finding("seeds.license-unknown", msg, file=where)
    sha = hashlib.sha256(data).hexdigest()
    doc_id = request.id or doc_id_for(request.publisher, request.published, request.path.name, request.title)
    row: dict[str, Any] = {
        "id": doc_id,
        "file": f"{index:03d}_{sha[:16]}{suffix}",
        "format": FORMATS[suffix],
        "publisher": request.publisher,
        "url": request.url,
        "language": request.language,
        "license": info.id if info else normalize_license(request.license),
        "license_url": request.license_url or (info.url if info else None),
        "attribution": request.attribution,
        "published": request.published,
        "title": request.title,
        "retrieved": None,
        "split": request.split or "test",  # replaced by assign_splits unless given
        "raw_sha256": sha,
        "profile": request.profile,
    }
    row = {k: v for k, v in row.items() if v is not None}
    if problem := row_problem(row):
        return Finding("seeds.bad-row", problem, file=where, doc_id=doc_id[:100])
    return Planned(row, data)


@dataclass
class AddResult:
    added: list[dict[str, Any]]
    skipped: list[Finding]  # already present: not an error
    findings: list[Finding]  # could not be added: nothing was written


def add_seeds(
    root: Path, requests: Sequence[SeedRequest], *, allow_unknown_license: bool = False, dry_run: bool = False
) -> AddResult:
    """Add the articles to ``root/seeds``: all or nothing (no file is written when one is refused)."""
    manifest_path = root / MANIFEST
    loaded = read_json(manifest_path)
    if loaded.findings:
        return AddResult([], [], list(loaded.findings))
    manifest = loaded.value
    if not isinstance(manifest, dict) or not isinstance(manifest.get("seeds"), list):
        return AddResult(
            [],
            [],
            [Finding("seeds.manifest", 'manifest must be an object with a "seeds" list', file=str(manifest_path))],
        )
    rows: list[Mapping[str, Any]] = manifest["seeds"]
    known_sha = {r.get("raw_sha256"): r.get("id") for r in rows if isinstance(r, dict)}
    known_ids = {r.get("id") for r in rows if isinstance(r, dict)}
    planned: list[Planned] = []
    planned_requests: list[SeedRequest] = []
    skipped: list[Finding] = []
    findings: list[Finding] = []
    for request in requests:
        try:
            data = request.path.read_bytes()
        except OSError as exc:
            findings.append(Finding("seeds.unreadable", f"cannot read: {exc.strerror or exc}", file=str(request.path)))
            continue
        result = plan_row(request, data, len(rows) + len(planned), allow_unknown_license=allow_unknown_license)
        if isinstance(result, Finding):
            findings.append(result)
            continue
        sha, doc_id = result.row["raw_sha256"], result.row["id"]
        if sha in known_sha:
            msg = f"already a seed (document {known_sha[sha]}); not added again"
            skipped.append(
                Finding("seeds.present", msg, severity="warning", file=str(request.path), doc_id=known_sha[sha])
            )
            continue
        if doc_id in known_ids:
            msg = f"document id {doc_id!r} is taken by another seed; pass --id"
            findings.append(Finding("seeds.duplicate-id", msg, file=str(request.path), doc_id=doc_id))
            continue
        known_sha[sha], known_ids = doc_id, known_ids | {doc_id}
        planned.append(result)
        planned_requests.append(request)
    auto = [p.row["id"] for p, r in zip(planned, planned_requests, strict=True) if r.split is None]
    for p in planned:
        if p.row["id"] in (splits := assign_splits(auto)):
            p.row["split"] = splits[p.row["id"]]
    if findings or dry_run:
        return AddResult([p.row for p in planned] if not findings else [], skipped, findings)
    for p in planned:
        atomic_write_bytes(root / "seeds" / p.row["file"], p.data)
    if planned:
        write_json(manifest_path, {**manifest, "seeds": [*rows, *(p.row for p in planned)]})
    return AddResult([p.row for p in planned], skipped, [])
