"""A release folder in the Hugging Face Hub layout, written one document at a time.

:func:`write_release` streams documents (ordered by split, then id) into one staging folder per
variant: each config's parquet file of a split is written row group by row group as the documents
arrive, so the build holds one document and at most one row group per open file, never the corpus.
The card's statistics are counted on the way; the card, ``croissant.json``, ``release.json`` and
``SHA256SUMS`` are written at the end. The output is byte-identical for the same inputs (no
timestamps; parquet written with ``datasets``' writer options and a pinned row group size). Each
parquet file's name carries the first 12 hex digits of its sha256, so a changed file always has a
new name and the ``datasets`` cache (keyed on the card's YAML) never serves a stale copy.

:func:`install_staged` renames a staging folder into place and refuses to replace a version folder
whose content differs. :func:`render_release` is the same rendering into memory, for small
releases (rehydration, tests).
"""

from __future__ import annotations

import filecmp
import hashlib
import json
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import datasets
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from datasets import Features
from datasets.arrow_writer import get_parquet_column_options

from newsevents import __version__, progress
from newsevents.build.card import CardContext, CardInputs, render_card
from newsevents.build.croissant import build_croissant
from newsevents.build.features import CONFIGS, SPLITS, config_features, encode_labels, names_schema
from newsevents.build.meta import DatasetMeta, redistributable
from newsevents.build.stats import StatsBuilder
from newsevents.build.views import Dropped, document_row, is_annotated, ner_row, sentence_rows
from newsevents.io import atomic_write_bytes, dump_json
from newsevents.licenses import license_info
from newsevents.ontology import Ontology, load_ontology
from newsevents.records import JSON, Document
from newsevents.text import TOKENIZER

PARQUET_BATCH_ROWS = 1000  # rows per row group: part of the bytes, so pinned
ENCODE_ROWS = 50  # rows held as Python objects before they go to Arrow: a documents row is large
VARIANTS = ("full", "standoff")
STANDOFF_SUFFIX = "-standoff"
REHYDRATE_FILE = "rehydrate.json"
_HASH_CHUNK = 1 << 20


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_HASH_CHUNK):
            h.update(chunk)
    return h.hexdigest()


class ParquetSink:
    """One parquet file written as ``datasets`` writes it, one row group at a time.

    The same schema and options as ``Dataset.to_parquet`` (content-defined chunking, page index,
    column options, one row group per :data:`PARQUET_BATCH_ROWS` rows). It takes rows already in
    Arrow with the features' schema (see :class:`_Rows`), in tables of any size.
    """

    def __init__(self, path: Path, features: Features, schema: pa.Schema | None = None) -> None:
        self.path = path
        self.features = features
        self.schema = schema or features.arrow_schema
        self.chunks: list[pa.Table] = []  # the current row group so far
        self.chunk_rows = 0
        self.writer: pq.ParquetWriter | None = None
        self.count = 0
        self.nbytes = 0

    def add_table(self, table: pa.Table) -> None:
        """Add rows already in Arrow, with the features' schema; whole row groups are written at once."""
        if not table.num_rows:
            return
        self.chunks.append(table)
        self.chunk_rows += table.num_rows
        while self.chunk_rows >= PARQUET_BATCH_ROWS:
            whole = pa.concat_tables(self.chunks)
            rest = whole.slice(PARQUET_BATCH_ROWS)
            self._write(whole.slice(0, PARQUET_BATCH_ROWS))
            self.chunks, self.chunk_rows = ([rest], rest.num_rows) if rest.num_rows else ([], 0)

    def _write(self, table: pa.Table) -> None:
        """Write one row group (one chunk per column, as ``to_parquet`` has them)."""
        table = table.combine_chunks()
        if self.writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.writer = pq.ParquetWriter(  # type: ignore[no-untyped-call]  # pyarrow ships no type hints
                str(self.path),
                schema=self.schema,
                use_content_defined_chunking=datasets.config.DEFAULT_CDC_OPTIONS,
                write_page_index=True,
                **get_parquet_column_options(self.features, self.schema),
            )
        self.writer.write_table(table)  # type: ignore[no-untyped-call]
        self.count += table.num_rows
        self.nbytes += table.nbytes

    def close(self) -> bool:
        """Finish the file; False when it got no rows (no file is written then)."""
        if self.chunks:
            self._write(pa.concat_tables(self.chunks))
            self.chunks, self.chunk_rows = [], 0
        if self.writer is None:
            return False
        cdc = json.dumps(datasets.config.DEFAULT_CDC_OPTIONS)
        self.writer.add_key_value_metadata({"content_defined_chunking": cdc})  # type: ignore[no-untyped-call]
        self.writer.close()  # type: ignore[no-untyped-call]
        return True


def split_order(split: str, doc_id: str) -> tuple[int, str]:
    """The order :func:`write_release` takes documents in: by split (canonical order), then id."""
    return (SPLITS.index(split) if split in SPLITS else len(SPLITS), doc_id)


# The stand-off variant's nulls (the publisher's text), as paths into the documents row.
REDACTED = (
    ("title",),
    ("text",),
    ("entity_mentions", "text"),
    ("event_mentions", "trigger", "text"),
    ("cleaning", "removed", "text"),
)


def _null_where(arr: pa.Array, path: tuple[str, ...], mask: pa.Array) -> pa.Array:
    """``arr`` with the value at ``path`` (through structs and lists) null in the rows where ``mask``."""
    nulls = arr.is_null() if arr.null_count else None
    if not path:
        nulled = pc.call_function("if_else", [mask, pa.scalar(None, arr.type), arr])  # type: ignore[attr-defined]
        # if_else keeps the whole text buffer behind the nulls; take() copies only what is left, so
        # the card's num_bytes (the Arrow size) does not count the withheld text
        return nulled.take(pa.array(range(len(nulled)), pa.int32()))
    if pa.types.is_struct(arr.type):
        fields = list(arr.type)
        children = [
            _null_where(arr.field(f.name), path[1:], mask) if f.name == path[0] else arr.field(f.name) for f in fields
        ]
        return pa.StructArray.from_arrays(children, fields=fields, mask=nulls)
    # a list: each element takes the mask of its row
    parents = pc.call_function("list_parent_indices", [arr])  # type: ignore[attr-defined]
    values = _null_where(arr.flatten(), path, mask.take(parents))
    offsets = pc.call_function("subtract", [arr.offsets, arr.offsets[0]])  # type: ignore[attr-defined]
    return pa.ListArray.from_arrays(offsets, values, type=arr.type, mask=nulls)


def redact_table(table: pa.Table, restricted: pa.Array) -> pa.Table:
    """The stand-off form of ``documents`` rows: :data:`REDACTED` null where ``restricted`` (Arrow)."""
    columns = {name: table.column(name).combine_chunks() for name in table.column_names}
    for path in REDACTED:
        columns[path[0]] = _null_where(columns[path[0]], path[1:], restricted)
    return pa.Table.from_arrays(list(columns.values()), schema=table.schema)


def license_url(value: str) -> str | None:
    info = license_info(value)
    return info.url if info else None


def doc_facts(d: Document) -> JSON:
    """A document's entry in ``release.json`` and the card's sources table."""
    return {
        "id": d.id,
        "split": d.split,
        "language": d.language,
        "publisher": d.source.publisher,
        "url": d.source.url,
        "license": d.source.license,
        "license_url": license_url(d.source.license),
        # The credit a licence that requires attribution asks for: the byline (for Wikinews:
        # "Wikinews contributors"), with the URL above.
        "attribution": ", ".join(d.credits.authors) or d.source.publisher,
        "status": d.provenance.status,
        "raw_sha256": d.source.raw_sha256,
        "text_sha256": d.text_sha256,
    }


@dataclass
class Written:
    """What a written release records (``release.json``) and where its data files are."""

    folder: Path
    release: JSON
    data_files: dict[str, dict[str, str]] = field(default_factory=dict)  # config -> split -> path


@dataclass
class Rendered:
    """A release in memory: its files and the facts ``release.json`` records."""

    files: dict[str, bytes]
    release: JSON
    data_files: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class _Split:
    """One split's open parquet files of one variant, by config."""

    name: str
    sinks: dict[str, ParquetSink]


class _VariantWriter:
    """The files of one variant in its staging folder, split by split."""

    def __init__(self, variant: str, folder: Path, features: dict[str, Features]) -> None:
        self.variant = variant
        self.folder = folder
        self.features = features
        self.schemas = {c: f.arrow_schema for c, f in features.items()}
        self.dropped = Dropped()
        self.row_counts: dict[str, dict[str, int]] = {}
        self.written: dict[tuple[str, str], tuple[str, int, int]] = {}  # (config, split) -> path, bytes, rows
        self.parquet_sha: dict[str, str] = {}
        self.split: _Split | None = None

    def begin(self, split: str) -> None:
        self.end()
        sinks = {
            c: ParquetSink(self.folder / "data" / c / f".{split}.parquet.partial", f, self.schemas[c])
            for c, f in self.features.items()
        }
        self.split = _Split(split, sinks)

    def end(self) -> None:
        if self.split is None:
            return
        split, self.split = self.split, None
        for config, sink in split.sinks.items():
            closed = sink.close()
            self.row_counts.setdefault(config, {})[split.name] = sink.count
            if not closed:
                continue
            digest = file_sha256(sink.path)
            rel = f"data/{config}/{split.name}-{digest[:12]}.parquet"
            sink.path.rename(self.folder / rel)
            self.parquet_sha[rel] = digest
            self.written[config, split.name] = (rel, sink.nbytes, sink.count)

    def sink(self, config: str) -> ParquetSink:
        assert self.split is not None  # noqa: S101 - begin() is always called first
        return self.split.sinks[config]

    def finish(
        self,
        *,
        meta: DatasetMeta,
        inputs: CardInputs,
        onto: Ontology,
        splits: list[str],
        stats: StatsBuilder,
        facts: list[JSON],
        manifest_sha256: dict[str, str],
        seeds: dict[str, JSON] | None,
    ) -> Written:
        self.end()
        # datasets cannot load a split without rows: a config declares only its non-empty splits, and
        # a config with no rows at all (no annotated document yet) is left out; the card says so.
        data_files: dict[str, dict[str, str]] = {}
        split_info: dict[str, list[JSON]] = {}
        features_yaml: dict[str, Any] = {}
        for config in CONFIGS:
            for split in splits:
                if (config, split) not in self.written:
                    continue
                rel, nbytes, count = self.written[config, split]
                features_yaml[config] = self.features[config]._to_yaml_list()  # noqa: SLF001 - the card format datasets reads back
                data_files.setdefault(config, {})[split] = rel
                split_info.setdefault(config, []).append({"name": split, "num_bytes": nbytes, "num_examples": count})
        statistics = stats.result(splits, self.row_counts, self.dropped)
        release: JSON = {
            "name": meta.name,
            "version": meta.version,
            "variant": self.variant,
            "tokenizer": TOKENIZER,
            "ontology_version": onto.version,
            "builder": {"newsevents": __version__, "datasets": datasets.__version__, "pyarrow": pa.__version__},
            "source_manifests": dict(sorted(manifest_sha256.items())),
            "documents": facts,
            "configs": data_files,
            "statistics": statistics,
        }
        charts = card_charts(statistics, onto, inputs)
        ctx = CardContext(
            meta, onto, statistics, facts, self.variant, data_files, features_yaml, split_info, inputs, tuple(charts)
        )
        files: dict[str, bytes] = {
            "README.md": render_card(ctx).encode("utf-8"),
            "CHANGELOG.md": inputs.changelog.encode("utf-8"),
            "croissant.json": dump_json(build_croissant(meta, self.variant, self.parquet_sha, facts)).encode("utf-8"),
            "release.json": dump_json(release).encode("utf-8"),
        }
        if self.variant == "standoff":
            rehydration = {
                "meta": meta.to_dict(),
                "card_inputs": inputs.to_dict(),
                "source_manifests": release["source_manifests"],
                "seeds": dict(sorted((seeds or {}).items())),
            }
            files[REHYDRATE_FILE] = dump_json(rehydration).encode("utf-8")
        files.update(charts)
        hashes = dict(self.parquet_sha)
        for rel, data in files.items():
            (self.folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (self.folder / rel).write_bytes(data)
            hashes[rel] = sha256(data)
        sums = "".join(f"{hashes[p]}  {p}\n" for p in sorted(hashes))
        (self.folder / "SHA256SUMS").write_bytes(sums.encode("utf-8"))
        return Written(self.folder, release, data_files)


def card_charts(statistics: JSON, onto: Ontology, inputs: CardInputs) -> dict[str, bytes]:
    """The card's charts (relative path -> SVG bytes): counts, and the scores of ``inputs`` when given."""
    from newsevents.build.card import CardError  # noqa: PLC0415
    from newsevents.build.charts import ChartInputError, parse_scores, render_charts  # noqa: PLC0415

    try:
        agreement = (
            parse_scores(inputs.agreement_scores, "agreement", "layer", "value", "docs/annotation-report.json")
            if inputs.agreement_scores
            else None
        )
        baselines = (
            parse_scores(inputs.baseline_scores, "baselines", "label", "f1", "docs/baselines.json")
            if inputs.baseline_scores
            else None
        )
    except ChartInputError as exc:
        raise CardError(str(exc)) from exc
    return render_charts(statistics, onto, agreement=agreement, baselines=baselines)


class _Rows:
    """One config's rows of the current split, shared by the variants: each goes to Arrow once.

    Every :data:`ENCODE_ROWS` rows the buffer becomes one Arrow table; the full variant takes it
    as is, the stand-off variant takes it redacted (``documents``) or without the rows of
    restricted documents (``sentences``, ``ner``).
    """

    def __init__(self, config: str, features: Features, writers: list[_VariantWriter]) -> None:
        self.config = config
        self.features = features
        self.schema = features.arrow_schema
        self.names_schema = names_schema(features)
        self.writers = writers
        self.rows: list[JSON] = []
        self.open: list[bool] = []  # per row: may its document's text be redistributed?

    def add(self, rows: Iterable[JSON], open_text: bool) -> None:
        for row in rows:
            self.rows.append(row)
            self.open.append(open_text)
        if len(self.rows) >= ENCODE_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        table = encode_labels(pa.Table.from_pylist(self.rows, schema=self.names_schema), self.features, self.schema)
        opened = pa.array(self.open, pa.bool_())
        all_open = all(self.open)
        self.rows, self.open = [], []
        for w in self.writers:
            if w.variant == "full" or all_open:
                w.sink(self.config).add_table(table)
            elif self.config == "documents":
                w.sink(self.config).add_table(redact_table(table, pc.invert(opened)))  # type: ignore[attr-defined]
            else:
                w.sink(self.config).add_table(table.filter(opened))


def write_release(
    docs: Iterable[Document],
    folders: dict[str, Path],
    meta: DatasetMeta,
    inputs: CardInputs,
    *,
    manifest_sha256: dict[str, str] | None = None,
    seeds: dict[str, JSON] | None = None,
    onto: Ontology | None = None,
) -> dict[str, Written]:
    """Write each variant of ``folders`` (variant -> empty folder) from ``docs``, streamed.

    ``docs`` must come in :func:`split_order` (split, then id) and are each read once; both variants
    are written in the same pass, so they can never disagree. The stand-off variant derives
    ``sentences`` and ``ner`` from redistributable documents only and redacts the restricted
    documents' ``documents`` rows. ``seeds`` (stand-off only): per withheld document, what re-running
    the cleaner needs (see :func:`newsevents.build.collect.seed_facts`), written to ``rehydrate.json``.
    """
    unknown = sorted(set(folders) - set(VARIANTS))
    if unknown:
        raise ValueError(f"variants must be among {VARIANTS}, found {unknown}")
    onto = onto or load_ontology()
    features = {c: config_features(c, onto) for c in CONFIGS}
    writers = [_VariantWriter(v, folders[v], features) for v in VARIANTS if v in folders]
    shared = {c: _Rows(c, features[c], writers) for c in CONFIGS}
    stats = StatsBuilder()
    facts: list[JSON] = []
    splits: list[str] = []
    last: tuple[int, str] | None = None
    for doc in docs:
        key = split_order(doc.split, doc.id)
        if last is not None and key <= last:
            raise ValueError(f"documents must come by split, then id, without repeats: {doc.id!r} after {last[1]!r}")
        last = key
        if not splits or splits[-1] != doc.split:
            for rows in shared.values():
                rows.flush()
            splits.append(doc.split)
            for w in writers:
                w.begin(doc.split)
        progress.advance()  # a bar on the CLI's terminal, else nothing
        stats.add(doc)
        facts.append(doc_facts(doc))
        open_text = redistributable(doc.source.license)
        shared["documents"].add([document_row(doc)], open_text)
        if not is_annotated(doc):
            continue
        dropped = Dropped()
        sents = sentence_rows(doc, dropped)
        shared["ner"].add([ner_row(s, dropped) for s in sents], open_text)
        shared["sentences"].add(sents, open_text)
        for w in writers:
            if w.variant == "full" or open_text:
                w.dropped.counts.update(dropped.counts)
    for rows in shared.values():
        rows.flush()
    facts.sort(key=lambda f: f["id"])
    return {
        w.variant: w.finish(
            meta=meta,
            inputs=inputs,
            onto=onto,
            splits=splits,
            stats=stats,
            facts=facts,
            manifest_sha256=manifest_sha256 or {},
            seeds=seeds if w.variant == "standoff" else None,
        )
        for w in writers
    }


def render_release(
    docs: Sequence[Document],
    meta: DatasetMeta,
    inputs: CardInputs,
    *,
    variant: str = "full",
    manifest_sha256: dict[str, str] | None = None,
    seeds: dict[str, JSON] | None = None,
    onto: Ontology | None = None,
) -> Rendered:
    """Every file of one variant's release folder, in memory; pure and deterministic.

    :func:`write_release` into a temporary folder, read back: for small releases only.
    """
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}, found {variant!r}")
    ordered = sorted(docs, key=lambda d: split_order(d.split, d.id))
    with tempfile.TemporaryDirectory(prefix="ne-render-") as tmp:
        folder = Path(tmp) / variant
        folder.mkdir()
        written = write_release(
            ordered, {variant: folder}, meta, inputs, manifest_sha256=manifest_sha256, seeds=seeds, onto=onto
        )[variant]
        return Rendered(folder_files(folder), written.release, written.data_files)


def folder_files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative POSIX path -> bytes); hidden files ignored."""
    return {rel: (folder / rel).read_bytes() for rel in folder_paths(folder)}


def folder_paths(folder: Path) -> list[str]:
    """Every file under ``folder`` as sorted relative POSIX paths; hidden files ignored."""
    return [
        p.relative_to(folder).as_posix()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    ]


@dataclass(frozen=True, slots=True)
class Installed:
    folder: Path
    status: str  # "written", "unchanged" or "refused"
    differing: tuple[str, ...] = ()


def staging_folder(folder: Path) -> Path:
    """A new hidden sibling of ``folder`` to write a release into before :func:`install_staged`."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))


def install_staged(staging: Path, folder: Path) -> Installed:
    """Move the finished ``staging`` folder to ``folder``; an existing folder must hold the same files.

    The rename is atomic, so a failed build leaves no half-written version folder and never touches
    an earlier one. When ``folder`` exists the staging folder is compared with it file by file
    (streamed, never whole files in memory) and removed.
    """
    try:
        if folder.exists():
            old, new = folder_paths(folder), folder_paths(staging)
            differing = sorted(set(old) ^ set(new))
            differing += [
                p for p in sorted(set(old) & set(new)) if not filecmp.cmp(folder / p, staging / p, shallow=False)
            ]
            return Installed(folder, "refused" if differing else "unchanged", tuple(sorted(differing)))
        staging.rename(folder)
        return Installed(folder, "written")
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def install(files: dict[str, bytes], folder: Path) -> Installed:
    """Write an in-memory release to ``folder`` through a staging folder (see :func:`install_staged`)."""
    if folder.exists():
        existing = folder_files(folder)
        differing = sorted(p for p in set(existing) | set(files) if existing.get(p) != files.get(p))
        return Installed(folder, "refused" if differing else "unchanged", tuple(differing))
    staging = staging_folder(folder)
    try:
        for rel, data in files.items():
            atomic_write_bytes(staging / rel, data)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return install_staged(staging, folder)
