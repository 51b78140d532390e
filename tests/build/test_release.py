"""Determinism, the stale-cache trap, versioning (never overwrite a version), the CLI's exit codes."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys

from build_support import build_fixture, make_project
from datasets import load_dataset

from newsevents.build.release import folder_files
from newsevents.cli import main


def _cli_build(root, dist, seed):
    env = {**os.environ, "PYTHONHASHSEED": seed}
    cmd = [sys.executable, "-m", "newsevents.cli", "build", "--root", str(root), "--dist", str(dist)]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, check=False, timeout=120)


def test_two_builds_are_byte_identical(tmp_path):
    """Two CLI runs (real cleaner, different hash seeds) into two folders give the same bytes."""
    root = make_project(tmp_path / "project")
    a = _cli_build(root, tmp_path / "a", "1")
    b = _cli_build(root, tmp_path / "b", "2")
    assert a.returncode == 0, a.stderr
    assert b.returncode == 0, b.stderr
    for variant in ("tinyevents-1.2.3", "tinyevents-1.2.3-standoff"):
        fa, fb = folder_files(tmp_path / "a" / variant), folder_files(tmp_path / "b" / variant)
        assert fa == fb
        assert any(p.endswith(".parquet") for p in fa)
    assert 'load_dataset("' in a.stdout
    assert '"documents", split="train")' in a.stdout


def test_sha256sums_and_release_json_describe_the_folder(built):
    files = folder_files(built.full)
    listed = dict(reversed(line.split("  ", 1)) for line in files["SHA256SUMS"].decode().splitlines())
    assert set(listed) == set(files) - {"SHA256SUMS"}
    assert all(hashlib.sha256(files[p]).hexdigest() == h for p, h in listed.items())
    for path, data in files.items():
        if path.endswith(".parquet"):
            assert hashlib.sha256(data).hexdigest()[:12] in path
    release = json.loads(files["release.json"])
    assert release["version"] == "1.2.3"
    assert release["tokenizer"] == "newsevents-regex-1"
    assert release["ontology_version"] == "1.0.0"
    assert set(release["source_manifests"]) == {"seeds/manifest.json"}
    assert files["CHANGELOG.md"] == (built.root / "CHANGELOG.md").read_bytes()


def test_a_rebuilt_file_is_never_served_stale_from_the_cache(tmp_path):
    """Build, load, change an annotation, rebuild the same folder path, load with the same cache."""
    root = make_project(tmp_path / "project")
    cache = str(tmp_path / "cache")
    b = build_fixture(root)
    before = load_dataset(str(b.full), "documents", split="train", cache_dir=cache)
    assert (
        before.features["entity_mentions"]
        .feature["type"]
        .int2str(next(r for r in before if r["id"] == "tiny-open")["entity_mentions"][0]["type"])
        == "PER"
    )
    gold_path = root / "annotations" / "gold" / "tiny-open.json"
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    gold["entity_mentions"][0]["type"] = "ORG"  # "Hundreds of protesters": a deliberate change
    gold["event_mentions"][0]["arguments"] = [
        a for a in gold["event_mentions"][0]["arguments"] if a["role"] != "Entity"
    ]
    gold_path.write_text(json.dumps(gold), encoding="utf-8")
    shutil.rmtree(root / "dist")
    b2 = build_fixture(root)
    assert b2.full == b.full
    after = load_dataset(str(b2.full), "documents", split="train", cache_dir=cache)
    row = next(r for r in after if r["id"] == "tiny-open")
    assert after.features["entity_mentions"].feature["type"].int2str(row["entity_mentions"][0]["type"]) == "ORG"
    ner = load_dataset(str(b2.full), "ner", split="train", cache_dir=cache)
    assert "B-ORG" in {ner.features["ner_tags"].feature.int2str(t) for row in ner for t in row["ner_tags"]}


def test_a_version_folder_is_never_overwritten_with_other_content(tmp_path, capsys):
    root = make_project(tmp_path / "project")
    assert main(["build", "--root", str(root)]) == 0
    folder = root / "dist" / "tinyevents-1.2.3"
    before = folder_files(folder)
    assert main(["build", "--root", str(root)]) == 0  # identical rebuild: fine, nothing written
    assert "unchanged (identical rebuild)" in capsys.readouterr().out
    gold_path = root / "annotations" / "gold" / "tiny-attack.json"
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    gold["event_mentions"] = gold["event_mentions"][:-1]
    gold_path.write_text(json.dumps(gold), encoding="utf-8")
    assert main(["build", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "already exists with different content" in err
    assert "bump `version` in dataset.toml" in err
    assert folder_files(folder) == before
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]  # no staging left behind


def test_dataset_toml_errors_are_usage_errors(tmp_path, capsys):
    root = make_project(tmp_path / "project")
    toml = root / "dataset.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('version = "1.2.3"', 'version = "1.2"'), encoding="utf-8")
    assert main(["build", "--root", str(root)]) == 2
    assert "version must be MAJOR.MINOR.PATCH, found '1.2'" in capsys.readouterr().err
    toml.unlink()
    assert main(["build", "--root", str(root)]) == 2
    assert not (root / "dist").exists()
