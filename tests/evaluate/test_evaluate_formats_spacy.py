"""The ``spacy`` prediction format: a DocBin round trip, and the same scores as ``baseline --spacy``.

spaCy is an optional extra (``newsevents[spacy]``): without it these tests skip, saying so. No
model is downloaded: a blank English pipeline with an entity ruler is a real spaCy pipeline.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsevents.cli import main
from newsevents.evaluate.formats import CANNOT_EXPRESS
from newsevents.evaluate.formats.export import write_docbin

spacy = pytest.importorskip("spacy", reason='spaCy is not installed (optional extra: pip install "newsevents[spacy]")')

DATA = Path(__file__).parent / "data"
GOLD = DATA / "gold"


def gold_records() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))]


def evaluate(capsys: pytest.CaptureFixture[str], pred: Path, *extra: str) -> dict[str, Any]:
    code = main(["evaluate", str(GOLD), str(pred), "--format", "json", "--bootstrap", "0", *extra])
    out, err = capsys.readouterr()
    assert code == 0, err
    res: dict[str, Any] = json.loads(out)
    return res


def test_gold_as_a_docbin_span_group_scores_one_on_every_entity_metric(capsys, tmp_path):
    lost = write_docbin(gold_records(), tmp_path / "gold.spacy", spans_key="sc")
    assert lost == {"not-on-token-boundaries": 0, "nested-or-overlapping": 2}  # doc.ents only
    res = evaluate(capsys, tmp_path / "gold.spacy", "--spans-key", "sc")
    assert res["pred_format"] == {"name": "spacy", "detected": True, "cannot_express": list(CANNOT_EXPRESS["spacy"])}
    for key in ("entities.strict", "entities.exact", "entities.partial", "entities.type", "entities.bio"):
        assert res["metrics"][key]["f1"] == 1.0, key
    ents = evaluate(capsys, tmp_path / "gold.spacy")  # doc.ents: the outermost mentions
    assert ents["metrics"]["entities.bio"]["f1"] == 1.0
    assert ents["metrics"]["entities.strict"]["MIS"] == 2


def test_a_pipelines_docbin_scores_as_the_baseline_adapter(capsys, tmp_path):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "GPE", "pattern": "Mosul"},
            {"label": "DATE", "pattern": "Tuesday"},
            {"label": "ORG", "pattern": [{"LOWER": "interior"}, {"LOWER": "ministry"}]},
            {"label": "CARDINAL", "pattern": "two"},  # dropped by the crosswalk, counted
            {"label": "NORP", "pattern": "Rebels"},
        ]
    )
    nlp.to_disk(tmp_path / "pipeline")
    code = main(["baseline", "--spacy", str(tmp_path / "pipeline"), "--out", str(tmp_path / "adapter"), str(GOLD)])
    capsys.readouterr()
    assert code == 0
    # The same pipeline's docs saved as a DocBin, matched to gold by text (no user_data).
    spacy.tokens.DocBin(docs=[nlp(r["text"]) for r in gold_records()]).to_disk(tmp_path / "pred.spacy")
    via_docbin = evaluate(capsys, tmp_path / "pred.spacy")
    via_adapter = evaluate(capsys, tmp_path / "adapter")
    assert via_docbin["metrics"] == via_adapter["metrics"]
    assert via_docbin["metrics"]["entities.strict"]["COR"] > 0
    assert via_docbin["warnings"]["evaluate.label-dropped"] >= 1


def test_a_doc_with_another_text_is_an_unknown_document(capsys, tmp_path):
    nlp = spacy.blank("en")
    spacy.tokens.DocBin(docs=[nlp("Not a gold text.")]).to_disk(tmp_path / "other.spacy")
    code = main(["evaluate", str(GOLD), str(tmp_path / "other.spacy")])
    _, err = capsys.readouterr()
    assert code == 1
    assert "[evaluate.unknown-document]" in err
    assert "no gold document has this doc's text" in err
