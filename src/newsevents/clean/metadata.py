"""Metadata found in dropped lines: publication dates, bylines and credit lines."""

from __future__ import annotations

import re

from newsevents.clean.rules import DATE

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        )
    )
    for m in names
}
_DATE_RE = re.compile(DATE, re.IGNORECASE)
_MDY = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", re.IGNORECASE)
_DMY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\.?\s+([a-z]+)\.?,?\s+(\d{4})", re.IGNORECASE)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def _iso(y: int, m: int, d: int) -> str | None:
    if not (1 <= m <= 12 and 1 <= d <= 31 and 1900 <= y <= 2100):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def parse_date(text: str) -> str | None:
    """The first unambiguous date in ``text`` as ``YYYY-MM-DD``, else ``None``.

    Slashed dates (``03/04/2019``) are ambiguous between US and European order and are skipped.

    >>> parse_date("December 29, 2019")
    '2019-12-29'
    >>> parse_date("Updated 29 Dec 2019, 10:14")
    '2019-12-29'
    """
    for m in _DATE_RE.finditer(text):
        s = m.group(0)
        if mm := _MDY.search(s):
            month = _MONTHS.get(mm.group(1).casefold())
            if month:
                return _iso(int(mm.group(3)), month, int(mm.group(2)))
        if mm := _DMY.search(s):
            month = _MONTHS.get(mm.group(2).casefold())
            if month:
                return _iso(int(mm.group(3)), month, int(mm.group(1)))
        if mm := _ISO.search(s):
            return _iso(int(mm.group(1)), int(mm.group(2)), int(mm.group(3)))
        if mm := _DOTTED.search(s):
            return _iso(int(mm.group(3)), int(mm.group(2)), int(mm.group(1)))
    return None


_BYLINE_LEAD = re.compile(
    r"^(?:by|von|par|por|written by|words by|reporting by|story by|posted by|author:?)\s+", re.IGNORECASE
)
_NAME_SPLIT = re.compile(r"\s*(?:,|\band\b|&|\||\bwith\b)\s*", re.IGNORECASE)


def byline_authors(text: str) -> tuple[str, ...]:
    """Author names of a byline such as ``By Jane Doe and John Roe, Reuters``.

    Parts that do not look like a personal name (one word, or lower-case) are left out, since a
    byline's tail is often a title or an outlet.

    >>> byline_authors("By Jane Doe and John Roe, Reuters")
    ('Jane Doe', 'John Roe')
    """
    body = _BYLINE_LEAD.sub("", text).strip()
    names = []
    for part in _NAME_SPLIT.split(body):
        words = part.split()
        if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words):
            names.append(part.strip())
    return tuple(names)


def split_credit(value: str | None, sep: str) -> tuple[str, ...]:
    """Split a credit-line group (``cw/se`` or ``dpa, Reuters``) into trimmed parts."""
    if not value:
        return ()
    return tuple(p.strip() for p in value.split(sep) if p.strip())
