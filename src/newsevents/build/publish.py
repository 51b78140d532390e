"""Upload a built release to the Hugging Face Hub and tag it ``v<version>``.

Which folder: the stand-off variant when any document's licence does not allow redistributing
its text (read from the full release's ``release.json``), else the full one. The folder is checked
against its ``SHA256SUMS`` before anything is sent. The token comes from ``HF_TOKEN`` and is passed
to ``huggingface_hub`` only, never printed or logged. A tag that already exists is an error: a
published version is never replaced.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsevents.build.meta import DatasetMeta, redistributable
from newsevents.build.project import release_folder
from newsevents.build.release import folder_files
from newsevents.io import read_json

# Remote files a new version replaces (everything a release writes; .gitattributes is kept).
DELETE_PATTERNS = ["data/**", "*.md", "*.json", "SHA256SUMS"]


class PublishError(Exception):
    """The release cannot be published as asked; the message says what to do."""


# The Hub's rule for a repo id (huggingface_hub's validate_repo_id): owner/name, each part starting
# with a letter or digit, then letters, digits, ".", "_" or "-"; no "--" or ".."; "-" or "." not
# last; at most 96 characters in all. Matched in full (``$`` would pass a trailing newline).
MAX_REPO_ID = 96
_REPO_PART = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?"
_REPO_ID = re.compile(rf"{_REPO_PART}/{_REPO_PART}")


def check_repo_id(repo_id: str) -> None:
    """Refuse a repo id the Hub would refuse (or that names a path: ``../../x``), before any work.

    >>> check_repo_id("owner/newsevents")  # passes; "owner/na me" or "../../x" raise PublishError
    """
    if (
        not isinstance(repo_id, str)
        or len(repo_id) > MAX_REPO_ID
        or _REPO_ID.fullmatch(repo_id) is None
        or ".." in repo_id
        or "--" in repo_id
    ):
        raise PublishError(
            "--repo-id must be OWNER/NAME as the Hub allows it (letters, digits, '.', '_', '-'; each part starts "
            "with a letter or digit and does not end with '.' or '-'; no '..' or '--'; at most "
            f"{MAX_REPO_ID} characters), found {repo_id!r}"
        )


@dataclass(frozen=True, slots=True)
class PublishPlan:
    repo_id: str
    version: str
    variant: str
    folder: Path
    files: tuple[str, ...]
    restricted: tuple[str, ...]  # documents whose text may not be redistributed

    @property
    def tag(self) -> str:
        return f"v{self.version}"


def verify_sums(folder: Path) -> list[str]:
    """Problems between ``folder``'s files and its ``SHA256SUMS`` (empty: intact)."""
    sums = folder / "SHA256SUMS"
    if not sums.is_file():
        return [f"{sums}: missing"]
    listed = {}
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, _, rel = line.partition("  ")
        listed[rel] = digest
    files = {p: hashlib.sha256(b).hexdigest() for p, b in folder_files(folder).items() if p != "SHA256SUMS"}
    problems = [f"{p}: not listed in SHA256SUMS" for p in sorted(files.keys() - listed.keys())]
    problems += [f"{p}: listed in SHA256SUMS but missing" for p in sorted(listed.keys() - files.keys())]
    problems += [
        f"{p}: sha256 differs from SHA256SUMS" for p in sorted(files.keys() & listed.keys()) if files[p] != listed[p]
    ]
    return problems


def plan_publish(
    dist: Path, meta: DatasetMeta, repo_id: str, *, version: str | None = None, variant: str = "auto"
) -> PublishPlan:
    """Decide and check what would be uploaded; no network."""
    check_repo_id(repo_id)
    version = version or meta.version
    full = release_folder(dist, meta, "full", version)
    loaded = read_json(full / "release.json")
    if loaded.findings or not isinstance(loaded.value, dict):
        raise PublishError(f"{full}: no built release for version {version}; run `newsevents build` first")
    restricted = tuple(d["id"] for d in loaded.value["documents"] if not redistributable(d["license"]))
    if variant == "auto":
        variant = "standoff" if restricted else "full"
    if variant == "full" and restricted:
        raise PublishError(
            f"documents {list(restricted)} have licences that do not allow redistributing their text; publish the "
            "stand-off variant (the default), or record a licence that allows it in the seeds manifest if you hold one"
        )
    folder = release_folder(dist, meta, variant, version)
    if not folder.is_dir():
        raise PublishError(f"{folder}: not built; run `newsevents build` (it writes the stand-off variant when needed)")
    problems = verify_sums(folder)
    if problems:
        raise PublishError(f"{folder} does not match its SHA256SUMS, rebuild it: " + "; ".join(problems))
    return PublishPlan(repo_id, version, variant, folder, tuple(sorted(folder_files(folder))), restricted)


def publish(plan: PublishPlan, token: str, *, private: bool = False, api: Any = None) -> str:
    """Create the dataset repo if needed, upload the folder, tag the commit; returns the commit URL."""
    from huggingface_hub import HfApi  # noqa: PLC0415 - network client, only when publishing
    from huggingface_hub.errors import HfHubHTTPError  # noqa: PLC0415

    hub = api or HfApi(token=token)
    try:
        refs = (
            hub.list_repo_refs(plan.repo_id, repo_type="dataset")
            if hub.repo_exists(plan.repo_id, repo_type="dataset")
            else None
        )
        if refs is not None and any(t.name == plan.tag for t in refs.tags):
            raise PublishError(
                f"{plan.repo_id} already has tag {plan.tag}; bump the version in dataset.toml to publish changes"
            )
        hub.create_repo(plan.repo_id, repo_type="dataset", exist_ok=True, private=private)
        info = hub.upload_folder(
            repo_id=plan.repo_id,
            folder_path=plan.folder,
            repo_type="dataset",
            commit_message=f"{plan.folder.name}: release {plan.version} ({plan.variant})",
            delete_patterns=DELETE_PATTERNS,
        )
        hub.create_tag(plan.repo_id, tag=plan.tag, revision=info.oid, repo_type="dataset")
    except HfHubHTTPError as exc:
        # The message carries the server's reason and the URL, never the token.
        raise PublishError(f"Hugging Face Hub refused: {exc}") from exc
    return str(info.commit_url)
