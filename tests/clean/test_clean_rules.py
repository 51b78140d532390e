"""Every generic rule has example lines it must drop; no rule drops the listed body sentences."""

from __future__ import annotations

import json

import pytest
from clean_support import CASES, REPO

from newsevents.clean.rules import GENERIC_RULES, REASONS
from newsevents.clean.textclean import count_words

CASEBOOK = json.loads((CASES / "rules.json").read_text(encoding="utf-8"))
BY_ID = {r.id: r for r in GENERIC_RULES}


def test_every_rule_has_examples_and_every_example_a_rule():
    assert set(CASEBOOK["drop"]) == set(BY_ID)


@pytest.mark.parametrize(("rule_id", "line"), [(k, line) for k, lines in CASEBOOK["drop"].items() for line in lines])
def test_rule_drops_its_examples(rule_id, line):
    assert BY_ID[rule_id].matches(line, count_words(line))


@pytest.mark.parametrize("line", CASEBOOK["keep"])
def test_no_rule_drops_body_sentences(line):
    hits = [r.id for r in GENERIC_RULES if r.matches(line, count_words(line))]
    assert hits == []


def test_rule_ids_unique_and_reasons_known():
    assert len(BY_ID) == len(GENERIC_RULES)
    assert all(r.reason in REASONS for r in GENERIC_RULES)


def test_docs_catalogue_every_rule():
    doc = (REPO / "docs" / "cleaning.md").read_text(encoding="utf-8")
    missing = [r.id for r in GENERIC_RULES if f"`{r.id}`" not in doc]
    assert missing == []
