"""The ontology (``schema/ontology.json``): entity types, mention kinds, event types and roles.

One file drives the JSON Schema, the Label Studio config and the scorer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from newsevents.resources import schema_dir


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    roles: dict[str, tuple[str, ...]]  # role -> allowed entity types
    plover_category: str | None
    plover_mode: str | None


@dataclass(frozen=True, slots=True)
class Ontology:
    version: str
    entity_types: tuple[str, ...]
    mention_kinds: tuple[str, ...]
    realis: tuple[str, ...]
    event_types: dict[str, EventType]
    from_ontonotes: dict[str, str]
    raw: dict[str, Any]

    @property
    def roles(self) -> tuple[str, ...]:
        """Every role name of any event type, sorted."""
        return tuple(sorted({r for et in self.event_types.values() for r in et.roles}))

    def allowed_types(self, event_type: str, role: str) -> tuple[str, ...] | None:
        """Entity types allowed to fill ``role`` of ``event_type``; None if the role is not its."""
        et = self.event_types.get(event_type)
        if et is None:
            return None
        return et.roles.get(role)


def parse_ontology(raw: dict[str, Any]) -> Ontology:
    events = {
        name: EventType(
            name=name,
            roles={role: tuple(types) for role, types in spec["roles"].items()},
            plover_category=spec.get("plover", {}).get("category"),
            plover_mode=spec.get("plover", {}).get("mode"),
        )
        for name, spec in raw["event_types"].items()
    }
    return Ontology(
        version=raw["version"],
        entity_types=tuple(raw["entity_types"]),
        mention_kinds=tuple(raw["mention_kinds"]),
        realis=tuple(raw["realis"]),
        event_types=events,
        from_ontonotes=dict(raw.get("from_ontonotes", {})),
        raw=raw,
    )


def load_ontology(path: Path | None = None) -> Ontology:
    """Read the ontology; the packaged/repository one by default."""
    if path is None:
        return _default()
    return parse_ontology(json.loads(path.read_text(encoding="utf-8")))


@cache
def _default() -> Ontology:
    return parse_ontology(json.loads((schema_dir() / "ontology.json").read_text(encoding="utf-8")))
