"""Documents the show tests render: the seed's gold and passes, a Wikinews page, a hostile text."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from newsevents.records import (
    Argument,
    Cleaning,
    Document,
    EntityMention,
    EventMention,
    Provenance,
    RemovedLine,
    Source,
    Span,
)

REPO = Path(__file__).resolve().parent.parent.parent
SEED_ID = "dw-2019-12-29-us-hits-back-iraq"
GOLD = REPO / "annotations" / "gold" / f"{SEED_ID}.json"
PASSES = REPO / "annotations" / "passes" / SEED_ID
PASS_A = PASSES / "annotator-a-at-newsevents.local.json"
PASS_B = PASSES / "annotator-b-at-newsevents.local.json"
PROJECT = REPO / "tests" / "build" / "cases" / "project"


def read_doc(path: Path) -> Document:
    return Document.from_dict(json.loads(path.read_text(encoding="utf-8")))


def wikinews_doc() -> Document:
    """The first Wikinews corpus record, annotated here by the lexicon baseline (no Wikinews gold needed)."""
    from newsevents.evaluate.baselines.lexicon import predict  # noqa: PLC0415

    path = min((REPO / "corpus").glob("wikinews-*.json"))
    return predict(read_doc(path))


def hostile_doc() -> Document:
    """Markup and script in every text a page shows."""
    text = "Rebels attack <b>Kirkuk</b>\n\n<script>alert(1)</script> Rebels attacked a base in Kirkuk & Mosul."

    def span(needle: str, nth: int = 0) -> tuple[int, int]:
        start = -1
        for _ in range(nth + 1):
            start = text.index(needle, start + 1)
        return start, start + len(needle)

    def mention(mid: str, needle: str, etype: str, entity: str, nth: int = 0) -> EntityMention:
        s, e = span(needle, nth)
        return EntityMention(mid, s, e, text[s:e], etype, "NAM", entity)

    ms = (
        mention("m1", "Rebels", "ORG", "c1"),
        mention("m2", "<b>Kirkuk</b>", "GPE", "c2"),
        mention("m3", "Kirkuk", "GPE", "c2"),
        mention("m4", "<script>alert(1)</script>", "TTL", "c3"),
        mention("m5", "Rebels", "ORG", "c1", 1),
        mention("m6", "Kirkuk", "GPE", "c2", 1),
    )
    s, e = span("attacked")
    ev = EventMention(
        "v1",
        "Conflict:Attack",
        Span(s, e, text[s:e]),
        "actual",
        "v1",
        (Argument("Attacker", "m5"), Argument("Place", "m6")),
    )
    return Document(
        id="hostile-markup",
        title='<img src=x onerror="alert(2)">Rebels attack',
        text=text,
        language="en",
        source=Source(
            publisher="<i>Evil</i> Press",
            license="CC-BY-4.0",
            raw_file="x.txt",
            raw_sha256="0" * 64,
            url="javascript:alert(4)",
        ),
        split="test",
        cleaning=Cleaning(
            cleaner="newsevents-clean 1",
            removed=(RemovedLine(3, "</script><script>alert(3)</script>", "boilerplate <u>x</u>", "r1"),),
        ),
        entity_mentions=ms,
        event_mentions=(ev,),
        provenance=Provenance(status="gold", annotators=("<svg onload=alert(5)>",)),
    )


def perturbed(doc: Document) -> Document:
    """``doc`` with one difference of each class against it (for the comparison tests)."""
    ms = list(doc.entity_mentions)
    evs = list(doc.event_mentions)
    ms[0] = replace(ms[0], type="ORG" if ms[0].type != "ORG" else "PER")  # wrong type
    m1 = ms[1]
    ms[1] = replace(m1, end=m1.end - 1, text=doc.text[m1.start : m1.end - 1])  # wrong span
    del ms[2]  # missed (and its arguments, if any, are dangling: skipped by the scorer)
    ev0 = evs[0]
    if ev0.arguments:
        a0 = ev0.arguments[0]
        evs[0] = replace(ev0, arguments=(replace(a0, role="Victim" if a0.role != "Victim" else "Target"),))
    evs[-1] = replace(evs[-1], type="Contact:Meet" if evs[-1].type != "Contact:Meet" else "Life:Die")
    return replace(doc, entity_mentions=tuple(ms), event_mentions=tuple(evs), provenance=Provenance(status="predicted"))
