"""Which documents a release holds: only annotated ones, unless dataset.toml says otherwise."""

from __future__ import annotations

import json

from build_support import make_project

from newsevents.build.collect import corpus_records
from newsevents.build.project import build_project


def _without_unannotated_setting(root):
    toml = root / "dataset.toml"
    toml.write_text(
        "\n".join(line for line in toml.read_text(encoding="utf-8").splitlines() if "release_unannotated" not in line)
        + "\n",
        encoding="utf-8",
    )


def test_a_document_without_gold_is_left_out_with_a_warning(tmp_path):
    root = make_project(tmp_path / "project")
    _without_unannotated_setting(root)
    result = build_project(root, root / "dist", cleaner=corpus_records)
    found = [(f.check, f.severity, f.doc_id) for f in result.findings if f.check == "build.not-annotated"]
    assert found == [("build.not-annotated", "warning", "tiny-plain")]
    release = json.loads((result.installed["full"].folder / "release.json").read_text(encoding="utf-8"))
    assert sorted(d["id"] for d in release["documents"]) == ["tiny-attack", "tiny-open"]


def test_release_unannotated_true_releases_them_as_status_none(tmp_path):
    root = make_project(tmp_path / "project")  # the fixture sets release_unannotated = true
    result = build_project(root, root / "dist", cleaner=corpus_records)
    assert not [f for f in result.findings if f.check == "build.not-annotated"]
    release = json.loads((result.installed["full"].folder / "release.json").read_text(encoding="utf-8"))
    assert {d["id"]: d["status"] for d in release["documents"]}["tiny-plain"] == "none"


def test_no_annotated_document_at_all_is_an_error(tmp_path):
    root = make_project(tmp_path / "project")
    _without_unannotated_setting(root)
    for gold in (root / "annotations" / "gold").glob("*.json"):
        gold.unlink()
    result = build_project(root, root / "dist", cleaner=corpus_records)
    assert "build.no-documents" in {f.check for f in result.errors}
    assert not (root / "dist").exists()


def test_a_version_without_a_changelog_entry_is_refused(tmp_path):
    root = make_project(tmp_path / "project")
    (root / "CHANGELOG.md").write_text("# Changelog\n\n## 1.2.2\n\n- An older release.\n", encoding="utf-8")
    result = build_project(root, root / "dist", cleaner=corpus_records)
    assert [f.check for f in result.errors] == ["build.changelog-missing"]
    assert not (root / "dist").exists()
