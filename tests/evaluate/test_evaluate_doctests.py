"""The docstring examples of the evaluate package run as tests."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "newsevents.evaluate",
    "newsevents.evaluate.counts",
    "newsevents.evaluate.matching",
    "newsevents.evaluate.bio",
    "newsevents.evaluate.report",
    "newsevents.evaluate.baselines.spacy_adapter",
    "newsevents.evaluate.tolerance",
    "newsevents.evaluate.sentences",
    "newsevents.evaluate.formats.rows",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0
