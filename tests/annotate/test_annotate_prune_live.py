"""``annotate pull`` and annotations deleted in Label Studio: reported, removed only with ``--prune``.

Against the session's real server: annotations are created and pulled, two are deleted through the
API, and the next pulls report the stale files (kept), then remove them with ``--prune`` — pass
files of this project only; gold records, raw exports and files of other projects stay.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from annotate_support import ANNOTATORS, Live, make_doc

from newsevents.annotate import client as ls
from newsevents.annotate.convert import annotator_key, record_to_prediction
from newsevents.cli import main
from newsevents.io import write_json
from newsevents.records import EntityMention

pytestmark = pytest.mark.server

TEXT_A = "US strikes Iraq base\n\nThe United States struck a base in Iraq on Sunday."
TEXT_B = "Protests in Baghdad\n\nThousands protested in Baghdad on Friday."


def _entities(doc_id: str, text: str, *names: str) -> dict[str, object]:
    mentions = []
    for i, name in enumerate(names):
        s = text.index(name)
        mentions.append(EntityMention(f"m-{i}", s, s + len(name), name, "GPE", "NAM", f"E{i}"))
    doc = replace(make_doc(doc_id, text), entity_mentions=tuple(mentions))
    return record_to_prediction(doc)


def _pull(live: Live, corpus: Path, out: Path, *extra: str) -> int:
    args = ["annotate", "pull", "--url", live.url, "--title", "prune-test", "--corpus", str(corpus), "--out", str(out)]
    return main([*args, *extra])


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_pull_reports_passes_of_deleted_annotations_and_prune_removes_them(
    live: Live, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = [make_doc("prune-a", TEXT_A), make_doc("prune-b", TEXT_B)]
    corpus = tmp_path / "corpus"
    for d in docs:
        write_json(corpus / f"{d.id}.json", d.to_dict())
    monkeypatch.setenv("LABEL_STUDIO_USER_TOKEN", live.creds.token)
    assert main(["annotate", "push", str(corpus), "--url", live.url, "--title", "prune-test"]) == 0
    pid = ls.find_project(live.session, "prune-test")
    assert pid is not None
    tasks = {t.data["doc_id"]: t.id for t in ls.list_tasks(live.session, pid)}
    alice, bob, carol = (live.users[e] for e in ANNOTATORS)
    ann = live.session.client.annotations
    ann.create(tasks["prune-a"], result=_entities("prune-a", TEXT_A, "US", "Iraq")["result"], completed_by=alice)
    bob_a = ann.create(tasks["prune-a"], result=_entities("prune-a", TEXT_A, "US")["result"], completed_by=bob)
    carol_b = ann.create(tasks["prune-b"], result=_entities("prune-b", TEXT_B, "Baghdad")["result"], completed_by=carol)

    out = tmp_path / "annotations"
    assert _pull(live, corpus, out) == 0
    alice_file = out / f"passes/prune-a/alice-at-example.org-{annotator_key(ANNOTATORS[0])}.json"
    bob_file = out / f"passes/prune-a/bob-at-example.org-{annotator_key(ANNOTATORS[1])}.json"
    carol_file = out / f"passes/prune-b/carol-at-example.org-{annotator_key(ANNOTATORS[2])}.json"
    assert alice_file.is_file()
    assert bob_file.is_file()
    assert carol_file.is_file()
    assert (out / "gold/prune-b.json").is_file()
    carol_bytes = carol_file.read_bytes()
    # A pass of another project (e.g. pulled from another server) and a hand-written file in passes/.
    foreign = json.loads(carol_file.read_text())
    foreign["provenance"]["label_studio"]["project"] = pid + 1000
    write_json(out / "passes/prune-b/dave-at-example.org.json", foreign)
    write_json(out / "passes/prune-b/notes.json", {"note": "not a record"})

    assert bob_a.id is not None
    assert carol_b.id is not None
    ann.delete(bob_a.id)
    ann.delete(carol_b.id)  # prune-b has no annotation left

    # Without --prune: reported as warnings (exit 0), nothing removed.
    before = _tree(out)
    capsys.readouterr()
    assert _pull(live, corpus, out) == 0
    err = capsys.readouterr().err
    stale = [ln for ln in err.splitlines() if "stale-" in ln]
    assert len(stale) == 3, err
    assert sum(f"annotation {bob_a.id} of task {tasks['prune-a']}" in ln and "--prune" in ln for ln in stale) == 1
    assert sum(f"annotation {carol_b.id} of task {tasks['prune-b']}" in ln and "--prune" in ln for ln in stale) == 1
    assert sum("annotate.stale-gold" in ln and "gold/prune-b.json" in ln for ln in stale) == 1
    after = _tree(out)
    assert all(after[name] == data for name, data in before.items() if not name.startswith("gold/prune-a"))

    # With --prune: the two pass files go; the other project's file and the non-record stay.
    capsys.readouterr()
    assert _pull(live, corpus, out, "--prune") == 0
    printed = capsys.readouterr()
    assert "2 stale pass files removed" in printed.out
    assert not bob_file.exists()
    assert not carol_file.exists()
    assert alice_file.is_file()
    assert (out / "passes/prune-b/dave-at-example.org.json").is_file()
    assert (out / "passes/prune-b/notes.json").is_file()
    assert (out / "gold/prune-b.json").is_file()  # gold is never removed, only reported
    assert "annotate.stale-gold" in printed.err
    assert {n for n in _tree(out) if n.startswith("exports/")} >= {n for n in before if n.startswith("exports/")}
    # A pull after the prune has nothing stale among the passes.
    capsys.readouterr()
    assert _pull(live, corpus, out) == 0
    assert "0 stale pass files kept" in capsys.readouterr().out

    # A document whose last pass is pruned loses its (now empty) folder.
    (out / "passes/prune-b/dave-at-example.org.json").unlink()
    (out / "passes/prune-b/notes.json").unlink()
    carol_file.write_bytes(carol_bytes)
    assert _pull(live, corpus, out, "--prune") == 0
    assert not (out / "passes/prune-b").exists()
