"""The build's inputs: cleaned documents, overlaid with the committed gold annotations, validated.

``annotations/gold/<doc-id>.json`` supplies a document's annotations (entity and event mentions,
provenance); everything else (text, metadata, split, cleaning record) comes from the cleaner's
fresh output, so a metadata fix in the cleaner reaches the release without re-annotating. The gold
text must equal the cleaned text, since the offsets index it.

The build never holds the corpus: :func:`collect` reads each record once, validates it, and keeps
only the small facts of each document (:class:`DocFacts`: id, split, licence, the gold file that
overlays it ...); the renderer then loads the documents again one at a time
(:meth:`Collected.load`). A cleaner therefore returns a *sequence* that can be read by index more
than once: a list, or :class:`CorpusFiles`, which reads each record from its file when asked.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

from newsevents import progress
from newsevents.io import read_json
from newsevents.records import JSON, Document, Finding, Severity
from newsevents.validate import validate_record

Cleaner = Callable[[Path], tuple[Sequence[Document], list[Finding]]]

CHECKS = {
    "build.gold-id-mismatch": "the gold file's name is not <record id>.json",
    "build.gold-orphan": "a gold record has no cleaned document with its id",
    "build.changelog-missing": "CHANGELOG.md has no heading naming the version being built",
    "build.not-annotated": "(warning) a cleaned document has no gold record yet; it is left out of the release",
    "build.gold-text-mismatch": "the gold record's text differs from the cleaned text its offsets index",
    "build.gold-metadata-differs": "(warning) a gold record's metadata differs from the cleaned record's; the cleaned one is used",
    "build.duplicate-id": "two cleaned documents have the same id",
    "build.no-documents": "nothing to build",
}


def _errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == Severity.ERROR.value for f in findings)


class SourceChanged(RuntimeError):  # noqa: N818 - named after what happened: the input moved under the build
    """A record changed on disk between the build's passes: run the build again."""


class CorpusFiles(Sequence[Document]):
    """Canonical records read from their files on demand: indexing reads and parses one file.

    Holds only the paths, so a build over it never has more than a few documents in memory.
    :meth:`read_checked` is the validating read of the build's first pass.
    """

    def __init__(self, paths: Iterable[Path]) -> None:
        self.paths = list(paths)

    def __len__(self) -> int:
        return len(self.paths)

    @overload
    def __getitem__(self, index: int) -> Document: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Document]: ...
    def __getitem__(self, index: int | slice) -> Document | Sequence[Document]:
        if isinstance(index, slice):
            return CorpusFiles(self.paths[index])
        path = self.paths[index]
        loaded = read_json(path)
        if loaded.findings:
            raise SourceChanged(f"{path}: {loaded.findings[0].message} (was readable in the build's first pass)")
        return Document.from_dict(loaded.value)

    def __iter__(self) -> Iterator[Document]:
        return (self[i] for i in range(len(self)))

    def read_checked(self, index: int) -> tuple[JSON | None, list[Finding]]:
        """The record at ``index`` as JSON, validated; ``None`` and the findings when it is not valid."""
        path = self.paths[index]
        loaded = read_json(path)
        found = list(loaded.findings) or validate_record(loaded.value, file=str(path))
        return (None if _errors(found) else loaded.value), found


def clean_stage(root: Path) -> tuple[Sequence[Document], list[Finding]]:
    """Run the cleaner over the seeds manifest and write ``corpus/`` (the build's first step).

    Once written, the documents are handed on as :class:`CorpusFiles` over the files just written,
    so the cleaner's list is released before the build reads them one at a time.
    """
    from newsevents.clean import clean_manifest, write_corpus  # noqa: PLC0415 - trafilatura & co., only here

    docs, findings = clean_manifest(root)
    if any(f.severity == Severity.ERROR.value for f in findings):
        return list(docs), list(findings)
    write_corpus(root, docs)
    return CorpusFiles(root / "corpus" / f"{d.id}.json" for d in docs), list(findings)


def corpus_records(root: Path) -> tuple[CorpusFiles, list[Finding]]:
    """``corpus/*.json`` as committed: the cleaner's last output, without re-running it.

    A :data:`Cleaner` for callers that must not depend on the cleaner's current rules (tests of
    the build itself, the benchmarks); ``newsevents build`` always runs :func:`clean_stage`. The
    records are read lazily; :func:`collect` validates each one as it reads it.
    """
    return CorpusFiles(sorted((root / "corpus").glob("*.json"))), []


_METADATA = ("title", "language", "published", "split", "source", "credits", "cleaning")


@dataclass(frozen=True, slots=True)
class DocFacts:
    """What the build keeps of a document between its passes (the release's per-document facts)."""

    index: int  # position in the cleaner's sequence
    id: str
    split: str
    language: str
    publisher: str
    url: str | None
    license: str
    status: str
    raw_sha256: str
    text_sha256: str
    overrides: str | None  # the cleaning record's override file (rehydration needs it)
    gold: Path | None  # the gold record overlaid on it, if any

    @classmethod
    def of(cls, index: int, rec: JSON, gold: Path | None) -> DocFacts:
        """The facts of a valid canonical record (as JSON: the first pass makes no Document)."""
        source = rec["source"]
        return cls(
            index,
            rec["id"],
            rec["split"],
            rec["language"],
            source["publisher"],
            source.get("url"),
            source["license"],
            rec["provenance"]["status"],
            source["raw_sha256"],
            rec["text_sha256"],
            (rec.get("cleaning") or {}).get("overrides"),
            gold,
        )

    def to_release(self) -> JSON:
        """The document's entry in ``release.json`` (and the card's sources table)."""
        return {
            "id": self.id,
            "split": self.split,
            "language": self.language,
            "publisher": self.publisher,
            "url": self.url,
            "license": self.license,
            "status": self.status,
            "raw_sha256": self.raw_sha256,
            "text_sha256": self.text_sha256,
        }


@dataclass
class Collected:
    """The validated inputs of a build: the documents' facts (sorted by id) and how to load each."""

    docs: Sequence[Document]  # the cleaner's output, read by index
    facts: list[DocFacts]
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.ERROR.value]

    def load(self, fact: DocFacts) -> Document:
        """The released record of one document: the cleaned one with its gold annotations, if any."""
        doc = self.docs[fact.index]
        if doc.id != fact.id:
            raise SourceChanged(f"document {fact.index} of the cleaner's output is now {doc.id!r}, was {fact.id!r}")
        if fact.gold is None:
            return doc
        loaded = read_json(fact.gold)
        if loaded.findings:
            raise SourceChanged(f"{fact.gold}: {loaded.findings[0].message} (was readable in the build's first pass)")
        return _overlay(doc, Document.from_dict(loaded.value))

    def iter_docs(self, facts: Iterable[DocFacts] | None = None) -> Iterator[Document]:
        """The released records of ``facts`` (default: all, by id), one at a time."""
        return (self.load(f) for f in (self.facts if facts is None else facts))


def _overlay(cleaned: Document, gold: Document) -> Document:
    return dataclasses.replace(
        cleaned,
        entity_mentions=gold.entity_mentions,
        event_mentions=gold.event_mentions,
        provenance=gold.provenance,
    )


def _read_gold(path: Path) -> tuple[Document | None, list[Finding]]:
    """A gold record, validated, and checked to be named after its id."""
    file = str(path)
    loaded = read_json(path)
    found = list(loaded.findings) or validate_record(loaded.value, file=file)
    if _errors(found):
        return None, found
    gold = Document.from_dict(loaded.value)
    if gold.id != path.stem:
        found.append(
            Finding(
                "build.gold-id-mismatch",
                f"file name must be {gold.id}.json, found {path.name}",
                file=file,
                doc_id=gold.id,
                pointer="/id",
            )
        )
        return None, found
    return gold, found


def _compare_gold(path: Path, gold: Document, cleaned: Document) -> list[Finding]:
    """Findings of overlaying ``gold`` on ``cleaned``: an error when the texts differ."""
    file = str(path)
    if gold.text != cleaned.text:
        at = next(
            (i for i, (a, b) in enumerate(zip(gold.text, cleaned.text, strict=False)) if a != b),
            min(len(gold.text), len(cleaned.text)),
        )
        msg = (
            f"gold text (sha256 {gold.text_sha256[:12]}) differs from the cleaned text (sha256 "
            f"{cleaned.text_sha256[:12]}) from offset {at}: re-align the annotations to the cleaned text"
        )
        return [Finding("build.gold-text-mismatch", msg, file=file, doc_id=gold.id, pointer="/text")]
    g, c = gold.to_dict(), cleaned.to_dict()
    differs = [k for k in _METADATA if g.get(k) != c.get(k)]
    if differs:
        msg = f"fields {differs} differ from the cleaned record's; the cleaned values are released"
        return [Finding("build.gold-metadata-differs", msg, severity=Severity.WARNING.value, file=file, doc_id=gold.id)]
    return []


def _check(docs: Sequence[Document], index: int) -> tuple[JSON | None, list[Finding]]:
    """Read document ``index`` once and validate it (files: as read; a list: as its canonical dict)."""
    if isinstance(docs, CorpusFiles):
        return docs.read_checked(index)
    rec = docs[index].to_dict()
    found = validate_record(rec, file=f"(cleaned record {rec['id']})")
    return (None if _errors(found) else rec), found


def collect(root: Path, cleaner: Cleaner | None = None, *, release_unannotated: bool = True) -> Collected:
    """Clean, overlay gold, validate every released record; errors mean: do not build.

    A cleaned document without a gold record is released as it is only with
    ``release_unannotated``; otherwise it is left out with a ``build.not-annotated`` warning.

    One pass over the documents, one at a time: each cleaned record is read and validated once,
    as JSON; a document with a gold record is validated again as merged (gold annotations on
    cleaned metadata). Only :class:`DocFacts` are kept.
    """
    docs, cleaner_findings = (cleaner or clean_stage)(root)
    findings = list(cleaner_findings)
    if _errors(findings):
        return Collected(docs, [], findings)
    gold_files = {p.stem: p for p in sorted((root / "annotations" / "gold").glob("*.json"))}
    gold_found: dict[Path, list[Finding]] = {}  # reported in file order, as one block
    read_found: list[Finding] = []
    merged_found: list[Finding] = []
    duplicates: list[Finding] = []
    unannotated: list[Finding] = []
    facts: list[DocFacts] = []
    seen: set[str] = set()
    for index in range(len(docs)):
        progress.advance()  # a bar on the CLI's terminal, else nothing
        rec, found = _check(docs, index)
        read_found.extend(found)
        if rec is None:
            continue
        doc_id = rec["id"]
        if doc_id in seen:
            duplicates.append(
                Finding("build.duplicate-id", f"two cleaned documents have id {doc_id!r}", doc_id=doc_id, pointer="/id")
            )
            continue
        seen.add(doc_id)
        gold_path = gold_files.get(doc_id)
        used: Path | None = None
        if gold_path is not None and gold_path not in gold_found:
            gold, gold_found[gold_path] = _read_gold(gold_path)
            if gold is not None:
                cleaned = Document.from_dict(rec)
                compared = _compare_gold(gold_path, gold, cleaned)
                gold_found[gold_path].extend(compared)
                if not _errors(compared):
                    rec, used = _overlay(cleaned, gold).to_dict(), gold_path
                    merged_found.extend(validate_record(rec, file=f"(merged record {doc_id})"))
        if used is None and not release_unannotated:
            if gold_path is None:
                msg = f"no gold annotation yet (annotations/gold/{doc_id}.json): not released until it is annotated"
                unannotated.append(Finding("build.not-annotated", msg, severity=Severity.WARNING.value, doc_id=doc_id))
            continue
        facts.append(DocFacts.of(index, rec, used))
    if not len(docs):
        read_found.append(
            Finding("build.no-documents", f"no document to build under {root}: add seeds and run the cleaner")
        )
    for path in gold_files.values():
        if path in gold_found:
            continue
        gold, gold_found[path] = _read_gold(path)
        if gold is not None:
            gold_found[path].append(
                Finding(
                    "build.gold-orphan",
                    f"no cleaned document has id {gold.id!r}; is it in the seeds manifest?",
                    file=str(path),
                    doc_id=gold.id,
                    pointer="/id",
                )
            )
    if len(docs) and not facts and not _errors(read_found + duplicates):
        read_found.append(
            Finding("build.no-documents", f"no cleaned document under {root} has a gold annotation: nothing to release")
        )
    findings += read_found + duplicates + unannotated
    findings += [f for path in sorted(gold_found) for f in gold_found[path]]
    findings += merged_found
    facts.sort(key=lambda f: f.id)
    return Collected(docs, facts, findings)


def seed_facts(root: Path, docs: Iterable[DocFacts]) -> dict[str, JSON]:
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
        source = d.overrides
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
