"""Building small valid canonical records for the evaluate tests."""

from __future__ import annotations

from typing import Any

from newsevents.records import text_sha256


def find(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the ``nth`` occurrence of ``needle`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def record(
    doc_id: str,
    text: str,
    entities: list[dict[str, Any]] | None = None,
    events: list[dict[str, Any]] | None = None,
    *,
    status: str = "gold",
    annotators: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A valid record; entity dicts need start, end, type (kind NAM, id and entity filled in)."""
    ents = []
    for n, e in enumerate(entities or []):
        ents.append(
            {
                "id": e.get("id", f"T{n + 1}"),
                "start": e["start"],
                "end": e["end"],
                "text": text[e["start"] : e["end"]],
                "type": e["type"],
                "kind": e.get("kind", "NAM"),
                "entity": e.get("entity", f"E{n + 1}"),
            }
        )
    evs = []
    for n, ev in enumerate(events or []):
        s, e = ev["trigger"]
        evs.append(
            {
                "id": ev.get("id", f"V{n + 1}"),
                "type": ev["type"],
                "trigger": {"start": s, "end": e, "text": text[s:e]},
                "realis": ev.get("realis", "actual"),
                "event": ev.get("event", f"EV{n + 1}"),
                "arguments": [{"role": r, "mention": m} for r, m in ev.get("arguments", [])],
            }
        )
    return {
        "id": doc_id,
        "title": text.split("\n", 1)[0],
        "language": "en",
        "published": None,
        "split": "test",
        "source": {
            "publisher": "Test",
            "license": "CC0-1.0",
            "raw_file": f"seeds/{doc_id}.txt",
            "raw_sha256": "0" * 64,
            "format": "text",
        },
        "credits": {"authors": [], "editors": [], "agencies": []},
        "text": text,
        "text_sha256": text_sha256(text),
        "entity_mentions": ents,
        "event_mentions": evs,
        "provenance": {"status": status, "annotators": list(annotators)},
    }
