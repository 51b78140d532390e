"""``newsevents build`` as a library call: clean -> gold -> validate -> render -> install.

The full variant (text included) is always written. When any document's licence does not allow
redistributing its text, the stand-off variant is written beside it from the same records in the
same run, so the two can never disagree; ``newsevents publish`` uploads that one by default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from newsevents.build.card import read_card_inputs
from newsevents.build.collect import Cleaner, collect, seed_facts
from newsevents.build.meta import DatasetMeta, load_meta, redistributable
from newsevents.build.release import STANDOFF_SUFFIX, Installed, Rendered, install, render_release, sha256
from newsevents.records import Finding, Severity


@dataclass
class BuildResult:
    meta: DatasetMeta
    findings: list[Finding] = field(default_factory=list)
    rendered: dict[str, Rendered] = field(default_factory=dict)  # variant -> files
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


def release_folder(dist: Path, meta: DatasetMeta, variant: str, version: str | None = None) -> Path:
    name = f"{meta.name}-{version or meta.version}"
    return dist / (name + (STANDOFF_SUFFIX if variant == "standoff" else ""))


def build_project(root: Path, dist: Path, *, cleaner: Cleaner | None = None) -> BuildResult:
    """Build ``dist/<name>-<version>/`` (and ``-standoff/`` if needed) from the project at ``root``.

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
    variants = ["full"]
    if any(not redistributable(d.source.license) for d in collected.docs):
        variants.append("standoff")
    manifests = manifest_hashes(root)
    restricted = [d for d in collected.docs if not redistributable(d.source.license)]
    for variant in variants:
        seeds = seed_facts(root, restricted) if variant == "standoff" else None
        rendered = render_release(collected.docs, meta, inputs, variant=variant, manifest_sha256=manifests, seeds=seeds)
        result.rendered[variant] = rendered
        result.installed[variant] = install(rendered.files, release_folder(dist, meta, variant))
    return result
