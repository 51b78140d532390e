"""Inter-annotator agreement over canonical records of several annotators on the same documents.

Input: ``<passes>/<doc-id>/<annotator>.json``, one record per annotator pass. The annotator's name
is ``provenance.annotators`` joined with ``+``, or the file stem when that list is empty. For every
pair of annotators (A, B), over the documents both annotated, counts are summed and then:

* **layer F1** (symmetric: ``2 * |A & B| / (|A| + |B|)``, multiset intersection of keys):
  ``entity_span`` (start, end); ``entity_type`` (start, end, type); ``entity_kind`` (start, end,
  kind); ``trigger_span`` (start, end); ``trigger`` (start, end, event type); ``realis`` (trigger
  start, end, realis: the event's realis apart from its type, as ``entity_kind`` is the kind apart
  from the type); ``argument`` (trigger start, end, event type, role, argument start, end).
* **coreference** of entity mentions (and of event mentions): computed on the mentions both
  annotators marked (same span; for events same span and type), so it measures clustering apart
  from mention detection. MUC (Vilain et al. 1995), B-cubed (Bagga & Baldwin 1998) and pairwise
  link F1, with A as key and B as response (F1 is symmetric for MUC and links; B-cubed F1 too).
* **Cohen's kappa on tokens** (tokens of :func:`newsevents.text.tokenize`): ``token_type`` labels
  each token with the type of the outermost mention covering it or O (the BIO view's flattening
  rule); ``bio`` labels it with its IOB2 tag. Pooled over the pair's documents; None when chance
  agreement is 1 (both annotators gave every token one and the same label).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from newsevents.evaluate import bio
from newsevents.evaluate.matching import sort_spans
from newsevents.io import read_json
from newsevents.records import Document, Finding, Severity
from newsevents.validate import validate_record

LAYERS = ("entity_span", "entity_type", "entity_kind", "trigger_span", "trigger", "realis", "argument")
CHECKS = {
    "agreement.no-passes": Severity.ERROR.value,
    "agreement.duplicate-annotator": Severity.ERROR.value,
    "agreement.text-mismatch": Severity.ERROR.value,
    "agreement.single-annotator": Severity.WARNING.value,
}


def annotator_name(doc: Document, path: Path) -> str:
    return "+".join(doc.provenance.annotators) if doc.provenance.annotators else path.stem


def layer_keys(doc: Document) -> dict[str, list[Hashable]]:
    by_id = {m.id: m for m in doc.entity_mentions}
    args: list[Hashable] = []
    for e in doc.event_mentions:
        for a in e.arguments:
            m = by_id.get(a.mention)
            if m is not None:
                args.append((e.trigger.start, e.trigger.end, e.type, a.role, m.start, m.end))
    return {
        "entity_span": [(m.start, m.end) for m in doc.entity_mentions],
        "entity_type": [(m.start, m.end, m.type) for m in doc.entity_mentions],
        "entity_kind": [(m.start, m.end, m.kind) for m in doc.entity_mentions],
        "trigger_span": [(e.trigger.start, e.trigger.end) for e in doc.event_mentions],
        "trigger": [(e.trigger.start, e.trigger.end, e.type) for e in doc.event_mentions],
        "realis": [(e.trigger.start, e.trigger.end, e.realis) for e in doc.event_mentions],
        "argument": args,
    }


def clusters(items: Iterable[tuple[Hashable, str]]) -> dict[Hashable, str]:
    """Mention key -> cluster id; the first cluster in sorted order wins for a repeated key."""
    out: dict[Hashable, str] = {}
    for key, cluster in sorted(items, key=repr):
        out.setdefault(key, cluster)
    return out


def _partition(assign: dict[Hashable, str], keys: Iterable[Hashable]) -> list[set[Hashable]]:
    groups: dict[str, set[Hashable]] = defaultdict(set)
    for k in keys:
        groups[assign[k]].add(k)
    return list(groups.values())


@dataclass
class CorefCounts:
    """Summed numerators and denominators of MUC, B-cubed and link scores (A key, B response)."""

    muc_r: list[int] = field(default_factory=lambda: [0, 0])
    muc_p: list[int] = field(default_factory=lambda: [0, 0])
    b3_r: float = 0.0
    b3_p: float = 0.0
    mentions: int = 0
    links: list[int] = field(default_factory=lambda: [0, 0, 0])  # both, A, B

    def add(self, a: dict[Hashable, str], b: dict[Hashable, str]) -> None:
        common = sorted(set(a) & set(b), key=repr)
        if not common:
            return
        ka, kb = _partition(a, common), _partition(b, common)
        for key_part, resp_assign, slot in ((ka, b, self.muc_r), (kb, a, self.muc_p)):
            for cluster in key_part:
                slot[0] += len(cluster) - len({resp_assign[m] for m in cluster})
                slot[1] += len(cluster) - 1
        where_a = {m: c for c in ka for m in c}
        where_b = {m: c for c in kb for m in c}
        for m in common:
            overlap = len(where_a[m] & where_b[m])
            self.b3_r += overlap / len(where_a[m])
            self.b3_p += overlap / len(where_b[m])
        self.mentions += len(common)
        la = {frozenset(p) for c in ka for p in combinations(sorted(c, key=repr), 2)}
        lb = {frozenset(p) for c in kb for p in combinations(sorted(c, key=repr), 2)}
        self.links[0] += len(la & lb)
        self.links[1] += len(la)
        self.links[2] += len(lb)

    def to_dict(self) -> dict[str, Any]:
        def prf(p: float | None, r: float | None) -> dict[str, float | None]:
            f = None if p is None or r is None else (2 * p * r / (p + r) if p + r else 0.0)
            return {"precision": p, "recall": r, "f1": f}

        def ratio(n: float, d: float) -> float | None:
            return n / d if d else None

        return {
            "mentions": self.mentions,
            "muc": prf(ratio(*self.muc_p), ratio(*self.muc_r)),
            "b_cubed": prf(ratio(self.b3_p, self.mentions), ratio(self.b3_r, self.mentions)),
            "links": prf(ratio(self.links[0], self.links[2]), ratio(self.links[0], self.links[1])),
        }


def token_labels(doc: Document) -> tuple[list[str], list[str]]:
    """Per-token outermost type (or O) and IOB2 tag of ``doc``'s entity mentions."""
    mentions = sort_spans((m.start, m.end, m.type, m.kind) for m in doc.entity_mentions)
    tags, _ = bio.tags(doc.text, mentions)
    return [t[2:] if t != "O" else "O" for t in tags], tags


@dataclass
class Kappa:
    agree: int = 0
    total: int = 0
    a: Counter[str] = field(default_factory=Counter)
    b: Counter[str] = field(default_factory=Counter)

    def add(self, la: Sequence[str], lb: Sequence[str]) -> None:
        self.agree += sum(x == y for x, y in zip(la, lb, strict=True))
        self.total += len(la)
        self.a.update(la)
        self.b.update(lb)

    def to_dict(self) -> dict[str, Any]:
        if not self.total:
            return {"tokens": 0, "observed": None, "chance": None, "kappa": None}
        po = self.agree / self.total
        pe = sum(self.a[k] * self.b[k] for k in self.a) / self.total**2
        kappa = None if pe >= 1.0 else (po - pe) / (1 - pe)
        return {"tokens": self.total, "observed": po, "chance": pe, "kappa": kappa}


@dataclass
class PairCounts:
    """Every count of the agreement of two annotators, summed over the documents added.

    What :func:`pair_agreement` sums; kept apart so that a caller can hold one per document and
    resample documents (the report's bootstrap), then score a sum with :meth:`to_dict`.
    """

    layers: dict[str, list[int]] = field(default_factory=lambda: {name: [0, 0, 0] for name in LAYERS})  # both, A, B
    entities: CorefCounts = field(default_factory=CorefCounts)
    events: CorefCounts = field(default_factory=CorefCounts)
    token_type: Kappa = field(default_factory=Kappa)
    bio: Kappa = field(default_factory=Kappa)

    def add(self, a: Document, b: Document) -> None:
        """Fold in one document annotated by both (same id and text)."""
        ka, kb = layer_keys(a), layer_keys(b)
        for name in LAYERS:
            ca, cb = Counter(ka[name]), Counter(kb[name])
            self.layers[name][0] += sum((ca & cb).values())
            self.layers[name][1] += len(ka[name])
            self.layers[name][2] += len(kb[name])
        self.entities.add(
            clusters(((m.start, m.end), m.entity) for m in a.entity_mentions),
            clusters(((m.start, m.end), m.entity) for m in b.entity_mentions),
        )
        self.events.add(
            clusters(((e.trigger.start, e.trigger.end, e.type), e.event) for e in a.event_mentions),
            clusters(((e.trigger.start, e.trigger.end, e.type), e.event) for e in b.event_mentions),
        )
        (ta, ba), (tb, bb) = token_labels(a), token_labels(b)
        self.token_type.add(ta, tb)
        self.bio.add(ba, bb)

    def to_dict(self) -> dict[str, Any]:
        return {
            "layers": {
                name: {"both": both, "a": na, "b": nb, "f1": (2 * both / (na + nb)) if na + nb else None}
                for name, (both, na, nb) in self.layers.items()
            },
            "coreference": {"entities": self.entities.to_dict(), "events": self.events.to_dict()},
            "kappa": {"token_type": self.token_type.to_dict(), "bio": self.bio.to_dict()},
        }


def pair_agreement(docs_a: Sequence[Document], docs_b: Sequence[Document]) -> dict[str, Any]:
    """Agreement of two annotators over aligned documents (same ids and texts)."""
    counts = PairCounts()
    for a, b in zip(docs_a, docs_b, strict=True):
        counts.add(a, b)
    return {"documents": len(docs_a), **counts.to_dict()}


def agreement(passes: dict[str, dict[str, Document]]) -> dict[str, Any]:
    """Pairwise agreement; ``passes`` maps document id -> annotator -> record."""
    annotators = sorted({name for by in passes.values() for name in by})
    pairs = []
    for a, b in combinations(annotators, 2):
        ids = sorted(d for d, by in passes.items() if a in by and b in by)
        if not ids:
            continue
        res = pair_agreement([passes[d][a] for d in ids], [passes[d][b] for d in ids])
        pairs.append({"a": a, "b": b, **res})
    mean: dict[str, float | None] = {}
    for name in LAYERS:
        vals = [p["layers"][name]["f1"] for p in pairs if p["layers"][name]["f1"] is not None]
        mean[name] = sum(vals) / len(vals) if vals else None
    kappas = [p["kappa"]["token_type"]["kappa"] for p in pairs if p["kappa"]["token_type"]["kappa"] is not None]
    mean["kappa_token_type"] = sum(kappas) / len(kappas) if kappas else None
    return {
        "tool": "newsevents agreement",
        "documents": len(passes),
        "annotators": annotators,
        "rules": __doc__.split("\n\n", 2)[2].strip() if __doc__ else "",
        "pairs": pairs,
        "mean_over_pairs": mean,
    }


def load_passes(folder: Path) -> tuple[dict[str, dict[str, Document]], list[Finding]]:
    """Read ``folder/<doc-id>/<annotator>.json``; problems become findings."""
    findings: list[Finding] = []
    passes: dict[str, dict[str, Document]] = defaultdict(dict)
    files: dict[tuple[str, str], str] = {}
    for path in sorted(folder.glob("*/*.json")):
        loaded = read_json(path)
        if loaded.findings:
            findings.extend(loaded.findings)
            continue
        errs = validate_record(loaded.value, file=str(path), levels=2)
        findings.extend(errs)
        if any(f.severity == Severity.ERROR.value for f in errs):
            continue
        doc = Document.from_dict(loaded.value)
        name = annotator_name(doc, path)
        if name in passes[doc.id]:
            msg = f"annotator {name!r} already has a pass of this document in {files[(doc.id, name)]}"
            findings.append(Finding("agreement.duplicate-annotator", msg, file=str(path), doc_id=doc.id))
            continue
        others = list(passes[doc.id].values())
        if others and others[0].text != doc.text:
            msg = "text differs from the other passes of this document: offsets are not comparable"
            findings.append(Finding("agreement.text-mismatch", msg, file=str(path), doc_id=doc.id, pointer="/text"))
            continue
        passes[doc.id][name] = doc
        files[(doc.id, name)] = str(path)
    if not passes and not findings:
        findings.append(
            Finding("agreement.no-passes", f"no <doc-id>/<annotator>.json record under {folder}", file=str(folder))
        )
    for doc_id, by in sorted(passes.items()):
        if len(by) < 2:
            findings.append(
                Finding(
                    "agreement.single-annotator",
                    f"only {sorted(by)} annotated this document: no pair",
                    severity=Severity.WARNING.value,
                    doc_id=doc_id,
                )
            )
    return dict(passes), findings


def agreement_paths(folder: Path) -> tuple[dict[str, Any], list[Finding]]:
    passes, findings = load_passes(folder)
    return agreement(passes), findings


def _f(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.2f}"


def render_agreement(res: dict[str, Any], fmt: str = "text") -> str:
    md = fmt == "markdown"
    out = ["# newsevents agreement" if md else "newsevents agreement", ""]
    out.append(f"{res['documents']} documents, annotators: {', '.join(res['annotators']) or '-'}. F1 and kappa in %.")
    head = ["A", "B", "docs", *LAYERS, "ent MUC", "ent B3", "ent links", "evt MUC", "evt B3", "kappa type", "kappa BIO"]
    rows = []
    for p in res["pairs"]:
        ce, cv = p["coreference"]["entities"], p["coreference"]["events"]
        rows.append(
            [
                p["a"],
                p["b"],
                str(p["documents"]),
                *(_f(p["layers"][n]["f1"]) for n in LAYERS),
                _f(ce["muc"]["f1"]),
                _f(ce["b_cubed"]["f1"]),
                _f(ce["links"]["f1"]),
                _f(cv["muc"]["f1"]),
                _f(cv["b_cubed"]["f1"]),
                _f(p["kappa"]["token_type"]["kappa"]),
                _f(p["kappa"]["bio"]["kappa"]),
            ]
        )
    mean = res["mean_over_pairs"]
    rows.append(["mean", "", "", *(_f(mean[n]) for n in LAYERS), "", "", "", "", "", _f(mean["kappa_token_type"]), ""])
    out.append("")
    if md:
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "|".join(["---"] * 2 + ["--:"] * (len(head) - 2)) + "|")
        out += ["| " + " | ".join(r) + " |" for r in rows]
    else:
        widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
        out += [
            "  "
            + "  ".join(
                c.rjust(w) if i > 1 else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
            ).rstrip()
            for r in [head, *rows]
        ]
    out += [
        "",
        "Layers: " + "; ".join(LAYERS) + ". Coreference on mentions both annotators marked (A key, B response).",
    ]
    return "\n".join(out) + "\n"
