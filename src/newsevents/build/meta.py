"""The release metadata in ``dataset.toml``: the one place the dataset version lives.

Semantic versioning: major = schema or ontology change, minor = documents or annotations added,
patch = corrections. The build reads the version from here and nowhere else.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsevents import licenses

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


class ConfigError(Exception):
    """``dataset.toml`` is missing or wrong: fix the file (the CLI exits 2)."""


@dataclass(frozen=True, slots=True)
class DatasetMeta:
    name: str
    pretty_name: str
    version: str
    annotation_license: str
    description: str
    annotators: dict[str, str] = field(default_factory=dict)  # account -> who/what it is
    authors: tuple[str, ...] = ()
    repo_id: str | None = None
    # A build setting, not release metadata: whether cleaned documents without a gold record are
    # released (with provenance status "none"). Off by default: a text without annotations reads
    # as a document with no entities and no events in the sentences and ner configs.
    release_unannotated: bool = False

    @property
    def folder(self) -> str:
        return f"{self.name}-{self.version}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "pretty_name": self.pretty_name,
            "version": self.version,
            "annotation_license": self.annotation_license,
            "description": self.description,
            "annotators": dict(sorted(self.annotators.items())),
            "authors": list(self.authors),
            "repo_id": self.repo_id,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any], *, where: str = "dataset.toml") -> DatasetMeta:
        for key in ("name", "pretty_name", "version", "annotation_license", "description"):
            if not isinstance(d.get(key), str) or not d[key]:
                raise ConfigError(f"{where}: {key!r} must be a non-empty string, found {d.get(key)!r}")
        if not SEMVER.match(d["version"]):
            raise ConfigError(f"{where}: version must be MAJOR.MINOR.PATCH, found {d['version']!r}")
        if not re.match(r"^[a-z0-9][a-z0-9-]*$", d["name"]):
            raise ConfigError(f"{where}: name must be lowercase letters, digits and '-', found {d['name']!r}")
        annotators = d.get("annotators", {})
        if not isinstance(annotators, dict) or not all(isinstance(v, str) for v in annotators.values()):
            raise ConfigError(f"{where}: [annotators] must map account names to descriptions")
        return cls(
            name=d["name"],
            pretty_name=d["pretty_name"],
            version=d["version"],
            annotation_license=d["annotation_license"],
            description=d["description"],
            annotators=dict(annotators),
            authors=tuple(d.get("authors", ())),
            repo_id=d.get("repo_id"),
            release_unannotated=_flag(d, "release_unannotated", where),
        )


def _flag(d: dict[str, Any], key: str, where: str) -> bool:
    value = d.get(key, False)
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: {key!r} must be true or false, found {value!r}")
    return value


def load_meta(root: Path) -> DatasetMeta:
    path = root / "dataset.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: not found; the dataset version and name live there") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    return DatasetMeta.from_dict(raw, where=str(path))


def redistributable(license_name: str) -> bool:
    """Whether a source licence allows publishing the text (see :mod:`newsevents.licenses`)."""
    return licenses.redistributable(license_name)
