"""Per-document overrides: decisions the rules cannot settle, made by a person and recorded.

An override file (``seeds/overrides/<doc-id>.json``) names raw lines by number *and* text, so an
override never silently applies to a different line after the raw file changed::

    {
      "doc_id": "dw-2019-12-29-us-hits-back-iraq",
      "raw_sha256": "<sha256 of the raw file>",
      "lines": [
        {"line": 44, "text": "Iraq: Consequences of corruption", "action": "drop",
         "reason": "media teaser", "note": "why a person decided this"}
      ]
    }

``action`` is ``drop`` (with a reason from :data:`~newsevents.clean.rules.REASONS`) or ``keep``.
Lines dropped by an override are recorded with rule ``override.drop``; the cleaned record's
``cleaning.overrides`` names the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newsevents.clean.rules import REASONS
from newsevents.records import Finding


@dataclass(frozen=True, slots=True)
class OverrideLine:
    line: int
    text: str
    action: str  # "drop" | "keep"
    reason: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Overrides:
    """The overrides of one document, and the file they came from (recorded in the output)."""

    source: str
    doc_id: str
    raw_sha256: str | None
    lines: tuple[OverrideLine, ...]

    def by_line(self) -> dict[int, OverrideLine]:
        return {o.line: o for o in self.lines}


def overrides_from_dict(d: Any, *, source: str) -> tuple[Overrides | None, list[Finding]]:
    """Parse an override file's JSON value; problems come back as ``clean.override`` findings."""

    def bad(msg: str, pointer: str = "") -> tuple[None, list[Finding]]:
        return None, [Finding("clean.override", msg, file=source, pointer=pointer)]

    if not isinstance(d, dict) or not isinstance(d.get("doc_id"), str) or not isinstance(d.get("lines"), list):
        return bad('override file must be an object with "doc_id" (string) and "lines" (list)')
    lines = []
    for i, o in enumerate(d["lines"]):
        ptr = f"/lines/{i}"
        if not isinstance(o, dict) or not isinstance(o.get("line"), int) or not isinstance(o.get("text"), str):
            return bad('each override needs "line" (integer) and "text" (string)', ptr)
        action = o.get("action")
        if action not in ("drop", "keep"):
            return bad(f'"action" must be "drop" or "keep", found {action!r}', ptr)
        reason = o.get("reason", "override" if action == "drop" else "")
        if action == "drop" and reason not in REASONS:
            return bad(f'"reason" must be one of {", ".join(REASONS)}, found {reason!r}', ptr)
        lines.append(OverrideLine(o["line"], o["text"], action, reason, str(o.get("note", ""))))
    sha = d.get("raw_sha256")
    return Overrides(source, d["doc_id"], sha if isinstance(sha, str) else None, tuple(lines)), []
