"""croissant.json is valid Croissant 1.1 for mlcroissant, which reads the same records as datasets."""

from __future__ import annotations

import hashlib
import json

import mlcroissant as mlc
from datasets import load_dataset


def test_croissant_validates_and_reads_the_records(built, tmp_path):
    path = built.full / "croissant.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["conformsTo"] == "http://mlcommons.org/croissant/1.1"
    assert doc["version"] == "1.2.3"
    ds = mlc.Dataset(jsonld=str(path))  # raises on validation errors
    assert {rs.name for rs in ds.metadata.record_sets} == {"documents", "sentences", "ner"}
    for config, key in (("documents", "id"), ("sentences", "sent_id"), ("ner", "sent_id")):
        via_croissant = sorted(r[f"{config}/{key}"].decode() for r in ds.records(record_set=config))
        via_datasets = sorted(
            row[key]
            for split in ("train", "test")
            for row in load_dataset(str(built.full), config, split=split, cache_dir=str(tmp_path))
        )
        assert via_croissant == via_datasets
    ner = {r["ner/sent_id"].decode(): r for r in ds.records(record_set="ner")}
    row = ner["tiny-attack-0"]
    assert [t.decode() for t in row["ner/tokens"]] == ["Militia", "hits", "US", "base"]
    assert list(row["ner/ner_tags"]) == [0, 0, 5, 0]  # B-GPE is label 5: O, B-PER, I-PER, B-ORG, I-ORG, B-GPE


def test_croissant_file_hashes_match_the_files(built):
    doc = json.loads((built.full / "croissant.json").read_text(encoding="utf-8"))
    objects = [d for d in doc["distribution"] if d["@type"] == "cr:FileObject"]
    assert objects
    for obj in objects:
        assert hashlib.sha256((built.full / obj["contentUrl"]).read_bytes()).hexdigest() == obj["sha256"]
