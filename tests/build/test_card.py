"""The dataset card: YAML that datasets reads, the datasheet filled with the data's own figures."""

from __future__ import annotations

import json

import yaml
from build_support import REPO, build_fixture, make_project

from newsevents.build.card import MARKER, SECTIONS
from newsevents.cli import main


def _card(folder):
    text = (folder / "README.md").read_text(encoding="utf-8")
    _, header, body = text.split("---\n", 2)
    return yaml.safe_load(header), body


def test_repository_datasheet_uses_only_known_markers():
    markers = MARKER.findall((REPO / "DATASHEET.md").read_text(encoding="utf-8"))
    assert set(markers) == set(SECTIONS)


def test_card_yaml_declares_configs_splits_and_features(built):
    header, body = _card(built.full)
    release = json.loads((built.full / "release.json").read_text(encoding="utf-8"))
    assert [c["config_name"] for c in header["configs"]] == ["documents", "sentences", "ner"]
    assert header["configs"][0]["default"] is True
    for cfg in header["configs"]:
        assert {f["split"]: f["path"] for f in cfg["data_files"]} == release["configs"][cfg["config_name"]]
    info = {i["config_name"]: i for i in header["dataset_info"]}
    assert {s["name"]: s["num_examples"] for s in info["sentences"]["splits"]} == {"train": 2, "test": 4}
    assert not MARKER.search(body)


def test_card_figures_come_from_the_data(built):
    _, body = _card(built.full)
    assert "| train | 2 | 1 | 4 | 21 | 4 | 1 |" in body  # tiny-open and tiny-plain; only tiny-open annotated
    assert "| annotator-a | 2 | AI model (test fixture) |" in body
    assert "| annotator-b | 1 | not described in dataset.toml |" in body
    assert "Inter-annotator agreement: not yet measured" in body
    assert "Baseline scores: not yet measured" in body
    assert "| ner.entity-mention.nested | 3 |" in body  # Kirkuk, US, Prime Minister
    assert "- Fixture release." in body  # the changelog
    assert "@misc{tinyevents123," in body


def test_card_embeds_the_annotation_report_when_present(tmp_path):
    root = make_project(tmp_path / "project")
    (root / "docs").mkdir()
    (root / "docs" / "annotation-report.md").write_text(
        "# Annotation report\n\nEntity mention F1 0.91 (fixture).\n", encoding="utf-8"
    )
    _, body = _card(build_fixture(root).full)
    assert "#### Annotation report" in body
    assert "Entity mention F1 0.91 (fixture)." in body
    assert "not yet measured (no `docs/annotation-report.md`" not in body


def test_unknown_marker_is_a_usage_error(tmp_path, capsys):
    root = make_project(tmp_path / "project")
    sheet = root / "DATASHEET.md"
    sheet.write_text(sheet.read_text(encoding="utf-8") + "\n<!-- build:funding -->\n", encoding="utf-8")
    assert main(["build", "--root", str(root)]) == 2
    assert "unknown build markers ['funding']" in capsys.readouterr().err
