"""The text-rendering cleaner: a sequence of named passes over the blocks of one rendering.

Each pass takes a :class:`Page` and returns it with its part of the decision added; a dropped
line's ``rule`` names the pass and rule that dropped it (``generic.*``/``shape.*``: patterns;
``context.*``: context; ``region.outside``: the region). ``segment`` (``blocks.py``) runs first.

1. :func:`mark_patterns` (per block): override file, then the profile's rules, then the generic
   rules of :mod:`newsevents.clean.rules`; renderer shapes (image alt text, form fields, rules
   drawn with characters); every other block is *good* (a sentence-like paragraph), *near* (a
   short sentence) or *short* (a menu entry, a heading, a label).
2. :func:`mark_context`: a short block next to an image credit is that image's caption; repeats,
   author boxes, recurring short lines; the short lines of lists and tables are article text.
3. :func:`weigh`: good words count for the article; short lines, dropped blocks and section
   barriers such as "Related stories" count against it; teaser shapes count little.
4. :func:`choose_region`: the article is the contiguous run of blocks with the highest sum.
5. :func:`recover_region`: a region much shorter than a run of prose elsewhere (before it, or
   after it but before the article's end) is a teaser strip or a box: that run replaces it, and a
   ``clean.region-fallback`` warning says so.
6. :func:`find_headline`: the block before the region whose words the article uses, else the
   nearest headline-like one.
7. :func:`find_date`: the date of the dateline or byline by the headline.
8. :func:`assemble`: inside the region good and near blocks, list lines and section headings
   are kept; everything outside is dropped as ``outside main text``; the date of a dropped
   metadata line becomes ``published``.

A new rule belongs to the pass that makes its kind of decision: a pattern for one block in
:mod:`newsevents.clean.rules` (or a profile), a judgement from neighbours in ``mark_context``, a
cost or bonus in ``weigh``.
"""

# The patterns match typographic quotes, dashes and bullets on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from newsevents.clean.blocks import Block
from newsevents.clean.metadata import byline_authors, parse_date, split_credit
from newsevents.clean.normalize import normalize_line
from newsevents.clean.overrides import Overrides
from newsevents.clean.profiles import Profile
from newsevents.clean.rules import DATE, GENERIC_RULES, first_match
from newsevents.records import Credits, Finding, RemovedLine

# English function words: prose has many, menus and labels few. Pages in other languages fall back
# on length and punctuation alone.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours out over own said
    same she should so some such than that the their theirs them themselves then there these they
    this those through to too under until up very was we were what when where which while who whom
    why will with would you your yours yourself""".split()  # noqa: SIM905 - a word list reads better as text
)
_TOKEN = re.compile(r"\w+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_TERMINAL = re.compile(r"[.!?。！？…:;][\"'”’)\]»]*$|[\"”’]$")
_SENTENCE_END = re.compile(r"[.!?。！？][\"'”’)\]»]*$")

_DATE_IN = re.compile(DATE, re.IGNORECASE)
_NAME_LINE = re.compile(r"^[A-Z][a-z.'’\-]+(?: [A-Z][a-z.'’\-]*){1,3}$")
_BIO = re.compile(
    r"\b(?:reporter|writer|correspondent|editor|columnist|contributor|journalist|author|blogger|"
    r"covers|writes|is based in|has written|joined)\b",
    re.IGNORECASE,
)
_ABOUT_NAME = re.compile(r"^(?:about|über|sobre|à propos de|acerca de|over|o autorze)\s+(.+)$", re.IGNORECASE)
# Blocks that cannot be a headline: icons' alt texts ("[facebook-i] [twitter-ic]"), a whole block
# in parentheses ("(Image credit: ...)"), a web address, a breadcrumb trail ("Blog > Weight Loss >
# Tips"), a labelled byline ("Analysis by Chris Cillizza").
_NOT_HEADLINE = re.compile(
    r"^(?:\[[^\]]*\]\s*)+$|^\(.*\)$|https?://|\bwww\.\w|(?:\s[>›»]\s.*){2}"
    r"|^(?:analysis|opinion|commentary|story|text|words|written|reported|photos?|video|interview)\s+by\s",
    re.IGNORECASE,
)
_BYLINE_START = re.compile(r"^(?:by|von|par|por)\s", re.IGNORECASE)
# A teaser: another story's headline run into the dateline that opens its blurb, "Council backs
# pier plan WESTHAVEN: The council ...". An article's own dateline opens its first paragraph.
_DATELINE_TEASER = re.compile(
    r"^(?:\S+\s+){3,30}?\S*[^\s.!?:;\"”]\s+(?P<place>[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+)*)"
    r"(?:,\s+[A-Z][A-Za-z.]+)?\s*(?:\([A-Za-z]+\))?\s*[:—–-]\s+[A-Z\"“]"
)
DATELINE_TEASER_WORDS = 80

GOOD, NEAR, SHORT, BAD = "good", "near", "short", "bad"
# Region weights: a good block counts its words; the rest cost (see _weight).
BARRIER_COST = 80.0
BAD_COST = 2.0
NEAR_FACTOR = 0.5
SHORT_COST = 1.0
SHORT_WORD_COST = 0.3
SHORT_WORD_CAP = 12
# A good block: at least this many words, a sentence end and this share of function words.
GOOD_WORDS = 10
GOOD_STOP = 0.1
NEAR_WORDS = 5
# A block without a final stop needs this many words to count as a sentence (NEAR).
NO_STOP_WORDS = 16  # headlines rarely run longer
ISOLATED_FACTOR = 0.35
TEASER_FACTOR = 0.1
TEASER_SPAN = 8
RUN_COST = 2.0
COMMENTS_DAMPING = 0.1
END_DAMPING = 0.3
DAMP_AFTER_WORDS = 80
MAX_LIST = 60
# A short line ending in a colon introduces a list when it has this many words ("Tour dates 2022:").
LIST_INTRO_WORDS = 3
# A table: this many rows of this many words, most sharing a separator and holding a digit.
TABLE_ROWS = 4
TABLE_WORDS = 3
TABLE_SHARE = 0.75
TABLE_HEAD_ROWS = 2  # a heading and a header row without digits may open a table
# Barriers after which the article has most likely ended.
END_REASONS = frozenset({"comments", "footer", "related links"})
START_BONUS = 30.0
LIST_SKIP_REASONS = frozenset({"image caption", "image credit", "markup"})
MAX_STARTS = 2
# A block that opens with a headline of this many words, plus at most a short tail, repeats it.
HEADLINE_REPEAT_WORDS = 4
HEADLINE_REPEAT_TAIL = 12
# Headline choice (find_headline): a candidate needs HEADLINE_MIN_SCORE to beat the nearest
# headline-like block; most of its content words in the article's opening give HEADLINE_OVERLAP.
HEADLINE_WINDOW = 40
HEADLINE_VOCAB = 400
HEADLINE_OVERLAP = 3.0
HEADLINE_DISTANCE = -0.01  # negative: of equal candidates the earlier one (a headline precedes its dek and captions)
HEADLINE_HEADING = 1.0
HEADLINE_LENGTH = 0.5
HEADLINE_MIN_WORDS = 4
HEADLINE_MAX_WORDS = 24
HEADLINE_MIN_SCORE = 0.5
HEADLINE_BYLINE = 1.0  # bonus when a byline or a dateline follows within HEADLINE_BYLINE_SPAN blocks
HEADLINE_BYLINE_SPAN = 2
HEADLINE_SIGNED_MAX = 3  # this many candidates with one kind of signature are a teaser list
HEADLINE_DEK_FLOOR = 1.5  # a sentence-like best candidate yields to a short one just above scoring at least this
# Region check (recover_region): a prose run outside the region this many times longer, with at
# least this many words, replaces it. Blocks between two paragraphs of one run: at most PROSE_GAP.
FALLBACK_RATIO = 2.0
FALLBACK_WORDS = 150
PROSE_GAP = 3
# Date (find_date): short blocks from this many above the headline to this many into the article.
DATE_ABOVE = 3
DATE_BELOW = 4
DATE_BLOCK_WORDS = 30


@dataclass(slots=True)
class Verdict:
    """What the cleaner decided about one block."""

    cls: str = SHORT
    reason: str = ""
    rule: str = ""
    barrier: bool = False
    forced_keep: bool = False
    words: int = 0
    list_item: bool = False  # a short line of a list that a paragraph ending in ":" introduces


@dataclass(frozen=True, slots=True)
class KeptParagraph:
    text: str
    first: int
    last: int


@dataclass(slots=True)
class TextOutcome:
    """A cleaner's result for one page (text rendering or HTML), before it becomes a Document."""

    title: str | None
    paragraphs: list[KeptParagraph]
    removed: list[RemovedLine]
    published: str | None = None
    credits: Credits = field(default_factory=Credits)
    findings: list[Finding] = field(default_factory=list)
    profile: Profile | None = None  # a profile the cleaner chose itself (HTML: by the page's URL)


def count_words(text: str) -> int:
    words = len(text.split())
    cjk = len(_CJK.findall(text))
    return max(words, cjk // 2) if cjk else words


def page_stopwords(blocks: list[Block]) -> frozenset[str]:
    """English function words, or for a page in another language the page's own commonest words.

    The most frequent short words of a page's sentence-like blocks are its function words in any
    language written with spaces; this keeps the stopword-density feature language-independent.
    """
    tokens = [
        t.casefold()
        for b in blocks
        if len(b.text) >= 40 and _SENTENCE_END.search(b.text)
        for t in _TOKEN.findall(b.text)
    ]
    if not tokens or sum(1 for t in tokens if t in STOPWORDS) / len(tokens) >= 0.15:
        return STOPWORDS
    common = Counter(t for t in tokens if len(t) <= 4 and not t.isdigit())
    return frozenset(t for t, _ in common.most_common(40))


def _quality(b: Block, words: int, stopwords: frozenset[str]) -> str:
    text = b.text
    terminal = bool(_TERMINAL.search(text))
    sentence = bool(_SENTENCE_END.search(text))
    if len(_CJK.findall(text)) > len(text) // 3:
        if (len(text) >= 60 and terminal) or len(text) >= 150:
            return GOOD
        return NEAR if len(text) >= 15 and sentence else SHORT
    tokens = _TOKEN.findall(text)
    stop = sum(1 for t in tokens if t.casefold() in stopwords) / len(tokens) if tokens else 0.0
    if (words >= GOOD_WORDS and terminal and stop >= GOOD_STOP) or (words >= 30 and stop >= 0.2):
        return GOOD
    if words >= NEAR_WORDS and sentence and stop > 0:
        return NEAR
    if words >= NO_STOP_WORDS and stop >= 0.2 and _capitalised(tokens) < 0.4:
        # A sentence that lost its final stop; title-case headlines of teaser lists do not pass.
        return NEAR
    return SHORT


def _capitalised(tokens: list[str]) -> float:
    """Share of the words after the first that start with a capital letter."""
    rest = [t for t in tokens[1:] if t[:1].isalpha()]
    return sum(1 for t in rest if t[:1].isupper()) / len(rest) if rest else 1.0


_SEPARATORS = re.compile(r"\s[-–—@|/]{1,2}\s|[:;()]")


def _tabular(text: str) -> frozenset[str]:
    """The separators of a line that holds a digit (empty for other lines)."""
    if not any(c.isdigit() for c in text):
        return frozenset()
    return _separators(text)


def _separators(text: str) -> frozenset[str]:
    return frozenset(m.group().strip() for m in _SEPARATORS.finditer(text))


def _tabular_runs(blocks: list[Block], verdicts: list[Verdict]) -> list[list[int]]:
    """Runs of at least ``TABLE_ROWS`` consecutive short lines of ``TABLE_WORDS`` words or more in
    which most lines hold a digit and one separator that they all share: tour dates, results,
    schedules. Menus and teaser headlines rarely share both."""
    runs: list[list[int]] = []
    run: list[int] = []
    for i in range(len(blocks) + 1):
        v = verdicts[i] if i < len(blocks) else None
        if v is not None and v.reason == "markup" and run:
            continue  # a rule line under a table's header row
        if v is not None and (
            (v.cls == SHORT and v.words >= TABLE_WORDS)
            or (v.cls in (GOOD, NEAR) and v.words <= 40 and run and _tabular(blocks[i].text))
        ):
            run.append(i)
            continue
        if len(run) >= TABLE_ROWS:
            # Judged from the first row with a digit: a heading or header row may come first.
            first = next((k for k, j in enumerate(run) if any(c.isdigit() for c in blocks[j].text)), 0)
            first = first if first <= TABLE_HEAD_ROWS else 0
            texts = [blocks[j].text for j in run[first:]]
            counts = Counter(sep for t in texts for sep in _tabular(t))
            digits = sum(1 for t in texts if any(c.isdigit() for c in t))
            top = counts.most_common(1)[0][1] if counts else 0
            rows = len(texts)
            # Rows without numbers count when they share two separators: "Name (Group A): Fifth".
            shared = Counter(sep for t in texts for sep in _separators(t)).most_common(2)
            if rows >= TABLE_ROWS and (
                top >= TABLE_SHARE * rows
                or (digits >= 0.9 * rows and top >= 0.4 * rows)
                or (len(shared) == 2 and shared[1][1] >= TABLE_SHARE * rows)
            ):
                runs.append(run)
        run = []
    return runs


def _dateline_teaser(text: str) -> bool:
    m = _DATELINE_TEASER.match(text)
    return m is not None and len(m.group("place")) >= 4


def _numeric_row(text: str) -> bool:
    """Whether a ``|``-separated line is a table row (half its cells hold digits), not a menu."""
    cells = [c for c in text.split("|") if c.strip()]
    return len(cells) >= 2 and sum(1 for c in cells if any(ch.isdigit() for ch in c)) >= 0.5 * len(cells)


def _in_table(blocks: list[Block], i: int) -> bool:
    """Whether block ``i`` is a row of a ``|``-separated table with numbers: a numeric row next to
    another, or the header of one (same number of cells, before a Markdown rule line)."""
    if _numeric_row(blocks[i].text):
        return any(0 <= j < len(blocks) and _numeric_row(blocks[j].text) for j in (i - 1, i + 1))
    cells = len([c for c in blocks[i].text.split("|") if c.strip()])
    return any(
        j < len(blocks)
        and _numeric_row(blocks[j].text)
        and len([c for c in blocks[j].text.split("|") if c.strip()]) == cells
        and _in_table(blocks, j)
        for j in (i + 1, i + 2)
    )


def _repeats_headline(text: str, title: str) -> bool:
    """Whether a block is the headline shown again, perhaps with a few words of a caption or
    kicker run into it (a body paragraph does not open with the whole headline)."""
    if count_words(title) < HEADLINE_REPEAT_WORDS or not text.startswith(title):
        return False
    return count_words(text[len(title) :]) <= HEADLINE_REPEAT_TAIL


def _weight(v: Verdict, b: Block) -> float:
    if v.forced_keep:
        return 10.0 + v.words
    if v.list_item:
        return NEAR_FACTOR * v.words
    if v.cls == BAD:
        return -BARRIER_COST if v.barrier else -(BAD_COST + v.words)
    if v.cls == GOOD:
        return float(v.words)
    if v.cls == NEAR:
        return NEAR_FACTOR * v.words
    if b.bullet:
        return -(2 * SHORT_COST + 0.5 * v.words)
    return -(SHORT_COST + SHORT_WORD_COST * min(v.words, SHORT_WORD_CAP))


def _best_region(weights: list[float]) -> tuple[int, int]:
    """The contiguous index range [start, end] with the largest sum (Kadane); (0, -1) if none > 0."""
    best, best_range = 0.0, (0, -1)
    run, start = 0.0, 0
    for i, w in enumerate(weights):
        if run <= 0:
            run, start = w, i
        else:
            run += w
        if run > best:
            best, best_range = run, (start, i)
    return best_range


def _resumes(verdicts: list[Verdict], i: int, window: int = 12) -> bool:
    """Whether two sentence-like paragraphs follow each other within ``window`` blocks after ``i``."""
    ahead = [v.cls for v in verdicts[i + 1 : i + 1 + window]]
    return any(a == GOOD and b == GOOD for a, b in pairwise(ahead))


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = [t.casefold() for t in _TOKEN.findall(text)]
    return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}


def _duplicates(text: str, seen: set[tuple[str, ...]]) -> bool:
    """Whether a long block repeats text already kept (a summary or meta copy of the article):
    most of its four-word sequences were kept before."""
    grams = _shingles(text)
    return len(grams) >= 25 and len(grams & seen) >= 0.8 * len(grams)


def _headline_like(b: Block, v: Verdict) -> bool:
    if v.cls == BAD and v.reason != "repeated":
        return False
    if b.bullet or b.image or b.form or not 2 <= v.words <= 30:
        return False
    text = b.text
    if _DATE_IN.search(text) or _BYLINE_START.match(text) or _NOT_HEADLINE.search(text):
        return False
    return not (text.endswith((".", ",", ":", ";")) and not text.endswith("..."))


@dataclass(slots=True)
class Page:
    """What the passes of the text cleaner know about one rendering; each pass adds its part.

    ``segment`` (in :mod:`newsevents.clean.blocks`) gives the blocks; :func:`mark_patterns` and
    :func:`mark_context` give each block a :class:`Verdict`; :func:`weigh` and
    :func:`choose_region` find the article; :func:`find_headline` its headline; :func:`assemble`
    keeps and drops blocks and reads the date.
    """

    blocks: list[Block]
    profile: Profile | None = None
    overrides: Overrides | None = None
    name: str = ""
    doc_id: str | None = None
    verdicts: list[Verdict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    editors: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    weights: list[float] = field(default_factory=list)
    start: int = 0
    end: int = -1  # the region [start, end]; empty when end < start
    title_idx: int | None = None
    published: str | None = None  # the date by the headline (find_date); else assemble's


def mark_patterns(page: Page) -> Page:
    """Pass 1, per block: the override file, the profile's credit line and rules, the generic
    rules, renderer shapes; every block no pattern drops gets its quality (good, near, short)."""
    blocks, profile, overrides = page.blocks, page.profile, page.overrides
    rules = (profile.rules if profile else ()) + GENERIC_RULES
    by_line = overrides.by_line() if overrides else {}
    used: set[int] = set()
    stopwords = page_stopwords(blocks)
    page.verdicts = verdicts = []
    for b in blocks:
        v = Verdict(words=count_words(b.text))
        verdicts.append(v)
        override = next((by_line[ln.number] for ln in b.lines if ln.number in by_line), None)
        if override is not None:
            used.add(override.line)
            raw_text = normalize_line(next(ln.raw for ln in b.lines if ln.number == override.line))
            if override.text not in (raw_text, b.text):
                page.findings.append(
                    Finding(
                        "clean.override-mismatch",
                        f"override names line {override.line} as {override.text!r}, found {raw_text!r}; not applied",
                        file=overrides.source if overrides else page.name,
                        doc_id=page.doc_id,
                        pointer=f"line:{override.line}",
                    )
                )
            elif override.action == "drop":
                v.cls, v.reason, v.rule = BAD, override.reason, "override.drop"
                continue
            else:
                v.cls, v.forced_keep, v.rule = GOOD, True, "override.keep"
                continue
        if not b.text or b.rule:
            v.cls, v.reason, v.rule = BAD, "markup", "shape.markup"
            continue
        if profile and profile.credit_line and v.words <= 16 and (m := profile.credit_line.search(b.text)):
            groups = m.groupdict()
            page.authors.extend(split_credit(groups.get("authors"), ","))
            page.editors = page.editors or split_credit(groups.get("editors"), "/")
            page.agencies = page.agencies or split_credit(groups.get("agencies"), ",")
            v.cls, v.reason, v.rule = BAD, "credit line", f"{profile.id}.credit-line"
            continue
        rule = first_match(rules, b.text, v.words)
        if rule is not None:
            v.cls, v.reason, v.rule, v.barrier = BAD, rule.reason, rule.id, rule.barrier
            if rule.reason == "byline" and not page.authors:
                page.authors.extend(byline_authors(b.text))
            continue
        if b.image:
            v.cls, v.reason, v.rule = BAD, "image caption", "shape.image-alt"
        elif b.form:
            v.cls, v.reason, v.rule = BAD, "form", "shape.form-field"
        elif v.words >= 6 and b.text.isupper() and not _SENTENCE_END.search(b.text):
            # A headline of another story set in capitals between paragraphs.
            v.cls, v.reason, v.rule = BAD, "related links", "shape.all-caps-headline"
        elif v.words <= DATELINE_TEASER_WORDS and _dateline_teaser(b.text):
            v.cls, v.reason, v.rule = BAD, "related links", "shape.dateline-teaser"
        elif (
            (b.text.count(" | ") >= 2 and not _in_table(blocks, b.index))
            or b.text.count(" · ") >= 2
            or b.text.count(" • ") >= 2
        ):
            v.cls, v.reason, v.rule = BAD, "navigation", "shape.separated-links"
        else:
            v.cls = _quality(b, v.words, stopwords)
    page.findings.extend(
        Finding(
            "clean.override-unused",
            f"override for line {o.line} ({o.text!r}) matched no line of the input",
            file=overrides.source if overrides else page.name,
            doc_id=page.doc_id,
            pointer=f"line:{o.line}",
        )
        for o in by_line.values()
        if o.line not in used
    )
    return page


def mark_context(page: Page) -> Page:
    """Pass 2, blocks judged by their neighbours: captions beside credits, repeats, author boxes,
    recurring short lines, and the short lines of lists and tables (article text)."""
    blocks, verdicts = page.blocks, page.verdicts
    # Context: the short line beside an image credit is the image's caption or alt text.
    for i, (b, v) in enumerate(zip(blocks, verdicts, strict=True)):
        if v.reason != "image credit":
            continue
        for j in (i - 1, i + 1):
            if (
                0 <= j < len(blocks)
                and verdicts[j].cls in (SHORT, NEAR)
                and not verdicts[j].forced_keep
                and verdicts[j].words <= 25
                and abs(blocks[j].first - b.first) <= 2
            ):
                verdicts[j].cls, verdicts[j].reason = BAD, "image caption"
                verdicts[j].rule = "context.caption-beside-credit"
    # Context: a block repeated right after itself is an image's alt text and caption, or a
    # headline shown twice; article paragraphs do not repeat back to back.
    for i in range(len(blocks) - 1):
        for j in (i + 1, i + 2):
            if j < len(blocks) and blocks[i].text and blocks[i].text == blocks[j].text:
                for k in (i, j):
                    if verdicts[k].cls != BAD and not verdicts[k].forced_keep:
                        verdicts[k].cls, verdicts[k].reason, verdicts[k].rule = (
                            BAD,
                            "repeated",
                            "context.adjacent-repeat",
                        )
    # Context: an author box is a name line followed by a paragraph about that name.
    # "About Name" (in several languages) announces the box, and then the paragraph need only
    # name the author: a job word is not needed.
    for i, b in enumerate(blocks):
        about = _ABOUT_NAME.match(b.text)
        name = about.group(1) if about else b.text
        if verdicts[i].cls != SHORT or not _NAME_LINE.match(name):
            continue
        for j in range(i + 1, min(i + 7, len(blocks))):
            later = blocks[j].text
            named = (
                name in later[:150]
                if about
                else (b.text in later[:80] or later.split(" ", 1)[0] == b.text.split(" ", 1)[0])
            )
            if named and (about or _BIO.search(later)) and verdicts[j].cls != BAD and not verdicts[j].forced_keep:
                for k in (i, j):
                    verdicts[k].cls, verdicts[k].reason, verdicts[k].rule = BAD, "byline", "context.author-box"
                break
    # Context: short blocks that recur on the page are menus, labels and promos, not article text.
    counts = Counter(b.text.casefold() for b in blocks if b.text)
    for b, v in zip(blocks, verdicts, strict=True):
        n = counts[b.text.casefold()]
        if v.cls in (SHORT, NEAR) and not v.forced_keep and v.words <= 20 and n > 1:
            v.cls, v.reason, v.rule = SHORT, "repeated", "context.repeated"
        elif v.cls in (SHORT, NEAR) and not v.forced_keep and n > 2:
            v.cls, v.reason, v.rule = BAD, "repeated", "context.repeated"  # a headline linked again and again

    # Context: a paragraph ending with a colon introduces a list; its short lines are article text.
    for i, b in enumerate(blocks):
        intro = verdicts[i].cls in (GOOD, NEAR) or (
            verdicts[i].cls == SHORT and verdicts[i].words >= LIST_INTRO_WORDS and not verdicts[i].reason
        )
        if intro and b.text.endswith(":"):
            if verdicts[i].cls == SHORT and i + 1 < len(blocks) and verdicts[i + 1].cls == SHORT:
                verdicts[i].list_item = True
            for j in range(i + 1, min(i + 1 + MAX_LIST, len(blocks))):
                if verdicts[j].reason in LIST_SKIP_REASONS:
                    continue  # a product or gallery list shows an image (or its markup) per item
                if verdicts[j].cls != SHORT:
                    break
                verdicts[j].list_item = True
    # Context: a run of short lines that share a tabular shape (dates, scores, prices, with the
    # same separators) is a table or listing of the article, not a menu.
    for run in _tabular_runs(blocks, verdicts):
        for j in run:
            verdicts[j].list_item = verdicts[j].cls == SHORT
    return page


def weigh(page: Page) -> Page:
    """Pass 3, region weights: sentence-like words count for the article; short lines, dropped
    blocks and barriers against it; teaser shapes and prose after an end-of-article barrier count
    little; the first paragraph after a dateline or byline gets a bonus."""
    blocks, verdicts = page.blocks, page.verdicts
    weights = [_weight(v, b) for b, v in zip(blocks, verdicts, strict=True)]
    for i, v in enumerate(verdicts):
        if v.barrier and v.reason == "related links" and _resumes(verdicts, i):
            weights[i] = -(BAD_COST + v.words)  # an inline box between paragraphs, not the end
    isolated = [
        v.cls in (GOOD, NEAR)
        and not v.forced_keep
        and 0 < i < len(verdicts) - 1
        and (verdicts[i - 1].cls == SHORT or verdicts[i - 1].reason in ("metadata", "byline"))
        and verdicts[i + 1].cls == SHORT
        and not verdicts[i + 1].list_item
        for i, v in enumerate(verdicts)
    ]
    # Headline, image, blurb is a teaser too, but also the shape of an article's lead under its
    # photo: it counts only where several teasers sit close together.
    pictured = [
        not isolated[i]
        and v.cls in (GOOD, NEAR)
        and not v.forced_keep
        and 1 < i < len(verdicts) - 1
        and verdicts[i - 1].reason == "image caption"
        and verdicts[i - 2].cls == SHORT
        and verdicts[i + 1].cls == SHORT
        and not verdicts[i + 1].list_item
        for i, v in enumerate(verdicts)
    ]
    for i in range(len(verdicts)):
        if pictured[i]:
            near = isolated[max(0, i - TEASER_SPAN) : i + TEASER_SPAN + 1]
            near_pictured = pictured[max(0, i - TEASER_SPAN) : i + TEASER_SPAN + 1]
            if sum(near) + sum(near_pictured) - 1 >= 2:
                weights[i] *= TEASER_FACTOR
    for i, v in enumerate(verdicts):
        if isolated[i]:
            # A lone paragraph between non-sentence lines is the shape of a teaser list
            # (headline, author, blurb); article paragraphs come in runs. Several such
            # paragraphs close together are a teaser list for sure.
            crowd = sum(isolated[max(0, i - TEASER_SPAN) : i + TEASER_SPAN + 1]) - 1
            weights[i] *= TEASER_FACTOR if crowd >= 2 else ISOLATED_FACTOR
        elif (
            v.cls == SHORT
            and not v.list_item
            and ((i > 0 and verdicts[i - 1].cls == SHORT) or (i + 1 < len(verdicts) and verdicts[i + 1].cls == SHORT))
        ):
            weights[i] -= RUN_COST  # runs of menu entries and labels
    # An article starts after its dateline or byline: the first sentence-like block after one
    # gets a bonus, so a short article beats a longer stretch of boilerplate prose elsewhere.
    # Many datelines mean a list of dated teasers, where the bonus would mislead.
    starts = set()
    for i, v in enumerate(verdicts):
        if v.reason in ("metadata", "byline"):
            for j in range(i + 1, min(i + 7, len(verdicts))):
                if verdicts[j].cls in (GOOD, NEAR):
                    starts.add(j)
                    break
    ordered = sorted(starts)
    for j in ordered[: 1 if len(starts) > MAX_STARTS else None]:
        weights[j] += START_BONUS
    if len(starts) > MAX_STARTS:
        # Dated teasers (headline, author, date, blurb) repeat that shape: a lone paragraph after
        # a dateline, not followed by another paragraph, is a blurb, whatever the blocks around it.
        for j in ordered[1:]:
            if j + 1 < len(verdicts) and verdicts[j + 1].cls not in (GOOD, NEAR) and not verdicts[j].forced_keep:
                weights[j] *= TEASER_FACTOR
    # Comments, related stories and the footer follow the article: once such a marker follows
    # some article text, the prose after it counts for little, so a long discussion or a list of
    # teasers cannot outweigh a short article.
    seen = 0.0
    damp = 0.0
    for i, v in enumerate(verdicts):
        if damp and weights[i] > 0 and not v.forced_keep:
            weights[i] *= damp
        elif v.cls == GOOD or v.list_item:
            seen += v.words
        if v.barrier and v.reason == "comments" and seen >= 30:
            damp = COMMENTS_DAMPING
        elif (
            v.barrier
            and v.reason in END_REASONS
            and seen >= DAMP_AFTER_WORDS
            and not damp
            # An inline "Related" box sits between paragraphs: the article resumes right after.
            and not (v.reason == "related links" and _resumes(verdicts, i))
        ):
            damp = END_DAMPING
    page.weights = weights
    return page


def choose_region(page: Page) -> Page:
    """Pass 4: the article is the contiguous run of blocks with the largest sum of weights."""
    page.start, page.end = _best_region(page.weights)
    return page


def _content_words(text: str, stopwords: frozenset[str]) -> list[str]:
    return [t for t in (w.casefold() for w in _TOKEN.findall(text)) if len(t) >= 3 and t not in stopwords]


def _name_like(text: str) -> bool:
    """A person's name or a name with a job title: two to five capitalised words, no digit."""
    words = text.replace(",", " ").split()
    return 2 <= len(words) <= 5 and all(w[:1].isupper() for w in words) and not any(c.isdigit() for c in text)


def _headline_score(b: Block, v: Verdict, vocab: set[str], stopwords: frozenset[str], distance: int) -> float:
    """How much a block before the article looks like its headline: the share of its content words
    that the article's opening uses (a headline names what the article is about; a byline, a
    label or a prompt does not), a heading's markup, a headline's length, its place."""
    words = _content_words(b.text, stopwords)
    overlap = sum(1 for w in words if w in vocab) / len(words) if words else 0.0
    score = HEADLINE_OVERLAP * overlap - HEADLINE_DISTANCE * distance
    if b.heading:
        score += HEADLINE_HEADING
    if HEADLINE_MIN_WORDS <= v.words <= HEADLINE_MAX_WORDS:
        score += HEADLINE_LENGTH
    if _name_like(b.text) and v.words < HEADLINE_MIN_WORDS + 2:
        score -= HEADLINE_OVERLAP
    return score


def _prose_runs(page: Page) -> list[tuple[int, int, int]]:
    """Runs of sentence-like blocks, ``(first, last, words)``: good and near blocks with at most
    ``PROSE_GAP`` other blocks (no barrier) between two of them."""
    runs: list[tuple[int, int, int]] = []
    first, last, words, gap = -1, -1, 0, 0
    for i, v in enumerate(page.verdicts):
        if v.cls in (GOOD, NEAR) or v.forced_keep:
            if first < 0:
                first = i
            last, words, gap = i, words + v.words, 0
            continue
        gap += 1
        if first >= 0 and (v.barrier or gap > PROSE_GAP):
            runs.append((first, last, words))
            first, words, gap = -1, 0, 0
    if first >= 0:
        runs.append((first, last, words))
    return runs


def recover_region(page: Page) -> Page:
    """Pass 5, a check of the region: when a run of prose outside it (before it, or after it but
    before an end-of-article barrier) holds ``FALLBACK_RATIO`` times the sentence-like and list
    words of the region (and at least ``FALLBACK_WORDS``), the region was
    a teaser strip or a box and the article lies elsewhere: that run becomes the region, and the
    record says so (``clean.region-fallback``)."""
    if page.end < page.start:
        return page
    verdicts = page.verdicts
    inside = sum(
        v.words for v in verdicts[page.start : page.end + 1] if v.cls in (GOOD, NEAR) or v.forced_keep or v.list_item
    )
    # Prose after the article's end (comments, related stories, footer) is never the article.
    ends = [i for i, v in enumerate(verdicts) if v.barrier and v.reason in END_REASONS and i > page.end]
    limit = ends[0] if ends else len(verdicts)
    outside = [r for r in _prose_runs(page) if r[1] < page.start or page.end < r[0] < limit]
    best = max(outside, key=lambda r: r[2], default=None)
    if best is None or best[2] < FALLBACK_WORDS or best[2] < FALLBACK_RATIO * inside:
        return page
    page.findings.append(
        Finding(
            "clean.region-fallback",
            f"the chosen text (blocks {page.start}-{page.end}, {inside} sentence words) is much shorter "
            f"than a run of prose elsewhere (blocks {best[0]}-{best[1]}, {best[2]} words); that run is kept",
            severity="warning",
            file=page.name,
            doc_id=page.doc_id,
        )
    )
    page.start, page.end = best[0], best[1]
    return page


def find_headline(page: Page) -> Page:
    """Pass 6: the headline-like block before the article region (within ``HEADLINE_WINDOW``
    blocks, or a short block at the region's top before any kept paragraph) that scores best by
    :func:`_headline_score`; when none shares enough words with the article, the nearest one."""
    if page.end < page.start:
        return page
    blocks, verdicts = page.blocks, page.verdicts
    nearest: int | None = None
    for i in range(page.start - 1, max(-1, page.start - 26), -1):
        if _headline_like(blocks[i], verdicts[i]):
            nearest = i
            break
    stopwords = page_stopwords(blocks)
    vocab: set[str] = set()
    for i in range(page.start, page.end + 1):
        if verdicts[i].cls in (GOOD, NEAR) and len(vocab) < HEADLINE_VOCAB:
            vocab.update(_content_words(blocks[i].text, stopwords))
    candidates = list(range(max(0, page.start - HEADLINE_WINDOW), page.start))
    for i in range(page.start, page.end + 1):
        if verdicts[i].cls in (GOOD, NEAR) or verdicts[i].list_item or verdicts[i].forced_keep:
            break
        candidates.append(i)
    best, best_score = nearest, HEADLINE_MIN_SCORE
    scores: dict[int, float] = {}
    signed: dict[int, str] = {}
    for i in candidates:
        if not _headline_like(blocks[i], verdicts[i]) or verdicts[i].forced_keep:
            continue
        scores[i] = _headline_score(blocks[i], verdicts[i], vocab, stopwords, abs(page.start - i))
        if HEADLINE_BYLINE and (kind := _signature(page, i)):
            signed[i] = kind
    # Many signed candidates are a list of dated teasers: there the signature says nothing.
    kinds = Counter(signed.values())
    for i, kind in signed.items():
        if kinds[kind] < HEADLINE_SIGNED_MAX:
            scores[i] += HEADLINE_BYLINE
    for i, score in scores.items():
        if score > best_score:
            best, best_score = i, score
    if best is not None and best in scores and verdicts[best].cls == NEAR:
        best = _headline_above_dek(page, best, scores)
    page.title_idx = best
    return page


def _headline_above_dek(page: Page, best: int, scores: dict[int, float]) -> int:
    """A sentence-like block (a dek: "The authorities' repression has only fuelled the crisis")
    shares more of the article's words than the headline above it: the nearest candidate within
    two blocks above that is not itself sentence-like and scores at least ``HEADLINE_DEK_FLOOR``
    is the headline."""
    for i in (best - 1, best - 2):
        if i in scores:
            if page.verdicts[i].cls != NEAR and scores[i] >= HEADLINE_DEK_FLOOR:
                return i
            break
    return best


def _signature(page: Page, i: int) -> str | None:
    """``"byline"`` or ``"date"`` when a byline or a dateline follows block ``i`` within
    ``HEADLINE_BYLINE_SPAN`` blocks: the signature of an article's headline (a teaser headline is
    followed by its blurb or the next teaser)."""
    for j in range(i + 1, min(len(page.blocks), i + 1 + HEADLINE_BYLINE_SPAN)):
        v, text = page.verdicts[j], page.blocks[j].text
        if v.reason == "byline" or _BYLINE_START.match(text):
            return "byline"
        if v.words <= DATE_BLOCK_WORDS and (v.reason == "metadata" or v.cls != BAD) and _DATE_IN.search(text):
            return "date"
        if v.cls in (GOOD, NEAR) and not v.reason:
            return None
    return None


def text_date(text: str) -> str | None:
    """The first date written out in ``text`` as ``YYYY-MM-DD``: the project's patterns (English
    and ISO dates), then htmldate's multilingual day-month-year patterns (German, French, Turkish,
    Indonesian month names: "29. Dezember 2019").

    >>> text_date("Stand: 29. Dezember 2019, 10:14 Uhr")
    '2019-12-29'
    """
    date = parse_date(text)
    if date is None and any(c.isdigit() for c in text):
        from htmldate.extractors import regex_parse  # noqa: PLC0415 - imports dateparser: only when needed

        found = regex_parse(text)
        date = found.strftime("%Y-%m-%d") if found is not None else None
    return date


def find_date(page: Page) -> Page:
    """Pass 7: the publication date from the dateline or byline by the headline: the first short
    block from just above the headline (or the article) to the article's first blocks that holds
    a date. When none does, :func:`assemble` takes the first date of a dropped metadata line."""
    if page.end < page.start:
        return page
    top = page.title_idx if page.title_idx is not None else page.start
    for i in range(max(0, top - DATE_ABOVE), min(len(page.blocks), page.start + DATE_BELOW)):
        if page.verdicts[i].words <= DATE_BLOCK_WORDS and (date := text_date(page.blocks[i].text)):
            page.published = date
            break
    return page


def assemble(page: Page) -> TextOutcome:
    """Pass 8: the headline, then the region's good and near blocks, list lines and headings;
    every other block dropped with its reason; the first date of a dropped metadata line."""
    blocks, verdicts, start, end, title_idx = page.blocks, page.verdicts, page.start, page.end, page.title_idx
    findings = page.findings
    if end < start:
        return TextOutcome(None, [], [], findings=findings)
    title_text = blocks[title_idx].text if title_idx is not None else ""
    paragraphs: list[KeptParagraph] = []
    removed: list[RemovedLine] = []
    published = page.published
    seen_grams: set[tuple[str, ...]] = set()

    def drop(b: Block, reason: str, rule: str) -> None:
        removed.extend(RemovedLine(ln.number, normalize_line(ln.raw), reason, rule) for ln in b.lines if ln.raw.strip())

    def next_content(i: int) -> Verdict | None:
        for j in range(i + 1, end + 1):
            if verdicts[j].cls != BAD:
                return verdicts[j]
        return None

    for i, (b, v) in enumerate(zip(blocks, verdicts, strict=True)):
        if v.reason == "metadata" and published is None:
            published = parse_date(b.text)
        if i == title_idx:
            paragraphs.append(KeptParagraph(b.text, b.first, b.last))
            continue
        if v.forced_keep:
            paragraphs.append(KeptParagraph(b.text, b.first, b.last))
        elif v.cls == BAD:
            drop(b, v.reason, v.rule)
        elif not start <= i <= end:
            if v.reason == "repeated":
                drop(b, v.reason, v.rule)
            else:
                drop(b, "outside main text", "region.outside")
        elif _repeats_headline(b.text, title_text):
            drop(b, "repeated", "context.headline-repeat")
        elif v.cls in (GOOD, NEAR) and _duplicates(b.text, seen_grams):
            drop(b, "repeated", "context.duplicate-text")
        elif v.cls in (GOOD, NEAR):
            paragraphs.append(KeptParagraph(b.text, b.first, b.last))
            seen_grams |= _shingles(b.text)
        elif v.list_item:
            paragraphs.append(KeptParagraph(b.text, b.first, b.last))
        else:
            nxt = next_content(i)
            if nxt is not None and (nxt.cls in (GOOD, NEAR) or nxt.list_item) and v.words <= 20 and len(b.text) >= 4:
                paragraphs.append(KeptParagraph(b.text, b.first, b.last))
            else:
                drop(b, "short line", "context.short-line")
    title = blocks[title_idx].text if title_idx is not None else None
    byline = Credits(authors=tuple(dict.fromkeys(page.authors)), editors=page.editors, agencies=page.agencies)
    return TextOutcome(title, paragraphs, removed, published, byline, findings)


# The text cleaner's passes, in order; each takes the page and returns it with its part added.
PASSES = (mark_patterns, mark_context, weigh, choose_region, recover_region, find_headline, find_date)


def clean_blocks(
    blocks: list[Block],
    *,
    profile: Profile | None = None,
    overrides: Overrides | None = None,
    name: str = "",
    doc_id: str | None = None,
) -> TextOutcome:
    """Run the passes over the blocks of one rendering and assemble the article."""
    page = Page(blocks, profile=profile, overrides=overrides, name=name, doc_id=doc_id)
    for run in PASSES:
        page = run(page)
    return assemble(page)
