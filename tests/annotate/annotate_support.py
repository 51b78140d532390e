"""Helpers for the annotate tests: minimal records and a Hypothesis strategy of annotated records.

The strategy draws texts with emoji (astral and ZWJ sequences), combining characters, NBSP and
CRLF, normalised the way the cleaner does (NFC, ``\\n`` newlines) before anything uses them, and
annotations with nested and overlapping spans, several roles per event and coreference chains.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from newsevents.annotate import client as ls
from newsevents.annotate.server import Credentials
from newsevents.ontology import load_ontology
from newsevents.records import Argument, Document, EntityMention, EventMention, Source, Span

ONTO = load_ontology()

ANNOTATORS = ("alice@example.org", "bob@example.org", "carol@example.org")


@dataclass
class Live:
    url: str
    root: Path  # the temporary project folder (.env, .label-studio/)
    creds: Credentials
    session: ls.Session
    users: dict[str, int]  # email -> id of the annotator accounts
    printed: str  # what serve printed on stdout when ready

    @property
    def log_file(self) -> Path:
        return self.root / ".label-studio" / "server.log"


PIECES = [
    "US", "Iraq", "strikes", "base", "said", "the", "militia", "Sunday", "a", "é",
    "\U0001f600", "\U0001f468\u200d\U0001f692", "q\u0301", "e\u0301", "\u00a0", " ", " ", "\r\n", "\n", ",", "ß", "中文",
]  # fmt: skip


def normalise(text: str) -> str:
    """What the cleaner guarantees before import: NFC and ``\\n`` newlines."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def make_doc(doc_id: str, text: str, **kw: object) -> Document:
    return Document(
        id=doc_id,
        title=text.split("\n", 1)[0][:40] or "untitled",
        text=text,
        language="en",
        source=Source(publisher="Test", license="CC-BY-4.0", raw_file=f"seeds/{doc_id}.txt", raw_sha256="0" * 64),
        split="test",
        **kw,  # type: ignore[arg-type]
    )


@st.composite
def annotated_docs(draw: st.DrawFn, max_mentions: int = 12) -> Document:
    raw = "".join(draw(st.lists(st.sampled_from(PIECES), min_size=8, max_size=40)))
    text = normalise("X" + raw + "Y")  # never empty, never only whitespace
    n = len(text)

    def span() -> tuple[int, int]:
        s = draw(st.integers(0, n - 1))
        e = draw(st.integers(s + 1, min(n, s + 12)))
        return s, e

    used: set[tuple[int, int]] = set()
    entities: list[EntityMention] = []
    for i in range(draw(st.integers(0, max_mentions))):
        s, e = span()
        if (s, e) in used:
            continue
        used.add((s, e))
        etype = draw(st.sampled_from(ONTO.entity_types))
        kind = draw(st.sampled_from(ONTO.mention_kinds))
        entities.append(EntityMention(f"m{i}", s, e, text[s:e], etype, kind, "tmp"))
    # Coreference: mentions of one type drawn into a few clusters each.
    clustered = []
    for m in entities:
        c = draw(st.integers(0, 2))
        clustered.append(m.__class__(m.id, m.start, m.end, m.text, m.type, m.kind, f"E-{m.type}-{c}"))
    events: list[EventMention] = []
    for i in range(draw(st.integers(0, max_mentions // 2))):
        s, e = span()
        if (s, e) in used:
            continue
        used.add((s, e))
        etype = draw(st.sampled_from(sorted(ONTO.event_types)))
        roles = ONTO.event_types[etype].roles
        args: set[Argument] = set()
        for _ in range(draw(st.integers(0, 5))):
            if not clustered:
                break
            role = draw(st.sampled_from(sorted(roles)))
            fillers = [m for m in clustered if m.type in roles[role]]
            if fillers:
                args.add(Argument(role, draw(st.sampled_from(fillers)).id))
        realis = draw(st.sampled_from(ONTO.realis))
        cluster = f"V-{etype}-{draw(st.integers(0, 1))}"
        events.append(
            EventMention(
                f"t{i}",
                etype,
                Span(s, e, text[s:e]),
                realis,
                cluster,
                tuple(sorted(args, key=lambda a: (a.role, a.mention))),
            )
        )
    return make_doc("rt-doc", text, entity_mentions=tuple(clustered), event_mentions=tuple(events))
