"""Texts that arrive already cleaned: keep every block, the first one is the headline.

Some sources hand over the article body without web boilerplate (the Wikinews texts of the
corpus: headline, dateline, paragraphs, subheadings, captions with their credits, a list of
sources). Running the boilerplate rules over them could only lose article text, so a manifest row
with ``"profile": "preclean"`` sends its text here instead: each non-blank line is one block, kept
as it is (after the same line normalisation as every text: NFC, spaces), and nothing is removed.
The document's ``cleaning.profile`` is ``preclean`` and its ``cleaning.removed`` is empty: the
record itself says that every block was kept.

The date is the first date found in the first three blocks after the headline (the dateline); a
manifest ``published`` value takes precedence in the pipeline.

>>> out = keep_all_blocks(["Headline", "", "Monday, May 18, 2015", "", "Body text."])
>>> out.title, [p.text for p in out.paragraphs], out.published
('Headline', ['Headline', 'Monday, May 18, 2015', 'Body text.'], '2015-05-18')
"""

from __future__ import annotations

from newsevents.clean.metadata import parse_date
from newsevents.clean.normalize import normalize_line
from newsevents.clean.textclean import KeptParagraph, TextOutcome

DATELINE_BLOCKS = 3


def keep_all_blocks(raw_lines: list[str]) -> TextOutcome:
    """Every non-blank line as a kept paragraph (1-based raw line numbers); the first is the title."""
    paragraphs = [
        KeptParagraph(text, number, number)
        for number, line in enumerate(raw_lines, start=1)
        if (text := normalize_line(line))
    ]
    title = paragraphs[0].text if paragraphs else None
    published = next(
        (date for p in paragraphs[1 : 1 + DATELINE_BLOCKS] if (date := parse_date(p.text))),
        None,
    )
    return TextOutcome(title=title, paragraphs=paragraphs, removed=[], published=published)
