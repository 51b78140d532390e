"""Regenerate docs/annotation-report.md and docs/baselines.md over every annotated document.

    .venv/bin/python scripts/annotation_report.py [--annotations DIR] [--out-dir DIR] [--spacy MODEL]

Reads ``DIR/passes/<doc-id>/*.json`` (the two independent passes; passes of an account whose name
starts with ``adjudicator`` are left out of the agreement), ``DIR/gold/<doc-id>.json`` and
``DIR/adjudication/<doc-id>/{decisions,disagreements}.json`` (default ``DIR`` = ``annotations/``),
and writes ``annotation-report.md`` and ``baselines.md`` into ``--out-dir`` (default ``docs/``).

* Agreement per layer is pooled over the documents (counts summed, then scored, by
  :class:`newsevents.evaluate.agreement.PairCounts`), with document-bootstrap intervals: documents
  in id order are resampled with replacement by :class:`newsevents.evaluate.bootstrap.Resampler`
  (``BOOTSTRAP`` resamples, seed ``SEED``) and the pooled figure is recomputed from each
  resample's summed counts; percentile interval at ``CONFIDENCE``.
* Baselines are scored with :func:`newsevents.evaluate.report.evaluate_documents` (same
  bootstrap settings) per split and per publisher.

The reports hold figures, labels, document ids and guideline section numbers only, never a span
or reason text: the dataset card embeds them, and the stand-off release must not carry the
text of a document whose publisher does not allow it.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from newsevents.evaluate import bootstrap
from newsevents.evaluate.agreement import LAYERS, Kappa, PairCounts, load_passes
from newsevents.evaluate.baselines import BaselineUnavailableError, run_baseline
from newsevents.evaluate.baselines.spacy_adapter import load_pipeline
from newsevents.evaluate.report import evaluate_documents
from newsevents.io import atomic_write_text, dump_json, read_json
from newsevents.records import Document, Severity
from newsevents.text import tokenize
from newsevents.validate import validate_record

ROOT = Path(__file__).resolve().parent.parent
COMMAND = "`.venv/bin/python scripts/annotation_report.py`"
ADJUDICATOR_PREFIX = "adjudicator"
SPLITS = ("train", "validation", "test")
DECISIONS = ("a", "b", "both", "neither", "other")
KINDS = ("NAM", "NOM", "PRO")
REALIS = ("actual", "generic", "other")
BOOTSTRAP = 1000
SEED = 0
CONFIDENCE = 0.95

# --------------------------------------------------------------------------------------------
# Input


@dataclass(frozen=True)
class AdjudicationLog:
    """What one document's adjudication log says, as counts and labels (no text kept)."""

    doc_id: str
    disagreements: int
    decisions: tuple[tuple[str, str, str], ...]  # (layer, disagreement kind or "", decision)
    sections: tuple[tuple[str, ...], ...]  # guideline sections each decision's reason cites
    fixes: int
    fix_sections: tuple[tuple[str, ...], ...]
    refers: int  # decisions and fixes that cite no section but another item ("Same as entity-003")
    clarifications: int


@dataclass
class Material:
    """Everything the reports are made from."""

    pairs: dict[str, tuple[str, str, Document, Document]] = field(default_factory=dict)  # id -> (A, B, a, b)
    passes: dict[str, dict[str, Document]] = field(default_factory=dict)
    gold: dict[str, Document] = field(default_factory=dict)
    logs: dict[str, AdjudicationLog] = field(default_factory=dict)
    unpaired: dict[str, list[str]] = field(default_factory=dict)  # id -> the annotators it has
    warnings: list[str] = field(default_factory=list)

    corpus: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (split, publisher) of corpus/

    def split(self, doc_id: str) -> str:
        doc = self.gold.get(doc_id) or next(iter(self.passes.get(doc_id, {}).values()), None)
        if doc is not None and doc.split:
            return doc.split
        return self.corpus.get(doc_id, ("-", "-"))[0]

    def publisher(self, doc_id: str) -> str:
        doc = self.gold.get(doc_id) or next(iter(self.passes.get(doc_id, {}).values()), None)
        return doc.source.publisher if doc is not None else self.corpus.get(doc_id, ("-", "-"))[1]

    def doc_ids(self) -> list[str]:
        return sorted(set(self.passes) | set(self.gold) | set(self.logs))


def is_adjudicator(name: str) -> bool:
    return name.startswith(ADJUDICATOR_PREFIX)


def load_gold(folder: Path) -> tuple[dict[str, Document], list[str]]:
    gold: dict[str, Document] = {}
    errors: list[str] = []
    for path in sorted(folder.glob("*.json")):
        loaded = read_json(path)
        findings = list(loaded.findings) or validate_record(loaded.value, file=str(path), levels=2)
        bad = [f for f in findings if f.severity == Severity.ERROR.value]
        if bad:
            errors += [str(f) for f in bad]
            continue
        doc = Document.from_dict(loaded.value)
        gold[doc.id] = doc
    return gold, errors


def guideline_sections(guidelines: Path) -> dict[str, str]:
    """Section id -> heading of ``docs/guidelines.md``: "4", "4.3", "13a", "5 TIME", "8 Life:Die"."""
    out: dict[str, str] = {}
    top = ""
    for line in guidelines.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"## (\d+a?)\. (.+)", line):
            top = m.group(1)
            out[top] = m.group(2).strip()
        elif m := re.match(r"### (\d+a?\.\d+) (.+)", line):
            out[m.group(1)] = m.group(2).strip()
        elif (m := re.match(r"### (\S+)(.*)", line)) and top in {"5", "8"}:
            out[f"{top} {m.group(1)}"] = (m.group(1) + m.group(2)).strip()
    return out


_DOTTED = re.compile(r"(?<![\w.@\[])(\d{1,2}a?\.\d{1,2})(?![\w.]|\.\d)")
_TYPED = re.compile(r"(?<![\w.@\[])([58]) ([A-Z]{3,4}|[A-Z][a-z]+:[A-Z][A-Za-z-]+)\b")
_ITEM = re.compile(r"\b(?:entity|entity-coref|trigger|argument|event-coref|new)-\d{3}\b")
_BARE = re.compile(r"(?:^|\()(\d{1,2}a?)(?=\)|:)|(?<![\w.@\[])(13a?)(?= ')|(?<![\w.@\[])(13a)(?![.\w])")


def cited_sections(reason: str, known: Mapping[str, str]) -> tuple[str, ...]:
    """The guideline sections a reason cites, each once, in a fixed order; only ids that exist.

    Example:
        >>> known = {"4": "Entity mentions", "4.3": "Extent", "5 TIME": "TIME", "13a": "Clarifications"}
        >>> cited_sections("5 TIME: a clock word (13a.1); see 4.3, not 1.5 million or @675", known)
        ('4.3', '5 TIME', '13a.1')
    """
    found = {m.group(1) for m in _DOTTED.finditer(reason)}
    found |= {f"{m.group(1)} {m.group(2)}" for m in _TYPED.finditer(reason)}
    found |= {next(g for g in m.groups() if g) for m in _BARE.finditer(reason)}
    return tuple(sorted((s for s in found if heading(s, known)), key=_section_order))


def heading(section: str, known: Mapping[str, str]) -> str:
    """The heading of a section id; ``13a.N`` (a numbered clarification) is item N of 13a."""
    if section in known:
        return known[section]
    parent, _, item = section.partition(".")
    return f"{known[parent]}, item {item}" if item and parent in known else ""


def _section_order(section: str) -> tuple[int, str]:
    m = re.match(r"\d+", section)
    return (int(m.group()) if m else 99, section)


def load_log(folder: Path, known: Mapping[str, str]) -> AdjudicationLog | None:
    """Both shapes of ``decisions.json``: the seed's (with ``summary``) and scripts/adjudication.py's."""
    path = folder / "decisions.json"
    if not path.is_file():
        return None
    log = json.loads(path.read_text(encoding="utf-8"))
    summary = log.get("summary", {})
    items: dict[str, str] = {}
    total: int | None = summary.get("disagreements")
    dis = folder / "disagreements.json"
    if dis.is_file():
        listing = json.loads(dis.read_text(encoding="utf-8"))
        listed = listing.get("items", []) if isinstance(listing, dict) else listing
        items = {i["item"]: i.get("kind", "") for i in listed}
        total = listing.get("total", len(listed)) if isinstance(listing, dict) else len(listed)
    decisions = [d for d in log.get("decisions", []) if d.get("decision") != "new"]
    fixes = log.get("fixes")
    if not isinstance(fixes, list) and summary:
        # The seed's shape: fixes are decisions "new" (items "new-NNN"), counted in summary.new_fixes.
        fixes = [d for d in log.get("decisions", []) if d.get("decision") == "new"]
    return AdjudicationLog(
        doc_id=log.get("doc_id", folder.name),
        disagreements=total if total is not None else len(decisions),
        decisions=tuple(
            (d.get("layer", "?"), d.get("kind") or items.get(d.get("item", ""), ""), d.get("decision", "?"))
            for d in decisions
        ),
        sections=tuple(cited_sections(d.get("reason", ""), known) for d in decisions),
        fixes=len(fixes) if fixes else int(summary.get("new_fixes", 0)),
        fix_sections=tuple(cited_sections(f.get("reason", ""), known) for f in fixes or []),
        refers=sum(
            bool(_ITEM.search(reason)) and not cited_sections(reason, known)
            for reason in (x.get("reason", "") for x in (*decisions, *(fixes or [])))
        ),
        clarifications=len(log.get("clarifications") or [])
        or len(re.findall(r"^\d+\. ", _read_text(folder / "clarifications.md"), flags=re.MULTILINE)),
    )


def _read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def corpus_index(corpus: Path) -> dict[str, tuple[str, str]]:
    """Split and publisher of each record of ``corpus/`` (for documents not annotated yet)."""
    out = {}
    for path in sorted(corpus.glob("*.json")):
        loaded = read_json(path)
        if not loaded.findings and isinstance(loaded.value, dict):
            rec = loaded.value
            out[rec.get("id", path.stem)] = (rec.get("split") or "-", rec.get("source", {}).get("publisher", "-"))
    return out


def load_material(annotations: Path, known: Mapping[str, str], corpus: Path | None = None) -> Material:
    """Read an annotations folder; raises SystemExit with every error found."""
    mat = Material(corpus=corpus_index(corpus if corpus is not None else ROOT / "corpus"))
    passes, findings = load_passes(annotations / "passes")
    errors = [str(f) for f in findings if f.severity == Severity.ERROR.value]
    mat.warnings += [str(f) for f in findings if f.severity != Severity.ERROR.value]
    mat.gold, gold_errors = load_gold(annotations / "gold")
    errors += gold_errors
    if errors:
        raise SystemExit("\n".join(errors))
    mat.passes = passes
    for doc_id, by in sorted(passes.items()):
        names = sorted(n for n in by if not is_adjudicator(n))
        if len(names) == 2:
            mat.pairs[doc_id] = (names[0], names[1], by[names[0]], by[names[1]])
        else:
            mat.unpaired[doc_id] = sorted(by)
    for folder in sorted((annotations / "adjudication").glob("*/")):
        log = load_log(folder, known)
        if log is not None:
            mat.logs[log.doc_id] = log
            unknown = sorted({d for _, _, d in log.decisions} - set(DECISIONS))
            if unknown:
                mat.warnings.append(f"{folder}/decisions.json: decisions {unknown} are not one of {DECISIONS}")
    return mat


# --------------------------------------------------------------------------------------------
# Agreement with document-bootstrap intervals


def kappa_labels(counts: Iterable[PairCounts], which: str) -> list[str]:
    labels: set[str] = set()
    for c in counts:
        k: Kappa = getattr(c, which)
        labels |= set(k.a) | set(k.b)
    return sorted(labels)


def to_vector(c: PairCounts, type_labels: Sequence[str], bio_labels: Sequence[str]) -> list[float]:
    """The counts of :class:`PairCounts` as one flat vector (sums of vectors are sums of counts)."""
    v: list[float] = [x for name in LAYERS for x in c.layers[name]]
    for co in (c.entities, c.events):
        v += [*co.muc_r, *co.muc_p, co.b3_r, co.b3_p, co.mentions, *co.links]
    for k, labels in ((c.token_type, type_labels), (c.bio, bio_labels)):
        v += [k.agree, k.total, *(k.a[x] for x in labels), *(k.b[x] for x in labels)]
    return v


def from_vector(v: Sequence[float], type_labels: Sequence[str], bio_labels: Sequence[str]) -> PairCounts:
    it = iter(v)

    def take(n: int) -> list[int]:
        return [round(next(it)) for _ in range(n)]

    c = PairCounts()
    for name in LAYERS:
        c.layers[name] = take(3)
    for co in (c.entities, c.events):
        co.muc_r, co.muc_p = take(2), take(2)
        co.b3_r, co.b3_p = next(it), next(it)
        (co.mentions,) = take(1)
        co.links = take(3)
    for k, labels in ((c.token_type, type_labels), (c.bio, bio_labels)):
        k.agree, k.total = take(2)
        k.a = Counter(dict(zip(labels, take(len(labels)), strict=True)))
        k.b = Counter(dict(zip(labels, take(len(labels)), strict=True)))
    return c


Figure = Callable[[dict[str, Any]], float | None]

# The headline figures: name, how to read it off PairCounts.to_dict(), and the layer whose counts
# the table shows beside it (None for coreference and kappa).
FIGURES: tuple[tuple[str, Figure, str | None], ...] = (
    ("entity span", lambda r: r["layers"]["entity_span"]["f1"], "entity_span"),
    ("entity type (span + type)", lambda r: r["layers"]["entity_type"]["f1"], "entity_type"),
    ("entity kind (span + kind)", lambda r: r["layers"]["entity_kind"]["f1"], "entity_kind"),
    ("trigger span", lambda r: r["layers"]["trigger_span"]["f1"], "trigger_span"),
    ("trigger type (span + event type)", lambda r: r["layers"]["trigger"]["f1"], "trigger"),
    ("realis (trigger span + realis)", lambda r: r["layers"]["realis"]["f1"], "realis"),
    ("arguments (trigger, type, role, argument span)", lambda r: r["layers"]["argument"]["f1"], "argument"),
    ("entity coreference, MUC", lambda r: r["coreference"]["entities"]["muc"]["f1"], None),
    ("entity coreference, B-cubed", lambda r: r["coreference"]["entities"]["b_cubed"]["f1"], None),
    ("entity coreference, links", lambda r: r["coreference"]["entities"]["links"]["f1"], None),
    ("event coreference, MUC", lambda r: r["coreference"]["events"]["muc"]["f1"], None),
    ("event coreference, B-cubed", lambda r: r["coreference"]["events"]["b_cubed"]["f1"], None),
    ("Cohen's kappa, token entity type", lambda r: r["kappa"]["token_type"]["kappa"], None),
    ("Cohen's kappa, token BIO", lambda r: r["kappa"]["bio"]["kappa"], None),
)


@dataclass(frozen=True)
class Pooled:
    """Pooled agreement over documents: the summed counts as a dict, each figure and its interval."""

    documents: int
    result: dict[str, Any]
    values: dict[str, float | None]
    intervals: dict[str, list[float] | None]


def pooled_agreement(
    per_doc: Mapping[str, PairCounts], *, n: int = BOOTSTRAP, seed: int = SEED, confidence: float = CONFIDENCE
) -> Pooled:
    """Pool the documents' counts and resample documents (in id order) for the intervals."""
    ids = sorted(per_doc)
    counts = [per_doc[i] for i in ids]
    tl, bl = kappa_labels(counts, "token_type"), kappa_labels(counts, "bio")
    m = np.asarray([to_vector(c, tl, bl) for c in counts], dtype=np.float64).reshape(len(ids), -1)
    result = from_vector(m.sum(axis=0).tolist(), tl, bl).to_dict()
    values = {name: get(result) for name, get, _ in FIGURES}
    intervals: dict[str, list[float] | None] = dict.fromkeys(values)
    if ids and n > 0:
        sums = bootstrap.Resampler(len(ids), n, seed).sums(m)
        samples = np.full((n, len(FIGURES)), np.nan)
        for r in range(n):
            res = from_vector(sums[r].tolist(), tl, bl).to_dict()
            for k, (_, get, _) in enumerate(FIGURES):
                x = get(res)
                if x is not None:
                    samples[r, k] = x
        intervals = {name: bootstrap.interval(samples[:, k], confidence) for k, (name, _, _) in enumerate(FIGURES)}
    return Pooled(len(ids), result, values, intervals)


def per_document_counts(mat: Material) -> dict[str, PairCounts]:
    out = {}
    for doc_id, (_, _, a, b) in mat.pairs.items():
        c = PairCounts()
        c.add(a, b)
        out[doc_id] = c
    return out


# --------------------------------------------------------------------------------------------
# Rendering helpers


def pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}"


def ci(x: list[float] | None) -> str:
    return "-" if x is None else f"{100 * x[0]:.1f}\N{EN DASH}{100 * x[1]:.1f}"


def with_ci(x: float | None, interval: list[float] | None) -> str:
    return pct(x) if x is None or interval is None else f"{pct(x)} ({ci(interval)})"


def table(head: Sequence[str], rows: Iterable[Sequence[str]], left: int = 1) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" if i < left else "--:" for i in range(len(head))) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def groups(mat: Material, ids: Iterable[str]) -> list[tuple[str, list[str]]]:
    """Named subsets of ``ids``: each split, each publisher, all; empty ones left out."""
    ids = sorted(ids)
    out = [(s, [i for i in ids if mat.split(i) == s]) for s in SPLITS]
    publishers = sorted({mat.publisher(i) for i in ids})
    if len(publishers) > 1:
        out += [(p, [i for i in ids if mat.publisher(i) == p]) for p in publishers]
    out.append(("all", ids))
    return [(name, sub) for name, sub in out if sub]


# --------------------------------------------------------------------------------------------
# The annotation report


def who_section(mat: Material) -> list[str]:
    out = [
        "## Who annotated, and how",
        "",
        "No human has annotated this corpus. Each document was annotated in two independent passes by two",
        "separate instances of an AI language model (Anthropic's Claude), acting as the Label Studio",
        "accounts `annotator-a` and `annotator-b`; neither saw the other's work. A third instance of the",
        "same model, as `adjudicator`, decided every disagreement between the two passes with a written",
        "reason, corrected errors both passes shared (the fixes below), and its result is the gold record.",
        "",
        "* The Deutsche Welle seed was annotated first, from the project's annotation conventions before",
        "  guidelines 1.0.0 existed; its passes were written as span strings that a script turned into",
        "  code-point offsets, and the adjudication (by guidelines 1.0.0) proposed the clarifications that",
        "  became guidelines 1.1.0.",
        "* The Wikinews documents' passes were written as drafts in which each mention is anchored by a",
        "  context string that occurs once in the cleaned text (`scripts/draft_to_record.py` turns a draft",
        "  into a canonical record and validates it). `scripts/adjudication.py diff` listed the",
        "  disagreements of the two passes, the adjudicator decided each one with a logged reason",
        "  (`annotations/adjudication/<doc-id>/decisions.json`), and `scripts/adjudication.py check` held",
        "  decisions, disagreements and adjudicated record together.",
        "* All records were posted into Label Studio as those accounts' annotations through its API",
        "  (`scripts/gold_session.sh`), not drawn in the browser, and converted back with",
        "  `newsevents annotate pull` (raw export in `annotations/exports/`).",
        "",
        "Two instances of one model share its habits, so their agreement measures the consistency of the",
        "model under these guidelines; it overstates what independent human annotators would reach and is",
        "no substitute for a human inter-annotator study.",
        "",
        "Guideline versions and tools as recorded in each record's `provenance`:",
        "",
    ]
    roles: dict[str, list[Document]] = defaultdict(list)
    for by in mat.passes.values():
        for name, doc in by.items():
            roles[f"pass of {name}"].append(doc)
    for doc in mat.gold.values():
        roles["gold record"].append(doc)

    def tally(values: Iterable[str | None]) -> str:
        c = Counter(v or "not recorded" for v in values)
        return ", ".join(f"{k}: {n}" for k, n in sorted(c.items()))

    rows = [
        [
            role,
            str(len(docs)),
            tally(d.provenance.guideline_version for d in docs),
            tally(d.provenance.tool for d in docs),
        ]
        for role, docs in sorted(roles.items())
    ]
    out += table(["records", "documents", "guideline version", "tool"], rows, left=4)
    out.append("")
    return out


def agreement_section(mat: Material) -> list[str]:
    per_doc = per_document_counts(mat)
    out = ["## Agreement between the two independent passes", ""]
    if not per_doc:
        return [*out, "No document has two independent passes yet.", ""]
    names = sorted({(a, b) for a, b, _, _ in mat.pairs.values()})
    pooled = pooled_agreement(per_doc)
    out += [
        f"{len(per_doc)} documents with two passes ({', '.join(f'`{a}` (A) and `{b}` (B)' for a, b in names)}).",
        "Counts are summed over the documents, then scored (pooled, not a mean of per-document scores).",
        f"In brackets: 95% document-bootstrap interval ({BOOTSTRAP} resamples of the documents with",
        f"replacement, seed {SEED}, the pooled figure recomputed from each resample's summed counts;",
        "percentile interval). F1 and kappa in %.",
        "",
    ]
    rows = []
    for name, _, layer in FIGURES:
        counts = pooled.result["layers"][layer] if layer else None
        rows.append(
            [
                name,
                str(counts["a"]) if counts else "",
                str(counts["b"]) if counts else "",
                str(counts["both"]) if counts else "",
                pct(pooled.values[name]),
                ci(pooled.intervals[name]),
            ]
        )
    out += table(["layer", "A", "B", "both", "F1 / kappa %", "95% interval"], rows)
    ent = pooled.result["coreference"]["entities"]["mentions"]
    evt = pooled.result["coreference"]["events"]["mentions"]
    out += [
        "",
        "Layers as in `docs/evaluation.md` (Agreement): a mention counts as agreed when both passes have",
        "it with the same key (span; span and type; span and kind; trigger span; trigger span and event",
        "type; trigger span and realis; trigger span, event type, role and argument span). Coreference is",
        f"scored on the mentions both passes marked ({ent} entity mentions, {evt} event mentions), so it",
        "measures clustering apart from mention detection. Kappa is on the project's tokens.",
        "",
        "By split and publisher (pooled, with 95% intervals):",
        "",
    ]
    sub_rows = []
    for gname, ids in groups(mat, per_doc):
        p = pooled_agreement({i: per_doc[i] for i in ids})
        sub_rows.append(
            [
                gname,
                str(len(ids)),
                *(
                    with_ci(p.values[f], p.intervals[f])
                    for f in (
                        "entity type (span + type)",
                        "trigger type (span + event type)",
                        "arguments (trigger, type, role, argument span)",
                        "entity coreference, MUC",
                    )
                ),
            ]
        )
    out += table(["documents", "n", "entity type F1", "trigger F1", "argument F1", "entity coref MUC"], sub_rows)
    out += ["", "Per document (F1 %):", ""]
    doc_rows = []
    for doc_id in sorted(per_doc):
        r = per_doc[doc_id].to_dict()
        doc_rows.append(
            [
                doc_id,
                mat.split(doc_id),
                pct(r["layers"]["entity_type"]["f1"]),
                pct(r["layers"]["trigger"]["f1"]),
                pct(r["layers"]["argument"]["f1"]),
                pct(r["coreference"]["entities"]["muc"]["f1"]),
            ]
        )
    out += table(["document", "split", "entity type", "trigger", "argument", "entity coref MUC"], doc_rows, left=2)
    if mat.unpaired:
        out += [
            "",
            "Documents without two independent passes (left out above): "
            + "; ".join(f"{i} ({', '.join(n) or 'none'})" for i, n in sorted(mat.unpaired.items()))
            + ".",
        ]
    out.append("")
    return out


def adjudication_section(mat: Material, known: Mapping[str, str]) -> list[str]:
    out = ["## Adjudication", ""]
    logs = [mat.logs[k] for k in sorted(mat.logs)]
    if not logs:
        return [*out, "No adjudication log yet.", ""]
    out += [
        "Per document: the disagreements `scripts/adjudication.py diff` listed between the two passes,",
        "how each was decided (`a`, `b`, `both`, `neither`, `other`: another annotation than either pass),",
        "the fixes of what both passes agreed on, and the guideline clarifications proposed. Every decision",
        "and its reason: `annotations/adjudication/<doc-id>/decisions.json`.",
        "",
    ]
    rows = []
    totals: Counter[str] = Counter()
    for log in logs:
        by = Counter(d for _, _, d in log.decisions)
        totals.update(by)
        totals.update({"disagreements": log.disagreements, "fixes": log.fixes, "clarifications": log.clarifications})
        rows.append(
            [
                log.doc_id,
                mat.split(log.doc_id),
                str(log.disagreements),
                *(str(by[d]) for d in DECISIONS),
                str(log.fixes),
                str(log.clarifications),
            ]
        )
    rows.append(
        [
            f"all ({len(logs)} documents)",
            "",
            str(totals["disagreements"]),
            *(str(totals[d]) for d in DECISIONS),
            str(totals["fixes"]),
            str(totals["clarifications"]),
        ]
    )
    out += table(["document", "split", "disagreements", *DECISIONS, "fixes", "clarifications"], rows, left=2)
    not_adjudicated = sorted(set(mat.pairs) - set(mat.logs))
    if not_adjudicated:
        out += ["", f"Not adjudicated yet ({len(not_adjudicated)}): {', '.join(not_adjudicated)}."]
    by_layer: dict[str, Counter[str]] = defaultdict(Counter)
    kinds: Counter[tuple[str, str, str]] = Counter()
    for log in logs:
        for layer, kind, decision in log.decisions:
            by_layer[layer][decision] += 1
            kinds[(layer, kind or "-", decision)] += 1
    out += ["", "Decisions by layer, over the corpus:", ""]
    out += table(
        ["layer", "decisions", *DECISIONS],
        [
            [layer, str(sum(c.values())), *(str(c[d]) for d in DECISIONS)]
            for layer, c in sorted(by_layer.items(), key=lambda x: -sum(x[1].values()))
        ],
    )
    out += [
        "",
        "The commonest kinds of decision (layer; what the disagreement was: only in A, only in B, marked by",
        "both with another label, or another cluster; the decision):",
        "",
    ]
    out += table(
        ["layer", "disagreement", "decision", "decisions"],
        [[layer, kind, dec, str(n)] for (layer, kind, dec), n in kinds.most_common(12)],
        left=3,
    )
    cites: Counter[str] = Counter(s for log in logs for secs in (*log.sections, *log.fix_sections) for s in secs)
    reasons = sum(len(log.sections) + len(log.fix_sections) for log in logs)
    uncited = sum(not secs for log in logs for secs in (*log.sections, *log.fix_sections))
    referring = sum(log.refers for log in logs)
    out += [
        "",
        f"Guideline sections cited in the reasons ({reasons} decisions and fixes; {uncited} cite no section,",
        f"{referring} of which refer to another decision instead; a section number is recognised by pattern, e.g. `4.3`,",
        "`5 TIME`, `13a.1`, so the counts are close, not exact):",
        "",
    ]
    out += table(
        ["section", "heading", "reasons citing it"],
        [
            [s, heading(s, known), str(n)]
            for s, n in sorted(cites.items(), key=lambda x: (-x[1], _section_order(x[0])))[:15]
        ],
        left=2,
    )
    out += ["", *changes_table(mat), ""]
    return out


def _keys(doc: Document) -> dict[str, set[tuple[object, ...]]]:
    ents = {m.id: m for m in doc.entity_mentions}
    return {
        "entity mentions (span, type, kind)": {(m.start, m.end, m.type, m.kind) for m in doc.entity_mentions},
        "event mentions (trigger span, type, realis)": {
            (e.trigger.start, e.trigger.end, e.type, e.realis) for e in doc.event_mentions
        },
        "arguments (trigger span, type, role, argument span)": {
            (e.trigger.start, e.trigger.end, e.type, a.role, ents[a.mention].start, ents[a.mention].end)
            for e in doc.event_mentions
            for a in e.arguments
            if a.mention in ents
        },
    }


def changes_table(mat: Material) -> list[str]:
    """What the gold record added to and removed from each pass, summed over documents with both."""
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    ids = sorted(set(mat.pairs) & set(mat.gold))
    for doc_id in ids:
        gk = _keys(mat.gold[doc_id])
        _, _, a, b = mat.pairs[doc_id]
        for role, doc in (("A", a), ("B", b)):
            for layer, pset in _keys(doc).items():
                s = sums[(role, layer)]
                s[0] += len(pset)
                s[1] += len(gk[layer] - pset)
                s[2] += len(pset - gk[layer])
    if not ids:
        return []
    out = [f"What the adjudication changed in each pass, over the {len(ids)} documents with a gold record:", ""]
    out += table(
        ["pass", "layer", "in the pass", "added by adjudication", "removed by adjudication"],
        [[role, layer, *map(str, s)] for (role, layer), s in sorted(sums.items())],
        left=2,
    )
    return out


@dataclass(frozen=True)
class Counts:
    """Counts of the gold records, in total and per split (no text kept)."""

    overview: dict[str, dict[str, int]]  # split or "all" -> quantity -> count
    entity: Counter[tuple[str, str, str]]  # (split, type, kind)
    event: Counter[tuple[str, str, str]]  # (split, type, realis)
    role: Counter[tuple[str, str]]  # (split, role)


def count_gold(gold: Mapping[str, Document]) -> Counts:
    overview: dict[str, dict[str, int]] = {}
    entity: Counter[tuple[str, str, str]] = Counter()
    event: Counter[tuple[str, str, str]] = Counter()
    role: Counter[tuple[str, str]] = Counter()
    for doc in gold.values():
        split = doc.split or "-"
        row = {
            "documents": 1,
            "characters": len(doc.text),
            "tokens": len(tokenize(doc.text)),
            "entity mentions": len(doc.entity_mentions),
            "entities": len({m.entity for m in doc.entity_mentions}),
            "event mentions": len(doc.event_mentions),
            "events": len({e.event for e in doc.event_mentions}),
            "arguments": sum(len(e.arguments) for e in doc.event_mentions),
        }
        for key in (split, "all"):
            acc = overview.setdefault(key, dict.fromkeys(row, 0))
            for k, v in row.items():
                acc[k] += v
        entity.update((split, m.type, m.kind) for m in doc.entity_mentions)
        event.update((split, e.type, e.realis) for e in doc.event_mentions)
        role.update((split, a.role) for e in doc.event_mentions for a in e.arguments)
    return Counts(overview, entity, event, role)


def counts_section(gold: Mapping[str, Document]) -> list[str]:
    out = ["## Counts of the gold annotation", ""]
    if not gold:
        return [*out, "No gold record yet.", ""]
    c = count_gold(gold)
    splits = [s for s in (*SPLITS, "-") if s in c.overview]
    cols = [*splits, "all"]
    quantities = list(c.overview["all"])
    out += table(["", *cols], [[q, *(str(c.overview[s][q]) for s in cols)] for q in quantities])
    out += ["", "Tokens are the project's tokenizer's; characters are Unicode code points.", ""]

    out += ["Entity mentions by type and kind, and by split:", ""]
    types = sorted({t for _, t, _ in c.entity})
    out += table(
        ["type", *KINDS, *splits, "all"],
        [
            [
                t,
                *(str(sum(n for (_, tt, k), n in c.entity.items() if tt == t and k == kind)) for kind in KINDS),
                *(str(sum(n for (s, tt, _), n in c.entity.items() if tt == t and s == sp)) for sp in splits),
                str(sum(n for (_, tt, _), n in c.entity.items() if tt == t)),
            ]
            for t in types
        ],
    )
    out += ["", "Event mentions by type and realis, and by split:", ""]
    ev_types = sorted({t for _, t, _ in c.event})
    out += table(
        ["event type", *REALIS, *splits, "all"],
        [
            [
                t,
                *(str(sum(n for (_, tt, r), n in c.event.items() if tt == t and r == re_)) for re_ in REALIS),
                *(str(sum(n for (s, tt, _), n in c.event.items() if tt == t and s == sp)) for sp in splits),
                str(sum(n for (_, tt, _), n in c.event.items() if tt == t)),
            ]
            for t in ev_types
        ],
    )
    out += ["", "Arguments by role, and by split:", ""]
    roles = sorted({r for _, r in c.role})
    out += table(
        ["role", *splits, "all"],
        [
            [
                r,
                *(str(c.role[(sp, r)]) for sp in splits),
                str(sum(n for (_, rr), n in c.role.items() if rr == r)),
            ]
            for r in roles
        ],
    )
    docs = list(gold.values())
    per_event = [len(e.arguments) for d in docs for e in d.event_mentions]
    chains = Counter(Counter((d.id, m.entity) for d in docs for m in d.entity_mentions).values())
    ev_chains = Counter(Counter((d.id, e.event) for d in docs for e in d.event_mentions).values())
    if per_event:
        hist = Counter(per_event)
        out += [
            "",
            f"Arguments per event mention: mean {statistics.mean(per_event):.2f}, median "
            f"{statistics.median(per_event)}; " + ", ".join(f"{k}: {hist[k]}" for k in sorted(hist)) + ".",
        ]
    out += [
        "",
        "Entity coreference chain lengths (mentions per entity: entities): "
        + ", ".join(f"{k}: {chains[k]}" for k in sorted(chains))
        + ".",
        "",
        "Event coreference chain lengths (mentions per event: events): "
        + ", ".join(f"{k}: {ev_chains[k]}" for k in sorted(ev_chains))
        + ".",
        "",
    ]
    return out


def annotation_report(mat: Material, known: Mapping[str, str]) -> str:
    corpus = len(mat.corpus)
    lines = [
        "# Annotation report",
        "",
        f"Generated by {COMMAND} from `annotations/` (do not edit by hand). Figures only, no article text.",
        "",
        f"Documents in `corpus/`: {corpus}; with two independent passes: {len(mat.pairs)}; with an",
        f"adjudication log: {len(mat.logs)}; with a gold record: {len(mat.gold)}.",
        "",
    ]
    lines += who_section(mat)
    lines += agreement_section(mat)
    lines += adjudication_section(mat, known)
    lines += counts_section(mat.gold)
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Baselines

METRICS = {
    "entities.strict": "entities, strict (span + type)",
    "entities.exact": "entities, exact (span)",
    "entities.partial": "entities, partial (overlap, half credit)",
    "entities.type": "entities, type (overlap + type)",
    "entities.bio": "entities, BIO chunks (CoNLL)",
    "events.trig_i": "events, Trig-I",
    "events.trig_c": "events, Trig-C",
    "events.arg_i": "events, Arg-I",
    "events.arg_c": "events, Arg-C",
    "events.arg_i+": "events, Arg-I+ (trigger matched too)",
    "events.arg_c+": "events, Arg-C+ (trigger matched too)",
}


def score_subsets(
    docs: Sequence[Document], preds: Sequence[Document], subsets: Sequence[tuple[str, list[int]]]
) -> dict[str, dict[str, Any]]:
    """``evaluate_documents`` of each subset (indices into ``docs``); no error listing (no text)."""
    return {
        name: evaluate_documents(
            [docs[i] for i in idx], [preds[i] for i in idx], bootstrap_n=BOOTSTRAP, seed=SEED, max_errors=0
        )["metrics"]
        for name, idx in subsets
    }


def score_table(scores: Mapping[str, dict[str, Any]], sizes: Mapping[str, int], entities_only: bool) -> list[str]:
    rows = []
    for key, label in METRICS.items():
        if entities_only and not key.startswith("entities"):
            continue
        cells = []
        for name in scores:
            m = scores[name].get(key)
            cells.append("-" if m is None else with_ci(m["f1"], m.get("ci", {}).get("f1")))
        rows.append([label, *cells])
    return table(["metric (F1 %, 95% interval)", *(f"{n} (n = {sizes[n]})" for n in scores)], rows)


def baseline_tables(
    gold: Mapping[str, Document], system: str, preds: Sequence[Document], *, entities_only: bool
) -> list[str]:
    docs = [gold[k] for k in sorted(gold)]
    by_split = [(s, [i for i, d in enumerate(docs) if d.split == s]) for s in SPLITS]
    by_split = [(s, idx) for s, idx in by_split if idx] + [("all", list(range(len(docs))))]
    publishers = sorted({d.source.publisher for d in docs})
    by_pub: list[tuple[str, list[int]]] = []
    for p in publishers:
        idx = [i for i, d in enumerate(docs) if d.source.publisher == p]
        by_pub.append((p, idx))
        test = [i for i in idx if docs[i].split == "test"]
        if len(publishers) > 1 and test and len(test) < len(idx):
            by_pub.append((f"{p} test", test))
    out = [f"`{system}` by split:", ""]
    out += score_table(score_subsets(docs, preds, by_split), {n: len(i) for n, i in by_split}, entities_only)
    if len(publishers) > 1:
        out += ["", f"`{system}` by publisher:", ""]
        out += score_table(score_subsets(docs, preds, by_pub), {n: len(i) for n, i in by_pub}, entities_only)
    out.append("")
    return out


def baselines_report(gold: Mapping[str, Document], spacy_model: str | None) -> str:
    docs = [gold[k] for k in sorted(gold)]
    command = (
        COMMAND if spacy_model is None else f"`.venv/bin/python scripts/annotation_report.py --spacy {spacy_model}`"
    )
    out = [
        "# Baseline scores",
        "",
        f"Generated by {command} from the gold records in `annotations/gold/` ({len(docs)} documents;",
        "do not edit by hand). Each system is scored with `newsevents evaluate`'s library function",
        "(`evaluate_documents`) on each split and each publisher apart: F1 in %, and in brackets the 95%",
        f"document-bootstrap interval ({BOOTSTRAP} resamples of the documents with replacement, seed {SEED}).",
        "The figures of all documents equal `newsevents baseline --out DIR annotations/gold` then",
        "`newsevents evaluate annotations/gold DIR`; scorer rules in `docs/evaluation.md`. With few",
        "documents in a subset the intervals are wide, and with one document the bootstrap has nothing",
        "to resample (the interval is the point).",
        "",
    ]
    if not docs:
        return "\n".join([*out, "No gold record yet.", ""])
    preds, system = run_baseline(docs)
    out += [
        f"## `{system}`, the lexicon/rule baseline",
        "",
        "Written from the annotation conventions and guidelines without reading the gold text, but the",
        "conventions' examples, and so its word lists, were drawn from the Deutsche Welle seed article:",
        "its figures on the seed are optimistic. The Wikinews documents are reported apart from the seed;",
        "their figures are the fairer estimate for unseen news.",
        "",
    ]
    out += baseline_tables(gold, system, preds, entities_only=False)
    if spacy_model:
        spacy_preds, spacy_system = run_baseline(docs, spacy_model=spacy_model)
        import spacy  # noqa: PLC0415 - only with --spacy, and installed (run_baseline checked)

        out += [
            f"## `{spacy_system}`, the spaCy adapter",
            "",
            f"`newsevents baseline --spacy {spacy_model}` (spaCy {spacy.__version__}): the pipeline's OntoNotes",
            "entities mapped through the ontology crosswalk. It predicts entities only (no events), names",
            "only in practice (no NOM/PRO, no TTL) and one label per span (no nested mentions). The pipeline",
            "was not fitted to this corpus, so the seed is no more favourable to it than the rest.",
            "",
        ]
        out += baseline_tables(gold, spacy_system, spacy_preds, entities_only=True)
    return "\n".join(out)


# --------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--annotations", type=Path, default=ROOT / "annotations", metavar="DIR")
    parser.add_argument("--out-dir", type=Path, default=ROOT / "docs", metavar="DIR")
    parser.add_argument("--spacy", metavar="MODEL", help="also score this installed spaCy pipeline")
    args = parser.parse_args(argv)
    if args.spacy:
        try:  # before anything is written: a missing pipeline is a usage error, with the install hint
            load_pipeline(args.spacy)
        except BaselineUnavailableError as exc:
            print(f"annotation_report: {exc}", file=sys.stderr)
            raise SystemExit(2) from exc
    known = guideline_sections(ROOT / "docs" / "guidelines.md")
    mat = load_material(args.annotations, known)
    for w in mat.warnings:
        print(f"annotation_report: {w}", file=sys.stderr)
    atomic_write_text(args.out_dir / "annotation-report.md", annotation_report(mat, known))
    atomic_write_text(args.out_dir / "baselines.md", baselines_report(mat.gold, args.spacy))
    # The figures the release card draws (newsevents.build.charts), as numbers in [0, 1].
    atomic_write_text(args.out_dir / "annotation-report.json", dump_json(agreement_figures(mat)))
    atomic_write_text(args.out_dir / "baselines.json", dump_json(baseline_figures(mat.gold)))


def _unit(x: float | None) -> float | None:
    return None if x is None else round(float(x), 4)


def agreement_figures(mat: Material) -> dict[str, Any]:
    """Pooled agreement per layer with its interval: ``{"agreement": [{layer, value, low, high}]}``."""
    pooled = pooled_agreement(per_document_counts(mat))
    rows = []
    for name, value in pooled.values.items():
        if value is None:
            continue
        interval = pooled.intervals.get(name) or [None, None]
        rows.append({"layer": name, "value": _unit(value), "low": _unit(interval[0]), "high": _unit(interval[1])})
    return {"documents": pooled.documents, "agreement": rows}


def baseline_figures(gold: Mapping[str, Document]) -> dict[str, Any]:
    """The lexicon baseline's strict entity F1 per type and Trig-C F1, with intervals, on all gold documents."""
    docs = [gold[k] for k in sorted(gold)]
    if not docs:
        return {"baselines": []}
    preds, system = run_baseline(docs)
    metrics = evaluate_documents(docs, preds, bootstrap_n=BOOTSTRAP, seed=SEED, max_errors=0)["metrics"]
    rows = []
    for key in sorted(metrics):
        if key.startswith("entities.strict.type.") or key == "events.trig_c":
            m = metrics[key]
            interval = m.get("ci", {}).get("f1") or [None, None]
            label = key.rsplit(".", 1)[-1] if key.startswith("entities") else "event triggers (Trig-C)"
            rows.append(
                {
                    "system": system,
                    "label": label,
                    "f1": _unit(m["f1"]),
                    "low": _unit(interval[0]),
                    "high": _unit(interval[1]),
                }
            )
    return {"documents": len(docs), "baselines": rows}


if __name__ == "__main__":
    main()
