"""The card's charts: drawn from the build's counts and the optional score files, byte-reproducible."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from build_support import make_project

from newsevents.build.card import CardError, CardInputs, read_card_inputs
from newsevents.build.charts import FIGURES, render_charts
from newsevents.build.project import build_project
from newsevents.build.release import card_charts
from newsevents.ontology import load_ontology

STATS = {
    "splits": {"train": {"documents": 2, "tokens": 40}, "test": {"documents": 1, "tokens": 35}},
    "entity_mentions_by_type_and_kind": {"PER/NAM": 3, "PER/PRO": 1, "GPE/NAM": 2},
    "event_mentions_by_type": {"Conflict:Attack": 2},
    "arguments_by_type_and_role": {"Conflict:Attack/Attacker": 2, "Conflict:Attack/Place": 1},
}
AGREEMENT = {"agreement": [{"layer": "entities (strict F1)", "value": 0.84, "low": 0.79, "high": 0.88}]}
BASELINES = {
    "baselines": [
        {"system": "lexicon", "label": "PER", "f1": 0.61, "low": 0.5, "high": 0.7},
        {"system": "lexicon", "label": "GPE", "f1": 0.8, "low": None, "high": None},
    ]
}
RENDER = """
import json, sys
from newsevents.build.charts import render_charts, parse_scores
from newsevents.ontology import load_ontology
stats, ag, bl = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
out = render_charts(stats, load_ontology(), agreement=parse_scores(ag, "agreement", "layer", "value", "a"),
                    baselines=parse_scores(bl, "baselines", "label", "f1", "b"))
sys.stdout.buffer.write(b"".join(k.encode() + b"\\0" + v + b"\\0" for k, v in sorted(out.items())))
"""


def _inputs(**kw: str | None) -> CardInputs:
    return CardInputs("datasheet", "changelog", **kw)  # type: ignore[arg-type]


def test_two_renders_are_byte_identical_across_processes_and_hash_seeds() -> None:
    outs = []
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        args = [sys.executable, "-c", RENDER, json.dumps(STATS), json.dumps(AGREEMENT), json.dumps(BASELINES)]
        outs.append(subprocess.run(args, env=env, capture_output=True, check=True).stdout)
    assert outs[0] == outs[1]
    here = card_charts(
        STATS, load_ontology(), _inputs(agreement_scores=json.dumps(AGREEMENT), baseline_scores=json.dumps(BASELINES))
    )
    assert b"".join(k.encode() + b"\0" + v + b"\0" for k, v in sorted(here.items())) == outs[0]


def test_svg_has_no_date_and_no_font_lookup() -> None:
    out = render_charts(STATS, load_ontology())
    assert sorted(out) == sorted(
        f"figures/{n}" for n in ("entity-mentions.svg", "events.svg", "arguments.svg", "splits.svg")
    )
    for svg in out.values():
        text = svg.decode("utf-8")
        assert text.startswith("<?xml")
        assert "<dc:date>" not in text
        assert "font-family" not in text  # text is drawn as paths: the same on every machine


def test_score_charts_only_when_their_file_is_there() -> None:
    onto = load_ontology()
    assert "figures/agreement.svg" not in card_charts(STATS, onto, _inputs())
    both = card_charts(
        STATS, onto, _inputs(agreement_scores=json.dumps(AGREEMENT), baseline_scores=json.dumps(BASELINES))
    )
    assert {"figures/agreement.svg", "figures/baselines.svg"} <= set(both)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not JSON"),
        ('{"agreement": {}}', "needs an object with a list 'agreement'"),
        ('{"agreement": [{"layer": "x", "value": 1.5}]}', "'value' must be a number between 0 and 1"),
        ('{"agreement": [{"value": 0.5}]}', "'layer' must be a non-empty string"),
    ],
)
def test_a_malformed_score_file_stops_the_build_with_where_and_what(text: str, message: str) -> None:
    with pytest.raises(CardError, match=message):
        card_charts(STATS, load_ontology(), _inputs(agreement_scores=text))


def test_the_release_holds_the_charts_and_its_card_shows_them(tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj")
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "annotation-report.json").write_text(json.dumps(AGREEMENT), encoding="utf-8")
    assert read_card_inputs(root).agreement_scores is not None
    result = build_project(root, tmp_path / "dist")
    for variant in ("full", "standoff"):
        folder = result.installed[variant].folder
        card = (folder / "README.md").read_text(encoding="utf-8")
        sums = (folder / "SHA256SUMS").read_text(encoding="utf-8")
        for name in ("splits.svg", "entity-mentions.svg", "events.svg", "arguments.svg", "agreement.svg"):
            assert (folder / "figures" / name).is_file()
            assert f"![{FIGURES[name]}](figures/{name})" in card
            assert f"  figures/{name}\n" in sums
        assert "figures/baselines.svg" not in card
        assert not (folder / "figures" / "baselines.svg").exists()
