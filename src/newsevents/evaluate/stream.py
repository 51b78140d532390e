"""The whole evaluation from files, one pair at a time: memory does not grow with the corpus.

:func:`evaluate_paths` reads GOLD once, in file order, and looks each gold document's prediction
up in PRED as it goes. PRED is read in its own file order alongside; a prediction read before
its gold document comes up waits in a window of at most ``window`` records; one that fell out of
the window (or came before a gold document that has none) is found again through an index
(id -> file and position) and re-read, the last file re-read being kept, so a file holding a list
of records is parsed once per pass, not once per document. When both sides come in the same order
(the usual layout, one ``<id>.json`` per document on each side) every file is read once and at
most one prediction is held. Each pair is scored (:class:`newsevents.evaluate.report.Evaluation`)
and dropped; what stays is a few hundred integers per document for the bootstrap, the confusion
counts and the bounded error listing.

PRED may be in any prediction format (:mod:`newsevents.evaluate.formats`): its reader turns a file
into per-document units, which wait, are indexed and re-read exactly as records are, and are
mapped onto their gold record only when the pair is scored.

The checks are those of :mod:`newsevents.evaluate.load` (same ids, same severities), each record
validated once: GOLD at levels 1-2, PRED as a prediction
(:func:`newsevents.evaluate.tolerance.check_prediction`); any error means no scores. ``errors_out`` receives every error (with
context) as JSON Lines, written to a temporary file beside it and moved into place only when the
evaluation succeeds, so a failed run leaves an earlier file intact.

:func:`compare_paths` (``newsevents compare``) runs the same loop with two prediction sources,
each read as PRED is (own window, index and findings), and keeps per document and system only the
counts the paired bootstrap resamples.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from newsevents import progress
from newsevents.evaluate.formats import CANNOT_EXPRESS, Reader, Unit, detect, get_reader
from newsevents.evaluate.formats.records import RecordReader
from newsevents.evaluate.pair import View, empty_view, view_of_record
from newsevents.evaluate.report import MAX_ERRORS, Evaluation, compare_evaluations
from newsevents.evaluate.tolerance import warning_counts
from newsevents.io import iter_json_files, read_json
from newsevents.records import Finding, Severity, text_sha256
from newsevents.validate import iter_records, validate_record

WINDOW = 64
ERROR = Severity.ERROR.value
WARNING = Severity.WARNING.value


@dataclass
class Streamed:
    """The result of :func:`evaluate_paths`: scores (None when there are errors) and findings."""

    result: dict[str, Any] | None
    findings: list[Finding]
    # How many predictions waited for their gold document at most at once (never more than the
    # window), and how many files were read again to find a prediction that had left it.
    held_max: int = 0
    rereads: int = 0
    # The prediction format read (format_note; for compare, one per system "a" and "b").
    pred_format: dict[str, Any] | None = None

    @property
    def warnings(self) -> dict[str, int]:
        """Warnings by check id: what the report counts (``warnings``)."""
        return warning_counts(self.findings)

    @property
    def ok(self) -> bool:
        return not any(f.severity == ERROR for f in self.findings)


@dataclass
class _Side:
    """Findings of one side (reading, validation, duplicate ids) and how many are errors."""

    findings: list[Finding] = field(default_factory=list)
    errors: int = 0

    def add(self, found: Iterable[Finding]) -> None:
        for f in found:
            self.findings.append(f)
            self.errors += f.severity == ERROR


def _valid_records(paths: Sequence[Path], side: _Side) -> Iterator[tuple[Path, int | None, dict[str, Any]]]:
    """(file, position in a list or None, record) of every record that passes levels 1-2."""
    for path in iter_json_files(paths):
        loaded = read_json(path)
        if loaded.findings:
            side.add(loaded.findings)
            continue
        is_list = isinstance(loaded.value, list)
        for n, rec in enumerate(iter_records(loaded.value)):
            findings = validate_record(rec, file=str(path), levels=2)
            if findings:
                side.add(findings)
                if any(f.severity == ERROR for f in findings):
                    continue
            yield path, (n if is_list else None), rec


def _duplicate(doc_id: str, path: Path, n: int | None, first: Path) -> Finding:
    return Finding(
        "evaluate.duplicate-document",
        f"document {doc_id!r} is also in {first}",
        file=str(path),
        doc_id=doc_id,
        pointer=f"/{n}" if n is not None else "",
    )


class _Predictions:
    """Predictions looked up by id while PRED is read in its own order (see the module doc)."""

    def __init__(self, paths: Sequence[Path], window: int, reader: Reader | None = None) -> None:
        self.side = _Side()
        self.reader = reader or RecordReader()
        self._units = self._read_units(paths)
        self._window = max(window, 0)
        self.where: dict[str, tuple[Path, int | None]] = {}
        self._pending: OrderedDict[str, Any] = OrderedDict()
        self._file: tuple[Path, Any] | None = None
        self.held_max = 0
        self.rereads = 0

    def _read_units(self, paths: Sequence[Path]) -> Iterator[tuple[Path, Unit]]:
        for path in self.reader.files(paths):
            units, findings = self.reader.read(path)
            self.side.add(findings)
            for unit in units:
                yield path, unit

    def _read_next(self) -> tuple[str, Any] | None:
        for path, unit in self._units:
            first = self.where.get(unit.key)
            if first is not None:
                self.side.add([_duplicate(unit.key, path, unit.n, first[0])])
                continue
            self.where[unit.key] = (path, unit.n)
            return unit.key, unit.payload
        return None

    def get(self, doc_id: str) -> Any:
        """The prediction for ``doc_id`` (a record, or the unit its format maps), or None if PRED has none."""
        rec = self._pending.pop(doc_id, None)
        if rec is not None:
            return rec
        if doc_id in self.where:
            return self._reread(doc_id)
        while (item := self._read_next()) is not None:
            got_id, rec = item
            if got_id == doc_id:
                return rec
            self._pending[got_id] = rec
            if len(self._pending) > self._window:
                self._pending.popitem(last=False)  # found again through the index when needed
            self.held_max = max(self.held_max, len(self._pending))
        return None

    def _reread(self, doc_id: str) -> Any:
        path, n = self.where[doc_id]
        if self._file is None or self._file[0] != path:
            self._file = None  # drop the last file before reading the next
            if isinstance(self.reader, RecordReader):  # validated when first read: parse only
                self._file = (path, read_json(path).value)
            else:
                self._file = (path, {u.n: u.payload for u in self.reader.read(path)[0]})
            self.rereads += 1
        value = self._file[1]
        if not isinstance(self.reader, RecordReader):
            return value.get(n)
        rec = value if n is None else value[n] if isinstance(value, list) and n < len(value) else None
        # Only a file changed since it was first read can fail this; its prediction counts as missing.
        return rec if isinstance(rec, dict) and rec.get("id") == doc_id else None

    def drain(self) -> None:
        """Read the rest of PRED (for its findings and ids); nothing is held."""
        self._pending.clear()
        self._file = None
        while self._read_next() is not None:
            pass


class _ErrorFile:
    """Every error as one JSON line, in a temporary file moved into place by :meth:`commit`."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        mask = os.umask(0)
        os.umask(mask)
        os.fchmod(fd, 0o666 & ~mask)  # mkstemp makes 0600 files; give what open() would
        self.path, self.tmp = path, Path(tmp)
        self.out: IO[str] = os.fdopen(fd, "w", encoding="utf-8")

    def write(self, error: dict[str, Any]) -> None:
        self.out.write(json.dumps(error, ensure_ascii=False) + "\n")

    def commit(self) -> None:
        self.out.flush()
        os.fsync(self.out.fileno())
        self.out.close()
        self.tmp.replace(self.path)

    def discard(self) -> None:
        self.out.close()
        self.tmp.unlink(missing_ok=True)


def evaluate_paths(
    gold_paths: Sequence[Path],
    pred_paths: Sequence[Path],
    *,
    coref: bool = False,
    bootstrap_n: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
    max_errors: int | None = MAX_ERRORS,
    errors_out: Path | None = None,
    window: int = WINDOW,
    pred_format: str | None = None,
    spans_key: str | None = None,
) -> Streamed:
    """Score the predictions under ``pred_paths`` against the gold under ``gold_paths``, streaming.

    The result equals :func:`newsevents.evaluate.report.evaluate_documents` on the same documents
    (whatever the order of files and records), and the findings are those of
    :func:`newsevents.evaluate.load.load_pair`.
    """
    fmt = pred_format or detect(pred_paths)
    reader = get_reader(fmt, spans_key=spans_key)
    sink = _ErrorFile(errors_out) if errors_out is not None else None
    try:
        ev, streamed = _evaluate(
            gold_paths, pred_paths, coref=coref, max_errors=max_errors, sink=sink, window=window, reader=reader
        )
        streamed.pred_format = format_note(fmt, detected=pred_format is None)
        if streamed.ok:
            streamed.result = ev.result(bootstrap_n=bootstrap_n, seed=seed, confidence=confidence)
            if sink is not None:
                sink.commit()
                sink = None
        return streamed
    finally:
        if sink is not None:
            sink.discard()


def compare_paths(
    gold_paths: Sequence[Path],
    pred_a_paths: Sequence[Path],
    pred_b_paths: Sequence[Path],
    *,
    coref: bool = False,
    bootstrap_n: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
    window: int = WINDOW,
    pred_format: str | None = None,
    spans_key: str | None = None,
) -> Streamed:
    """Compare systems A and B on the gold under ``gold_paths``, streaming both against one gold pass.

    Each side is read as PRED is by :func:`evaluate_paths` (its own window and index), so at most
    ``window`` predictions per side wait. The result equals
    :func:`newsevents.evaluate.report.compare_documents` on the same documents, whatever the order
    of files and records; the findings are those of each side's evaluation (as
    :func:`newsevents.evaluate.load.align` gives them), a finding of both kept once. Any error
    means no scores. ``held_max`` is the largest number held by one side, ``rereads`` the sum.
    """
    evs = [Evaluation(coref=coref, max_errors=0, detailed=False) for _ in range(2)]

    def add(gold: View, preds: Sequence[View]) -> None:
        for ev, pred in zip(evs, preds, strict=True):
            ev.add(gold, pred)

    fmts = [pred_format or detect(paths) for paths in (pred_a_paths, pred_b_paths)]
    readers = [get_reader(fmt, spans_key=spans_key) for fmt in fmts]
    streamed = _stream(gold_paths, [pred_a_paths, pred_b_paths], on_pair=add, window=window, readers=readers)
    if streamed.ok:
        streamed.result = compare_evaluations(evs[0], evs[1], bootstrap_n=bootstrap_n, seed=seed, confidence=confidence)
    streamed.pred_format = {
        side: format_note(fmt, detected=pred_format is None) for side, fmt in zip("ab", fmts, strict=True)
    }
    return streamed


def _evaluate(
    gold_paths: Sequence[Path],
    pred_paths: Sequence[Path],
    *,
    coref: bool,
    max_errors: int | None,
    sink: _ErrorFile | None,
    window: int,
    reader: Reader,
) -> tuple[Evaluation, Streamed]:
    ev = Evaluation(coref=coref, max_errors=max_errors, on_error=sink.write if sink is not None else None)
    return ev, _stream(
        gold_paths, [pred_paths], on_pair=lambda g, ps: ev.add(g, ps[0]), window=window, readers=[reader]
    )


def format_note(fmt: str, *, detected: bool) -> dict[str, Any]:
    """The report's ``pred_format``: the format, whether it was detected, and what it cannot express."""
    return {"name": fmt, "detected": detected, "cannot_express": list(CANNOT_EXPRESS[fmt])}


def _stream(
    gold_paths: Sequence[Path],
    pred_sources: Sequence[Sequence[Path]],
    *,
    on_pair: Callable[[View, Sequence[View]], None],
    window: int,
    readers: Sequence[Reader] | None = None,
) -> Streamed:
    """Read GOLD once; call ``on_pair(gold, [prediction of each source])`` while there is no error.

    Each source has its own :class:`_Predictions` (window, index, findings). The findings are, per
    source, those of evaluating it alone (gold findings, its reading findings, then its pair
    findings and document findings by id), concatenated over the sources, a repeated one kept once.
    """
    gold = _Side()
    readers = list(readers) if readers is not None else [RecordReader() for _ in pred_sources]
    sources = [_Predictions(paths, window, reader) for paths, reader in zip(pred_sources, readers, strict=True)]
    by_text = any(r.keyed_by_text for r in readers)
    gold_files: dict[str, Path] = {}
    # Per source: text mismatches (unknown ids are added at the end), and missing predictions.
    pair_findings: list[list[Finding]] = [[] for _ in sources]
    missing: list[list[Finding]] = [[] for _ in sources]
    status_findings: list[Finding] = []  # gold status, shared by every source

    def erred() -> bool:
        return bool(
            gold.errors
            or any(s.side.errors for s in sources)
            or any(f.severity == ERROR for fs in pair_findings for f in fs)
        )

    matched_text: list[set[str]] = [set() for _ in sources]  # keys of units matched by their text

    for path, n, rec in _valid_records(gold_paths, gold):
        doc_id = rec["id"]
        if doc_id in gold_files:
            gold.add([_duplicate(doc_id, path, n, gold_files[doc_id])])
            continue
        gold_files[doc_id] = path
        status = (rec.get("provenance") or {}).get("status", "none")
        if status != "gold":
            status_findings.append(
                Finding(
                    "evaluate.gold-status",
                    f"gold record has provenance status {status!r}, not 'gold'",
                    severity=WARNING,
                    file=str(path),
                    doc_id=doc_id,
                    pointer="/provenance/status",
                )
            )
        g_view = view_of_record(rec)
        p_views: list[View] = []
        text_key = f"sha256:{text_sha256(rec['text'])}" if by_text else ""
        for k, preds in enumerate(sources):
            p_rec = preds.get(doc_id)
            if p_rec is None and preds.reader.keyed_by_text:
                p_rec = preds.get(text_key)
                if p_rec is not None:
                    matched_text[k].add(text_key)
            if p_rec is None:
                missing[k].append(
                    Finding(
                        "evaluate.missing-prediction",
                        "no prediction for this gold document: scored as empty",
                        severity=WARNING,
                        file=str(path),
                        doc_id=doc_id,
                    )
                )
                p_views.append(empty_view(g_view))
                continue
            p_file = str(preds.where.get(doc_id, preds.where.get(text_key, (path,)))[0])
            if not isinstance(preds.reader, RecordReader):
                p_rec, found = preds.reader.resolve(p_rec, rec, file=p_file)
                pair_findings[k].extend(found)
                if p_rec is None:
                    continue
            if p_rec["text"] != rec["text"]:
                g_sha, p_sha = text_sha256(rec["text"]), text_sha256(p_rec["text"])
                msg = f"prediction text hashes to {p_sha[:12]}..., gold text to {g_sha[:12]}...: offsets would index another text"
                pair_findings[k].append(
                    Finding("evaluate.text-mismatch", msg, file=p_file, doc_id=doc_id, pointer="/text")
                )
            else:
                p_views.append(view_of_record(p_rec))
        if not erred():  # scores are dropped anyway once there is an error
            on_pair(g_view, p_views)
        progress.advance()  # a bar on the CLI's terminal, else nothing
    findings: list[Finding] = []
    for k, preds in enumerate(sources):
        preds.drain()
        pair_findings[k].extend(
            Finding(
                "evaluate.unknown-document",
                f"no gold document has id {doc_id!r}"
                if not doc_id.startswith("sha256:")
                else f"no gold document has this doc's text ({doc_id[:19]}...) and the doc has no user_data['doc_id']",
                file=str(preds.where[doc_id][0]),
                doc_id=doc_id,
                pointer="/id",
            )
            for doc_id in sorted(set(preds.where) - set(gold_files) - matched_text[k])
        )
        findings += [*gold.findings, *preds.side.findings]
        if not gold_files and not gold.errors:
            findings.append(Finding("evaluate.no-documents", "no gold record found"))
        findings += sorted(pair_findings[k], key=lambda f: (f.doc_id or "", f.check))
        findings += sorted([*status_findings, *missing[k]], key=lambda f: (f.doc_id or "", f.check))
    return Streamed(
        None,
        list(dict.fromkeys(findings)) if len(sources) > 1 else findings,
        held_max=max((s.held_max for s in sources), default=0),
        rereads=sum(s.rereads for s in sources),
    )
