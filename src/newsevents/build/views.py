"""Derivations of the release's configs from canonical records: pure functions, no I/O.

``documents`` is the canonical record itself, with every optional field present (null when
absent) so each row has the declared features; :func:`row_to_record` inverts it exactly.
``sentences`` and ``ner`` cut each annotated document into sentences and tokens with the project's
fixed splitter and tokenizer (:mod:`newsevents.text`). What a view cannot represent is dropped and
counted (:class:`Dropped`), never silently lost:

- a mention or trigger that crosses a sentence boundary, or whose ends fall inside a token;
- an event argument whose entity mention lies in another sentence than the trigger (or was dropped);
- in ``ner``, a mention nested in or overlapping a longer one (the outermost mention wins; ties go
  to the earlier start, then to the earlier mention in the record).

Only documents whose annotation status is ``gold`` or ``completed`` enter ``sentences`` and
``ner``: an unannotated document would read as "no entity here" to a tagger.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from datasets import Features

from newsevents.build.features import decode_labels
from newsevents.records import JSON, Document
from newsevents.text import sentences, tokenize

ANNOTATED_STATUSES = frozenset({"gold", "completed"})
# Every count :class:`Dropped` may hold (view.item.reason); tests/build/cases/views/ has a case for each.
DROP_REASONS = (
    "sentences.entity-mention.crosses-sentence",
    "sentences.entity-mention.inside-token",
    "sentences.event-mention.crosses-sentence",
    "sentences.event-mention.inside-token",
    "sentences.argument.other-sentence",
    "sentences.argument.trigger-dropped",
    "ner.entity-mention.nested",
    "ner.entity-mention.overlapping",
)


@dataclass
class Dropped:
    """Counts of what the derived views could not represent, by view and reason."""

    counts: Counter[str] = field(default_factory=Counter)

    def add(self, key: str, n: int = 1) -> None:
        if key not in DROP_REASONS:
            raise ValueError(f"unknown drop reason {key!r}; add it to DROP_REASONS and give it a test case")
        if n:
            self.counts[key] += n

    def to_dict(self) -> dict[str, int]:
        return {k: self.counts[k] for k in sorted(self.counts)}


# provenance.label_studio as the schema has it: ids are unique per server only (server, #18).
LABEL_STUDIO_KEYS = ("project", "task", "annotation", "server", "annotator_key")


def document_row(doc: Document) -> JSON:
    """The ``documents`` row of ``doc``: ``to_dict()`` with every optional field present."""
    d = doc.to_dict()
    src = d["source"]
    prov = d["provenance"]
    ls = prov.get("label_studio")
    cleaning = d.get("cleaning")
    return {
        **d,
        "source": {
            k: src.get(k) for k in ("publisher", "url", "license", "raw_file", "raw_sha256", "format", "retrieved")
        },
        "provenance": {
            "status": prov["status"],
            "annotators": prov["annotators"],
            "guideline_version": prov.get("guideline_version"),
            "tool": prov.get("tool"),
            "label_studio": None if ls is None else {k: ls.get(k) for k in LABEL_STUDIO_KEYS},
            "gold_rule": prov.get("gold_rule"),
            "system": prov.get("system"),
        },
        "cleaning": None
        if cleaning is None
        else {
            "cleaner": cleaning["cleaner"],
            "profile": cleaning.get("profile"),
            "overrides": cleaning.get("overrides"),
            "paragraphs": cleaning["paragraphs"],
            "removed": cleaning["removed"],
        },
    }


def _drop_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_nulls(v) for v in value]
    return value


def row_to_record(row: JSON, features: Features) -> JSON:
    """The canonical JSON record of a ``documents`` row as ``load_dataset`` returns it.

    Label integers become names, nulls of absent optional fields disappear, and the record goes
    through ``Document`` so the key order and defaults are the canonical ones.
    """
    return decoded_row_to_record(decode_labels(row, features))


def decoded_row_to_record(row: JSON) -> JSON:
    """The canonical JSON record of a ``documents`` row whose labels are already names."""
    return Document.from_dict(_drop_nulls(row)).to_dict()


@dataclass(frozen=True, slots=True)
class _Sentence:
    index: int
    start: int
    end: int
    tokens: list[tuple[int, int]]
    starts: dict[int, int]  # token start offset -> token index
    ends: dict[int, int]  # token end offset -> token index + 1

    @classmethod
    def of(cls, index: int, start: int, end: int, tokens: list[tuple[int, int]]) -> _Sentence:
        starts = {s: i for i, (s, _) in enumerate(tokens)}
        ends = {e: i + 1 for i, (_, e) in enumerate(tokens)}
        return cls(index, start, end, tokens, starts, ends)

    def token_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Token indices [i, j) covering exactly [start, end), or None if an end falls inside a token."""
        i, j = self.starts.get(start), self.ends.get(end)
        if i is not None and j is not None and i < j:
            return i, j
        return None


def _split(doc: Document) -> list[_Sentence]:
    out = []
    for i, (s, e) in enumerate(sentences(doc.text)):
        toks = [(s + a, s + b) for a, b in tokenize(doc.text[s:e])]
        if toks:
            out.append(_Sentence.of(i, s, e, toks))
    return out


def _locate(sents: list[_Sentence], starts: list[int], start: int, end: int) -> tuple[_Sentence | None, str]:
    """The sentence holding [start, end) (``starts``: the sentences' starts, ascending), or why none."""
    k = bisect_right(starts, start) - 1  # the last sentence starting at or before ``start``
    if k >= 0 and end <= sents[k].end:
        return sents[k], "" if sents[k].token_span(start, end) else "inside-token"
    # crosses a boundary, or lies between sentences (only whitespace there: never a valid span)
    return None, "crosses-sentence"


def is_annotated(doc: Document) -> bool:
    return doc.provenance.status in ANNOTATED_STATUSES


def sentence_rows(doc: Document, dropped: Dropped) -> list[JSON]:
    """The ``sentences`` rows of one document (OneIE/TextEE shape, token offsets end-exclusive)."""
    sents = _split(doc)
    starts = [s.start for s in sents]
    ents: dict[int, list[JSON]] = {s.index: [] for s in sents}
    where: dict[str, int] = {}  # entity mention id -> sentence index
    for m in doc.entity_mentions:
        sent, why = _locate(sents, starts, m.start, m.end)
        if sent is None or why:
            dropped.add(f"sentences.entity-mention.{why}")
            continue
        i, j = sent.token_span(m.start, m.end) or (0, 0)
        where[m.id] = sent.index
        ents[sent.index].append(
            {
                "id": m.id,
                "start": i,
                "end": j,
                "entity_type": m.type,
                "mention_type": m.kind,
                "text": m.text,
                "entity": m.entity,
            }
        )
    texts = {m.id: m.text for m in doc.entity_mentions}
    evs: dict[int, list[JSON]] = {s.index: [] for s in sents}
    for ev in doc.event_mentions:
        sent, why = _locate(sents, starts, ev.trigger.start, ev.trigger.end)
        if sent is None or why:
            dropped.add(f"sentences.event-mention.{why}")
            dropped.add("sentences.argument.trigger-dropped", len(ev.arguments))
            continue
        i, j = sent.token_span(ev.trigger.start, ev.trigger.end) or (0, 0)
        args = []
        for a in ev.arguments:
            if where.get(a.mention) != sent.index:
                dropped.add("sentences.argument.other-sentence")
                continue
            args.append({"entity_id": a.mention, "role": a.role, "text": texts[a.mention]})
        evs[sent.index].append(
            {
                "id": ev.id,
                "event_type": ev.type,
                "trigger": {"start": i, "end": j, "text": ev.trigger.text},
                "arguments": args,
                "realis": ev.realis,
                "event": ev.event,
            }
        )
    return [
        {
            "doc_id": doc.id,
            "sent_id": f"{doc.id}-{s.index}",
            "sentence": doc.text[s.start : s.end],
            "tokens": [doc.text[a:b] for a, b in s.tokens],
            "token_offsets": [[a, b] for a, b in s.tokens],
            "entity_mentions": ents[s.index],
            "event_mentions": evs[s.index],
        }
        for s in sents
    ]


def ner_row(sentence: JSON, dropped: Dropped) -> JSON:
    """BIO tags of one ``sentences`` row; nested and overlapping mentions: outermost wins."""
    tags = ["O"] * len(sentence["tokens"])
    ranked = sorted(
        enumerate(sentence["entity_mentions"]), key=lambda im: (im[1]["start"] - im[1]["end"], im[1]["start"], im[0])
    )
    for _, m in ranked:
        span = range(m["start"], m["end"])
        if any(tags[k] != "O" for k in span):
            inside = all(tags[k] != "O" for k in span)
            dropped.add("ner.entity-mention.nested" if inside else "ner.entity-mention.overlapping")
            continue
        for k in span:
            tags[k] = ("B-" if k == m["start"] else "I-") + m["entity_type"]
    return {
        "doc_id": sentence["doc_id"],
        "sent_id": sentence["sent_id"],
        "tokens": sentence["tokens"],
        "ner_tags": tags,
    }


@dataclass
class Views:
    """Rows of every config, by split, and what the derivations dropped."""

    rows: dict[str, dict[str, list[JSON]]]  # config -> split -> rows
    dropped: Dropped


def derive(docs: list[Document], splits: list[str]) -> Views:
    """All configs' rows, documents sorted by id within each split; ``splits`` are always present."""
    dropped = Dropped()
    rows: dict[str, dict[str, list[JSON]]] = {c: {s: [] for s in splits} for c in ("documents", "sentences", "ner")}
    for doc in sorted(docs, key=lambda d: d.id):
        rows["documents"][doc.split].append(document_row(doc))
        if not is_annotated(doc):
            continue
        for sent in sentence_rows(doc, dropped):
            rows["sentences"][doc.split].append(sent)
            rows["ner"][doc.split].append(ner_row(sent, dropped))
    return Views(rows, dropped)
