"""A release folder in the Hugging Face Hub layout, rendered in memory, written all at once.

:func:`render_release` is pure: records in, ``{relative path: bytes}`` out, byte-identical for the
same inputs (no timestamps; parquet written with ``datasets``' writer options and a pinned batch
size; documents sorted by id). Each config and split is derived and encoded one batch of rows at a
time, so the rows of all configs are never held at once. Each parquet file's name carries the first 12 hex digits of its sha256, so a changed
file always has a new name and the ``datasets`` cache (keyed on the card's YAML) never serves a
stale copy. :func:`install` moves a rendered release into place and refuses to replace a version
folder whose content differs.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import datasets
import pyarrow as pa
import pyarrow.parquet as pq
from datasets import Dataset, Features
from datasets.arrow_writer import get_parquet_column_options

from newsevents import __version__
from newsevents.build.card import CardContext, CardInputs, render_card
from newsevents.build.croissant import build_croissant
from newsevents.build.features import CONFIGS, SPLITS, config_features
from newsevents.build.meta import DatasetMeta, redistributable
from newsevents.build.stats import compute_stats
from newsevents.build.views import Dropped, document_row, is_annotated, ner_row, sentence_rows
from newsevents.io import atomic_write_bytes, dump_json
from newsevents.ontology import Ontology, load_ontology
from newsevents.records import JSON, Document
from newsevents.text import TOKENIZER

PARQUET_BATCH_ROWS = 1000
ENCODE_ROWS = 50  # divides PARQUET_BATCH_ROWS
VARIANTS = ("full", "standoff")
STANDOFF_SUFFIX = "-standoff"
REHYDRATE_FILE = "rehydrate.json"


def parquet_bytes(rows: Iterable[JSON], features: Features) -> tuple[bytes, int, int]:
    """Rows encoded with ``features`` and written as ``datasets`` would write them, batch by batch.

    The same writer and options as ``Dataset.to_parquet`` (schema, content-defined chunking, page
    index, column options, one row group per :data:`PARQUET_BATCH_ROWS` rows), but only one batch of
    rows is ever encoded at a time, so the file never needs the whole split in memory as rows and
    Arrow columns at once.

    Returns the file's bytes, the Arrow size of the rows (the card's ``num_bytes``) and the number
    of rows; ``(b"", 0, 0)`` when there are none.
    """
    schema = features.arrow_schema
    buf = io.BytesIO()
    writer: pq.ParquetWriter | None = None
    nbytes = 0
    count = 0
    cdc = datasets.config.DEFAULT_CDC_OPTIONS
    it = iter(rows)
    while True:
        # a row group's rows are encoded ENCODE_ROWS at a time: a documents row is large
        chunks = []
        for _ in range(PARQUET_BATCH_ROWS // ENCODE_ROWS):
            batch_rows = list(itertools.islice(it, ENCODE_ROWS))
            if not batch_rows:
                break
            columns = {name: [r[name] for r in batch_rows] for name in features}
            count += len(batch_rows)
            del batch_rows
            chunks.append(Dataset.from_dict(columns, features=features).data.table)
            del columns
        if not chunks:
            break
        table = pa.concat_tables(chunks).combine_chunks()  # one chunk: the bytes to_parquet wrote
        del chunks
        if writer is None:
            writer = pq.ParquetWriter(  # type: ignore[no-untyped-call]  # pyarrow ships no type hints
                buf,
                schema=schema,
                use_content_defined_chunking=cdc,
                write_page_index=True,
                **get_parquet_column_options(features, schema),
            )
        writer.write_table(table)  # type: ignore[no-untyped-call]
        nbytes += table.nbytes
        del table
    if writer is None:
        return b"", 0, 0
    writer.add_key_value_metadata({"content_defined_chunking": json.dumps(cdc)})  # type: ignore[no-untyped-call]
    writer.close()  # type: ignore[no-untyped-call]
    return buf.getvalue(), nbytes, count


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def splits_of(docs: list[Document]) -> list[str]:
    """The splits that have documents, in the canonical order; every config declares all of them."""
    present = {d.split for d in docs}
    return [s for s in SPLITS if s in present]


def _redact_row(row: JSON) -> JSON:
    """The stand-off form of a ``documents`` row: no text of the publisher's, offsets and hashes kept."""
    out = dict(row)
    out["title"] = None
    out["text"] = None
    out["entity_mentions"] = [{**m, "text": None} for m in row["entity_mentions"]]
    out["event_mentions"] = [{**e, "trigger": {**e["trigger"], "text": None}} for e in row["event_mentions"]]
    if row["cleaning"] is not None:
        out["cleaning"] = {**row["cleaning"], "removed": [{**r, "text": None} for r in row["cleaning"]["removed"]]}
    return out


def config_rows(docs: list[Document], config: str, split: str, variant: str, dropped: Dropped) -> Iterator[JSON]:
    """The rows of one config and split, one document at a time (``docs`` sorted by id).

    The stand-off variant derives ``sentences`` and ``ner`` from redistributable documents only and
    redacts the restricted documents' ``documents`` rows. ``dropped`` counts the derivations' drops
    of ``sentences`` (sentence-level reasons) and ``ner`` (``ner.*``), so each config must be
    iterated once.
    """
    for doc in docs:
        if doc.split != split:
            continue
        if config == "documents":
            row = document_row(doc)
            yield row if variant == "full" or redistributable(doc.source.license) else _redact_row(row)
            continue
        if not is_annotated(doc) or (variant == "standoff" and not redistributable(doc.source.license)):
            continue
        if config == "sentences":
            yield from sentence_rows(doc, dropped)
        else:
            for sent in sentence_rows(doc, Dropped()):  # counted by the sentences config
                yield ner_row(sent, dropped)


@dataclass
class Rendered:
    """A release in memory: its files and the facts ``release.json`` records."""

    files: dict[str, bytes]
    release: JSON
    data_files: dict[str, dict[str, str]] = field(default_factory=dict)


def render_release(
    docs: list[Document],
    meta: DatasetMeta,
    inputs: CardInputs,
    *,
    variant: str = "full",
    manifest_sha256: dict[str, str] | None = None,
    seeds: dict[str, JSON] | None = None,
    onto: Ontology | None = None,
) -> Rendered:
    """Every file of the release folder; pure and deterministic.

    ``seeds`` (stand-off only): per withheld document, what re-running the cleaner needs (see
    :func:`newsevents.build.collect.seed_facts`), written to ``rehydrate.json``.
    """
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}, found {variant!r}")
    onto = onto or load_ontology()
    docs = sorted(docs, key=lambda d: d.id)
    splits = splits_of(docs)
    dropped = Dropped()
    row_counts: dict[str, dict[str, int]] = {}
    files: dict[str, bytes] = {}
    # datasets cannot load a split without rows: a config declares only its non-empty splits, and a
    # config with no rows at all (no annotated document yet) is left out; the card says so.
    data_files: dict[str, dict[str, str]] = {}
    split_info: dict[str, list[JSON]] = {}
    features_yaml: dict[str, Any] = {}
    for config in CONFIGS:
        features = config_features(config, onto)
        for split in splits:
            data, nbytes, count = parquet_bytes(config_rows(docs, config, split, variant, dropped), features)
            row_counts.setdefault(config, {})[split] = count
            if not count:
                continue
            features_yaml[config] = features._to_yaml_list()  # noqa: SLF001 - the card format datasets reads back
            data_files.setdefault(config, {})
            split_info.setdefault(config, [])
            split_info[config].append({"name": split, "num_bytes": nbytes, "num_examples": count})
            path = f"data/{config}/{split}-{sha256(data)[:12]}.parquet"
            files[path] = data
            data_files[config][split] = path
    stats = compute_stats(docs, splits, row_counts, dropped)
    doc_facts = [
        {
            "id": d.id,
            "split": d.split,
            "language": d.language,
            "publisher": d.source.publisher,
            "url": d.source.url,
            "license": d.source.license,
            "status": d.provenance.status,
            "raw_sha256": d.source.raw_sha256,
            "text_sha256": d.text_sha256,
        }
        for d in docs
    ]
    release: JSON = {
        "name": meta.name,
        "version": meta.version,
        "variant": variant,
        "tokenizer": TOKENIZER,
        "ontology_version": onto.version,
        "builder": {"newsevents": __version__, "datasets": datasets.__version__, "pyarrow": pa.__version__},
        "source_manifests": dict(sorted((manifest_sha256 or {}).items())),
        "documents": doc_facts,
        "configs": data_files,
        "statistics": stats,
    }
    ctx = CardContext(meta, onto, stats, doc_facts, variant, data_files, features_yaml, split_info, inputs)
    files["README.md"] = render_card(ctx).encode("utf-8")
    files["CHANGELOG.md"] = inputs.changelog.encode("utf-8")
    parquet_sha = {p: sha256(b) for p, b in files.items() if p.endswith(".parquet")}
    files["croissant.json"] = dump_json(build_croissant(meta, variant, parquet_sha)).encode("utf-8")
    files["release.json"] = dump_json(release).encode("utf-8")
    if variant == "standoff":
        rehydration = {
            "meta": meta.to_dict(),
            "card_inputs": inputs.to_dict(),
            "source_manifests": release["source_manifests"],
            "seeds": dict(sorted((seeds or {}).items())),
        }
        files[REHYDRATE_FILE] = dump_json(rehydration).encode("utf-8")
    files["SHA256SUMS"] = "".join(f"{sha256(files[p])}  {p}\n" for p in sorted(files)).encode("utf-8")
    return Rendered(dict(sorted(files.items())), release, data_files)


def folder_files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative POSIX path -> bytes); hidden files ignored."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    }


@dataclass(frozen=True, slots=True)
class Installed:
    folder: Path
    status: str  # "written", "unchanged" or "refused"
    differing: tuple[str, ...] = ()


def install(files: dict[str, bytes], folder: Path) -> Installed:
    """Write the release to ``folder``; an existing folder must hold exactly these files.

    Writes go to a sibling staging folder renamed into place at the end, so a failed build leaves
    no half-written version folder and never touches an earlier one.
    """
    if folder.exists():
        existing = folder_files(folder)
        differing = sorted(p for p in set(existing) | set(files) if existing.get(p) != files.get(p))
        return Installed(folder, "refused" if differing else "unchanged", tuple(differing))
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        for rel, data in files.items():
            atomic_write_bytes(staging / rel, data)
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Installed(folder, "written")
