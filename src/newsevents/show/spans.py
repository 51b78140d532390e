"""Marked spans of a text as properly nested HTML elements.

Mentions may nest and overlap; HTML elements can only nest. :func:`nest` cuts the text at every
span boundary and opens, for each piece, the spans covering it, outermost first (earlier start,
then longer span). A span that crosses the end of another one is closed there and reopened
after it: it becomes several *fragments*, elements that carry the same ``key``. The text of the
fragments of a span, read in document order, is exactly ``text[start:end]``.

Example:
    >>> nodes = nest("Ann Lee met Bob", [Mark("m1", 0, 7), Mark("m2", 4, 7), Mark("m3", 12, 15)])
    >>> [n if isinstance(n, str) else (n.mark.key, n.height) for n in nodes]
    [('m1', 2), ' met ', ('m3', 1)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from itertools import pairwise


@dataclass(frozen=True, slots=True)
class Mark:
    """A span to mark: ``key`` names it (shared by its fragments); ``rank`` orders equal spans.

    ``classes`` and ``attrs`` go on every fragment's element as they are (escaped on output).
    """

    key: str
    start: int
    end: int
    classes: tuple[str, ...] = ()
    attrs: tuple[tuple[str, str], ...] = ()
    rank: int = 0


@dataclass(slots=True)
class Element:
    """One fragment of a :class:`Mark`: an element holding text and nested fragments."""

    mark: Mark
    children: list[Element | str] = field(default_factory=list)

    @property
    def height(self) -> int:
        """1 + the height of the highest fragment inside (how many marks are stacked here)."""
        inner = [c.height for c in self.children if isinstance(c, Element)]
        return 1 + max(inner, default=0)


Node = Element | str


def _order(m: Mark) -> tuple[int, int, int, str]:
    return (m.start, -m.end, m.rank, m.key)


def nest(text: str, marks: Sequence[Mark]) -> list[Node]:
    """The text as strings and nested :class:`Element` fragments (see the module docstring).

    Marks outside the text or of no length are ignored (validation reports them).
    """
    ok = sorted((m for m in marks if 0 <= m.start < m.end <= len(text)), key=_order)
    cuts = sorted({0, len(text), *(m.start for m in ok), *(m.end for m in ok)})
    root: list[Node] = []
    stack: list[Element] = []
    active: list[Mark] = []
    nxt = 0
    for lo, hi in pairwise(cuts):
        active = [m for m in active if m.end > lo]
        while nxt < len(ok) and ok[nxt].start <= lo:
            active.append(ok[nxt])
            nxt += 1
        want = sorted(active, key=_order)
        keep = 0
        while keep < len(stack) and keep < len(want) and stack[keep].mark is want[keep]:
            keep += 1
        del stack[keep:]
        for m in want[keep:]:
            el = Element(m)
            (stack[-1].children if stack else root).append(el)
            stack.append(el)
        piece = text[lo:hi]
        target = stack[-1].children if stack else root
        if target and isinstance(target[-1], str):
            target[-1] += piece
        else:
            target.append(piece)
    return root


def to_html(nodes: Sequence[Node], tag: str = "span") -> str:
    """Serialise :func:`nest`'s output; every text and attribute value is escaped."""
    out: list[str] = []

    def walk(ns: Sequence[Node]) -> None:
        for n in ns:
            if isinstance(n, str):
                out.append(escape(n, quote=False))
                continue
            m = n.mark
            classes = " ".join((*m.classes, f"h{min(n.height, 8)}"))
            attrs = "".join(f' {name}="{escape(value)}"' for name, value in m.attrs)
            out.append(f'<{tag} class="{escape(classes)}" data-key="{escape(m.key)}"{attrs}>')
            walk(n.children)
            out.append(f"</{tag}>")

    walk(nodes)
    return "".join(out)
