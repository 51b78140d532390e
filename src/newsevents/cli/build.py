"""``newsevents build``, ``publish``, ``diff`` and ``rehydrate``: the release commands."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsevents.cli import EXIT_FINDINGS, EXIT_OK, UsageError
from newsevents.resources import project_root

# The build stage imports datasets and pyarrow: only the command that runs it imports it.
if TYPE_CHECKING:
    from newsevents.build.diff import ReleaseDiff
    from newsevents.records import Finding


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "build",
        help="clean, validate and write the Hugging Face dataset folder dist/<name>-<version>/",
        description="Clean the seeds, take annotations/gold/ as committed, validate every record and write "
        "dist/<name>-<version>/ (and -standoff/ when a licence forbids redistributing a text). The version "
        "comes from dataset.toml; an existing version folder with other content is never replaced.",
    )
    p.add_argument("--root", type=Path, help="project folder (default: the current project)")
    p.add_argument("--dist", type=Path, help="output folder (default: ROOT/dist)")
    p.set_defaults(func=run_build)

    p = sub.add_parser(
        "publish",
        help="upload a built release to the Hugging Face Hub and tag it v<version>",
        description="Upload dist/<name>-<version>[-standoff]/ with huggingface_hub; the token is read from "
        "HF_TOKEN. The stand-off variant is the default when a document's licence does not allow "
        "redistributing its text.",
    )
    p.add_argument("--repo-id", required=True, help="dataset repository, e.g. owner/newsevents")
    p.add_argument("--version", help="release version (default: dataset.toml's)")
    p.add_argument("--variant", choices=("auto", "full", "standoff"), default="auto", help="default: auto")
    p.add_argument("--private", action="store_true", help="create the repository private")
    p.add_argument("--dry-run", action="store_true", help="check and show what would be uploaded; send nothing")
    p.add_argument("--root", type=Path, help="project folder (default: the current project)")
    p.add_argument("--dist", type=Path, help="release folder parent (default: ROOT/dist)")
    p.set_defaults(func=run_publish)

    p = sub.add_parser("diff", help="documents and annotations added, removed and changed between two releases")
    p.add_argument("old", type=Path, metavar="OLD", help="release folder")
    p.add_argument("new", type=Path, metavar="NEW", help="release folder")
    p.set_defaults(func=run_diff)

    p = sub.add_parser(
        "rehydrate",
        help="rebuild the full dataset from a stand-off release and your copy of the sources",
        description="Match each text-less document of STANDOFF_DIR to one of your files (by raw sha256, else "
        "by file name), clean it with the project's cleaner, check it against the recorded text sha256 and "
        "write the full release to OUT/<name>-<version>/.",
    )
    p.add_argument("standoff", type=Path, metavar="STANDOFF_DIR")
    p.add_argument("--source", type=Path, nargs="+", required=True, metavar="PATH", help="source files or folders")
    p.add_argument("--out", type=Path, required=True, metavar="DIR")
    p.set_defaults(func=run_rehydrate)


def _print_findings(findings: list[Finding]) -> None:
    for f in findings:
        print(str(f), file=sys.stderr if f.severity == "error" else sys.stdout)


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def run_build(args: argparse.Namespace) -> int:
    from newsevents.build.card import CardError, load_snippet  # noqa: PLC0415 - lazy: datasets, pyarrow
    from newsevents.build.meta import ConfigError  # noqa: PLC0415
    from newsevents.build.project import build_project  # noqa: PLC0415
    from newsevents.progress import counting  # noqa: PLC0415

    root = (args.root or project_root()).resolve()
    dist = args.dist or root / "dist"
    try:
        with counting(total=None, desc="build"):
            result = build_project(root, dist)
    except (ConfigError, CardError) as exc:
        raise UsageError(str(exc)) from exc
    _print_findings(result.findings)
    if result.errors:
        print(f"build: {len(result.errors)} errors; nothing written (fix them, then build again)", file=sys.stderr)
        return EXIT_FINDINGS
    for variant, inst in result.installed.items():
        rows = _rows(result.rendered[variant].release)
        if inst.status == "refused":
            print(
                f"build: {_shown(inst.folder)} already exists with different content ({', '.join(inst.differing)}); "
                "a version is written once: bump `version` in dataset.toml (and CHANGELOG.md) to release the change",
                file=sys.stderr,
            )
            continue
        verb = "wrote" if inst.status == "written" else "unchanged (identical rebuild):"
        print(f"{verb} {_shown(inst.folder)}/ ({variant}; rows: {rows})")
    if result.refused:
        return EXIT_FINDINGS
    full = result.installed["full"]
    split = next(iter(result.rendered["full"].data_files["documents"]), "test")
    print(
        "\nLoad it:\n  from datasets import load_dataset\n  "
        + load_snippet(result.meta, _shown(full.folder), "documents", split)
    )
    return EXIT_OK


def _rows(release: dict[str, Any]) -> str:
    splits = release["statistics"]["splits"].values()
    return ", ".join(
        f"{config} {sum(s[key] for s in splits)}"
        for config, key in (("documents", "documents"), ("sentences", "sentences_rows"), ("ner", "ner_rows"))
    )


def run_publish(args: argparse.Namespace) -> int:
    from newsevents.build.meta import ConfigError, load_meta  # noqa: PLC0415
    from newsevents.build.publish import PublishError, plan_publish, publish  # noqa: PLC0415

    root = (args.root or project_root()).resolve()
    dist = args.dist or root / "dist"
    try:
        meta = load_meta(root)
        plan = plan_publish(dist, meta, args.repo_id, version=args.version, variant=args.variant)
    except ConfigError as exc:
        raise UsageError(str(exc)) from exc
    except PublishError as exc:
        print(f"publish: {exc}", file=sys.stderr)
        return EXIT_FINDINGS
    print(f"publish: {_shown(plan.folder)}/ ({plan.variant}, {len(plan.files)} files) -> {plan.repo_id} tag {plan.tag}")
    if plan.restricted:
        print(
            f"publish: text withheld for {len(plan.restricted)} document(s) whose licence does not allow redistribution"
        )
    if args.dry_run:
        _print_upload(plan.folder, plan.files)
        return EXIT_OK
    token = os.environ.get("HF_TOKEN")
    if not token:
        raise UsageError("set HF_TOKEN to a Hugging Face token with write access (it is read, never printed)")
    try:
        url = publish(plan, token, private=args.private)
    except PublishError as exc:
        print(f"publish: {exc}", file=sys.stderr)
        return EXIT_FINDINGS
    print(f'published {url}\nLoad it:\n  load_dataset("{plan.repo_id}", "documents", revision="{plan.tag}")')
    return EXIT_OK


def _print_upload(folder: Path, files: Sequence[str]) -> None:
    """Exactly what an upload sends: each file with its size, and which documents carry their text."""
    from newsevents.build.meta import redistributable  # noqa: PLC0415

    for f in files:
        print(f"  {f}  ({(folder / f).stat().st_size} bytes)")
    release = json.loads((folder / "release.json").read_text(encoding="utf-8"))
    docs = release.get("documents", [])
    withheld = [d["id"] for d in docs if not redistributable(d["license"])]
    print(f"publish: {len(docs) - len(withheld)} document(s) with their text in every config", end="")
    print(f"; stand-off rows (no text) for {len(withheld)}: {', '.join(withheld)}" if withheld else "")


def print_diff(d: ReleaseDiff) -> None:
    print(f"{d.old_version} -> {d.new_version}")
    for what in ("document", "entity mention", "event mention"):
        counts = ", ".join(f"{d.count(k, what)} {k}" for k in ("added", "removed", "changed"))
        print(f"{what}s: {counts}")
    sign = {"added": "+", "removed": "-", "changed": "~"}
    for c in d.changes:
        item = f"{c.doc_id}/{c.item_id}" if c.item_id else c.doc_id
        fields = f" [{', '.join(c.fields)}]" if c.fields else ""
        detail = f": {c.detail}" if c.detail else ""
        print(f"{sign[c.kind]} {c.what} {item}{fields}{detail}")


def run_diff(args: argparse.Namespace) -> int:
    from newsevents.build.diff import ReleaseError, diff_releases  # noqa: PLC0415

    try:
        d = diff_releases(args.old, args.new)
    except ReleaseError as exc:
        raise UsageError(str(exc)) from exc
    print_diff(d)
    return EXIT_OK


def run_rehydrate(args: argparse.Namespace) -> int:
    from newsevents.build.diff import ReleaseError  # noqa: PLC0415
    from newsevents.build.rehydrate import rehydrate  # noqa: PLC0415

    missing = [p for p in args.source if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(map(str, missing))}")
    try:
        result = rehydrate(args.standoff, args.source, args.out)
    except ReleaseError as exc:
        raise UsageError(str(exc)) from exc
    _print_findings(result.findings)
    if result.errors or result.installed is None:
        print(f"rehydrate: {len(result.errors)} errors; nothing written", file=sys.stderr)
        return EXIT_FINDINGS
    inst = result.installed
    if inst.status == "refused":
        print(
            f"rehydrate: {_shown(inst.folder)} exists with different content ({', '.join(inst.differing)})",
            file=sys.stderr,
        )
        return EXIT_FINDINGS
    print(
        f"{'wrote' if inst.status == 'written' else 'unchanged:'} {_shown(inst.folder)}/ ({len(result.docs)} documents, full text)"
    )
    return EXIT_OK
