"""Each pass of the text cleaner on a small fixture: the part of the decision it owns."""

from __future__ import annotations

import pytest

from newsevents.clean.blocks import segment
from newsevents.clean.normalize import split_lines
from newsevents.clean.textclean import (
    BAD,
    BARRIER_COST,
    GOOD,
    PASSES,
    SHORT,
    Page,
    assemble,
    choose_region,
    clean_blocks,
    find_headline,
    mark_context,
    mark_patterns,
    weigh,
)

BODY = (
    "The council approved the plan on Tuesday after a long debate about the cost of the repairs.",
    "Work on the pier will start in the spring and should take about two years to finish.",
    "Residents who spoke at the meeting said they were glad the old structure would be saved.",
)
PAGE = "\n\n".join(
    (
        "Skip to content",
        "Home",
        "News",
        "Pier repairs approved by council",
        "By Anna Keller",
        *BODY,
        "Related stories",
        "Other story headline here",
    )
)


def page_of(text: str) -> Page:
    return Page(segment(split_lines(text)))


def texts(page: Page) -> list[str]:
    return [b.text for b in page.blocks]


def test_passes_run_in_order():
    assert [p.__name__ for p in PASSES] == [
        "mark_patterns",
        "mark_context",
        "weigh",
        "choose_region",
        "recover_region",
        "find_headline",
        "find_date",
    ]


def test_mark_patterns_drops_by_rule_and_grades_the_rest():
    page = mark_patterns(page_of(PAGE))
    by_text = dict(zip(texts(page), page.verdicts, strict=True))
    assert (by_text["Skip to content"].cls, by_text["Skip to content"].rule) == (BAD, "generic.skip-link")
    assert by_text["By Anna Keller"].reason == "byline"
    assert page.authors == ["Anna Keller"]
    assert by_text["Related stories"].barrier
    assert by_text[BODY[0]].cls == GOOD
    assert by_text["Pier repairs approved by council"].cls == SHORT


def test_mark_context_finds_repeats_and_lists():
    text = "\n\n".join(
        (
            "Caption of a photo",
            "Caption of a photo",
            BODY[0],
            "What the plan includes:",
            "new decking",
            "a cafe",
            BODY[1],
        )
    )
    page = mark_context(mark_patterns(page_of(text)))
    rules = [v.rule for v in page.verdicts]
    assert rules[:2] == ["context.adjacent-repeat"] * 2
    assert [v.list_item for v in page.verdicts[4:6]] == [True, True]


def test_weigh_counts_words_for_prose_and_costs_barriers():
    page = weigh(mark_context(mark_patterns(page_of(PAGE))))
    by_text = dict(zip(texts(page), page.weights, strict=True))
    assert by_text[BODY[1]] == len(BODY[1].split())
    assert by_text["Related stories"] == -BARRIER_COST
    assert by_text["Home"] < 0


def test_choose_region_is_the_best_contiguous_run():
    page = Page([])
    page.weights = [-1.0, 5.0, -2.0, 4.0, -80.0, 30.0]
    assert (choose_region(page).start, page.end) == (5, 5)
    page.weights = [-1.0, 5.0, -2.0, 4.0, -3.0]
    assert (choose_region(page).start, page.end) == (1, 3)


def test_find_headline_is_the_nearest_headline_like_block_before_the_region():
    page = page_of(PAGE)
    for run in PASSES[:-1]:
        page = run(page)
    page = find_headline(page)
    assert page.title_idx is not None
    assert page.blocks[page.title_idx].text == "Pier repairs approved by council"


def test_assemble_puts_the_headline_first_and_records_every_drop():
    page = page_of(PAGE)
    for run in PASSES:
        page = run(page)
    out = assemble(page)
    assert out.title == "Pier repairs approved by council"
    assert [p.text for p in out.paragraphs] == [out.title, *BODY]
    assert {r.text for r in out.removed} >= {"Skip to content", "By Anna Keller", "Related stories"}
    assert out == clean_blocks(segment(split_lines(PAGE)))


def test_assemble_of_an_empty_region_keeps_nothing():
    out = assemble(Page([]))
    assert (out.title, out.paragraphs, out.removed) == (None, [], [])


def test_find_headline_prefers_the_block_that_names_the_article_over_a_byline_or_label():
    text = "\n\n".join(
        ("Menu", "Pier repairs approved by council", "Key Points", "Anna Keller", "Listen Live", "12:41 PM", *BODY)
    )
    page = segment(split_lines(text))
    out = clean_blocks(page)
    assert out.title == "Pier repairs approved by council"
    assert out.paragraphs[0].text == out.title


def test_find_date_reads_the_dateline_by_the_headline_in_english_and_german():
    for dateline, want in (
        ("Posted 18 November 2019 08:19 GMT", "2019-11-18"),
        ("Stand: 29. Dezember 2019", "2019-12-29"),
    ):
        text = "\n\n".join(("Pier repairs approved by council", dateline, *BODY))
        assert clean_blocks(segment(split_lines(text))).published == want


ARTICLE = tuple(
    f"Paragraph {n} of the report says the harbour authority will repair the old pier over the next two years "
    f"and that the work will cost the town about four million euros in all, the mayor told reporters on Monday."
    for n in range(1, 9)
)


def test_recover_region_takes_the_article_when_a_teaser_strip_outweighs_it():
    teasers = [
        "In other news the county fair opened on Saturday with a record crowd of visitors from the whole region.",
        "The school board met again on Thursday and agreed to look at the budget for next year once more.",
    ]
    text = "\n\n".join((*teasers, *["Share", "Tweet", "Email", "Print"] * 3, "Pier repairs approved", *ARTICLE))
    page = page_of(text)
    for run in PASSES[:4]:
        page = run(page)
    page.start, page.end = 0, 1  # the strip chosen as the article
    page = PASSES[4](page)
    assert texts(page)[page.start] == ARTICLE[0]
    assert texts(page)[page.end] == ARTICLE[-1]
    assert [f.check for f in page.findings] == ["clean.region-fallback"]


def test_recover_region_leaves_a_region_followed_by_comments():
    text = "\n\n".join(("Pier repairs approved", *BODY, "12 Comments", *ARTICLE))
    page = page_of(text)
    for run in PASSES[:5]:
        page = run(page)
    assert texts(page)[page.end] == BODY[-1]
    assert page.findings == []


def test_find_headline_prefers_the_block_a_byline_signs_over_a_related_teaser_by_the_article():
    # A related video's headline sits right above the article and shares its words; the headline is
    # the block the byline follows.
    text = "\n\n".join(
        (
            "Menu",
            "Council approves the pier repairs after long debate",
            "By Anna Keller",
            "The pier repairs debate after the council meeting",
            *BODY,
        )
    )
    out = clean_blocks(segment(split_lines(text)))
    assert out.title == "Council approves the pier repairs after long debate"


def test_find_headline_ignores_dates_under_a_list_of_dated_teasers():
    teasers = []
    for n, day in enumerate(("3 May 2018", "9 June 2018", "2 July 2018"), start=1):
        teasers += [f"Pier repairs {n}: council approved the cost", day]
    text = "\n\n".join(
        (
            "Menu",
            "Pier repairs approved by council",
            "Listen Live",
            "Weather",
            *teasers,
            "Watch the repairs debate",
            *BODY,
        )
    )
    page = page_of(text)
    for run in PASSES[:-1]:
        page = run(page)
    # Three candidates followed by a date: the dates sign none of them, so the teasers gain nothing.
    assert page.blocks[page.title_idx].text == "Pier repairs approved by council"


@pytest.mark.parametrize(
    "junk",
    [
        "Pier repairs council http://pier.repairs/council",
        "Council > Pier repairs > Tuesday debate",
        "(Council approved the pier repairs on Tuesday)",
        "Analysis by council pier repairs debate",
    ],
    ids=["web-address", "breadcrumb", "in-parentheses", "labelled-byline"],
)
def test_find_headline_never_takes_a_web_address_a_breadcrumb_or_a_credit(junk):
    # Each of these shares the article's words and has a dateline under it, yet is no headline.
    text = "\n\n".join(
        ("Menu", "Pier repairs approved by council", "Listen Live", "Weather", junk, "Posted 18 November 2019", *BODY)
    )
    assert clean_blocks(segment(split_lines(text))).title == "Pier repairs approved by council"


def test_segment_drops_the_rule_w3m_draws_after_a_heading():
    blocks = segment(split_lines("Pier repairs approved by council ━━━━━━━━━━━━\n\nBody text here."))
    assert blocks[0].text == "Pier repairs approved by council"


def test_find_headline_takes_the_headline_above_its_dek():
    # The dek, a sentence without its full stop, shares more of the article's words than the
    # headline above it; the headline precedes it.
    text = "\n\n".join(
        (
            "Menu",
            "Pier repairs approved",
            "The council approved the repairs of the pier after a long debate about the cost on Tuesday",
            "By Anna Keller",
            "Share this article",
            "Listen Live",
            "Subscribe",
            *BODY,
        )
    )
    assert clean_blocks(segment(split_lines(text))).title == "Pier repairs approved"
