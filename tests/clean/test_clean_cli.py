"""The ``newsevents clean`` command: folders in, one JSON per input out, exit codes."""

from __future__ import annotations

import gzip
import json
import shutil

from clean_support import CASES, RENDERINGS, REPO, SEED_ID

from newsevents.cli import main
from newsevents.resources import project_root


def test_folder_is_cleaned_and_bad_files_reported(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    for p in RENDERINGS.glob("pier.*"):
        if not p.name.endswith(".json"):
            shutil.copy(p, src / p.name)
    (src / "pier-gz.html.gz").write_bytes(gzip.compress((RENDERINGS / "pier.html").read_bytes()))
    shutil.copy(CASES / "bad" / "binary.txt", src / "binary.txt")
    out = tmp_path / "out"
    code = main(["clean", str(src), "--out", str(out), "--jobs", "1"])
    assert code == 1  # the binary file failed
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "pier-gz.json",
        "pier.blocks.json",
        "pier.html2text.json",
        "pier.json",
        "pier.lynx.json",
        "pier.w3m.json",
    ]
    err = capsys.readouterr().err
    assert "binary.txt" in err
    assert "clean.binary-input" in err
    rec = json.loads((out / "pier-gz.json").read_text(encoding="utf-8"))
    assert rec["id"] == "pier-gz"
    assert rec["source"]["format"] == "html"


def test_clean_folder_exit_0_and_byte_identical_rerun(tmp_path):
    out = tmp_path / "out"
    files = [str(p) for p in sorted(RENDERINGS.glob("library.*")) if not p.name.endswith(".json")]
    assert main(["clean", *files, "--out", str(out), "--jobs", "2"]) == 0
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    assert main(["clean", *files, "--out", str(out), "--jobs", "1"]) == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main(["clean", str(RENDERINGS)]) == 2
    assert main(["clean", str(tmp_path / "missing.txt"), "--out", str(tmp_path)]) == 2
    assert main(["clean", str(RENDERINGS), "--out", str(tmp_path), "--profile", "nope"]) == 2
    assert "--out DIR is required" in capsys.readouterr().err


def test_manifest_mode_writes_corpus(tmp_path, monkeypatch, capsys):
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    monkeypatch.setenv("NEWSEVENTS_ROOT", str(tmp_path))
    project_root.cache_clear()
    try:
        assert main(["clean"]) == 0
    finally:
        project_root.cache_clear()
    assert (tmp_path / "corpus" / f"{SEED_ID}.json").is_file()
    seeds = json.loads((REPO / "seeds" / "manifest.json").read_text(encoding="utf-8"))["seeds"]
    assert f"cleaned {len(seeds)} seeds" in capsys.readouterr().out
    assert sorted(p.stem for p in (tmp_path / "corpus").glob("*.json")) == sorted(s["id"] for s in seeds)


def test_two_inputs_with_one_stem_do_not_overwrite_each_other(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(RENDERINGS / "pier.html", src / "pier.html")
    shutil.copy(RENDERINGS / "pier.blocks.txt", src / "pier.txt")
    out = tmp_path / "out"
    assert main(["clean", str(src), "--out", str(out), "--jobs", "1"]) == 1
    assert [p.name for p in out.iterdir()] == ["pier.json"]
    rec = json.loads((out / "pier.json").read_text(encoding="utf-8"))
    assert rec["source"]["format"] == "html"  # the first input (sorted) keeps the name
    assert "clean.output-collision" in capsys.readouterr().err
