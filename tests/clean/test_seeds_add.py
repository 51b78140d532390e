"""`newsevents seeds add`, the manifest's licence and path rules, and the pre-cleaned Wikinews seeds."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from clean_support import REPO

from newsevents.clean import clean_manifest, read_manifest
from newsevents.clean.seeds import assign_splits, doc_id_for, split_key
from newsevents.cli import main
from newsevents.licenses import license_info, redistributable
from newsevents.resources import project_root

MANIFEST = json.loads((REPO / "seeds" / "manifest.json").read_text(encoding="utf-8"))
PRECLEAN = [row for row in MANIFEST["seeds"] if row.get("profile") == "preclean"]


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project holding only the DW seed, as NEWSEVENTS_ROOT."""
    root = tmp_path / "project"
    (root / "seeds" / "overrides").mkdir(parents=True)
    first = MANIFEST["seeds"][0]
    shutil.copy(REPO / "seeds" / first["file"], root / "seeds" / first["file"])
    shutil.copy(REPO / "seeds" / first["overrides"], root / "seeds" / first["overrides"])
    (root / "seeds" / "manifest.json").write_text(
        json.dumps({**MANIFEST, "seeds": [first]}, indent=2) + "\n", encoding="utf-8"
    )
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    monkeypatch.setenv("NEWSEVENTS_ROOT", str(root))
    project_root.cache_clear()
    yield root
    project_root.cache_clear()


def _article(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _rows(root: Path) -> list[dict]:
    return json.loads((root / "seeds" / "manifest.json").read_text(encoding="utf-8"))["seeds"]


def test_add_copies_hashes_names_and_appends(project, tmp_path, capsys):
    src = _article(tmp_path / "in", "example-storm.txt", "Storm hits coast\n\nMonday, May 4, 2020\n\nA storm hit.\n")
    args = ["seeds", "add", str(src), "--publisher", "Example", "--license", "CC BY 4.0"]
    args += ["--url", "https://example.org/storm", "--published", "2020-05-04", "--profile", "preclean"]
    assert main(args) == 0
    rows = _rows(project)
    assert len(rows) == 2
    row = rows[1]
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    assert row["id"] == "example-2020-05-04-storm"
    assert row["file"] == f"001_{sha[:16]}.txt"
    assert row["raw_sha256"] == sha
    assert row["license"] == "CC-BY-4.0"
    assert row["license_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert row["split"] in {"train", "validation", "test"}
    assert (project / "seeds" / row["file"]).read_bytes() == src.read_bytes()
    assert "added example-2020-05-04-storm" in capsys.readouterr().out
    # Adding the same file again changes nothing.
    assert main(args) == 0
    assert _rows(project) == rows
    assert "[seeds.present]" in capsys.readouterr().err
    # The new seed cleans, keeping every block.
    docs, findings = clean_manifest(project)
    assert not [f for f in findings if f.severity == "error"]
    doc = next(d for d in docs if d.id == row["id"])
    assert doc.text == "Storm hits coast\n\nMonday, May 4, 2020\n\nA storm hit."
    assert doc.published == "2020-05-04"
    assert doc.source.license == "CC-BY-4.0"


def test_an_unknown_licence_refuses_the_whole_batch(project, tmp_path, capsys):
    good = _article(tmp_path / "in", "a.txt", "Headline\n\nBody one.\n")
    bad = _article(tmp_path / "in", "b.txt", "Headline two\n\nBody two.\n")
    before = sorted(p.name for p in (project / "seeds").iterdir())
    src = tmp_path / "src.jsonl"
    src.write_text(
        json.dumps({"file": "a.txt", "publisher": "P", "license": "CC-BY-4.0"})
        + "\n"
        + json.dumps({"file": "b.txt", "publisher": "P", "license": "free to use, ask us"})
        + "\n",
        encoding="utf-8",
    )
    assert main(["seeds", "add", str(good), str(bad), "--source-manifest", str(src)]) == 1
    assert "[seeds.license-unknown]" in capsys.readouterr().err
    assert sorted(p.name for p in (project / "seeds").iterdir()) == before
    assert len(_rows(project)) == 1


def test_unsupported_file_type_is_refused(project, tmp_path, capsys):
    pdf = _article(tmp_path / "in", "story.pdf", "%PDF-1.4")
    assert main(["seeds", "add", str(pdf), "--publisher", "P", "--license", "CC0-1.0"]) == 1
    assert "[seeds.unsupported-format]" in capsys.readouterr().err


def test_one_article_options_with_many_files_are_a_usage_error(project, tmp_path, capsys):
    a = _article(tmp_path / "in", "a.txt", "H\n\nB.\n")
    b = _article(tmp_path / "in", "b.txt", "H2\n\nB2.\n")
    args = ["seeds", "add", str(a), str(b), "--publisher", "P", "--license", "CC0-1.0", "--url", "https://x.org"]
    assert main(args) == 2
    assert "one FILE" in capsys.readouterr().err


def test_dry_run_writes_nothing(project, tmp_path, capsys):
    a = _article(tmp_path / "in", "a.txt", "H\n\nB.\n")
    assert main(["seeds", "add", str(a), "--publisher", "P", "--license", "CC0-1.0", "--dry-run"]) == 0
    assert "would add p-a" in capsys.readouterr().out
    assert len(_rows(project)) == 1


def test_id_rule():
    assert doc_id_for("Wikinews", "2015-05-18", "wikinews-asylum.txt", None) == "wikinews-2015-05-18-asylum"
    assert doc_id_for("Deutsche Welle", None, "page.html.gz", None) == "deutsche-welle-page"
    long = doc_id_for("P", "2020-01-01", "a-very-long-file-name-that-goes-on-and-on-and-on-forever.txt", None)
    assert len(long) <= len("p-2020-01-01-") + 40


def test_split_rule_is_2_1_1_per_batch_and_stable():
    ids = [f"doc-{i}" for i in range(24)]
    splits = assign_splits(ids)
    assert sorted(splits.values()).count("train") == 12
    assert sorted(splits.values()).count("validation") == 6
    assert sorted(splits.values()).count("test") == 6
    assert assign_splits(list(reversed(ids))) == splits  # order of adding does not matter
    ranked = sorted(ids, key=split_key)
    assert {splits[i] for i in ranked[:12]} == {"train"}


def test_licences_decide_redistribution_by_id_not_publisher():
    assert redistributable("CC-BY-2.5")
    assert redistributable("cc by 2.5")
    assert not redistributable("LicenseRef-all-rights-reserved")
    assert not redistributable("anything else")
    assert license_info(MANIFEST["seeds"][0]["license"]).id == "LicenseRef-all-rights-reserved"


@pytest.mark.parametrize(
    ("key", "value"),
    [("id", "../../x"), ("file", "../../../../etc/hostname"), ("file", "sub/x.txt"), ("overrides", "../x.json")],
)
def test_manifest_paths_cannot_leave_seeds(project, key, value):
    rows = _rows(project)
    rows[0][key] = value
    (project / "seeds" / "manifest.json").write_text(json.dumps({"seeds": rows}), encoding="utf-8")
    manifest = read_manifest(project)
    assert manifest.seeds == ()
    assert [f.check for f in manifest.findings] == ["clean.manifest"]
    assert key in manifest.findings[0].message


def test_unknown_manifest_licence_is_a_finding(project):
    rows = _rows(project)
    rows[0]["license"] = "see the website"
    (project / "seeds" / "manifest.json").write_text(json.dumps({"seeds": rows}), encoding="utf-8")
    manifest = read_manifest(project)
    assert len(manifest.seeds) == 1
    assert [(f.check, f.severity) for f in manifest.findings] == [("clean.license-unknown", "warning")]


def test_the_24_wikinews_seeds_are_in_the_manifest_with_their_licence():
    assert len(PRECLEAN) == 24
    for row in PRECLEAN:
        assert row["publisher"] == "Wikinews"
        assert row["license"] == "CC-BY-2.5"
        assert row["license_url"] == "https://creativecommons.org/licenses/by/2.5/"
        assert row["attribution"] == "Wikinews contributors"
        assert row["url"].startswith("https://en.wikinews.org/wiki/")
        assert hashlib.sha256((REPO / "seeds" / row["file"]).read_bytes()).hexdigest() == row["raw_sha256"]
    assert sorted(r["split"] for r in PRECLEAN).count("train") == 12


@pytest.mark.parametrize("row", PRECLEAN, ids=lambda r: r["id"])
def test_every_block_of_a_wikinews_text_is_kept(row):
    """Headline, dateline, paragraphs, subheadings, captions with credits, sources: all of them."""
    record = json.loads((REPO / "corpus" / f"{row['id']}.json").read_text(encoding="utf-8"))
    raw = (REPO / "seeds" / row["file"]).read_text(encoding="utf-8")
    blocks = [line for line in raw.split("\n") if line.strip()]
    assert record["text"] == "\n\n".join(blocks)
    assert record["cleaning"]["profile"] == "preclean"
    assert record["cleaning"]["removed"] == []
    assert len(record["cleaning"]["paragraphs"]) == len(blocks)
    assert record["title"] == row["title"] == blocks[0]
    assert record["published"] == row["published"]
    assert record["credits"]["authors"] == ["Wikinews contributors"]
    assert record["source"]["url"] == row["url"]
