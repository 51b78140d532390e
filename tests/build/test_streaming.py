"""The streamed build: same release as the in-memory rendering, few documents held, failures leave no trace.

The reference here is the previous build, kept as test code: every config's rows derived for the
whole corpus at once (``views.derive``) and encoded by ``datasets`` itself (``Dataset.from_dict``,
one table per row group), written with the same parquet options. The streamed build must give the
same parquet bytes, and ``load_dataset`` must read back the same rows.
"""

from __future__ import annotations

import gc
import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import datasets
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from build_support import expected_records, make_project
from datasets import Dataset, Features, load_dataset
from datasets.arrow_writer import get_parquet_column_options

from newsevents.build import release as release_module
from newsevents.build.collect import CorpusFiles, corpus_records
from newsevents.build.features import CONFIGS, SPLITS, config_features, encode_labels, names_schema
from newsevents.build.meta import redistributable
from newsevents.build.project import build_project
from newsevents.build.release import folder_files, folder_paths
from newsevents.build.views import derive
from newsevents.licenses import license_info
from newsevents.ontology import load_ontology
from newsevents.records import JSON, Document, Finding

ROW_GROUP = 3  # small row groups, so every file of the multi-document project has several
COPIES = 5  # each fixture document is cloned this many times, across splits and licences


def reference_parquet(rows: list[JSON], features: Features) -> bytes:
    """The previous build's encoding: ``datasets`` encodes each row group, ``datasets``' writer options."""
    schema = features.arrow_schema
    sink = pa.BufferOutputStream()
    writer = pq.ParquetWriter(
        sink,
        schema=schema,
        use_content_defined_chunking=datasets.config.DEFAULT_CDC_OPTIONS,
        write_page_index=True,
        **get_parquet_column_options(features, schema),
    )
    for i in range(0, len(rows), ROW_GROUP):
        chunk = rows[i : i + ROW_GROUP]
        writer.write_table(
            Dataset.from_dict({k: [r[k] for r in chunk] for k in features}, features=features).data.table
        )
    writer.add_key_value_metadata({"content_defined_chunking": json.dumps(datasets.config.DEFAULT_CDC_OPTIONS)})
    writer.close()
    return sink.getvalue().to_pybytes()


def redact(row: JSON) -> JSON:
    """The stand-off ``documents`` row of a restricted document, written out independently."""
    out = {**row, "title": None, "text": None}
    out["entity_mentions"] = [{**m, "text": None} for m in row["entity_mentions"]]
    out["event_mentions"] = [{**e, "trigger": {**e["trigger"], "text": None}} for e in row["event_mentions"]]
    out["cleaning"] = {**row["cleaning"], "removed": [{**r, "text": None} for r in row["cleaning"]["removed"]]}
    return out


def multi_project(dest: Path) -> Path:
    """The fixture project with each document cloned across the three splits and both licence kinds."""
    root = make_project(dest)
    corpus, gold = root / "corpus", root / "annotations" / "gold"
    licences = ["CC-BY-4.0", "All rights reserved"]
    for path in sorted(corpus.glob("*.json")):
        rec = json.loads(path.read_text(encoding="utf-8"))
        gold_rec = json.loads((gold / path.name).read_text(encoding="utf-8")) if (gold / path.name).is_file() else None
        for i in range(COPIES):
            doc_id = f"{rec['id']}-{i}"
            split = SPLITS[i % len(SPLITS)]
            clone = {**rec, "id": doc_id, "split": split, "source": {**rec["source"], "license": licences[i % 2]}}
            (corpus / f"{doc_id}.json").write_text(json.dumps(clone), encoding="utf-8")
            if gold_rec is not None:
                (gold / f"{doc_id}.json").write_text(json.dumps({**gold_rec, **clone_meta(clone)}), encoding="utf-8")
    return root


def clone_meta(clone: JSON) -> JSON:
    return {k: clone[k] for k in ("id", "split", "source")}


@pytest.fixture(scope="module")
def streamed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = multi_project(tmp_path_factory.mktemp("streamed") / "project")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(release_module, "PARQUET_BATCH_ROWS", ROW_GROUP)
        result = build_project(root, root / "dist", cleaner=corpus_records)
    assert not result.errors, [str(f) for f in result.errors]
    return root, root / "dist"


def test_streamed_release_equals_the_in_memory_rendering(streamed):
    root, dist = streamed
    onto = load_ontology()
    docs = sorted((Document.from_dict(r) for r in expected_records(root).values()), key=lambda d: d.id)
    assert len(docs) == 3 * (COPIES + 1)
    assert {d.split for d in docs} == set(SPLITS)
    for variant, folder in (("full", dist / "tinyevents-1.2.3"), ("standoff", dist / "tinyevents-1.2.3-standoff")):
        kept = [d for d in docs if variant == "full" or redistributable(d.source.license)]
        views = derive(docs, list(SPLITS))
        kept_views = derive(kept, list(SPLITS))
        release = json.loads((folder / "release.json").read_text(encoding="utf-8"))
        seen = set()
        sizes: list[int] = []
        for config in CONFIGS:
            features = config_features(config, onto)
            for split in SPLITS:
                if config == "documents":
                    by_id = {d.id: d for d in docs}
                    rows = [
                        r if variant == "full" or redistributable(by_id[r["id"]].source.license) else redact(r)
                        for r in views.rows["documents"][split]
                    ]
                else:
                    rows = kept_views.rows[config][split]
                path = release["configs"].get(config, {}).get(split)
                if not rows:
                    assert path is None
                    continue
                seen.add(path)
                sizes.append(len(rows))
                assert (folder / path).read_bytes() == reference_parquet(rows, features), (variant, path)
                got = load_dataset(str(folder), config, split=split, cache_dir=str(root / "hf-cache" / variant))
                assert (
                    got.to_list()
                    == Dataset.from_dict({k: [r[k] for r in rows] for k in features}, features=features).to_list()
                )
                assert release["statistics"]["splits"][split].get(f"{config}_rows", len(rows)) == len(rows)
        assert sum(n > ROW_GROUP for n in sizes) >= 3  # files of several row groups
        assert {p for p in folder_paths(folder) if p.endswith(".parquet")} == seen
        assert release["documents"] == [
            {
                "id": d.id,
                "split": d.split,
                "language": d.language,
                "publisher": d.source.publisher,
                "url": d.source.url,
                "license": d.source.license,
                "license_url": (info.url if (info := license_info(d.source.license)) else None),
                "attribution": ", ".join(d.credits.authors) or d.source.publisher,
                "status": d.provenance.status,
                "raw_sha256": d.source.raw_sha256,
                "text_sha256": d.text_sha256,
            }
            for d in docs
        ]
        assert release["statistics"]["dropped_in_derived_views"] == kept_views.dropped.to_dict()


class CountingSource(Sequence[Document]):
    """A cleaner's output that makes each Document when asked and records how many are alive then."""

    def __init__(self, records: list[JSON]) -> None:
        self.records = records
        self.reads = 0
        self.most_alive = 0

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        self.reads += 1
        gc.collect()
        alive = sum(isinstance(o, Document) for o in gc.get_objects())
        self.most_alive = max(self.most_alive, alive)
        return Document.from_dict(self.records[index])


def test_the_build_holds_a_bounded_number_of_documents(tmp_path):
    """Whatever the corpus size, a build has at most a few Documents alive (counted, not timed)."""
    root = multi_project(tmp_path / "project")
    records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((root / "corpus").glob("*.json"))]
    source = CountingSource(records)

    def cleaner(_: Path) -> tuple[Sequence[Document], list[Finding]]:
        return source, []

    gc.collect()
    before = sum(isinstance(o, Document) for o in gc.get_objects())
    result = build_project(root, root / "dist", cleaner=cleaner)
    assert not result.errors, [str(f) for f in result.errors]
    assert len(records) == 18
    assert source.reads == 2 * len(records)  # one validating pass, one rendering pass: each record read twice
    assert source.most_alive - before <= 2, source.most_alive  # the document being read and, at most, the previous one


def test_corpus_files_read_lazily_and_fail_loudly_when_a_file_changes(tmp_path):
    root = make_project(tmp_path / "project")
    docs, findings = corpus_records(root)
    assert findings == []
    assert isinstance(docs, CorpusFiles)
    assert [d.id for d in docs] == ["tiny-attack", "tiny-open", "tiny-plain"]
    (root / "corpus" / "tiny-open.json").write_text("{", encoding="utf-8")
    doc, found = docs.read_checked(1)
    assert doc is None
    assert found
    assert found[0].check.startswith("io.")
    with pytest.raises(RuntimeError, match="first pass"):
        docs[1]


class FailingSource(CountingSource):
    """Fails on the given read, after the first pass: the build dies half-way through writing."""

    def __init__(self, records: list[JSON], fail_at: int) -> None:
        super().__init__(records)
        self.fail_at = fail_at

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        self.reads += 1
        if self.reads == self.fail_at:
            raise OSError("disk went away")
        return Document.from_dict(self.records[index])


@pytest.mark.parametrize("same_version", [True, False], ids=["same-version", "new-version"])
def test_a_failed_build_leaves_the_earlier_release_intact(tmp_path, same_version):
    root = multi_project(tmp_path / "project")
    dist = root / "dist"
    first = build_project(root, dist, cleaner=corpus_records)
    assert not first.errors
    before = {p.name: folder_files(p) for p in dist.iterdir()}
    assert set(before) == {"tinyevents-1.2.3", "tinyevents-1.2.3-standoff"}
    if not same_version:
        toml = root / "dataset.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace("1.2.3", "1.3.0"), encoding="utf-8")
        changelog = root / "CHANGELOG.md"
        changelog.write_text(changelog.read_text(encoding="utf-8") + "\n## 1.3.0\n\n- A new version.\n")
    records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((root / "corpus").glob("*.json"))]
    source = FailingSource(records, fail_at=len(records) + len(records) // 2)  # half-way through rendering

    def cleaner(_: Path) -> tuple[Sequence[Document], list[Finding]]:
        return source, []

    with pytest.raises(OSError, match="disk went away"):
        build_project(root, dist, cleaner=cleaner)
    assert {p.name: folder_files(p) for p in dist.iterdir()} == before  # nothing new, nothing changed
    assert not [p for p in dist.iterdir() if p.name.startswith(".")]  # no staging folder left behind
    shutil.rmtree(dist)


def test_label_names_become_datasets_integers_and_unknown_names_are_refused():
    onto = load_ontology()
    features = config_features("ner", onto)
    rows = [
        {"doc_id": "d", "sent_id": "d-0", "tokens": ["Iran", "said"], "ner_tags": ["B-GPE", "O"]},
        {"doc_id": "d", "sent_id": "d-1", "tokens": [], "ner_tags": []},
    ]
    table = encode_labels(pa.Table.from_pylist(rows, schema=names_schema(features)), features)
    assert table.to_pylist() == [features.encode_example(r) for r in rows]
    bad = pa.Table.from_pylist([{**rows[0], "ner_tags": ["B-GPE", "B-NOPE"]}], schema=names_schema(features))
    with pytest.raises(ValueError, match="B-NOPE"):
        encode_labels(bad, features)


def test_the_collector_thresholds_are_restored_after_a_build(tmp_path):
    before = gc.get_threshold()
    root = make_project(tmp_path / "project")
    assert not build_project(root, root / "dist", cleaner=corpus_records).errors
    assert gc.get_threshold() == before
