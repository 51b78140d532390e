"""Helpers of the build tests: the fixture project, the records it must release, a build of it."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from newsevents.build.collect import corpus_records
from newsevents.build.project import BuildResult, build_project
from newsevents.records import Document

HERE = Path(__file__).parent
CASES = HERE / "cases"
REPO = HERE.parent.parent


def make_project(dest: Path) -> Path:
    """A fixture project root: seeds (with manifest), corpus, gold annotations, dataset.toml, datasheet."""
    shutil.copytree(CASES / "project", dest)
    shutil.copy(REPO / "DATASHEET.md", dest / "DATASHEET.md")
    return dest


def expected_records(root: Path) -> dict[str, dict]:
    """The canonical records a build of ``root`` must release, computed here independently:
    each corpus record with the annotations and provenance of its gold record, if any."""
    out = {}
    for path in sorted((root / "corpus").glob("*.json")):
        rec = json.loads(path.read_text(encoding="utf-8"))
        gold_path = root / "annotations" / "gold" / path.name
        if gold_path.is_file():
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            rec = {
                **rec,
                "entity_mentions": gold["entity_mentions"],
                "event_mentions": gold["event_mentions"],
                "provenance": gold["provenance"],
            }
        out[rec["id"]] = Document.from_dict(rec).to_dict()
    return out


@dataclass
class Built:
    root: Path
    dist: Path
    result: BuildResult

    @property
    def full(self) -> Path:
        return self.result.installed["full"].folder

    @property
    def standoff(self) -> Path:
        return self.result.installed["standoff"].folder


def build_fixture(root: Path, dist: Path | None = None) -> Built:
    dist = dist or root / "dist"
    result = build_project(root, dist, cleaner=corpus_records)
    assert not result.errors, [str(f) for f in result.errors]
    return Built(root, dist, result)
