"""``sentences`` and ``bio``: rows in the shape of the release's ``sentences`` and ``ner`` configs.

A row names its sentence by ``sent_id`` (``<doc_id>-<n>``, n counting the document's sentences
from 0, as the release does). The sentence's tokens are those of the project tokenizer on the gold
text (:func:`gold_sentences`, the build's own split), so a token span ``[i, j)`` maps back to the
code points ``[tokens[i].start, tokens[j - 1].end)``. ``tokens`` and ``token_offsets``, when a row
gives them, must equal the gold sentence's (``evaluate.token-mismatch``: another tokenizer or
another text); what else does not fit is ``evaluate.row-invalid``, naming the row and the field.

The rows of one document may come in any order within a file; a document's rows in two files
are ``evaluate.duplicate-document``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from newsevents.evaluate.bio import chunks
from newsevents.evaluate.formats import CONLL_SUFFIXES, ROW_SUFFIXES, Reader, Unit, iter_files
from newsevents.evaluate.tolerance import ERROR, WARNING, check_prediction
from newsevents.io import InputError, hostile_value_findings, read_file_bytes, read_json
from newsevents.ontology import load_ontology
from newsevents.records import Finding
from newsevents.text import sentences, tokenize

# A prediction file of rows may hold a whole split: larger than one record file may be.
MAX_ROW_FILE_BYTES = 1 << 30
_TAG = re.compile(r"^O$|^[BI]-.+$")
Rows = list[tuple[str, Any]]  # (where: "line:N" or "/N", row)


def gold_sentences(text: str) -> dict[int, list[tuple[int, int]]]:
    """Sentence index -> its tokens' code point offsets in ``text`` (the release's ``sentences`` rows)."""
    out = {}
    for i, (s, e) in enumerate(sentences(text)):
        toks = [(s + a, s + b) for a, b in tokenize(text[s:e])]
        if toks:
            out[i] = toks
    return out


@cache
def tag_names() -> tuple[str, ...]:
    """The ``ner`` config's ClassLabel names: ``O``, then ``B-T``, ``I-T`` per entity type."""
    return ("O", *(f"{p}-{t}" for t in load_ontology().entity_types for p in ("B", "I")))


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _io(check: str, message: str, path: Path, pointer: str = "") -> Finding:
    return Finding(check, message, file=str(path), pointer=pointer)


def read_rows(path: Path) -> tuple[Rows, list[Finding]]:
    """The rows of a JSON Lines, JSON (a list of rows) or parquet file, or level-0 findings."""
    if path.suffix == ".parquet":
        import pyarrow as pa  # noqa: PLC0415 - only for parquet predictions
        import pyarrow.parquet as pq  # noqa: PLC0415

        try:
            table = pq.read_table(path)  # type: ignore[no-untyped-call]  # pyarrow ships no type hints
        except (OSError, pa.ArrowException) as exc:
            return [], [_io("io.unreadable", f"not a readable parquet file: {exc}", path)]
        return [(f"/{i}", r) for i, r in enumerate(table.to_pylist())], []
    if path.suffix != ".jsonl":
        loaded = read_json(path, max_bytes=MAX_ROW_FILE_BYTES)
        if loaded.findings:
            return [], list(loaded.findings)
        value = loaded.value if isinstance(loaded.value, list) else [loaded.value]
        return [(f"/{i}", r) for i, r in enumerate(value)], []
    try:
        raw = read_file_bytes(path, MAX_ROW_FILE_BYTES)
    except InputError as exc:
        check = {"special-file": "io.special-file", "too-large": "io.too-large"}.get(exc.reason, "io.unreadable")
        return [], [_io(check, exc.message, path)]
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        return [], [_io("io.encoding", f"file is not UTF-8: byte at offset {exc.start}", path, f"byte:{exc.start}")]
    rows: Rows = []
    for no, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            return [], [_io("io.json", f"line {no} is not valid JSON: {exc}", path, f"line:{no}")]
        if "\\u" in line:
            hostile = hostile_value_findings(row, file=str(path))
            if hostile:
                return [], hostile
        rows.append((f"line:{no}", row))
    return rows, []


def parse_conll(text: str) -> tuple[Rows, list[str]]:
    """Rows (``doc_id``, ``sent_id``, ``tokens``, ``ner_tags``) of a CoNLL-style ``token tag`` text.

    Sentences are separated by blank lines. ``-DOCSTART- <doc_id>`` (or a ``# doc_id = <id>``
    comment) starts a document; ``# sent_id = <doc_id>-<n>`` names the next sentence, which is
    otherwise the next one of its document. The token is the first column, the tag the last.
    Returns the rows and the problems (``line N: ...``).

    Example:
        >>> rows, problems = parse_conll("-DOCSTART- d1\\n\\nAnn B-PER\\nleft O\\n\\nBob B-PER\\n")
        >>> [(w, r["sent_id"], r["ner_tags"]) for w, r in rows], problems
        ([('line:3', 'd1-0', ['B-PER', 'O']), ('line:6', 'd1-1', ['B-PER'])], [])
    """
    rows: Rows = []
    problems: list[str] = []
    doc: str | None = None
    count = 0
    sent_id: str | None = None
    toks: list[str] = []
    tags: list[str] = []
    first = 0

    def flush() -> None:
        nonlocal toks, tags, sent_id, count
        if not toks:
            return
        if doc is None and sent_id is None:
            problems.append(f"line {first}: no document id (start each document with '-DOCSTART- <doc_id>')")
        else:
            sid = sent_id or f"{doc}-{count}"
            rows.append(
                (
                    f"line:{first}",
                    {"doc_id": doc or sid.rsplit("-", 1)[0], "sent_id": sid, "tokens": toks, "ner_tags": tags},
                )
            )
        count += 1
        toks, tags, sent_id = [], [], None

    for no, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        if stripped.startswith("-DOCSTART-"):
            flush()
            doc, count = (
                stripped.removeprefix("-DOCSTART-").split(maxsplit=1)[0] if stripped != "-DOCSTART-" else None,
                0,
            )
            if doc is not None and doc.upper() in {"O", "-X-"}:  # "-DOCSTART- -X- O O": no id given
                doc = None
            continue
        if stripped.startswith("#"):
            key, _, value = stripped[1:].partition("=")
            if key.strip() == "doc_id":
                flush()
                doc, count = value.strip(), 0
            elif key.strip() == "sent_id":
                flush()
                sent_id = value.strip()
            continue
        parts = stripped.split()
        if len(parts) < 2:
            problems.append(f"line {no}: need 'token tag', found {stripped[:40]!r}")
            continue
        if not toks:
            first = no
        toks.append(parts[0])
        tags.append(parts[-1])
    flush()
    return rows, problems


class _RowReader(Reader):
    """Shared by ``sentences`` and ``bio``: files of rows, grouped by document."""

    suffixes: tuple[str, ...] = ROW_SUFFIXES

    def files(self, paths: Iterable[Path]) -> Iterator[Path]:
        return iter_files(paths, self.suffixes)

    def _rows(self, path: Path) -> tuple[Rows, list[Finding]]:
        return read_rows(path)

    def read(self, path: Path) -> tuple[list[Unit], list[Finding]]:
        rows, findings = self._rows(path)
        groups, more = self.group(rows, str(path))
        return [Unit(doc_id, n, group) for n, (doc_id, group) in enumerate(groups.items())], [*findings, *more]

    def group(self, rows: Rows, file: str) -> tuple[dict[str, Rows], list[Finding]]:
        """Rows by document id (in order of first appearance); rows without ids are findings."""
        groups: dict[str, Rows] = {}
        findings = []
        for where, row in rows:
            if not isinstance(row, dict):
                findings.append(
                    self._bad(file, None, where, "", f"a row must be an object, found {type(row).__name__}")
                )
                continue
            doc_id, sent_id = row.get("doc_id"), row.get("sent_id")
            if not isinstance(doc_id, str) or not doc_id:
                findings.append(
                    self._bad(file, None, where, "doc_id", f"need the document id (a string), found {doc_id!r}")
                )
                continue
            if not isinstance(sent_id, str) or not sent_id.startswith(doc_id + "-"):
                msg = f"need '{doc_id}-<n>' (n counting the document's sentences from 0), found {sent_id!r}"
                findings.append(self._bad(file, doc_id, where, "sent_id", msg))
                continue
            groups.setdefault(doc_id, []).append((where, row))
        return groups, findings

    def _bad(self, path: Path | str, doc_id: str | None, where: str, field: str, message: str) -> Finding:
        row = where.replace("line:", "line ").replace("/", "row ", 1)
        ptr = f"{where}/{field}" if field else where
        return Finding(
            "evaluate.row-invalid",
            f"{row}, field {field or '(row)'}: {message}",
            file=str(path),
            doc_id=doc_id,
            pointer=ptr,
        )

    def resolve(
        self,
        payload: Any,
        gold: dict[str, Any],
        *,
        file: str,
        sents: dict[int, list[tuple[int, int]]] | None = None,
    ) -> tuple[dict[str, Any] | None, list[Finding]]:
        """See :meth:`Reader.resolve`; ``sents`` (sentence index -> token offsets) when the gold's own
        rows give them (a ``sentences`` split as gold), else the gold text's split."""
        text: str = gold["text"]
        doc_id: str = gold["id"]
        if sents is None:
            sents = gold_sentences(text)
        findings: list[Finding] = []
        out = _Builder(doc_id)

        def bad(where: str, field: str, message: str, check: str = "evaluate.row-invalid") -> None:
            f = self._bad(file, doc_id, where, field, message)
            findings.append(Finding(check, f.message, file=file, doc_id=doc_id, pointer=f.pointer))

        for where, row in sorted(payload, key=lambda wr: _sent_index(wr[1], doc_id)):
            n = _sent_index(row, doc_id)
            toks = sents.get(n)
            if toks is None:
                bad(
                    where, "sent_id", f"{row['sent_id']!r} is no sentence of the gold document ({len(sents)} sentences)"
                )
                continue
            if not self._tokens_fit(row, toks, text, where, bad):
                continue
            self._map_row(row, toks, text=text, where=where, bad=bad, out=out)
        for where, n in out.stray:
            msg = f"{where.replace('line:', 'line ').replace('/', 'row ', 1)}: {n} I- tag(s) continue no chunk of their type: part of no mention (IOB2 strict, as seqeval)"
            findings.append(
                Finding(
                    "evaluate.bio-stray-inside",
                    msg,
                    severity=WARNING,
                    file=file,
                    doc_id=doc_id,
                    pointer=where + "/ner_tags",
                )
            )
        if any(f.severity == ERROR for f in findings):
            return None, findings
        rec = out.record(gold, self.name)
        return rec, [*findings, *check_prediction(rec, file=file)]

    def _tokens_fit(self, row: dict[str, Any], toks: list[tuple[int, int]], text: str, where: str, bad: Any) -> bool:
        given = row.get("tokens")
        if given is not None:
            gold_tokens = [text[s:e] for s, e in toks]
            if given != gold_tokens:
                k = next(
                    (i for i, (a, b) in enumerate(zip(given, gold_tokens, strict=False)) if a != b),
                    min(len(given), len(gold_tokens)),
                )
                mine = repr(given[k]) if k < len(given) else "(end)"
                theirs = repr(gold_tokens[k]) if k < len(gold_tokens) else "(end)"
                bad(
                    where,
                    f"tokens/{k}",
                    f"token {k} is {mine}, the project tokenizer gives {theirs} (newsevents.text.tokenize on the gold text)",
                    "evaluate.token-mismatch",
                )
                return False
        offsets = row.get("token_offsets")
        if offsets is not None and [list(o) for o in offsets] != [[s, e] for s, e in toks]:
            bad(
                where,
                "token_offsets",
                "differ from the gold sentence's token offsets (another text or tokenizer)",
                "evaluate.token-mismatch",
            )
            return False
        return True

    def _map_row(
        self, row: dict[str, Any], toks: list[tuple[int, int]], *, text: str, where: str, bad: Any, out: _Builder
    ) -> None:
        raise NotImplementedError


def _sent_index(row: dict[str, Any], doc_id: str) -> int:
    """The n of ``sent_id`` ``<doc_id>-<n>``; -1 when it is not a number (no sentence has it)."""
    tail = row["sent_id"][len(doc_id) + 1 :]
    return int(tail) if tail.isascii() and tail.isdigit() else -1


def _token_span(value: Any, toks: list[tuple[int, int]], field: str, where: str, bad: Any) -> tuple[int, int] | None:
    """Code points of the token span ``value`` ({"start", "end"}), or None after reporting why."""
    if not isinstance(value, dict):
        bad(where, field, f"need an object with start and end, found {type(value).__name__}")
        return None
    i, j = value.get("start"), value.get("end")
    if not (isinstance(i, int) and isinstance(j, int) and _is_int(i) and _is_int(j) and 0 <= i < j <= len(toks)):
        bad(where, f"{field}/start", f"need token indices 0 <= start < end <= {len(toks)}, found [{i!r}, {j!r})")
        return None
    return toks[i][0], toks[j - 1][1]


class _Builder:
    """Mentions and events of one document, with ids made unique over the document."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        self.ents: list[tuple[str, str, dict[str, Any]]] = []  # (sent_id, local id, mention)
        self.evs: list[tuple[str, str, dict[str, Any], list[tuple[str, str]]]] = []  # (sent_id, local id, event, args)
        self.stray: list[tuple[str, int]] = []  # (row, I- tags that continue no chunk)

    def record(self, gold: dict[str, Any], fmt: str) -> dict[str, Any]:
        locals_ = [i for _, i, _ in self.ents] + [i for _, i, _, _ in self.evs]
        unique = len(set(locals_)) == len(locals_)

        def final(sent_id: str, local: str) -> str:
            return local if unique else f"{sent_id}:{local}"

        ents = []
        for sid, local, m in self.ents:
            mid = final(sid, local)
            ents.append({**m, "id": mid, "entity": m["entity"] or mid})
        evs = []
        for sid, local, ev, args in self.evs:
            vid = final(sid, local)
            arguments = [{"role": role, "mention": final(sid, target)} for role, target in args]
            evs.append({"id": vid, **ev, "event": ev["event"] or vid, "arguments": arguments})
        return {
            "id": gold["id"],
            "title": gold["title"],
            "text": gold["text"],
            "language": gold["language"],
            "split": gold["split"],
            "source": gold["source"],
            "entity_mentions": ents,
            "event_mentions": evs,
            "provenance": {"status": "predicted", "annotators": [], "tool": f"newsevents evaluate --pred-format {fmt}"},
        }


def _str_or_none(v: Any) -> str | None:
    return v if isinstance(v, str) and v else None


class SentenceReader(_RowReader):
    """Rows of the ``sentences`` config with predicted ``entity_mentions`` and ``event_mentions``."""

    name = "sentences"

    def _map_row(
        self, row: dict[str, Any], toks: list[tuple[int, int]], *, text: str, where: str, bad: Any, out: _Builder
    ) -> None:
        sid = row["sent_id"]
        local: set[str] = set()
        for k, m in enumerate(row.get("entity_mentions") or ()):
            field = f"entity_mentions/{k}"
            if not isinstance(m, dict):
                bad(where, field, f"need an object, found {type(m).__name__}")
                continue
            span = _token_span(m, toks, field, where, bad)
            etype = m.get("entity_type")
            if not isinstance(etype, str) or not etype:
                bad(where, f"{field}/entity_type", f"need the entity type (a string), found {etype!r}")
                continue
            if span is None:
                continue
            mid = _str_or_none(m.get("id")) or f"{sid}-T{k}"
            local.add(mid)
            s, e = span
            kind = _str_or_none(m.get("mention_type")) or "NAM"
            mention = {
                "start": s,
                "end": e,
                "text": text[s:e],
                "type": etype,
                "kind": kind,
                "entity": _str_or_none(m.get("entity")),
            }
            out.ents.append((sid, mid, mention))
        for k, ev in enumerate(row.get("event_mentions") or ()):
            field = f"event_mentions/{k}"
            if not isinstance(ev, dict):
                bad(where, field, f"need an object, found {type(ev).__name__}")
                continue
            span = _token_span(ev.get("trigger"), toks, f"{field}/trigger", where, bad)
            etype = ev.get("event_type")
            if not isinstance(etype, str) or not etype:
                bad(where, f"{field}/event_type", f"need the event type (a string), found {etype!r}")
                continue
            args: list[tuple[str, str]] = []
            for a, arg in enumerate(ev.get("arguments") or ()):
                afield = f"{field}/arguments/{a}"
                target = arg.get("entity_id") if isinstance(arg, dict) else None
                role = arg.get("role") if isinstance(arg, dict) else None
                if not isinstance(role, str) or not role:
                    bad(where, f"{afield}/role", f"need the role (a string), found {role!r}")
                elif target not in local:
                    bad(where, f"{afield}/entity_id", f"no entity mention of this row has id {target!r}")
                else:
                    args.append((role, target))
            if span is None:
                continue
            s, e = span
            event = {
                "type": etype,
                "trigger": {"start": s, "end": e, "text": text[s:e]},
                "realis": _str_or_none(ev.get("realis")) or "actual",
                "event": _str_or_none(ev.get("event")),
            }
            out.evs.append((sid, _str_or_none(ev.get("id")) or f"{sid}-V{k}", event, args))


class BioReader(_RowReader):
    """Rows of the ``ner`` config (tag names or ClassLabel ids), or CoNLL-style ``token tag`` files."""

    name = "bio"
    suffixes = (*ROW_SUFFIXES, *CONLL_SUFFIXES)

    def _rows(self, path: Path) -> tuple[Rows, list[Finding]]:
        if path.suffix not in CONLL_SUFFIXES:
            return read_rows(path)
        try:
            raw = read_file_bytes(path, MAX_ROW_FILE_BYTES)
            text = raw.decode("utf-8").removeprefix("\ufeff")
        except InputError as exc:
            return [], [_io("io.unreadable", exc.message, path)]
        except UnicodeDecodeError as exc:
            return [], [_io("io.encoding", f"file is not UTF-8: byte at offset {exc.start}", path, f"byte:{exc.start}")]
        rows, problems = parse_conll(text)
        return rows, [
            Finding("evaluate.row-invalid", p, file=str(path), pointer="line:" + p.split()[1].rstrip(":"))
            for p in problems
        ]

    def _map_row(
        self, row: dict[str, Any], toks: list[tuple[int, int]], *, text: str, where: str, bad: Any, out: _Builder
    ) -> None:
        tags = row.get("ner_tags")
        if not isinstance(tags, list) or len(tags) != len(toks):
            n = len(tags) if isinstance(tags, list) else type(tags).__name__
            bad(where, "ner_tags", f"need one tag per token of the sentence ({len(toks)}), found {n}")
            return
        names = tag_names()
        seq: list[str] = []
        for k, given in enumerate(tags):
            t = given
            if _is_int(t):
                if not 0 <= t < len(names):
                    bad(
                        where,
                        f"ner_tags/{k}",
                        f"tag id {t} is not a ClassLabel id of the ner config (0..{len(names) - 1})",
                    )
                    return
                t = names[t]
            if not isinstance(t, str) or not _TAG.match(t):
                bad(where, f"ner_tags/{k}", f"need 'O', 'B-<type>' or 'I-<type>', found {t!r}")
                return
            seq.append(t)
        found = chunks(seq)
        inside = sum(1 for t in seq if t.startswith("I-"))
        stray = inside - sum(j - i - 1 for i, j, _ in found)
        if stray:
            out.stray.append((where, stray))
        sid = row["sent_id"]
        for k, (i, j, label) in enumerate(found):
            s, e = toks[i][0], toks[j - 1][1]
            out.ents.append(
                (
                    sid,
                    f"{sid}-T{k}",
                    {"start": s, "end": e, "text": text[s:e], "type": label, "kind": "NAM", "entity": None},
                )
            )
