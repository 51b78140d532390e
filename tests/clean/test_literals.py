"""The literal prefilter of the line rules never skips a text a rule's pattern matches: literals are
what every match must pass through (cases named after the pattern part they exercise), and for
every rule, generic and of each profile, strings generated to match its pattern hold one of its
literals once folded."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsevents.clean.literals import any_of_literals, fold_for_literals, may_match, prefilter
from newsevents.clean.profiles import builtin_profiles
from newsevents.clean.rules import GENERIC_RULES, PatternRule, first_match

# (case id, pattern, the literals every match holds one of)
LITERAL_CASES = [
    ("plain-run", r"read more", (b"read more",)),
    ("run-lower-cased", r"Read More", (b"read more",)),
    ("alternatives-give-each-one", r"photo|image", (b"image", b"photo")),
    ("alternative-without-literal-gives-none", r"photo|\d+", ()),
    ("optional-group-gives-none", r"(?:photo)?\d", ()),
    ("repeat-of-one-or-more-gives-its-literal", r"(?:ab)+\d", (b"ab",)),
    ("repeat-of-zero-or-more-gives-none", r"(?:abc)*\d", ()),
    ("class-ends-a-run", r"harbou[rs] master", (b" master",)),
    ("assertion-ends-a-run", r"pier(?=s)side", (b"pier",)),
    ("word-boundary-ends-a-run", r"\bpier\b", (b"pier",)),
    ("longest-certain-run-wins", r"ab\s+harbour", (b"harbour",)),
    ("best-set-has-the-longest-shortest-literal", r"(?:by (?:staff|wire))\s", (b"staff", b"wire")),
    ("literal-holding-another-is-dropped", r"comment|comments", (b"comment",)),
    ("uncased-non-ascii-kept", r"©\s*\d{4}", ("©".encode(),)),
    ("cased-non-ascii-ends-a-run", r"café", (b"caf",)),
    ("too-many-alternatives-gives-none", "|".join(f"{i:02d}x" for i in range(60)), ()),
]


@pytest.mark.parametrize(("pattern", "want"), [c[1:] for c in LITERAL_CASES], ids=[c[0] for c in LITERAL_CASES])
def test_any_of_literals(pattern, want):
    assert any_of_literals(pattern, re.IGNORECASE) == tuple(sorted(want))


def test_a_pattern_anchored_at_the_start_is_not_prefiltered():
    assert prefilter(r"^(?:photo|image): .*", re.IGNORECASE) == ()
    assert prefilter(r"^photo|image", re.IGNORECASE) == (b"image", b"photo")  # one alternative floats
    assert prefilter(r"\bphoto: .*", re.IGNORECASE) == (b"photo: ",)


def test_a_text_is_searched_when_there_are_no_literals():
    assert may_match((), b"anything")


ALL_RULES: list[PatternRule] = [*GENERIC_RULES, *(r for p in builtin_profiles() for r in p.rules)]
FILTERED = [r for r in ALL_RULES if r.literals]


def test_the_costly_generic_rules_are_prefiltered():
    # Unanchored case-insensitive patterns were most of the rules' time (bench/clean_html_stages.py).
    assert {"generic.newsletter", "generic.cookie-notice", "generic.image-credit-tail", "generic.copyright-tail"} <= {
        r.id for r in FILTERED
    }


@pytest.mark.parametrize("rule", FILTERED, ids=[r.id for r in FILTERED])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_every_match_holds_one_of_the_rules_literals(rule, data):
    text = data.draw(st.from_regex(rule.pattern))
    assert rule.pattern.search(text) is not None
    assert may_match(rule.literals, fold_for_literals(text)), (rule.id, text)


@pytest.mark.parametrize("rule", FILTERED, ids=[r.id for r in FILTERED])
def test_the_odd_case_characters_do_not_hide_a_match(rule):
    """Characters that match an ASCII letter only case-insensitively (long s, dotless i, dotted
    capital I, Kelvin sign) in place of that letter: the pattern matches, and the filter lets it."""
    odd = str.maketrans({"s": "\u017f", "i": "\u0131", "k": "\u212a"})
    for literal in rule.literals:
        text = literal.decode().translate(odd)
        assert may_match(rule.literals, fold_for_literals(text))


def test_the_non_ascii_literal_characters_match_only_themselves_ignoring_case():
    chars = {c for r in ALL_RULES for lit in r.literals for c in lit.decode() if not c.isascii()}
    assert chars  # the copyright sign at least
    anyof = re.compile("[" + re.escape("".join(sorted(chars))) + "]", re.IGNORECASE)
    others = {c for c in map(chr, range(sys.maxunicode + 1)) if anyof.fullmatch(c)} - chars
    assert others == set()


@pytest.mark.parametrize(
    ("text", "rule_id"),
    [
        ("Photo: Jane Doe/Reuters", "generic.image-credit"),
        ("The pier in 2019. Getty Images", "generic.image-credit-tail"),
        ("We use cookies to improve your experience. Accept all cookies", "generic.cookie"),
        ("If you go on using our website, you accept the terms of the newsroom", "generic.cookie-notice"),
        ("Sign up for our newsletter and get the news in your inbox", "generic.newsletter"),
        ("Text and photos © 2021 Westhaven Courier", "generic.copyright"),
        (
            "The pier reopened in August, the council said on Friday. © 2021 Westhaven Courier Ltd",
            "generic.copyright-tail",
        ),
        ("Te\u00adxt \u212aeeps going: COPYRIGHT 2021 Courier Ltd", "generic.copyright-tail"),
        ("The council said the pier would reopen in August.", None),
    ],
)
def test_the_first_matching_rule_is_the_same_with_the_prefilter(text, rule_id):
    words = len(text.split())
    found = first_match(GENERIC_RULES, text, words)
    unfiltered = next(
        (
            r
            for r in GENERIC_RULES
            if words <= r.max_words and r.pattern.search(text) and (r.requires is None or r.requires.search(text))
        ),
        None,
    )
    assert (found.id if found else None) == (unfiltered.id if unfiltered else None) == rule_id
