"""The build's inputs: cleaned documents, overlaid with the committed gold annotations, validated.

``annotations/gold/<doc-id>.json`` supplies a document's annotations (entity and event mentions,
provenance); everything else (text, metadata, split, cleaning record) comes from the cleaner's
fresh output, so a metadata fix in the cleaner reaches the release without re-annotating. The gold
text must equal the cleaned text, since the offsets index it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from newsevents.io import read_json
from newsevents.records import JSON, Document, Finding, Severity
from newsevents.validate import validate_record

Cleaner = Callable[[Path], tuple[list[Document], list[Finding]]]

CHECKS = {
    "build.gold-id-mismatch": "the gold file's name is not <record id>.json",
    "build.gold-orphan": "a gold record has no cleaned document with its id",
    "build.gold-text-mismatch": "the gold record's text differs from the cleaned text its offsets index",
    "build.gold-metadata-differs": "(warning) a gold record's metadata differs from the cleaned record's; the cleaned one is used",
    "build.duplicate-id": "two cleaned documents have the same id",
    "build.no-documents": "nothing to build",
}


@dataclass
class Collected:
    docs: list[Document]
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.ERROR.value]


def clean_stage(root: Path) -> tuple[list[Document], list[Finding]]:
    """Run the cleaner over the seeds manifest and write ``corpus/`` (the build's first step)."""
    from newsevents.clean import clean_manifest, write_corpus  # noqa: PLC0415 - trafilatura & co., only here

    docs, findings = clean_manifest(root)
    if not any(f.severity == Severity.ERROR.value for f in findings):
        write_corpus(root, docs)
    return list(docs), list(findings)


def corpus_records(root: Path) -> tuple[list[Document], list[Finding]]:
    """``corpus/*.json`` as committed (validated): the cleaner's last output, without re-running it.

    A :data:`Cleaner` for callers that must not depend on the cleaner's current rules (tests of
    the build itself); ``newsevents build`` always runs :func:`clean_stage`.
    """
    docs: list[Document] = []
    findings: list[Finding] = []
    for path in sorted((root / "corpus").glob("*.json")):
        loaded = read_json(path)
        found = list(loaded.findings) or validate_record(loaded.value, file=str(path))
        findings.extend(found)
        if not any(f.severity == Severity.ERROR.value for f in found):
            docs.append(Document.from_dict(loaded.value))
    return docs, findings


_METADATA = ("title", "language", "published", "split", "source", "credits", "cleaning")


def overlay_gold(root: Path, docs: list[Document]) -> tuple[list[Document], list[Finding]]:
    """Replace each document's annotations by its gold record's, where one exists."""
    by_id = {d.id: d for d in docs}
    findings: list[Finding] = []
    for path in sorted((root / "annotations" / "gold").glob("*.json")):
        file = str(path)
        loaded = read_json(path)
        found = list(loaded.findings) or validate_record(loaded.value, file=file)
        findings.extend(found)
        if any(f.severity == Severity.ERROR.value for f in found):
            continue
        gold = Document.from_dict(loaded.value)
        if gold.id != path.stem:
            findings.append(
                Finding(
                    "build.gold-id-mismatch",
                    f"file name must be {gold.id}.json, found {path.name}",
                    file=file,
                    doc_id=gold.id,
                    pointer="/id",
                )
            )
            continue
        cleaned = by_id.get(gold.id)
        if cleaned is None:
            findings.append(
                Finding(
                    "build.gold-orphan",
                    f"no cleaned document has id {gold.id!r}; is it in the seeds manifest?",
                    file=file,
                    doc_id=gold.id,
                    pointer="/id",
                )
            )
            continue
        if gold.text != cleaned.text:
            at = next(
                (i for i, (a, b) in enumerate(zip(gold.text, cleaned.text, strict=False)) if a != b),
                min(len(gold.text), len(cleaned.text)),
            )
            msg = (
                f"gold text (sha256 {gold.text_sha256[:12]}) differs from the cleaned text (sha256 "
                f"{cleaned.text_sha256[:12]}) from offset {at}: re-align the annotations to the cleaned text"
            )
            findings.append(Finding("build.gold-text-mismatch", msg, file=file, doc_id=gold.id, pointer="/text"))
            continue
        g, c = gold.to_dict(), cleaned.to_dict()
        differs = [k for k in _METADATA if g.get(k) != c.get(k)]
        if differs:
            msg = f"fields {differs} differ from the cleaned record's; the cleaned values are released"
            findings.append(
                Finding("build.gold-metadata-differs", msg, severity=Severity.WARNING.value, file=file, doc_id=gold.id)
            )
        by_id[gold.id] = dataclasses.replace(
            cleaned,
            entity_mentions=gold.entity_mentions,
            event_mentions=gold.event_mentions,
            provenance=gold.provenance,
        )
    return [by_id[d.id] for d in docs], findings


def collect(root: Path, cleaner: Cleaner | None = None) -> Collected:
    """Clean, overlay gold, validate every released record; errors mean: do not build."""
    docs, findings = (cleaner or clean_stage)(root)
    if any(f.severity == Severity.ERROR.value for f in findings):
        return Collected([], findings)
    seen: set[str] = set()
    for d in docs:
        if d.id in seen:
            findings.append(
                Finding("build.duplicate-id", f"two cleaned documents have id {d.id!r}", doc_id=d.id, pointer="/id")
            )
        seen.add(d.id)
    if not docs:
        findings.append(
            Finding("build.no-documents", f"no document to build under {root}: add seeds and run the cleaner")
        )
    merged, gold_findings = overlay_gold(root, docs)
    findings.extend(gold_findings)
    for d in merged:
        findings.extend(validate_record(d.to_dict(), file=f"(merged record {d.id})"))
    return Collected(merged, findings)


def seed_facts(root: Path, docs: list[Document]) -> dict[str, JSON]:
    """What rehydration needs to re-run the cleaner exactly as the build did, without any source text.

    For each document: its seeds manifest row (project metadata: publisher, licence, profile ...)
    and its override decisions by raw line number, with the line texts removed (rehydration takes
    them from the user's own copy of the page).
    """
    from newsevents.clean import read_manifest  # noqa: PLC0415

    manifest = (
        {m.id: dataclasses.asdict(m) for m in read_manifest(root).seeds}
        if (root / "seeds" / "manifest.json").is_file()
        else {}
    )
    out: dict[str, JSON] = {}
    for d in docs:
        overrides = None
        source = d.cleaning.overrides if d.cleaning else None
        if source:
            loaded = read_json(root / source)
            if not loaded.findings and isinstance(loaded.value, dict):
                lines = [
                    {"line": o["line"], "action": o["action"], "reason": o.get("reason", "override")}
                    for o in loaded.value.get("lines", [])
                    if isinstance(o, dict) and "line" in o and "action" in o
                ]
                overrides = {
                    "source": source,
                    "doc_id": loaded.value.get("doc_id"),
                    "raw_sha256": loaded.value.get("raw_sha256"),
                    "lines": lines,
                }
        out[d.id] = {"manifest": manifest.get(d.id), "overrides": overrides}
    return out
