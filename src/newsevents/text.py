"""The project's fixed tokenisation and sentence splitting.

Every derived view (the ``sentences`` and ``ner`` dataset configs, the scorer's BIO view) uses
these two functions, so no user has to re-preprocess and scores are comparable. They are
recorded in each release by name and version (``TOKENIZER``).

Tokens: runs of word characters, a possessive "'s", and every other non-space character alone;
hyphens split words ("Iran-linked" -> "Iran", "-", "linked") so that a mention nested in a
hyphenated word ("Iran" in "Iran-backed") lines up with token boundaries. Sentences end at ., ! or ?
(with closing quotes or brackets) followed by whitespace, and at every paragraph break.

Example:
    >>> [("Iran's")[s:e] for s, e in tokenize("Iran's")]
    ['Iran', "'s"]
    >>> [(s, e) for s, e in sentences("He left. She came.\\n\\nEnd")]
    [(0, 8), (9, 18), (20, 23)]
"""

from __future__ import annotations

import re

TOKENIZER = "newsevents-regex-1"

_TOKEN = re.compile(r"(?<=\w)['\u2019]s\b|\w+|[^\w\s]", re.UNICODE)
# Common abbreviations that end with a period but do not end a sentence.
_ABBREV = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "sgt",
        "st",
        "jr",
        "sr",
        "u.s",
        "no",
        "vs",
        "etc",
        "inc",
        "ltd",
        "co",
        "corp",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
_SENT_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s)")


def tokenize(text: str) -> list[tuple[int, int]]:
    """Token offsets (start, end-exclusive, code points) of ``text``."""
    return [m.span() for m in _TOKEN.finditer(text)]


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence offsets of ``text``, stripped of surrounding whitespace, never empty."""
    out: list[tuple[int, int]] = []
    para_start = 0
    for para in re.split(r"(\n\s*\n)", text):
        if not para.strip() or para.startswith("\n"):
            para_start += len(para)
            continue
        start = 0
        for m in _SENT_END.finditer(para):
            word = re.search(r"(\S+)$", para[start : m.start()])
            if m.group().startswith(".") and word and word.group(1).lower().rstrip(".") in _ABBREV:
                continue
            if word and len(word.group(1)) == 1 and word.group(1).isupper():
                continue  # an initial: "M. Bruch"
            out.append(_strip(text, para_start + start, para_start + m.end()))
            start = m.end()
        if para[start:].strip():
            out.append(_strip(text, para_start + start, para_start + len(para)))
        para_start += len(para)
    return [s for s in out if s[0] < s[1]]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
