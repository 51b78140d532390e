"""Reading gold and prediction records for scoring, with every problem as a finding.

GOLD and PRED are JSON files or folders of them; a file holds one record or a list of records.
GOLD is validated at levels 1-2 (:func:`newsevents.validate.validate_record`), every finding an
error; PRED at levels 1-3 as a prediction (:func:`newsevents.evaluate.tolerance.check_prediction`:
only what makes scoring impossible is an error, the rest are warnings and it is scored); then:

* ``evaluate.no-documents`` (error): GOLD holds no record;
* ``evaluate.duplicate-document`` (error): a document id occurs twice on one side;
* ``evaluate.unknown-document`` (error): a prediction for an id that is not in GOLD;
* ``evaluate.text-mismatch`` (error): a prediction's text differs from the gold text (sha256), so
  its offsets index another text;
* ``evaluate.missing-prediction`` (warning): a gold document without a prediction; it is scored
  as a prediction with no annotations (every gold item missed);
* ``evaluate.gold-status`` (warning): a GOLD record whose ``provenance.status`` is not ``gold``
  (``none``, ``draft``, ``completed`` or ``predicted``): the scores are only as good as that.

Scores are computed only when there is no error: a wrong file must not become a silent zero.

This module holds both sides in memory (the baselines, the tests); ``newsevents evaluate`` and
``newsevents compare`` run the same checks while streaming (:mod:`newsevents.evaluate.stream`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from newsevents.evaluate.tolerance import check_prediction
from newsevents.io import iter_json_files, read_json
from newsevents.records import Document, Finding, Provenance, Severity, text_sha256
from newsevents.validate import iter_records, validate_record

CHECKS = {
    "evaluate.no-documents": Severity.ERROR.value,
    "evaluate.duplicate-document": Severity.ERROR.value,
    "evaluate.unknown-document": Severity.ERROR.value,
    "evaluate.text-mismatch": Severity.ERROR.value,
    "evaluate.missing-prediction": Severity.WARNING.value,
    "evaluate.gold-status": Severity.WARNING.value,
}


@dataclass
class Loaded:
    """Records read from paths: documents in id order, the file of each, and the findings."""

    docs: dict[str, Document] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def load_records(paths: Iterable[Path], *, levels: int = 2, prediction: bool = False) -> Loaded:
    """Read and validate every record under ``paths``; invalid records are reported and skipped.

    ``prediction``: validate as a prediction (:func:`newsevents.evaluate.tolerance.check_prediction`:
    errors only for what makes scoring impossible, the rest warnings; ``levels`` is then ignored).
    """
    out = Loaded()
    for path in iter_json_files(paths):
        loaded = read_json(path)
        if loaded.findings:
            out.findings.extend(loaded.findings)
            continue
        for n, rec in enumerate(iter_records(loaded.value)):
            findings = (
                check_prediction(rec, file=str(path))
                if prediction
                else validate_record(rec, file=str(path), levels=levels)
            )
            out.findings.extend(findings)
            if any(f.severity == Severity.ERROR.value for f in findings):
                continue
            doc = Document.from_dict(rec)
            if doc.id in out.docs:
                out.findings.append(
                    Finding(
                        "evaluate.duplicate-document",
                        f"document {doc.id!r} is also in {out.files[doc.id]}",
                        file=str(path),
                        doc_id=doc.id,
                        pointer=f"/{n}" if isinstance(loaded.value, list) else "",
                    )
                )
                continue
            out.docs[doc.id] = doc
            out.files[doc.id] = str(path)
    return out


def empty_prediction(gold: Document) -> Document:
    """The gold document with no annotations: what a missing prediction is scored as."""
    return replace(gold, entity_mentions=(), event_mentions=(), provenance=Provenance(status="predicted"))


@dataclass
class Pair:
    """Gold and predictions aligned by document id (gold order), and every finding."""

    gold: list[Document]
    pred: list[Document]
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return not any(f.severity == Severity.ERROR.value for f in self.findings)


def align(gold: Loaded, pred: Loaded) -> Pair:
    """Align predictions to gold documents; unknown, changed or missing documents are findings."""
    findings = [*gold.findings, *pred.findings]
    if not gold.docs and not any(f.severity == Severity.ERROR.value for f in gold.findings):
        findings.append(Finding("evaluate.no-documents", "no gold record found"))
    for doc_id, p in pred.docs.items():
        g = gold.docs.get(doc_id)
        if g is None:
            findings.append(
                Finding(
                    "evaluate.unknown-document",
                    f"no gold document has id {doc_id!r}",
                    file=pred.files[doc_id],
                    doc_id=doc_id,
                    pointer="/id",
                )
            )
        elif text_sha256(p.text) != text_sha256(g.text):
            msg = f"prediction text hashes to {text_sha256(p.text)[:12]}..., gold text to {text_sha256(g.text)[:12]}...: offsets would index another text"
            findings.append(
                Finding("evaluate.text-mismatch", msg, file=pred.files[doc_id], doc_id=doc_id, pointer="/text")
            )
    g_out, p_out = [], []
    for doc_id in sorted(gold.docs):
        g_doc = gold.docs[doc_id]
        if g_doc.provenance.status != "gold":
            findings.append(
                Finding(
                    "evaluate.gold-status",
                    f"gold record has provenance status {g_doc.provenance.status!r}, not 'gold'",
                    severity=Severity.WARNING.value,
                    file=gold.files[doc_id],
                    doc_id=doc_id,
                    pointer="/provenance/status",
                )
            )
        p_doc = pred.docs.get(doc_id)
        if p_doc is None:
            findings.append(
                Finding(
                    "evaluate.missing-prediction",
                    "no prediction for this gold document: scored as empty",
                    severity=Severity.WARNING.value,
                    file=gold.files[doc_id],
                    doc_id=doc_id,
                )
            )
            p_doc = empty_prediction(g_doc)
        g_out.append(g_doc)
        p_out.append(p_doc)
    return Pair(g_out, p_out, findings)


def load_pair(gold_paths: Sequence[Path], pred_paths: Sequence[Path]) -> Pair:
    return align(load_records(gold_paths), load_records(pred_paths, prediction=True))
