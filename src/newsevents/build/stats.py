"""Statistics of a release, computed from the records and the derived views (no I/O)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from newsevents.build.meta import redistributable
from newsevents.build.views import Dropped, is_annotated
from newsevents.records import Document
from newsevents.text import sentences, tokenize


def _sorted(c: Counter[str]) -> dict[str, int]:
    return {k: c[k] for k in sorted(c)}


def compute_stats(
    docs: list[Document], splits: list[str], row_counts: dict[str, dict[str, int]], dropped: Dropped
) -> dict[str, Any]:
    """Counts per split and label; stable key order so the release files are deterministic.

    ``row_counts``: config -> split -> rows written; ``dropped``: what the derived views dropped.
    """
    per_split: dict[str, dict[str, int]] = {}
    for split in splits:
        ds = [d for d in docs if d.split == split]
        per_split[split] = {
            "documents": len(ds),
            "annotated_documents": sum(is_annotated(d) for d in ds),
            "sentences": sum(len(sentences(d.text)) for d in ds),
            "tokens": sum(len(tokenize(d.text)) for d in ds),
            "entity_mentions": sum(len(d.entity_mentions) for d in ds),
            "event_mentions": sum(len(d.event_mentions) for d in ds),
            "sentences_rows": row_counts.get("sentences", {}).get(split, 0),
            "ner_rows": row_counts.get("ner", {}).get(split, 0),
        }
    etype: Counter[str] = Counter()
    kind: Counter[str] = Counter()
    type_kind: Counter[str] = Counter()
    evtype: Counter[str] = Counter()
    realis: Counter[str] = Counter()
    role: Counter[str] = Counter()
    status: Counter[str] = Counter()
    annotators: Counter[str] = Counter()
    guidelines: Counter[str] = Counter()
    licences: Counter[str] = Counter()
    entities = 0
    events = 0
    for d in docs:
        status[d.provenance.status] += 1
        licences[d.source.license] += 1
        for account in d.provenance.annotators:
            annotators[account] += 1
        if d.provenance.guideline_version:
            guidelines[d.provenance.guideline_version] += 1
        entities += len({m.entity for m in d.entity_mentions})
        events += len({e.event for e in d.event_mentions})
        for m in d.entity_mentions:
            etype[m.type] += 1
            kind[m.kind] += 1
            type_kind[f"{m.type}/{m.kind}"] += 1
        for e in d.event_mentions:
            evtype[e.type] += 1
            realis[e.realis] += 1
            for a in e.arguments:
                role[f"{e.type}/{a.role}"] += 1
    return {
        "splits": per_split,
        "documents": len(docs),
        "documents_with_redistributable_text": sum(redistributable(d.source.license) for d in docs),
        "annotation_status": _sorted(status),
        "annotators": _sorted(annotators),
        "guideline_versions": _sorted(guidelines),
        "source_licenses": _sorted(licences),
        "entity_clusters": entities,
        "event_clusters": events,
        "entity_mentions_by_type": _sorted(etype),
        "entity_mentions_by_kind": _sorted(kind),
        "entity_mentions_by_type_and_kind": _sorted(type_kind),
        "event_mentions_by_type": _sorted(evtype),
        "event_mentions_by_realis": _sorted(realis),
        "arguments_by_type_and_role": _sorted(role),
        "dropped_in_derived_views": dropped.to_dict(),
    }
