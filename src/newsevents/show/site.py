"""Reading records for ``newsevents show`` and writing the pages: the I/O edges of the viewer.

Inputs are record files or folders (validated at levels 1-2, as ``evaluate`` reads them), or
release folders (``release.json`` beside ``data/``). A stand-off release holds no text of a
document whose licence forbids redistribution: such a document is never shown from it
(``show.text-withheld``); rebuild the full release from your own copy with ``newsevents
rehydrate`` and show that, or show your gold records.

Checks:

* ``show.no-documents`` (error): nothing to show;
* ``show.duplicate-document`` (error): an id occurs twice on one side; the first is shown;
* ``show.text-withheld`` (error): a stand-off row without its text;
* ``show.bad-release`` (error): a folder with a ``release.json`` that cannot be read;
* ``show.text-mismatch`` (error, ``--compare``): B's text differs from A's; not compared;
* ``show.missing-in-b`` (warning, ``--compare``): a document of A that B lacks, compared with an
  empty annotation (every item missed), as ``evaluate`` scores it;
* ``show.unknown-in-b`` (warning, ``--compare``): a document of B that A lacks; not compared.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsevents.io import atomic_write_text
from newsevents.records import Document, Finding, Severity

CHECKS = {
    "show.no-documents": Severity.ERROR.value,
    "show.duplicate-document": Severity.ERROR.value,
    "show.text-withheld": Severity.ERROR.value,
    "show.bad-release": Severity.ERROR.value,
    "show.text-mismatch": Severity.ERROR.value,
    "show.missing-in-b": Severity.WARNING.value,
    "show.unknown-in-b": Severity.WARNING.value,
}


@dataclass
class Inputs:
    """Documents read from paths (first occurrence of each id, in reading order) and findings."""

    docs: dict[str, Document] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def add(self, doc: Document, file: str) -> None:
        if doc.id in self.docs:
            self.findings.append(
                Finding(
                    "show.duplicate-document",
                    f"document {doc.id!r} is also in {self.files[doc.id]}; that one is shown",
                    file=file,
                    doc_id=doc.id,
                )
            )
            return
        self.docs[doc.id] = doc
        self.files[doc.id] = file


def _read_release(folder: Path, into: Inputs) -> None:
    from newsevents.build.diff import ReleaseError, read_release  # noqa: PLC0415 - pyarrow, only for releases
    from newsevents.build.views import decoded_row_to_record  # noqa: PLC0415

    try:
        _, rows = read_release(folder)
    except ReleaseError as exc:
        into.findings.append(Finding("show.bad-release", str(exc), file=str(folder)))
        return
    for doc_id in sorted(rows):
        row = rows[doc_id]
        if row.get("text") is None:
            into.findings.append(
                Finding(
                    "show.text-withheld",
                    "a stand-off release holds no text of this document (its licence forbids redistribution): "
                    "rebuild the full release from your own copy with `newsevents rehydrate` and show that",
                    file=str(folder),
                    doc_id=doc_id,
                    pointer="/text",
                )
            )
            continue
        into.add(Document.from_dict(decoded_row_to_record(row)), str(folder))


def read_inputs(paths: Iterable[Path]) -> Inputs:
    """Every record under ``paths``; invalid records are findings and are left out."""
    from newsevents.evaluate.load import load_records  # noqa: PLC0415 - the validator is heavy

    out = Inputs()
    for path in paths:
        if path.is_dir() and (path / "release.json").is_file():
            _read_release(path, out)
            continue
        loaded = load_records([path])
        out.findings.extend(f for f in loaded.findings if f.check != "evaluate.duplicate-document")
        out.findings.extend(
            Finding("show.duplicate-document", f.message, file=f.file, doc_id=f.doc_id, pointer=f.pointer)
            for f in loaded.findings
            if f.check == "evaluate.duplicate-document"
        )
        for doc_id, doc in loaded.docs.items():
            out.add(doc, loaded.files[doc_id])
    if not out.docs and not any(f.severity == Severity.ERROR.value for f in out.findings):
        out.findings.append(Finding("show.no-documents", "no record found in the given paths"))
    return out


def doc_file(doc_id: str, prefix: str = "") -> str:
    """The page file of a document (ids are slugs: ``^[A-Za-z0-9][A-Za-z0-9_-]*$``, safe as names)."""
    return f"{prefix}{doc_id}.html"


def write_documents(docs: Sequence[Document], out: Path) -> list[Path]:
    """``out/index.html`` and one ``out/<id>.html`` per document; returns the files written."""
    from newsevents.ontology import load_ontology  # noqa: PLC0415
    from newsevents.show.page import document_page, index_page  # noqa: PLC0415

    onto = load_ontology()
    written = []
    href = {d.id: doc_file(d.id) for d in docs}
    for d in docs:
        path = out / href[d.id]
        atomic_write_text(path, document_page(d, onto=onto))
        written.append(path)
    index = out / "index.html"
    atomic_write_text(index, index_page(docs, href=href))
    return [index, *written]


@dataclass
class Comparison:
    """What ``--compare`` wrote and found."""

    files: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    summaries: dict[str, dict[str, object]] = field(default_factory=dict)


def _label(inputs: Inputs, paths: Sequence[Path]) -> str:
    from newsevents.show.compare import side_label  # noqa: PLC0415

    names = {side_label(d, "") for d in inputs.docs.values()} - {""}
    if len(names) == 1:
        return names.pop()
    return ", ".join(p.name for p in paths)


def write_comparison(a_paths: Sequence[Path], b_paths: Sequence[Path], out: Path) -> Comparison:
    """``out/compare.html`` and ``out/compare-<id>.html`` per document of A (B compared against A)."""
    from newsevents.evaluate.load import empty_prediction  # noqa: PLC0415
    from newsevents.ontology import load_ontology  # noqa: PLC0415
    from newsevents.show.compare import compare, compare_index, compare_page  # noqa: PLC0415

    a, b = read_inputs(a_paths), read_inputs(b_paths)
    result = Comparison(findings=[*a.findings, *b.findings])
    labels = (_label(a, a_paths), _label(b, b_paths))
    onto = load_ontology()
    done = []
    for doc_id in sorted(b.docs.keys() - a.docs.keys()):
        result.findings.append(
            Finding(
                "show.unknown-in-b",
                "document only in B: not compared",
                severity=Severity.WARNING.value,
                file=b.files[doc_id],
                doc_id=doc_id,
            )
        )
    invalid_in_b = {f.doc_id for f in b.findings if f.severity == Severity.ERROR.value}
    for doc_id in sorted(a.docs):
        da, db = a.docs[doc_id], b.docs.get(doc_id)
        if db is None and doc_id in invalid_in_b:
            continue  # B's record of it is invalid (reported): comparing with nothing would mislead
        if db is None:
            result.findings.append(
                Finding(
                    "show.missing-in-b",
                    "no annotation of this document in B: compared with an empty one (every item missed)",
                    severity=Severity.WARNING.value,
                    file=a.files[doc_id],
                    doc_id=doc_id,
                )
            )
            db = empty_prediction(da)
        elif db.text_sha256 != da.text_sha256:
            result.findings.append(
                Finding(
                    "show.text-mismatch",
                    f"B's text hashes to {db.text_sha256[:12]}..., A's to {da.text_sha256[:12]}...: "
                    "offsets index another text; not compared",
                    file=b.files[doc_id],
                    doc_id=doc_id,
                    pointer="/text",
                )
            )
            continue
        c = compare(da, db)
        done.append(c)
        result.summaries[doc_id] = c.summary
    href = {c.a.id: doc_file(c.a.id, "compare-") for c in done}
    for c in done:
        path = out / href[c.a.id]
        atomic_write_text(path, compare_page(c, labels=labels, onto=onto, index_href="compare.html"))
        result.files.append(path)
    if done:
        index = out / "compare.html"
        atomic_write_text(index, compare_index(done, href=href, labels=labels))
        result.files.insert(0, index)
    return result
