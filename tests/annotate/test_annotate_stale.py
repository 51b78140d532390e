"""Which files under ``annotations/`` a pull counts as stale and prunes, without a server (fast).

The live tests (``test_annotate_prune_live.py``, ``test_pull_safety_live.py``) delete annotations
in a real Label Studio; this one pins the selection rules on files written here: server, project,
tool, task/annotation pairs, files the pull rewrites, gold (reported, never pruned), files of
another server or of unknown origin (never stale), git-tracked files (kept without ``--force``),
and files that are not records.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from annotate_support import make_doc

from newsevents.annotate.pullplan import apply_plan, plan_pull
from newsevents.annotate.workflow import PullResult, record_path, stale_files, stale_findings
from newsevents.io import write_json
from newsevents.records import Document, Provenance

TEXT = "US strikes Iraq base\n\nThe United States struck a base in Iraq."
HERE = "3f0c1a52-0000-4000-8000-000000000001"
THERE = "3f0c1a52-0000-4000-8000-000000000002"


def _pulled(
    doc_id: str,
    annotator: str,
    task: int,
    annotation: int,
    *,
    project: int = 4,
    gold: bool = False,
    server: str | None = HERE,
) -> Document:
    ref: dict[str, object] = {"project": project, "task": task, "annotation": annotation}
    if server is not None:
        ref["server"] = server
    prov = Provenance(
        status="gold" if gold else "completed",
        annotators=(annotator,),
        tool="label-studio",
        label_studio=ref,
        gold_rule="latest-completed" if gold else None,
    )
    return replace(make_doc(doc_id, TEXT), provenance=prov)


def test_stale_files_are_this_servers_and_projects_records_whose_annotation_is_gone(tmp_path: Path) -> None:
    out = tmp_path / "annotations"
    kept = _pulled("doc-a", "ann", 1, 10)  # still in Label Studio and rewritten by this pull
    gone = _pulled("doc-a", "bob", 1, 11)  # annotation 11 deleted
    moved = _pulled("doc-b", "ann", 2, 12)  # annotation id 12 exists, but on task 3: not this one
    other_project = _pulled("doc-c", "ann", 1, 11, project=5)
    gold_gone = _pulled("doc-b", "ann", 2, 12, gold=True)
    other_tool = replace(gone, id="doc-d", provenance=replace(gone.provenance, tool="brat"))
    other_server = _pulled("doc-f", "ann", 1, 11, server=THERE)  # same ids, another server: foreign
    unknown_origin = _pulled("doc-g", "ann", 1, 11, server=None)  # no server id: foreign
    tracked = _pulled("doc-h", "ann", 5, 50)  # stale, but git tracks it
    docs = (kept, gone, moved, other_project, gold_gone, other_tool, other_server, unknown_origin, tracked)
    for d in docs:
        write_json(record_path(out, d), d.to_dict())
    (out / "passes/doc-e").mkdir(parents=True)
    (out / "passes/doc-e/broken.json").write_text("{not json")
    write_json(out / "passes/doc-e/list.json", [1, 2])
    result = PullResult(4, b"[]", "x.json", [kept], [], frozenset({(1, 10), (3, 12)}), HERE)

    stale = stale_files(result, out)
    assert [(s.path.relative_to(out).as_posix(), s.gold) for s in stale] == [
        ("passes/doc-a/bob.json", False),
        ("passes/doc-b/ann.json", False),
        ("passes/doc-h/ann.json", False),
        ("gold/doc-b.json", True),
    ]
    findings = stale_findings(stale, pruned=False)
    assert [f.check for f in findings] == ["annotate.stale-pass"] * 3 + ["annotate.stale-gold"]
    assert all(f.severity == "warning" for f in findings)
    assert findings[0].doc_id == "doc-a"
    assert "annotation 11 of task 1" in findings[0].message

    def git(_folder: Path) -> frozenset[Path]:
        return frozenset({out / "passes/doc-h/ann.json"})

    plan = plan_pull(result, out, prune=True, tracked=git)
    assert plan.stops == []
    assert plan.removes == ["passes/doc-a/bob.json", "passes/doc-b/ann.json"]
    messages = {Path(str(f.file)).relative_to(out).as_posix(): f.message for f in plan.findings}
    assert "git tracks it" in messages["passes/doc-h/ann.json"]
    apply_plan(plan, out)
    assert not (out / "passes/doc-a/bob.json").exists()
    assert not (out / "passes/doc-b").exists()  # emptied folder removed
    for kept_file in (
        "passes/doc-a/ann.json",
        "gold/doc-b.json",
        "passes/doc-c/ann.json",
        "passes/doc-d/bob.json",
        "passes/doc-e/broken.json",
        "passes/doc-f/ann.json",
        "passes/doc-g/ann.json",
        "passes/doc-h/ann.json",
    ):
        assert (out / kept_file).is_file(), kept_file
    # --force lets --prune remove the tracked file too; gold is still only reported.
    plan = plan_pull(result, out, prune=True, force=True, tracked=git)
    assert plan.removes == ["passes/doc-h/ann.json"]
    apply_plan(plan, out)
    assert [s.path.relative_to(out).as_posix() for s in stale_files(result, out)] == ["gold/doc-b.json"]


def test_a_pull_without_a_server_id_finds_nothing_stale(tmp_path: Path) -> None:
    out = tmp_path / "annotations"
    gone = _pulled("doc-a", "bob", 1, 11, server=None)
    write_json(record_path(out, gone), gone.to_dict())
    assert stale_files(PullResult(4, b"[]", "x.json", [], [], frozenset(), None), out) == []
