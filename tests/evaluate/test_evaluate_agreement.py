"""Agreement on hand-made passes (data/passes), every number computed by hand in the comments."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from newsevents.cli import main
from newsevents.evaluate.agreement import Kappa, agreement_paths

PASSES = Path(__file__).parent / "data" / "passes"


def test_pairwise_layers_coref_and_kappa_by_hand():
    # ann2 = ann1 without the TTL "finance minister" (and its Position argument), with "he" in a
    # cluster of its own, and "threatened" typed Contact:Statement instead of Contact:Threaten.
    res, findings = agreement_paths(PASSES)
    assert [f.check for f in findings] == ["agreement.single-annotator"]  # toy-summit has one pass
    assert res["annotators"] == ["ann1", "ann2"]  # ann2 named after its file: no annotators listed
    (pair,) = res["pairs"]
    f1 = {name: layer["f1"] for name, layer in pair["layers"].items()}
    assert f1["entity_span"] == pytest.approx(12 / 13)  # 7 and 6 mentions, 6 shared
    assert f1["entity_type"] == pytest.approx(12 / 13)
    assert f1["entity_kind"] == pytest.approx(12 / 13)
    assert f1["trigger_span"] == 1.0
    assert f1["trigger"] == pytest.approx(2 / 3)  # 2 of 3 triggers keep their type
    assert f1["argument"] == pytest.approx(8 / 13)  # 7 and 6 arguments, 4 shared
    ent = pair["coreference"]["entities"]
    assert ent["mentions"] == 6
    # MUC: key {minister, He, he} needs 2 links, ann2 keeps 1 -> R 1/2; ann2's links all right -> P 1.
    assert ent["muc"] == {"precision": 1.0, "recall": 0.5, "f1": pytest.approx(2 / 3)}
    # B-cubed recall: (2/3 + 2/3 + 1/3 + 1 + 1 + 1) / 6 = 7/9; precision 1.
    assert ent["b_cubed"]["recall"] == pytest.approx(7 / 9)
    assert ent["b_cubed"]["f1"] == pytest.approx(7 / 8)
    assert ent["links"] == {"precision": 1.0, "recall": pytest.approx(1 / 3), "f1": pytest.approx(0.5)}
    evt = pair["coreference"]["events"]
    assert evt["mentions"] == 2  # triggers with the same span and type
    assert evt["muc"]["f1"] is None  # only singletons: MUC has nothing to count
    assert evt["b_cubed"]["f1"] == 1.0
    # The dropped TTL is nested in the PER mention, so the flattened token labels agree everywhere.
    assert pair["kappa"]["token_type"]["observed"] == 1.0
    assert math.isclose(pair["kappa"]["token_type"]["kappa"], 1.0)


def test_kappa_by_hand():
    k = Kappa()
    k.add(["O", "PER", "PER", "O"], ["O", "PER", "O", "O"])
    # observed 3/4; chance 2/4 * 3/4 + 2/4 * 1/4 = 1/2; kappa (3/4 - 1/2) / (1 - 1/2) = 1/2
    assert k.to_dict() == {"tokens": 4, "observed": 0.75, "chance": 0.5, "kappa": 0.5}
    same = Kappa()
    same.add(["O", "O"], ["O", "O"])
    assert same.to_dict()["kappa"] is None  # chance agreement 1: undefined


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_agreement_command(capsys, fmt):
    code = main(["agreement", str(PASSES), "--format", fmt])
    out, err = capsys.readouterr()
    assert code == 0
    assert "agreement.single-annotator" in err
    if fmt == "json":
        assert json.loads(out)["pairs"][0]["a"] == "ann1"
    else:
        assert "ann1" in out
        assert "kappa" in out


def test_agreement_without_passes_is_an_error(capsys, tmp_path):
    assert main(["agreement", str(tmp_path)]) == 1
    assert "agreement.no-passes" in capsys.readouterr().err
