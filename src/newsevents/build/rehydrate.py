"""Rebuild the full dataset from a stand-off release and the user's own copy of the sources.

A stand-off release (``newsevents build --standoff``; what ``publish`` uploads when a licence does
not allow redistributing the text) keeps offsets, ``text_sha256`` and the raw file's sha256 but no
text of the publisher's. :func:`rehydrate` matches each redacted document to one of the user's
files (by the raw file's sha256, else by its file name), runs the project's cleaner on it, checks
the cleaned text against ``text_sha256``, restores every span text from the offsets and renders
the full release with the same code as ``newsevents build``: with the same sources, the result is
byte-identical to the project's own full build.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from newsevents.build.card import CardInputs
from newsevents.build.diff import ReleaseError, read_release
from newsevents.build.meta import DatasetMeta
from newsevents.build.release import REHYDRATE_FILE, Installed, install, render_release
from newsevents.build.views import decoded_row_to_record
from newsevents.io import read_json
from newsevents.records import JSON, Document, Finding, Severity
from newsevents.validate import validate_record

# (raw bytes, the stand-off documents row, the seed facts of rehydrate.json) -> (document or None, findings)
PageCleaner = Callable[[bytes, JSON, JSON | None], tuple[Document | None, list[Finding]]]

CHECKS = {
    "rehydrate.missing-source": "no file given matches the document's raw sha256 or raw file name",
    "rehydrate.raw-sha256-mismatch": "(warning) the matched file's bytes differ from the recorded raw file; the text check decides",
    "rehydrate.text-sha256-mismatch": "the cleaned text of the user's file does not hash to the recorded text_sha256",
    "rehydrate.clean-failed": "the cleaner could not clean the user's file",
    "rehydrate.removed-line-missing": "the cleaner did not report a removed line the release records",
}


def project_cleaner(raw: bytes, row: JSON, facts: JSON | None) -> tuple[Document | None, list[Finding]]:
    """The project's cleaner on one page, set up as the build's ``clean_seed`` was.

    The manifest row and the override decisions come from ``rehydrate.json``; each override's
    line text (withheld from the release) is read back from the user's own copy of the page.
    """
    from newsevents.clean.corpus import resolve_profile  # noqa: PLC0415 - heavy stage, only here
    from newsevents.clean.normalize import decode, normalize_line, split_lines  # noqa: PLC0415
    from newsevents.clean.overrides import OverrideLine, Overrides  # noqa: PLC0415
    from newsevents.clean.pipeline import SeedMeta, clean_page  # noqa: PLC0415

    src = row["source"]
    facts = facts or {}
    if facts.get("manifest"):
        meta = SeedMeta(**facts["manifest"])
    else:
        meta = SeedMeta(
            id=row["id"],
            file=src["raw_file"],
            format=src.get("format") or "text",
            publisher=src["publisher"],
            url=src.get("url"),
            language=row["language"],
            license=src["license"],
            retrieved=src.get("retrieved"),
            split=row["split"],
            raw_sha256=src["raw_sha256"],
            profile=(row.get("cleaning") or {}).get("profile"),
        )
    profile, findings = resolve_profile(meta, raw)
    overrides = None
    ov = facts.get("overrides")
    if ov:
        decoded = decode(raw, name=meta.file, doc_id=meta.id)
        lines = split_lines(decoded.text or "")
        overrides = Overrides(
            source=ov["source"],
            doc_id=ov["doc_id"],
            raw_sha256=ov.get("raw_sha256"),
            lines=tuple(
                OverrideLine(
                    o["line"],
                    normalize_line(lines[o["line"] - 1]) if 0 < o["line"] <= len(lines) else "",
                    o["action"],
                    o["reason"],
                )
                for o in ov["lines"]
            ),
        )
    result = clean_page(
        raw, name=f"seeds/{meta.file}", fmt=meta.format, meta=meta, profile=profile, overrides=overrides
    )
    return result.document, [*findings, *result.findings]


def _files(sources: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for s in sources:
        out.extend(sorted(p for p in s.rglob("*") if p.is_file()) if s.is_dir() else [s])
    return out


@dataclass
class Rehydrated:
    findings: list[Finding] = field(default_factory=list)
    installed: Installed | None = None
    docs: list[Document] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.ERROR.value]


def restore(row: JSON, cleaned: Document, file: str) -> tuple[JSON | None, list[Finding]]:
    """The full canonical record of a redacted row, its texts taken from the cleaned page."""
    doc_id = row["id"]
    findings: list[Finding] = []
    if cleaned.text_sha256 != row["text_sha256"]:
        msg = (
            f"the cleaned text of this file hashes to {cleaned.text_sha256[:12]}..., the release records "
            f"{row['text_sha256'][:12]}...: this is not the text the annotations index (another version of the page?)"
        )
        return None, [Finding("rehydrate.text-sha256-mismatch", msg, file=file, doc_id=doc_id, pointer="/text_sha256")]
    text = cleaned.text
    rec = dict(row)
    rec["text"] = text
    rec["title"] = cleaned.title
    rec["entity_mentions"] = [{**m, "text": text[m["start"] : m["end"]]} for m in row["entity_mentions"]]
    rec["event_mentions"] = [
        {**e, "trigger": {**e["trigger"], "text": text[e["trigger"]["start"] : e["trigger"]["end"]]}}
        for e in row["event_mentions"]
    ]
    if row.get("cleaning") is not None:
        removed_text = {r.line: r.text for r in (cleaned.cleaning.removed if cleaned.cleaning else ())}
        removed = []
        for i, r in enumerate(row["cleaning"]["removed"]):
            if r["line"] not in removed_text:
                msg = f"the release records raw line {r['line']} as removed ({r['reason']}); the cleaner kept it"
                findings.append(
                    Finding(
                        "rehydrate.removed-line-missing",
                        msg,
                        file=file,
                        doc_id=doc_id,
                        pointer=f"/cleaning/removed/{i}",
                    )
                )
            removed.append({**r, "text": removed_text.get(r["line"], "")})
        rec["cleaning"] = {**row["cleaning"], "removed": removed}
    return rec, findings


def rehydrate(standoff: Path, sources: Iterable[Path], out: Path, *, cleaner: PageCleaner | None = None) -> Rehydrated:
    """Rebuild ``out/<name>-<version>/`` (the full variant) from ``standoff`` and the user's files.

    Raises:
        ReleaseError: ``standoff`` is not a stand-off release folder.
    """
    clean = cleaner or project_cleaner
    loaded = read_json(standoff / REHYDRATE_FILE)
    if loaded.findings or not isinstance(loaded.value, dict):
        raise ReleaseError(f"{standoff}: no readable {REHYDRATE_FILE}; is this a stand-off release folder?")
    meta = DatasetMeta.from_dict(loaded.value["meta"], where=str(standoff / REHYDRATE_FILE))
    inputs = CardInputs.from_dict(loaded.value["card_inputs"])
    seeds: dict[str, JSON] = loaded.value.get("seeds") or {}
    release, rows = read_release(standoff)
    files = _files(sources)
    by_sha: dict[str, Path] = {}
    by_name: dict[str, Path] = {}
    for p in files:
        by_sha.setdefault(hashlib.sha256(p.read_bytes()).hexdigest(), p)
        by_name.setdefault(p.name, p)
    result = Rehydrated()
    records: list[JSON] = []
    for doc_id in sorted(rows):
        row = rows[doc_id]
        if row["text"] is not None:
            records.append(row)
            continue
        src = row["source"]
        path = by_sha.get(src["raw_sha256"]) or by_name.get(Path(src["raw_file"]).name)
        if path is None:
            msg = f"no file given has sha256 {src['raw_sha256'][:12]}... or the name {Path(src['raw_file']).name!r} (source: {src.get('url') or src['publisher']})"
            result.findings.append(Finding("rehydrate.missing-source", msg, doc_id=doc_id))
            continue
        raw = path.read_bytes()
        if hashlib.sha256(raw).hexdigest() != src["raw_sha256"]:
            msg = f"file bytes differ from the recorded raw file (sha256 {src['raw_sha256'][:12]}...); checking the cleaned text instead"
            result.findings.append(
                Finding(
                    "rehydrate.raw-sha256-mismatch", msg, severity=Severity.WARNING.value, file=str(path), doc_id=doc_id
                )
            )
        cleaned, found = clean(raw, row, seeds.get(doc_id))
        if cleaned is None:
            result.findings.extend(found)
            result.findings.append(
                Finding(
                    "rehydrate.clean-failed",
                    "the cleaner produced no document for this file",
                    file=str(path),
                    doc_id=doc_id,
                )
            )
            continue
        rec, found = restore(row, cleaned, str(path))
        result.findings.extend(found)
        if rec is not None:
            records.append(rec)
    if result.errors:
        return result
    docs = []
    for rec in records:
        canonical = decoded_row_to_record(rec)
        found = validate_record(canonical, file=f"(rehydrated {rec['id']})")
        result.findings.extend(found)
        docs.append(Document.from_dict(canonical))
    if result.errors:
        return result
    result.docs = docs
    rendered = render_release(docs, meta, inputs, variant="full", manifest_sha256=release.get("source_manifests", {}))
    result.installed = install(rendered.files, out / meta.folder)
    return result
