"""Statistics of a release, computed from the records and the derived views (no I/O).

:class:`StatsBuilder` counts one document at a time, so the build never needs the corpus in memory
to fill the card.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from newsevents.build.meta import redistributable
from newsevents.build.views import Dropped, is_annotated
from newsevents.records import Document
from newsevents.text import sentences, tokenize

_SPLIT_KEYS = ("documents", "annotated_documents", "sentences", "tokens", "entity_mentions", "event_mentions")


def _sorted(c: Counter[str]) -> dict[str, int]:
    return {k: c[k] for k in sorted(c)}


@dataclass
class StatsBuilder:
    """The release statistics, accumulated document by document (order does not matter)."""

    per_split: dict[str, Counter[str]] = field(default_factory=dict)
    counters: dict[str, Counter[str]] = field(default_factory=dict)
    documents: int = 0
    redistributable: int = 0
    entities: int = 0
    events: int = 0

    def _c(self, name: str) -> Counter[str]:
        return self.counters.setdefault(name, Counter())

    def add(self, d: Document, *, n_sentences: int | None = None, n_tokens: int | None = None) -> None:
        """Count ``d``; ``n_sentences``/``n_tokens`` of its whole text when the caller has them already."""
        s = self.per_split.setdefault(d.split, Counter())
        s["documents"] += 1
        s["annotated_documents"] += is_annotated(d)
        s["sentences"] += len(sentences(d.text)) if n_sentences is None else n_sentences
        s["tokens"] += len(tokenize(d.text)) if n_tokens is None else n_tokens
        s["entity_mentions"] += len(d.entity_mentions)
        s["event_mentions"] += len(d.event_mentions)
        self.documents += 1
        self.redistributable += redistributable(d.source.license)
        self._c("status")[d.provenance.status] += 1
        self._c("licences")[d.source.license] += 1
        for account in d.provenance.annotators:
            self._c("annotators")[account] += 1
        if d.provenance.guideline_version:
            self._c("guidelines")[d.provenance.guideline_version] += 1
        self.entities += len({m.entity for m in d.entity_mentions})
        self.events += len({e.event for e in d.event_mentions})
        etype, kind, type_kind = self._c("etype"), self._c("kind"), self._c("type_kind")
        for m in d.entity_mentions:
            etype[m.type] += 1
            kind[m.kind] += 1
            type_kind[f"{m.type}/{m.kind}"] += 1
        evtype, realis, role = self._c("evtype"), self._c("realis"), self._c("role")
        for e in d.event_mentions:
            evtype[e.type] += 1
            realis[e.realis] += 1
            for a in e.arguments:
                role[f"{e.type}/{a.role}"] += 1

    def result(self, splits: list[str], row_counts: dict[str, dict[str, int]], dropped: Dropped) -> dict[str, Any]:
        """Counts per split and label; stable key order so the release files are deterministic.

        ``row_counts``: config -> split -> rows written; ``dropped``: what the derived views dropped.
        """
        per_split: dict[str, dict[str, int]] = {}
        for split in splits:
            s = self.per_split.get(split, Counter())
            per_split[split] = {
                **{k: s[k] for k in _SPLIT_KEYS},
                "sentences_rows": row_counts.get("sentences", {}).get(split, 0),
                "ner_rows": row_counts.get("ner", {}).get(split, 0),
            }
        c = self._c
        return {
            "splits": per_split,
            "documents": self.documents,
            "documents_with_redistributable_text": self.redistributable,
            "annotation_status": _sorted(c("status")),
            "annotators": _sorted(c("annotators")),
            "guideline_versions": _sorted(c("guidelines")),
            "source_licenses": _sorted(c("licences")),
            "entity_clusters": self.entities,
            "event_clusters": self.events,
            "entity_mentions_by_type": _sorted(c("etype")),
            "entity_mentions_by_kind": _sorted(c("kind")),
            "entity_mentions_by_type_and_kind": _sorted(c("type_kind")),
            "event_mentions_by_type": _sorted(c("evtype")),
            "event_mentions_by_realis": _sorted(c("realis")),
            "arguments_by_type_and_role": _sorted(c("role")),
            "dropped_in_derived_views": dropped.to_dict(),
        }
