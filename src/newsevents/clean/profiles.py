"""Per-publisher profiles: data files (``profiles/<id>.json``) with rules the generic ones lack.

A profile adds drop patterns (run before the generic ones), a credit-line pattern whose named
groups ``authors``, ``editors`` and ``agencies`` fill :class:`~newsevents.records.Credits`, and
``detect`` patterns that select the profile for a page of unknown publisher. See
``docs/cleaning.md`` ("Adding a profile") for the file format.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from newsevents.clean.literals import any_of_literals, fold_for_literals, may_match
from newsevents.clean.rules import REASONS, PatternRule


class ProfileError(ValueError):
    """A profile file is malformed: fix the file named in the message."""


@dataclass(frozen=True, slots=True)
class Profile:
    """Publisher-specific cleaning knowledge, loaded from a JSON data file."""

    id: str
    publisher: str
    rules: tuple[PatternRule, ...] = ()
    credit_line: re.Pattern[str] | None = None
    detect: tuple[re.Pattern[str], ...] = ()
    hosts: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()  # names a manifest may give this publisher
    # The text is already free of boilerplate (one block per paragraph, headline first): every
    # block is kept and no rule runs (see newsevents.clean.preclean).
    keep_all: bool = False

    def detects(self, text: str, folded: bytes | None = None) -> bool:
        """Whether a ``detect`` pattern matches ``text``. A pattern is searched only when the page
        holds one of the literals every match of it contains
        (:func:`~newsevents.clean.literals.any_of_literals`): a case-insensitive search of a large
        page is slow, a substring test is not. ``folded`` is
        :func:`~newsevents.clean.literals.fold_for_literals` of ``text``, when the caller has it."""
        for pattern in self.detect:
            if literals := any_of_literals(pattern.pattern, pattern.flags):
                folded = fold_for_literals(text) if folded is None else folded
                if not may_match(literals, folded):
                    continue
            if pattern.search(text):
                return True
        return False


def _compile(pattern: Any, where: str) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise ProfileError(f"{where}: pattern must be a string, found {pattern!r}")
    try:
        return re.compile(pattern, re.IGNORECASE | re.MULTILINE)
    except re.error as exc:
        raise ProfileError(f"{where}: invalid regular expression {pattern!r}: {exc}") from exc


def profile_from_dict(d: dict[str, Any], *, source: str = "<profile>") -> Profile:
    """Build a profile from its JSON object, raising :class:`ProfileError` on a malformed file."""
    try:
        pid, publisher = d["id"], d["publisher"]
    except KeyError as exc:
        raise ProfileError(f"{source}: missing key {exc.args[0]!r}") from exc
    rules = []
    for i, r in enumerate(d.get("rules", ())):
        where = f"{source}: rules[{i}]"
        if r.get("reason") not in REASONS:
            raise ProfileError(f"{where}: reason must be one of {', '.join(REASONS)}, found {r.get('reason')!r}")
        rid = r.get("id")
        if not isinstance(rid, str) or not rid:
            raise ProfileError(f"{where}: needs an id")
        rules.append(
            PatternRule(
                id=f"{pid}.{rid}",
                reason=r["reason"],
                pattern=_compile(r.get("pattern"), where),
                max_words=int(r.get("max_words", 60)),
                barrier=bool(r.get("barrier", False)),
            )
        )
    credit = d.get("credit_line")
    return Profile(
        id=pid,
        publisher=publisher,
        rules=tuple(rules),
        credit_line=_compile(credit, f"{source}: credit_line") if credit else None,
        detect=tuple(_compile(p, f"{source}: detect") for p in d.get("detect", ())),
        hosts=tuple(d.get("hosts", ())),
        publishers=tuple(d.get("publishers", (publisher,))),
        keep_all=bool(d.get("keep_all", False)),
    )


@cache
def builtin_profiles() -> tuple[Profile, ...]:
    """Every profile shipped in ``newsevents/clean/profiles/``, sorted by id."""
    folder = resources.files("newsevents.clean") / "profiles"
    return tuple(
        profile_from_dict(json.loads(entry.read_text(encoding="utf-8")), source=entry.name)
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".json")
    )


def get_profile(name: str) -> Profile | None:
    """The built-in profile with this id, or whose publisher names include ``name``."""
    key = name.casefold()
    for p in builtin_profiles():
        if p.id.casefold() == key or key in (n.casefold() for n in p.publishers):
            return p
    return None


def profile_for_url(url: str | None) -> Profile | None:
    """The first built-in profile whose ``hosts`` include the host of ``url`` (or a domain above
    it: ``www.dw.com`` and ``amp.dw.com`` are ``dw.com``), whatever the page's language.

    >>> profile_for_url("https://www.dw.com/de/some-story/a-51824345").id
    'dw'
    """
    if not url:
        return None
    host = (urllib.parse.urlsplit(url.strip()).hostname or "").casefold().rstrip(".")
    if not host:
        return None
    for p in builtin_profiles():
        if any(host == h.casefold() or host.endswith("." + h.casefold()) for h in p.hosts):
            return p
    return None


def detect_profile(text: str) -> Profile | None:
    """The first built-in profile whose ``detect`` patterns match the page."""
    folded = fold_for_literals(text)  # once for every profile
    for p in builtin_profiles():
        if p.detects(text, folded):
            return p
    return None
