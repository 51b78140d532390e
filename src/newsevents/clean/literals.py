"""Literal prefilters for case-insensitive regular expressions.

A case-insensitive ``re.search`` over a line is slow (the engine tries every position); a substring
test is not. :func:`any_of_literals` reads a pattern with the standard library's own parser and
gives a few literals of which every match holds at least one; :func:`fold_for_literals` folds the
text so that a plain ``in`` finds them whenever the pattern could match. A line holding none of them
is never searched: the answer is the same, found sooner.
"""

from __future__ import annotations

from functools import cache

# The only characters that match an ASCII letter under re.IGNORECASE without being one: long s,
# dotless i, dotted capital I, Kelvin sign (tests/clean checks there are no others).
_CASE_ODD = str.maketrans({"\u017f": "s", "\u0131": "i", "\u0130": "i", "\u212a": "k"})
MAX_LITERALS = 48  # a longer list of alternatives costs more to test than the search it saves


def fold_for_literals(text: str) -> bytes:
    """``text`` as UTF-8 with its ASCII letters lower-cased (and the four characters that match
    one case-insensitively made that letter first), so that a case-insensitive match of a
    pattern implies one of its literals (:func:`any_of_literals`) is found in it. An ASCII literal can only be found in ASCII bytes, which UTF-8 gives one to a character,
    and UTF-8 finds a character sequence exactly where the text holds it."""
    if any(c in text for c in "\u017f\u0131\u0130\u212a"):
        text = text.translate(_CASE_ODD)
    return text.encode("utf-8", "surrogatepass").lower()


def _literal_char(code: int) -> str | None:
    """The character a ``LITERAL`` stands for, as the folded text holds whatever matches it: ASCII
    lower-cased; a non-ASCII character only when it has no case (it then matches only itself)."""
    c = chr(code)
    if c.isascii():
        return c.lower()
    if c.lower() == c == c.upper() and c.casefold() == c:
        return c
    return None


def _score(literals: frozenset[str]) -> tuple[int, int]:
    return min(len(x.encode("utf-8")) for x in literals), -len(literals)


def _sequence(items: list[tuple[object, object]]) -> frozenset[str] | None:
    """Literals of which every match of the sequence ``items`` holds one, or ``None``."""
    from re import _constants as c  # type: ignore[attr-defined]  # noqa: PLC0415 - the stdlib parser's opcodes

    best: frozenset[str] | None = None
    run: list[str] = []

    def keep(found: frozenset[str] | None) -> None:
        nonlocal best
        if found and len(found) <= MAX_LITERALS and (best is None or _score(found) > _score(best)):
            best = found

    for op, arg in [*items, (None, None)]:
        char = _literal_char(arg) if op == c.LITERAL and isinstance(arg, int) else None
        if char is not None:
            run.append(char)
            continue
        if run:
            keep(frozenset(["".join(run)]))
            run = []
        if op == c.SUBPATTERN and isinstance(arg, tuple):
            keep(_sequence(list(arg[3])))
        elif op == c.ATOMIC_GROUP and arg is not None:
            keep(_sequence(list(arg)))  # type: ignore[call-overload]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and isinstance(arg, tuple) and arg[0] >= 1:
            keep(_sequence(list(arg[2])))
        elif op == c.BRANCH and isinstance(arg, tuple):
            keep(_branch(arg[1]))
    return best


def _branch(alternatives: list[object]) -> frozenset[str] | None:
    found: set[str] = set()
    for alt in alternatives:
        each = _sequence(list(alt))  # type: ignore[call-overload]
        if each is None:
            return None
        found |= each
    # A literal that holds another adds nothing: a text holding it holds the other.
    return frozenset(x for x in found if not any(y != x and y in x for y in found))


@cache
def any_of_literals(pattern: str, flags: int = 0) -> tuple[bytes, ...]:
    r"""Literals, as UTF-8 bytes, of which every match of ``pattern`` (compiled with ``flags``,
    case-insensitive or not) holds at least one, lower-cased as :func:`fold_for_literals` folds
    the text; ``()`` when none is certain (then the pattern must always be searched).

    Only what every match must pass through counts: a run of literal characters at the top level
    or inside a group, a repeat of at least one, or every alternative of a choice each giving its
    own; an optional part, a character class or an assertion gives nothing.

    >>> any_of_literals(r"^(?:photo|image)s?:\s*\S", 0)
    (b'image', b'photo')
    >>> any_of_literals(r"\d+|pier", 0)
    ()
    """
    parsed = _parsed(pattern, flags)
    found = _sequence(parsed) if parsed is not None else None
    return tuple(sorted(x.encode("utf-8") for x in found)) if found else ()


@cache
def _parsed(pattern: str, flags: int) -> list[tuple[object, object]] | None:
    """The pattern as the standard library's own parser reads it, ``None`` when it cannot."""
    try:
        from re import _parser  # type: ignore[attr-defined]  # noqa: PLC0415 - the stdlib's own parser

        return list(_parser.parse(pattern, flags))
    except Exception:  # noqa: BLE001 - no literal: the pattern is always searched
        return None


def _starts_anchored(items: list[tuple[object, object]]) -> bool:
    from re import _constants as c  # type: ignore[attr-defined]  # noqa: PLC0415

    if not items:
        return False
    op, arg = items[0]
    if op == c.AT:
        return bool(arg == c.AT_BEGINNING)
    if op == c.SUBPATTERN and isinstance(arg, tuple):
        return _starts_anchored(list(arg[3]))
    if op == c.BRANCH and isinstance(arg, tuple):
        return all(_starts_anchored(list(alt)) for alt in arg[1])
    return False


@cache
def prefilter(pattern: str, flags: int = 0) -> tuple[bytes, ...]:
    """:func:`any_of_literals` where testing them pays: not for a pattern every match of which
    starts at the beginning of the text (``^`` first in every alternative), since the search
    gives up at the first character there, faster than any substring test."""
    parsed = _parsed(pattern, flags)
    if parsed is None or _starts_anchored(parsed):
        return ()
    return any_of_literals(pattern, flags)


def may_match(literals: tuple[bytes, ...], folded: bytes) -> bool:
    """Whether a text folded by :func:`fold_for_literals` holds one of ``literals`` (always, when
    there are none)."""
    if not literals:
        return True
    return any(x in folded for x in literals)
