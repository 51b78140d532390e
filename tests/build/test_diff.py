"""newsevents diff lists documents and annotations added, removed and changed between releases."""

from __future__ import annotations

import json

from build_support import build_fixture, make_project

from newsevents.build.diff import diff_releases
from newsevents.cli import main


def _edit(path, change):
    rec = json.loads(path.read_text(encoding="utf-8"))
    change(rec)
    path.write_text(json.dumps(rec), encoding="utf-8")


def test_diff_between_two_versions(tmp_path, capsys):
    root = make_project(tmp_path / "project")
    old = build_fixture(root).full
    toml = root / "dataset.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('"1.2.3"', '"1.3.0"'), encoding="utf-8")
    changelog = root / "CHANGELOG.md"
    changelog.write_text(changelog.read_text(encoding="utf-8") + "\n## 1.3.0\n\n- Edits for the diff test.\n")
    gold = root / "annotations" / "gold"

    def attack(rec):
        rec["entity_mentions"] = [m for m in rec["entity_mentions"] if m["id"] != "m3"]  # "Sunday"
        for e in rec["event_mentions"]:
            e["arguments"] = [a for a in e["arguments"] if a["mention"] != "m3"]
            if e["id"] == "v5":
                e["realis"] = "other"

    _edit(gold / "tiny-attack.json", attack)
    _edit(root / "corpus" / "tiny-plain.json", lambda rec: rec.update(published="2019-12-30"))
    (root / "corpus" / "tiny-open.json").unlink()
    (gold / "tiny-open.json").unlink()
    new = build_fixture(root).full
    assert new.name == "tinyevents-1.3.0"

    d = diff_releases(old, new)
    got = {(c.kind, c.what, c.doc_id, c.item_id, c.fields) for c in d.changes}
    assert got == {
        ("removed", "document", "tiny-open", None, ()),
        ("removed", "entity mention", "tiny-open", "p1", ()),
        ("removed", "entity mention", "tiny-open", "p2", ()),
        ("removed", "entity mention", "tiny-open", "p3", ()),
        ("removed", "entity mention", "tiny-open", "p4", ()),
        ("removed", "event mention", "tiny-open", "q1", ()),
        ("changed", "document", "tiny-plain", None, ("published",)),
        ("removed", "entity mention", "tiny-attack", "m3", ()),
        ("changed", "event mention", "tiny-attack", "v1", ("arguments",)),
        ("changed", "event mention", "tiny-attack", "v5", ("realis",)),
    }
    assert main(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1.2.3 -> 1.3.0\n")
    assert "documents: 0 added, 1 removed, 1 changed" in out
    assert "- entity mention tiny-attack/m3: TIME/NAM [34, 40) 'Sunday'" in out
    assert "~ event mention tiny-attack/v5 [realis]" in out
    assert d.count("added", "document") == 0
    # and the other way round
    back = diff_releases(new, old)
    assert {(c.kind, c.doc_id) for c in back.changes if c.what == "document"} == {
        ("added", "tiny-open"),
        ("changed", "tiny-plain"),
    }


def test_diff_of_a_release_with_itself_is_empty_and_a_non_release_is_a_usage_error(built, tmp_path, capsys):
    assert diff_releases(built.full, built.full).changes == []
    assert diff_releases(built.standoff, built.full).changes != []  # texts withheld on one side
    assert main(["diff", str(built.full), str(tmp_path)]) == 2
    assert "not a release folder" in capsys.readouterr().err
