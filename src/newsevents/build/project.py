"""``newsevents build`` as a library call: clean -> gold -> validate -> render -> install.

The full variant (text included) is always written. When any document's licence does not allow
redistributing its text, the stand-off variant is written beside it from the same records in the
same pass, so the two can never disagree; ``newsevents publish`` uploads that one by default.

Memory: the build holds the documents' small facts and one document at a time (plus one parquet
row group per open file), never the corpus: :func:`~newsevents.build.collect.collect` reads and
validates each record once, :func:`~newsevents.build.release.write_release` reads each again
while it writes the parquet files straight into staging folders, which are renamed into place.
"""

from __future__ import annotations

import gc
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from newsevents.build.card import read_card_inputs
from newsevents.build.collect import Cleaner, collect, seed_facts
from newsevents.build.meta import DatasetMeta, load_meta, redistributable
from newsevents.build.release import (
    STANDOFF_SUFFIX,
    Installed,
    Written,
    install_staged,
    sha256,
    split_order,
    staging_folder,
    write_release,
)
from newsevents.records import Finding, Severity


@dataclass
class BuildResult:
    meta: DatasetMeta
    findings: list[Finding] = field(default_factory=list)
    rendered: dict[str, Written] = field(default_factory=dict)  # variant -> release.json and data files
    installed: dict[str, Installed] = field(default_factory=dict)  # variant -> folder

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.ERROR.value]

    @property
    def refused(self) -> list[Installed]:
        return [i for i in self.installed.values() if i.status == "refused"]


def manifest_hashes(root: Path) -> dict[str, str]:
    """sha256 of each seeds manifest file (``seeds/manifest*``), by path relative to the root."""
    seeds = root / "seeds"
    if not seeds.is_dir():
        return {}
    return {
        p.relative_to(root).as_posix(): sha256(p.read_bytes()) for p in sorted(seeds.glob("manifest*")) if p.is_file()
    }


def changelog_has(changelog: str, version: str) -> bool:
    r"""Whether a Markdown heading of the changelog names ``version`` (as a whole version number).

    >>> changelog_has("# Changelog\n\n## Dataset 0.2.0 (2026-12-02)\n", "0.2.0")
    True
    >>> changelog_has("## Dataset 0.2.0\n", "0.2.1")
    False
    """
    pattern = re.compile(rf"^#{{1,6}}\s.*(?<![\w.]){re.escape(version)}(?![\w.])", re.MULTILINE)
    return bool(pattern.search(changelog))


def release_folder(dist: Path, meta: DatasetMeta, variant: str, version: str | None = None) -> Path:
    name = f"{meta.name}-{version or meta.version}"
    return dist / (name + (STANDOFF_SUFFIX if variant == "standoff" else ""))


@contextmanager
def fewer_collections(gen0: int = 10_000) -> Iterator[None]:
    """Run the cyclic garbage collector less often while the build makes its many small objects.

    Each document makes some hundred thousand short-lived, acyclic dicts and lists (rows, mentions);
    with the default threshold (700 allocations) the collector runs so often that it took a fifth
    of the build's time. Garbage is still collected, only in larger steps; the thresholds are
    restored afterwards.
    """
    old = gc.get_threshold()
    gc.set_threshold(max(gen0, old[0]), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


def build_project(root: Path, dist: Path, *, cleaner: Cleaner | None = None) -> BuildResult:
    """Build ``dist/<name>-<version>/`` (and ``-standoff/`` if needed) from the project at ``root``.

    ``cleaner`` returns the cleaned documents as a sequence the build reads by index, twice
    (default: :func:`~newsevents.build.collect.clean_stage`;
    :func:`~newsevents.build.collect.corpus_records` reads ``corpus/`` lazily).

    Raises:
        ConfigError: ``dataset.toml`` is missing or invalid.
        CardError: ``DATASHEET.md`` is missing or has an unknown build marker.
    """
    with fewer_collections():
        return _build(root, dist, cleaner)


def _build(root: Path, dist: Path, cleaner: Cleaner | None) -> BuildResult:
    meta = load_meta(root)
    inputs = read_card_inputs(root)
    if not changelog_has(inputs.changelog, meta.version):
        msg = (
            f"CHANGELOG.md has no entry for version {meta.version} (a heading naming it, such as "
            f"'## Dataset {meta.version}'): say what changed before building the release"
        )
        return BuildResult(meta, [Finding("build.changelog-missing", msg, file=str(root / "CHANGELOG.md"))])
    collected = collect(root, cleaner, release_unannotated=meta.release_unannotated)
    result = BuildResult(meta, collected.findings)
    if collected.errors:
        return result
    restricted = [f for f in collected.facts if not redistributable(f.license)]
    variants = ["full", "standoff"] if restricted else ["full"]
    ordered = sorted(collected.facts, key=lambda f: split_order(f.split, f.id))
    staging = {v: staging_folder(release_folder(dist, meta, v)) for v in variants}
    try:
        result.rendered = write_release(
            collected.iter_docs(ordered),
            staging,
            meta,
            inputs,
            manifest_sha256=manifest_hashes(root),
            seeds=seed_facts(root, restricted) if restricted else None,
        )
        for v in variants:
            result.installed[v] = install_staged(staging[v], release_folder(dist, meta, v))
            result.rendered[v].folder = result.installed[v].folder
    finally:
        for folder in staging.values():
            shutil.rmtree(folder, ignore_errors=True)
    return result
