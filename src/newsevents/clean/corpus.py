"""File I/O at the edges of the clean stage: the seed manifest, input folders, corpus output."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from newsevents.clean.normalize import MAX_INPUT_BYTES
from newsevents.clean.overrides import Overrides, overrides_from_dict
from newsevents.clean.pipeline import CleanResult, SeedMeta, clean_page, input_stem
from newsevents.clean.profiles import Profile, ProfileError, detect_profile, get_profile, profile_for_url
from newsevents.io import InputError, display_path, dump_json, read_input_bytes, read_json, write_json
from newsevents.licenses import license_info
from newsevents.records import Document, Finding

MANIFEST = "seeds/manifest.json"
INPUT_SUFFIXES = (".txt", ".html", ".htm", ".html.gz", ".htm.gz", ".txt.gz")
_SEED_FIELDS = {f.name for f in fields(SeedMeta)}
_REQUIRED = ("id", "file", "format", "publisher", "language", "license", "split")


@dataclass(frozen=True, slots=True)
class Manifest:
    seeds: tuple[SeedMeta, ...]
    findings: tuple[Finding, ...] = ()


def read_manifest(root: Path) -> Manifest:
    """The seeds of ``seeds/manifest.json`` (``{"seeds": [row, ...]}``), problems as findings."""
    path = root / MANIFEST
    loaded = read_json(path)
    if loaded.findings:
        return Manifest((), loaded.findings)
    value = loaded.value
    name = str(path)
    if not isinstance(value, dict) or not isinstance(value.get("seeds"), list):
        return Manifest((), (Finding("clean.manifest", 'manifest must be an object with a "seeds" list', file=name),))
    seeds: list[SeedMeta] = []
    findings: list[Finding] = []
    ids: set[str] = set()
    for i, row in enumerate(value["seeds"]):
        ptr = f"/seeds/{i}"
        if not isinstance(row, dict):
            findings.append(Finding("clean.manifest", "seed row must be an object", file=name, pointer=ptr))
            continue
        missing = [k for k in _REQUIRED if not row.get(k)]
        unknown = sorted(set(row) - _SEED_FIELDS - {"notes"})
        if missing or unknown:
            msg = (
                f"seed row needs {', '.join(_REQUIRED)}; missing {missing or 'none'}, unknown keys {unknown or 'none'}"
            )
            findings.append(Finding("clean.manifest", msg, file=name, pointer=ptr))
            continue
        if row["id"] in ids:
            findings.append(Finding("clean.manifest", f"duplicate seed id {row['id']!r}", file=name, pointer=ptr))
            continue
        if problem := row_problem(row):
            findings.append(Finding("clean.manifest", problem, file=name, pointer=ptr, doc_id=str(row["id"])[:100]))
            continue
        if license_info(row["license"]) is None:
            msg = (
                f"licence {row['license']!r} is not known (an SPDX id such as CC-BY-4.0, or "
                "LicenseRef-all-rights-reserved): the text is treated as not redistributable"
            )
            findings.append(
                Finding(
                    "clean.license-unknown",
                    msg,
                    severity="warning",
                    file=name,
                    pointer=f"{ptr}/license",
                    doc_id=row["id"],
                )
            )
        ids.add(row["id"])
        seeds.append(SeedMeta(**{k: v for k, v in row.items() if k in _SEED_FIELDS}))
    return Manifest(tuple(seeds), tuple(findings))


SEED_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?")
SEED_FILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9]+){1,2}")
OVERRIDES_FILE = re.compile(r"overrides/[A-Za-z0-9][A-Za-z0-9_.-]*\.json")
SPLITS = ("train", "validation", "test")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def row_problem(row: dict[str, Any]) -> str | None:
    """Why a manifest row cannot be used, or ``None``: every path it names stays inside ``seeds/``.

    The id names the corpus, gold and annotation files of the document, and ``file`` and
    ``overrides`` are read from ``seeds/``: both are checked (full match) before anything is read
    or written, so a row such as ``{"id": "../../x"}`` can neither write nor read outside.
    """
    checks: list[tuple[str, re.Pattern[str], str]] = [
        ("id", SEED_ID, "lower-case letters, digits and inner hyphens, at most 100 characters"),
        ("file", SEED_FILE, "a file name inside seeds/ (no folder, no '..')"),
    ]
    if row.get("overrides") is not None:
        checks.append(("overrides", OVERRIDES_FILE, "overrides/<name>.json inside seeds/"))
    if row.get("published") is not None:
        checks.append(("published", DATE, "a date YYYY-MM-DD"))
    for key, pattern, rule in checks:
        value = row.get(key)
        if not isinstance(value, str) or not pattern.fullmatch(value) or ".." in value:
            return f"seed row {key} {value!r} is not {rule}"
    if row.get("split") not in SPLITS:
        return f"seed row split {row.get('split')!r} is not one of {', '.join(SPLITS)}"
    return None


def read_raw(path: Path) -> tuple[bytes | None, Finding | None]:
    """A raw input's bytes (gunzipped for ``.gz``), or a finding when it cannot be read.

    Bounded whatever the file: FIFOs and devices are refused unopened, and ``.gz`` input is
    inflated in steps and stopped at the limit (:func:`newsevents.io.read_input_bytes`).
    """
    try:
        return read_input_bytes(path, MAX_INPUT_BYTES), None
    except InputError as exc:
        check = "clean.too-large" if exc.reason == "too-large" else "clean.unreadable"
        return None, Finding(check, exc.message, file=display_path(path))


def load_overrides(root: Path, meta: SeedMeta) -> tuple[Overrides | None, list[Finding]]:
    if not meta.overrides:
        return None, []
    rel = f"seeds/{meta.overrides}"
    loaded = read_json(root / rel)
    if loaded.findings:
        return None, list(loaded.findings)
    ov, findings = overrides_from_dict(loaded.value, source=rel)
    if ov is not None and ov.doc_id != meta.id:
        msg = f"override file is for document {ov.doc_id!r}, manifest row is {meta.id!r}"
        return None, [Finding("clean.override", msg, file=rel, doc_id=meta.id)]
    return ov, findings


def resolve_profile(meta: SeedMeta | None, raw: bytes, name: str | None = None) -> tuple[Profile | None, list[Finding]]:
    """The profile a manifest row names, else the one its publisher maps to, else the one whose
    ``hosts`` hold the row's URL, else detection from the page's text."""
    wanted = name or (meta.profile if meta else None)
    try:
        if wanted:
            prof = get_profile(wanted)
            if prof is None:
                return None, [
                    Finding("clean.profile", f"no profile named {wanted!r}", doc_id=meta.id if meta else None)
                ]
            return prof, []
        if meta and meta.publisher and (prof := get_profile(meta.publisher)):
            return prof, []
        if meta and (prof := profile_for_url(meta.url)):
            return prof, []
        return detect_profile(raw[:MAX_INPUT_BYTES].decode("utf-8", errors="replace")), []
    except ProfileError as exc:
        return None, [Finding("clean.profile", str(exc))]


def clean_seed(root: Path, meta: SeedMeta) -> CleanResult:
    path = root / "seeds" / meta.file
    raw, err = read_raw(path)
    if raw is None:
        return CleanResult(None, (err,) if err else ())
    findings: list[Finding] = []
    sha = hashlib.sha256(raw).hexdigest()
    if meta.raw_sha256 and meta.raw_sha256 != sha:
        msg = f"raw file changed: manifest sha256 {meta.raw_sha256}, file has {sha}"
        findings.append(Finding("clean.raw-changed", msg, file=str(path), doc_id=meta.id))
    profile, pf = resolve_profile(meta, raw)
    overrides, of = load_overrides(root, meta)
    result = clean_page(
        raw, name=f"seeds/{meta.file}", fmt=meta.format, meta=meta, profile=profile, overrides=overrides
    )
    return CleanResult(result.document, (*findings, *pf, *of, *result.findings))


def clean_manifest(root: Path) -> tuple[list[Document], list[Finding]]:
    """Clean every seed of ``root/seeds/manifest.json``; returns the records, writes nothing."""
    manifest = read_manifest(root)
    docs: list[Document] = []
    findings = list(manifest.findings)
    for meta in manifest.seeds:
        result = clean_seed(root, meta)
        findings.extend(result.findings)
        if result.document is not None:
            docs.append(result.document)
    return docs, findings


def iter_inputs(paths: Iterable[Path]) -> Iterator[Path]:
    """Every input file named or found (recursively, sorted) under the given paths."""
    for p in paths:
        if p.is_dir():
            yield from sorted(
                q
                for q in p.rglob("*")
                if q.is_file() and q.name.lower().endswith(INPUT_SUFFIXES) and not q.name.startswith(".")
            )
        else:
            yield p


def dedupe_inputs(paths: Iterable[Path]) -> tuple[list[Path], list[Finding]]:
    """The inputs with distinct output names (``<stem>.json``), and a finding for each other one.

    Two inputs with one stem (``a.txt`` and ``a.html``) would write the same output file; the
    first keeps it and the second is reported instead of silently overwriting it.
    """
    kept: dict[str, Path] = {}
    findings: list[Finding] = []
    for p in paths:
        stem = input_stem(p.name)
        if stem in kept:
            msg = f"output {stem}.json is already written for {kept[stem]}; input skipped"
            findings.append(Finding("clean.output-collision", msg, file=str(p)))
        else:
            kept[stem] = p
    return list(kept.values()), findings


def clean_file(path: Path, *, profile_name: str | None = None) -> CleanResult:
    """Clean one input file outside the manifest (id and format from its name)."""
    raw, err = read_raw(path)
    if raw is None:
        return CleanResult(None, (err,) if err else ())
    profile, pf = resolve_profile(None, raw, profile_name)
    result = clean_page(raw, name=str(path), profile=profile)
    return CleanResult(result.document, (*pf, *result.findings))


def record_json(doc: Document) -> str:
    return dump_json(doc.to_dict())


def write_corpus(root: Path, docs: Iterable[Document]) -> None:
    """Write each document to ``root/corpus/<id>.json`` atomically; other files stay untouched."""
    for doc in docs:
        write_json(root / "corpus" / f"{doc.id}.json", doc.to_dict())


def write_outputs(out: Path, results: Iterable[tuple[Path, CleanResult]]) -> None:
    """Write ``out/<input stem>.json`` for each cleaned input, atomically."""
    for path, result in results:
        if result.document is not None:
            write_json(out / f"{input_stem(path.name) or result.document.id}.json", result.document.to_dict())


def as_dict(meta: SeedMeta) -> dict[str, Any]:
    return {f.name: getattr(meta, f.name) for f in fields(SeedMeta)}
