"""load_dataset on a built folder returns the canonical records and their derivations, typed."""

from __future__ import annotations

import shutil

import pytest
from build_support import build_fixture, expected_records, make_project
from datasets import ClassLabel, load_dataset
from seqeval.metrics.sequence_labeling import get_entities

from newsevents.build.features import documents_features, ner_features, sentences_features
from newsevents.build.views import row_to_record
from newsevents.ontology import load_ontology


def test_documents_config_round_trips_to_the_canonical_records(built, tmp_path):
    expected = expected_records(built.root)
    onto = load_ontology()
    seen = set()
    for split in ("train", "test"):
        ds = load_dataset(str(built.full), "documents", split=split, cache_dir=str(tmp_path))
        assert ds.features == documents_features(onto)
        records = [row_to_record(row, ds.features) for row in ds]
        assert records == [expected[r["id"]] for r in records]
        assert all(r["split"] == split for r in records)
        seen |= {r["id"] for r in records}
    assert seen == set(expected)


def test_closed_sets_are_class_labels_stored_as_integers(built, tmp_path):
    ds = load_dataset(str(built.full), "documents", split="test", cache_dir=str(tmp_path))
    mention = ds.features["entity_mentions"].feature
    assert isinstance(mention["type"], ClassLabel)
    assert isinstance(ds.features["event_mentions"].feature["arguments"].feature["role"], ClassLabel)
    row = ds[0]
    first = row["entity_mentions"][0]
    assert isinstance(first["type"], int)
    assert (
        mention["type"].int2str(first["type"]) == expected_records(built.root)[row["id"]]["entity_mentions"][0]["type"]
    )


def test_sentences_config_has_oneie_fields_in_token_offsets(built, tmp_path):
    ds = load_dataset(str(built.full), "sentences", split="test", cache_dir=str(tmp_path))
    assert ds.features == sentences_features()
    text = expected_records(built.root)["tiny-attack"]["text"]
    rows = list(ds)
    assert [r["sent_id"] for r in rows] == [f"tiny-attack-{i}" for i in range(4)]
    for r in rows:
        assert [text[a:b] for a, b in r["token_offsets"]] == r["tokens"]
        for m in r["entity_mentions"]:
            a, b = r["token_offsets"][m["start"]][0], r["token_offsets"][m["end"] - 1][1]
            assert text[a:b] == m["text"]
        for e in r["event_mentions"]:
            a, b = r["token_offsets"][e["trigger"]["start"]][0], r["token_offsets"][e["trigger"]["end"] - 1][1]
            assert text[a:b] == e["trigger"]["text"]
    # "The US said Sunday that militia fighters attacked the K1 base in Kirkuk."
    s1 = rows[1]
    attack = next(e for e in s1["event_mentions"] if e["event_type"] == "Conflict:Attack")
    assert attack["trigger"] == {"start": 7, "end": 8, "text": "attacked"}
    assert sorted((a["role"], a["text"]) for a in attack["arguments"]) == [
        ("Attacker", "militia fighters"),
        ("Place", "Kirkuk"),
        ("Target", "the K1 base in Kirkuk"),
    ]
    # "Four US soldiers were wounded.": the Agent ("militia fighters") is in the sentence before.
    injure = rows[2]["event_mentions"][0]
    assert [(a["role"], a["entity_id"]) for a in injure["arguments"]] == [("Victim", "m7")]


def test_ner_config_flattens_nested_mentions_outermost_wins(built, tmp_path):
    ds = load_dataset(str(built.full), "ner", split="test", cache_dir=str(tmp_path))
    onto = load_ontology()
    assert ds.features == ner_features(onto)
    tags_feature = ds.features["ner_tags"].feature
    sents = {r["sent_id"]: r for r in load_dataset(str(built.full), "sentences", split="test", cache_dir=str(tmp_path))}
    for row in ds:
        tags = [tags_feature.int2str(t) for t in row["ner_tags"]]
        assert row["tokens"] == sents[row["sent_id"]]["tokens"]
        # seqeval reads back exactly the mentions not inside another one
        mentions = sents[row["sent_id"]]["entity_mentions"]
        outer = {
            (m["entity_type"], m["start"], m["end"] - 1)
            for m in mentions
            if not any(o is not m and o["start"] <= m["start"] and m["end"] <= o["end"] for o in mentions)
        }
        assert set(get_entities(tags)) == outer
    last = next(r for r in ds if r["sent_id"] == "tiny-attack-3")
    assert [tags_feature.int2str(t) for t in last["ner_tags"]] == [
        "B-PER",
        "I-PER",
        "I-PER",
        "I-PER",
        "I-PER",
        "I-PER",
        "O",
        "O",
        "B-GPE",
        "O",
        "O",
    ]


def test_without_annotations_derived_configs_are_not_declared(tmp_path):
    """datasets cannot load a split without rows: unannotated documents give no sentences/ner config."""
    root = make_project(tmp_path / "project")
    shutil.rmtree(root / "annotations" / "gold")
    b = build_fixture(root)
    assert list(b.result.rendered["full"].data_files) == ["documents"]
    docs = load_dataset(str(b.full), "documents", split="train", cache_dir=str(tmp_path / "c"))
    assert len(docs) == 2
    card = (b.full / "README.md").read_text(encoding="utf-8")
    assert "Not in this release: `sentences`, `ner`" in card
    with pytest.raises(ValueError, match="sentences"):
        load_dataset(str(b.full), "sentences", split="train", cache_dir=str(tmp_path / "c"))
