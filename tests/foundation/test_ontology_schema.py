"""The ontology, the JSON Schema and the resource loader agree."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from newsevents.ontology import load_ontology
from newsevents.resources import schema_dir
from newsevents.schema import load_schema, render_schema

REPO = Path(__file__).resolve().parents[2]


def test_committed_schema_is_generated_from_the_ontology() -> None:
    assert (REPO / "schema" / "document.schema.json").read_text(encoding="utf-8") == render_schema()


def test_schema_enums_come_from_the_ontology() -> None:
    onto = load_ontology()
    props = load_schema()["properties"]
    mention = props["entity_mentions"]["items"]["properties"]
    event = props["event_mentions"]["items"]["properties"]
    assert mention["type"]["enum"] == list(onto.raw["entity_types"])
    assert mention["kind"]["enum"] == list(onto.raw["mention_kinds"])
    assert event["type"]["enum"] == list(onto.raw["event_types"])
    assert event["realis"]["enum"] == list(onto.raw["realis"])
    roles = {r for spec in onto.raw["event_types"].values() for r in spec["roles"]}
    assert set(event["arguments"]["items"]["properties"]["role"]["enum"]) == roles


def test_ontology_is_complete_and_closed() -> None:
    onto = load_ontology()
    assert onto.entity_types == ("PER", "ORG", "GPE", "LOC", "FAC", "VEH", "WEA", "TIME", "TTL")
    assert onto.mention_kinds == ("NAM", "NOM", "PRO")
    assert onto.realis == ("actual", "generic", "other")
    assert len(onto.event_types) == 14
    for name, et in onto.event_types.items():
        assert {"Place", "Time"} <= set(et.roles), name
        for role, types in et.roles.items():
            assert types, (name, role)
            assert set(types) <= set(onto.entity_types), (name, role)
    assert onto.allowed_types("Life:Die", "Victim") == ("PER",)
    assert onto.allowed_types("Conflict:Attack", "Instrument") == ("WEA", "VEH")
    assert onto.allowed_types("Personnel:End-Position", "Position") == ("TTL",)
    assert set(onto.from_ontonotes.values()) <= set(onto.entity_types)
    for name, spec in onto.raw["entity_types"].items():
        for label in spec["ontonotes"]:
            assert label in onto.from_ontonotes or label == "PRODUCT", (name, label)


def test_loader_finds_repository_schema() -> None:
    assert (schema_dir() / "ontology.json").read_bytes() == (REPO / "schema" / "ontology.json").read_bytes()


@pytest.mark.slow
def test_installed_wheel_carries_the_repository_schema(tmp_path: Path) -> None:
    """Build a real wheel, install it into an empty target, and load the schema from there."""
    wheel_dir = tmp_path / "wheel"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheel_dir),
            str(REPO),
        ],
        check=True,
    )
    [wheel] = wheel_dir.glob("newsevents-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    assert "newsevents/schema/ontology.json" in names
    assert "newsevents/schema/document.schema.json" in names
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)], check=True
    )
    code = (
        "import json, newsevents.resources as r, newsevents.ontology as o;"
        "print(json.dumps([str(r.schema_dir()), o.load_ontology().version]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(target)},
        cwd=tmp_path,
    ).stdout
    where, version = json.loads(out)
    assert Path(where) == target / "newsevents" / "schema"
    for name in ("ontology.json", "document.schema.json"):
        assert (Path(where) / name).read_bytes() == (REPO / "schema" / name).read_bytes()
    assert version == json.loads((REPO / "schema" / "ontology.json").read_text(encoding="utf-8"))["version"]
