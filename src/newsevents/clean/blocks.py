"""From raw lines to blocks: renderer markup stripped, wrapped lines of one paragraph joined.

Text renderings of web pages come in a few shapes: one line per HTML block (the seed's shape),
blank-line separated paragraphs, lynx/w3m output hard-wrapped at a fixed width and indented, and
Markdown-ish html2text output (``#`` headings, ``*`` bullets, ``![alt](src)`` images). A
:class:`Block` is one paragraph-like unit with the raw line range it came from; the classifier
works on blocks, and every dropped block is reported line by line.
"""

# The patterns match typographic quotes, dashes and bullets on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise

from newsevents.clean.normalize import normalize_line

_BULLET = re.compile(r"^(?:[•·▪◦‣∙●○■□►▸*+\-–]|\d{1,3}[.)])\s+(?=\S)")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\((?:\\.|[^)\\])*\)")
_MD_ESCAPE = re.compile(r"\\([-\\`*_{}\[\]()#+.!|>~])")
_MD_LINK = re.compile(r"\[([^\]]*)\]\((?:https?:|/|#|mailto:)[^)]*\)")
_EMPHASIS = re.compile(r"(?<![\w*])(\*\*|__)(?=\S)|(?<=\S)(\*\*|__)(?![\w*])|(?<![\w])_(?=\S)|(?<=\S)_(?!\w)")
_RULE = re.compile(r"^(?:[-*_=~#.·•─━═—–]\s*){3,}$")
_FORM_FIELD = re.compile(r"_{4,}|\((?:BUTTON|RADIO|Submit|NOTE|INS|DEL)\)|\[(?:BUTTON|INS|DEL)[^\]]*\]|\[\s*\]|\[X\]")
_IMG_TOKENS = re.compile(r"^(?:\[[^\]\s]{1,60}\]\s*)+")
_TRAILING_RULE = re.compile(r"\s+[─━═]{3,}$")  # w3m underlines a heading on its own line, or after it
_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Line:
    """One raw line: its number (1-based), text as read, normalised text and shape marks."""

    number: int
    raw: str
    text: str  # normalised, markup stripped
    indent: int
    width: int  # length of the raw line without trailing space
    bullet: bool = False
    heading: bool = False  # a Markdown heading marker
    image: bool = False  # a Markdown image: the text is its alt text
    rule: bool = False  # a horizontal rule drawn with characters
    form: bool = False  # a form field or button drawn by a text browser


@dataclass(frozen=True, slots=True)
class Block:
    """Consecutive lines that make one paragraph, list item or heading."""

    index: int
    lines: tuple[Line, ...]
    text: str

    @property
    def first(self) -> int:
        return self.lines[0].number

    @property
    def last(self) -> int:
        return self.lines[-1].number

    @property
    def bullet(self) -> bool:
        return self.lines[0].bullet

    @property
    def heading(self) -> bool:
        return self.lines[0].heading

    @property
    def image(self) -> bool:
        return any(ln.image for ln in self.lines)

    @property
    def form(self) -> bool:
        return any(ln.form for ln in self.lines)

    @property
    def rule(self) -> bool:
        return all(ln.rule for ln in self.lines)


UNWRAPPED_MIN_WIDTH = 60
_ENDS_SENTENCE = re.compile(r"[.!?:;…][\"'”’)\]»]*$")


def display_width(s: str) -> int:
    """Columns a text browser gives ``s``: East Asian wide and full-width characters take two."""
    if s.isascii():
        return len(s)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def parse_line(number: int, raw: str) -> Line:
    expanded = raw.replace("\t", "    ").replace("\u00a0", " ")
    stripped = expanded.lstrip(" ")
    indent = len(expanded) - len(stripped)
    width = display_width(expanded.rstrip())
    text = normalize_line(raw)
    bullet = heading = image = form = False
    rule = bool(_RULE.match(text))
    if rule:
        return Line(number, raw, text, indent, width, rule=True)
    if indent >= 7 and text[:2] in ("o ", "# "):
        # lynx marks nested list levels with "+", "o" and "#" at growing indents.
        return Line(number, raw, normalize_line(text[2:]), indent, width, bullet=True)
    if _MD_HEADING.match(text):
        heading = True
        text = _MD_HEADING.sub("", text)
    m = _BULLET.match(text)
    if m:
        bullet = True
        text = text[m.end() :]
    if "![" in text:
        outside = _MD_IMAGE.sub("", text).strip()
        if len(outside) >= 20:
            text = outside  # a paragraph that starts with an inline image: keep the paragraph
        else:
            stripped_img = _MD_IMAGE.sub(r"\1", text)
            image = stripped_img != text
            text = stripped_img
    if "\\" in text:
        text = _MD_ESCAPE.sub(r"\1", text)
    if "](" in text:
        text = _MD_LINK.sub(r"\1", text)
    if "_" in text or "**" in text:
        text = _EMPHASIS.sub("", text)
    if text.startswith("[") and (m := _IMG_TOKENS.match(text)) and m.end() < len(text):
        # w3m and lynx print an image's alt text or file name in brackets before the paragraph.
        text = text[m.end() :].lstrip()
    if _FORM_FIELD.search(text):
        form = True
    if text.endswith(("─", "━", "═")):
        text = _TRAILING_RULE.sub("", text)
    text = text.strip(" #").strip()
    return Line(number, raw, normalize_line(text), indent, width, bullet, heading, image, rule, form)


def wrap_width(lines: list[Line]) -> int | None:
    """The column at which a renderer hard-wrapped the page, or ``None`` if it did not.

    Only lines followed by another non-blank line can have been wrapped. On a wrapped page the
    longest of them cluster within a few columns of the wrap width; on an unwrapped page their
    lengths are spread out. A few preformatted lines wider than the wrap width do not matter,
    since the estimate is the median of the longest fifth.
    """
    pairs = [(a, b) for a, b in pairwise(lines) if a.text and b.text and a.width >= 40]
    if len(pairs) < 5:
        return None
    cand = sorted(a.width for a, _ in pairs)
    top = cand[-max(5, len(cand) // 5) :]
    width = top[len(top) // 2]
    near = [b for a, b in pairs if abs(a.width - width) <= 12]
    # Wrapped text never runs past the wrap width (bar unbreakable strings such as URLs) ...
    over = sum(1 for ln in lines if ln.width > width + 12 and ln.text.count(" ") >= 3)
    # ... and its continuation lines mostly start mid-sentence, not with a capital.
    mid = sum(1 for b in near if not b.text[:1].isupper())
    if len(near) >= 0.6 * len(top) and over <= max(2, len(top) // 20) and mid >= 0.4 * len(near):
        return width
    return None


def _continues(prev: Line, cur: Line, width: int | None) -> bool:
    """Whether ``cur`` is the wrapped continuation of ``prev`` (same paragraph)."""
    if width is None:
        # Too few long lines to estimate a wrap width: a long line broken mid-sentence, followed
        # at the same indent by a line that starts in lower case, is still one paragraph.
        return (
            prev.width >= UNWRAPPED_MIN_WIDTH
            and not prev.bullet
            and not cur.bullet
            and not (prev.image or cur.image or prev.form or cur.form or prev.rule or cur.rule)
            and cur.indent == prev.indent
            and cur.text[:1].islower()
            and not _ENDS_SENTENCE.search(prev.text)
        )
    if cur.bullet or cur.heading or prev.rule or cur.rule or prev.image or cur.image or cur.form:
        return False
    first = _WORD.match(cur.raw.lstrip())
    word = display_width(first.group(0)) if first else 0
    # The renderer broke the line because the next word did not fit.
    if prev.width + 1 + word < width - 3:
        return False
    # A wrapped continuation keeps the paragraph's indent, or the hanging indent of a list item.
    return cur.indent <= prev.indent + 4


def _join(a: str, b: str) -> str:
    if a.endswith("-") and len(a) > 1 and a[-2].isalpha() and b[:1].islower():
        return a + b  # a word the renderer split at its hyphen
    return f"{a} {b}"


def segment(raw_lines: list[str]) -> list[Block]:
    """Blocks of a rendering: blank lines separate blocks; inside a run, lines are separate blocks
    unless the page is hard-wrapped and a line is the continuation of the one before."""
    lines = [parse_line(i + 1, raw) for i, raw in enumerate(raw_lines)]
    width = wrap_width(lines)
    blocks: list[Block] = []
    current: list[Line] = []

    def flush() -> None:
        if current:
            text = current[0].text
            for ln in current[1:]:
                text = _join(text, ln.text)
            blocks.append(Block(len(blocks), tuple(current), text))
            current.clear()

    for ln in lines:
        if not ln.raw.strip():
            flush()
            continue
        if current and not _continues(current[-1], ln, width):
            flush()
        current.append(ln)
    flush()
    return blocks
