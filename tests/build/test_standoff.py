"""The stand-off variant carries no withheld text; rehydration rebuilds the full release exactly."""

from __future__ import annotations

import json
import shutil

import pyarrow.parquet as pq
from build_support import REPO, expected_records
from datasets import load_dataset

from newsevents.build.release import folder_files
from newsevents.build.views import row_to_record
from newsevents.cli import main


def _all_strings(folder):
    """Every text of the folder: text files as they are, parquet files decoded to JSON."""
    out = []
    for path, data in folder_files(folder).items():
        if path.endswith(".parquet"):
            out.append(json.dumps(pq.read_table(folder / path).to_pylist(), ensure_ascii=False))
        else:
            out.append(data.decode("utf-8"))
    return "\n".join(out)


def _paragraphs(corpus_file):
    rec = json.loads(corpus_file.read_text(encoding="utf-8"))
    return [p for p in rec["text"].split("\n\n") if len(p) >= 12]


def test_standoff_withholds_restricted_texts_and_keeps_open_ones(built):
    blob = _all_strings(built.standoff)
    for doc in ("tiny-attack", "tiny-plain"):  # "All rights reserved"
        for para in _paragraphs(built.root / "corpus" / f"{doc}.json"):
            assert para not in blob
    for para in _paragraphs(built.root / "corpus" / "tiny-open.json"):  # CC-BY-4.0
        assert para in blob
    rows = {
        r["id"]: r
        for f in (built.standoff / "data" / "documents").glob("*.parquet")
        for r in pq.read_table(f).to_pylist()
    }
    attack = rows["tiny-attack"]
    assert attack["text"] is None
    assert attack["title"] is None
    assert all(m["text"] is None for m in attack["entity_mentions"])
    assert all(e["trigger"]["text"] is None for e in attack["event_mentions"])
    assert [r["text"] for r in attack["cleaning"]["removed"]] == [None, None]  # removed lines are the publisher's too
    assert attack["entity_mentions"][4]["start"] == json.loads(
        (built.root / "corpus" / "tiny-attack.json").read_text()
    )["text"].index("the K1 base")
    assert attack["text_sha256"] == json.loads((built.root / "corpus" / "tiny-attack.json").read_text())["text_sha256"]
    assert rows["tiny-open"]["text"] is not None
    sentences = [
        r for f in (built.standoff / "data" / "sentences").glob("*.parquet") for r in pq.read_table(f).to_pylist()
    ]
    assert {r["doc_id"] for r in sentences} == {"tiny-open"}
    card = (built.standoff / "README.md").read_text(encoding="utf-8")
    assert "This is the **stand-off** variant" in card


def test_rehydrate_rebuilds_the_full_release_byte_for_byte(built, tmp_path, capsys):
    sources = tmp_path / "my-copy"
    shutil.copytree(built.root / "seeds", sources)
    (sources / "manifest.json").unlink()
    assert main(["rehydrate", str(built.standoff), "--source", str(sources), "--out", str(tmp_path / "out")]) == 0
    assert folder_files(tmp_path / "out" / built.full.name) == folder_files(built.full)


def test_rehydrate_finds_sources_by_name_and_reports_a_changed_text(built, tmp_path, capsys):
    sources = tmp_path / "my-copy"
    sources.mkdir()
    shutil.copy(built.root / "seeds" / "003_tiny_plain.txt", sources)
    raw = (built.root / "seeds" / "001_tiny_attack.txt").read_text(encoding="utf-8")
    (sources / "001_tiny_attack.txt").write_text(raw.replace("Kirkuk", "Kirkouk"), encoding="utf-8")  # another version
    assert main(["rehydrate", str(built.standoff), "--source", str(sources), "--out", str(tmp_path / "out")]) == 1
    out = capsys.readouterr()
    assert "[rehydrate.raw-sha256-mismatch] warning" in out.out
    assert "[rehydrate.text-sha256-mismatch] error" in out.err
    assert not (tmp_path / "out").exists()


def test_rehydrate_reports_a_missing_source(built, tmp_path, capsys):
    sources = tmp_path / "my-copy"
    sources.mkdir()
    shutil.copy(built.root / "seeds" / "001_tiny_attack.txt", sources)
    assert main(["rehydrate", str(built.standoff), "--source", str(sources), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "tiny-plain: [rehydrate.missing-source] error" in err
    assert "'003_tiny_plain.txt'" in err


def test_the_project_itself_builds_and_its_seed_rehydrates(tmp_path, capsys):
    """The repository's own seeds, corpus and annotations, through the real cleaner, end to end."""
    root = tmp_path / "repo"
    for name in ("seeds", "corpus", "annotations"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    for name in ("dataset.toml", "DATASHEET.md", "CHANGELOG.md"):
        shutil.copy(REPO / name, root / name)
    if (REPO / "docs").is_dir():
        shutil.copytree(REPO / "docs", root / "docs")
    assert main(["build", "--root", str(root)]) == 0
    out = capsys.readouterr().out
    version = json.loads(next((root / "dist").glob("*-standoff/release.json")).read_text())["version"]
    full = root / "dist" / f"newsevents-{version}"
    # Only documents with a gold record are released (build.not-annotated for the others).
    expected = {
        k: v for k, v in expected_records(root).items() if (root / "annotations" / "gold" / f"{k}.json").is_file()
    }
    released = json.loads((full / "release.json").read_text())["documents"]
    assert sorted(d["id"] for d in released) == sorted(expected)
    first = min({v["split"] for v in expected.values()}, key=["train", "validation", "test"].index)
    assert f'load_dataset("{full.as_posix()}", "documents", split="{first}")' in out
    for split in {r["split"] for r in expected.values()}:
        ds = load_dataset(str(full), "documents", split=split, cache_dir=str(tmp_path / "cache"))
        assert [row_to_record(r, ds.features) for r in ds] == [v for v in expected.values() if v["split"] == split]
    standoff = root / "dist" / f"newsevents-{version}-standoff"
    blob = _all_strings(standoff)
    seed_text = json.loads((root / "corpus" / "dw-2019-12-29-us-hits-back-iraq.json").read_text())["text"]
    assert not any(p in blob for p in seed_text.split("\n\n") if len(p) >= 12)
    my_copy = tmp_path / "downloads"
    my_copy.mkdir()
    shutil.copy(root / "seeds" / "000_972ec0f8efcd389c.txt", my_copy / "dw-page.txt")  # found by its sha256
    assert main(["rehydrate", str(standoff), "--source", str(my_copy), "--out", str(tmp_path / "out")]) == 0
    assert folder_files(tmp_path / "out" / full.name) == folder_files(full)
