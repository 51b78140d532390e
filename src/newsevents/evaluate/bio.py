"""The token BIO view of entity mentions and its CoNLL-style (chunk) scoring.

Tokens come from :func:`newsevents.text.tokenize`. A mention covers every token that shares at
least one code point with it (so a mention boundary inside a token widens to the token).
Nested and crossing mentions cannot all be BIO-tagged, so the view is flattened by one rule:

    sort mentions by (first token, -last token, type, kind); keep a mention when its first token
    comes after the last token of the previously kept mention; otherwise drop it.

This keeps the outermost (longest) mention of a nest, and of two crossing mentions the one that
starts first; dropped mentions are counted (``dropped_gold``, ``dropped_pred``) in the output.
Tags are IOB2: ``B-TYPE`` on a kept mention's first token, ``I-TYPE`` on the rest, ``O`` elsewhere.

Chunks are read from tags as seqeval does in ``mode="strict"`` with ``scheme=IOB2``: a chunk is a
``B-X`` followed by the longest run of ``I-X``; an ``I-X`` that does not continue a chunk of type
X is not part of any chunk. A predicted chunk is correct when a gold chunk has the same sentence
(sequence), first token, end token and type. Sequences of tags are plain lists of strings.

Example:
    >>> y_true = [["B-PER", "I-PER", "O", "B-GPE"]]
    >>> y_pred = [["B-PER", "I-PER", "O", "B-ORG"]]
    >>> score_tags(y_true, y_pred)["micro"].f1
    0.5
    >>> chunks(["O", "I-PER", "B-PER", "I-PER", "I-ORG"])
    [(2, 4, 'PER')]
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import partial
from itertools import chain

from newsevents.evaluate.counts import Counts, Tally
from newsevents.evaluate.matching import Mention, multiset_counts
from newsevents.text import tokenize


def token_ranges(text: str, mentions: Sequence[Mention]) -> list[tuple[int, int, str, str]]:
    """Each mention as (first token, end token exclusive, type, kind); mentions on no token dropped."""
    toks = tokenize(text)
    starts = [s for s, _ in toks]
    ends = [e for _, e in toks]
    out = []
    for start, end, label, kind in mentions:
        first = bisect_right(ends, start)  # first token ending after the mention starts
        last = bisect_left(starts, end)  # tokens starting before the mention ends
        if first < last:
            out.append((first, last, label, kind))
    return out


def flatten(ranges: Sequence[tuple[int, int, str, str]]) -> tuple[list[tuple[int, int, str, str]], int]:
    """Keep the outermost of nested token ranges (see module doc); returns kept and dropped count."""
    kept: list[tuple[int, int, str, str]] = []
    last_end = -1
    for r in sorted(ranges, key=lambda r: (r[0], -r[1], r[2], r[3])):
        if r[0] >= last_end:
            kept.append(r)
            last_end = r[1]
    return kept, len(ranges) - len(kept)


def tags(text: str, mentions: Sequence[Mention]) -> tuple[list[str], int]:
    """IOB2 tags of the text's tokens for ``mentions`` and the number of mentions dropped."""
    kept, dropped = flatten(token_ranges(text, mentions))
    out = ["O"] * len(tokenize(text))
    for first, last, label, _ in kept:
        out[first] = "B-" + label
        for k in range(first + 1, last):
            out[k] = "I-" + label
    return out, dropped


def chunks(seq: Sequence[str]) -> list[tuple[int, int, str]]:
    """Chunks (first token, end token exclusive, type) of one IOB2 tag sequence (strict reading)."""
    out = []
    start = -1
    label = ""
    for i, tag in enumerate(seq):
        if start >= 0 and not (tag[:2] == "I-" and tag[2:] == label):
            out.append((start, i, label))
            start = -1
        if tag[:2] == "B-":
            start, label = i, tag[2:]
        elif tag != "O" and tag[:2] != "I-":
            raise ValueError(f"IOB2 tags are O, B-X or I-X, found {tag!r} at token {i}")
    if start >= 0:
        out.append((start, len(seq), label))
    return out


def score_chunks(
    gold: Sequence[tuple[int, int, str]], pred: Sequence[tuple[int, int, str]], prefix: str = "bio"
) -> Tally:
    """Micro and per-type counts of one sequence's chunks (exact first token, end and type)."""
    tally: Tally = {prefix: multiset_counts(gold, pred)}
    for label in {c[2] for c in gold} | {c[2] for c in pred}:
        tally[f"{prefix}.type.{label}"] = multiset_counts(
            [c for c in gold if c[2] == label], [c for c in pred if c[2] == label]
        )
    return tally


def _codes(tags: set[str]) -> tuple[dict[str, str], dict[str, re.Pattern[str]]]:
    """One character per distinct tag, and per label the pattern of its chunks (B then I*)."""
    labels = sorted({t[2:] for t in tags if t != "O"})
    bad = sorted(t for t in tags if t != "O" and t[:2] not in ("B-", "I-"))
    if bad:
        raise ValueError(f"IOB2 tags are O, B-X or I-X, found {bad[0]!r}")
    code = {"O": "O"}
    patterns = {}
    for n, label in enumerate(labels):
        # Private-use characters: never "O" and never the newline that separates sequences.
        b, i = chr(0xE000 + 2 * n), chr(0xE001 + 2 * n)
        code["B-" + label], code["I-" + label] = b, i
        if "B-" + label in tags:
            patterns[label] = re.compile(f"{b}{i}*")
    return code, patterns


def score_tags(y_true: Sequence[Sequence[str]], y_pred: Sequence[Sequence[str]]) -> dict[str, Counts]:
    """Chunk counts over sequences of IOB2 tags: ``{"micro": Counts, "<TYPE>": Counts, ...}``.

    Equal to seqeval's ``classification_report(y_true, y_pred, mode="strict", scheme=IOB2)``.
    Each tag becomes one character and each side one string (sequences separated by a newline), so
    a label's chunks are found by one regular-expression scan (its ``B-`` character, then its
    ``I-`` character repeated) and identified by their offsets, which line up between the sides.
    """
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} sequences, y_pred {len(y_pred)}")
    if list(map(len, y_true)) != list(map(len, y_pred)):
        n = next(k for k, (t, p) in enumerate(zip(y_true, y_pred, strict=True)) if len(t) != len(p))
        raise ValueError(f"sequence {n}: y_true has {len(y_true[n])} tags, y_pred {len(y_pred[n])}")
    code, patterns = _codes(set(chain.from_iterable(y_true)) | set(chain.from_iterable(y_pred)))
    to_chars = partial(map, code.__getitem__)
    gold = "\n".join(map("".join, map(to_chars, y_true)))
    pred = "\n".join(map("".join, map(to_chars, y_pred)))
    out = {"micro": Counts()}
    for label, pattern in sorted(patterns.items()):
        gs = {m.span() for m in pattern.finditer(gold)}
        ps = {m.span() for m in pattern.finditer(pred)}
        if gs or ps:
            cor = len(gs & ps)
            c = Counts(cor=cor, mis=len(gs) - cor, spu=len(ps) - cor)
            out[label] = c
            out["micro"] = out["micro"] + c
    return out
