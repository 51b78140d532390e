"""Which files under ``annotations/`` a pull counts as stale, without a server (fast).

The live test (``test_annotate_prune_live.py``) deletes annotations in a real Label Studio; this
one pins the selection rules on files written here: project, tool, task/annotation pairs, files the
pull rewrites, gold (reported, never pruned), and files that are not records.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from annotate_support import make_doc

from newsevents.annotate.workflow import PullResult, prune, record_path, stale_files, stale_findings
from newsevents.io import write_json
from newsevents.records import Document, Provenance

TEXT = "US strikes Iraq base\n\nThe United States struck a base in Iraq."


def _pulled(
    doc_id: str, annotator: str, task: int, annotation: int, *, project: int = 4, gold: bool = False
) -> Document:
    prov = Provenance(
        status="gold" if gold else "completed",
        annotators=(annotator,),
        tool="label-studio",
        label_studio={"project": project, "task": task, "annotation": annotation},
        gold_rule="latest-completed" if gold else None,
    )
    return replace(make_doc(doc_id, TEXT), provenance=prov)


def test_stale_files_are_this_projects_records_whose_annotation_is_gone(tmp_path: Path) -> None:
    out = tmp_path / "annotations"
    kept = _pulled("doc-a", "ann", 1, 10)  # still in Label Studio and rewritten by this pull
    gone = _pulled("doc-a", "bob", 1, 11)  # annotation 11 deleted
    moved = _pulled("doc-b", "ann", 2, 12)  # annotation id 12 exists, but on task 3: not this one
    other_project = _pulled("doc-c", "ann", 1, 11, project=5)
    gold_gone = _pulled("doc-b", "ann", 2, 12, gold=True)
    other_tool = replace(gone, id="doc-d", provenance=replace(gone.provenance, tool="brat"))
    for d in (kept, gone, moved, other_project, gold_gone, other_tool):
        write_json(record_path(out, d), d.to_dict())
    (out / "passes/doc-e").mkdir(parents=True)
    (out / "passes/doc-e/broken.json").write_text("{not json")
    write_json(out / "passes/doc-e/list.json", [1, 2])
    result = PullResult(4, b"[]", "x.json", [kept], [], frozenset({(1, 10), (3, 12)}))

    stale = stale_files(result, out)
    assert [(s.path.relative_to(out).as_posix(), s.gold) for s in stale] == [
        ("passes/doc-a/bob.json", False),
        ("passes/doc-b/ann.json", False),
        ("gold/doc-b.json", True),
    ]
    findings = stale_findings(stale, pruned=False)
    assert [f.check for f in findings] == ["annotate.stale-pass", "annotate.stale-pass", "annotate.stale-gold"]
    assert all(f.severity == "warning" for f in findings)
    assert findings[0].doc_id == "doc-a"
    assert "annotation 11 of task 1" in findings[0].message

    removed = prune(stale)
    assert [p.relative_to(out).as_posix() for p in removed] == ["passes/doc-a/bob.json", "passes/doc-b/ann.json"]
    assert not (out / "passes/doc-b").exists()  # emptied folder removed
    assert (out / "passes/doc-a/ann.json").is_file()
    assert (out / "gold/doc-b.json").is_file()
    assert (out / "passes/doc-c/ann.json").is_file()
    assert (out / "passes/doc-d/bob.json").is_file()
    assert (out / "passes/doc-e/broken.json").is_file()
    assert stale_files(result, out) == [stale[2]]  # only the gold file is left to report
