"""``newsevents build`` as a library call: clean -> gold -> validate -> render -> install."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from newsevents.build.card import read_card_inputs
from newsevents.build.collect import Cleaner, collect
from newsevents.build.meta import DatasetMeta, load_meta
from newsevents.build.release import STANDOFF_SUFFIX, Installed, Rendered, install, render_release, sha256
from newsevents.records import Finding, Severity


@dataclass
class BuildResult:
    meta: DatasetMeta
    findings: list[Finding] = field(default_factory=list)
    rendered: Rendered | None = None
    installed: Installed | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.ERROR.value]


def manifest_hashes(root: Path) -> dict[str, str]:
    """sha256 of each seeds manifest file (``seeds/manifest*``), by path relative to the root."""
    seeds = root / "seeds"
    if not seeds.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): sha256(p.read_bytes()) for p in sorted(seeds.glob("manifest*")) if p.is_file()}


def release_folder(dist: Path, meta: DatasetMeta, variant: str) -> Path:
    return dist / (meta.folder + (STANDOFF_SUFFIX if variant == "standoff" else ""))


def build_project(root: Path, dist: Path, *, variant: str = "full", cleaner: Cleaner | None = None) -> BuildResult:
    """Build ``dist/<name>-<version>[-standoff]/`` from the project at ``root``.

    Raises:
        ConfigError: ``dataset.toml`` is missing or invalid.
        CardError: ``DATASHEET.md`` is missing or has an unknown build marker.
    """
    meta = load_meta(root)
    inputs = read_card_inputs(root)
    collected = collect(root, cleaner)
    result = BuildResult(meta, collected.findings)
    if collected.errors:
        return result
    result.rendered = render_release(collected.docs, meta, inputs, variant=variant, manifest_sha256=manifest_hashes(root))
    result.installed = install(result.rendered.files, release_folder(dist, meta, variant))
    return result
