"""``records``: canonical document records, one or a list per ``*.json`` file."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from newsevents.evaluate.formats import Reader, Unit
from newsevents.evaluate.tolerance import ERROR, check_prediction
from newsevents.io import iter_json_files, read_json
from newsevents.records import Finding
from newsevents.validate import iter_records


class RecordReader(Reader):
    """Records validated as predictions (:func:`newsevents.evaluate.tolerance.check_prediction`)."""

    name = "records"

    def files(self, paths: Iterable[Path]) -> Iterator[Path]:
        return iter_json_files(paths)

    def read(self, path: Path) -> tuple[list[Unit], list[Finding]]:
        loaded = read_json(path)
        if loaded.findings:
            return [], list(loaded.findings)
        is_list = isinstance(loaded.value, list)
        units, findings = [], []
        for n, rec in enumerate(iter_records(loaded.value)):
            found = check_prediction(rec, file=str(path))
            findings += found
            if not any(f.severity == ERROR for f in found):
                units.append(Unit(rec["id"], n if is_list else None, rec))
        return units, findings

    def reread(self, path: Path, n: int | None) -> Any:
        value = read_json(path).value  # validated when first read
        rec = value if n is None else value[n] if isinstance(value, list) and n < len(value) else None
        return rec if isinstance(rec, dict) else None

    def resolve(self, payload: Any, gold: dict[str, Any], *, file: str) -> tuple[dict[str, Any] | None, list[Finding]]:
        del gold, file  # the interface's; a record needs neither
        return payload, []  # the text is compared by the caller (evaluate.text-mismatch)
