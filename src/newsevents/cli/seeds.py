"""``newsevents seeds add``: add articles to seeds/ with their manifest rows (docs/cleaning.md)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from newsevents.cli import EXIT_FINDINGS, EXIT_OK, UsageError

_SOURCE_KEYS = ("publisher", "url", "license", "license_url", "attribution", "published", "title", "language")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("seeds", help="add articles to seeds/ (raw file, sha256, id, manifest row)")
    ssub = p.add_subparsers(dest="seeds_command", metavar="ACTION")
    a = ssub.add_parser(
        "add",
        help="copy articles into seeds/ and append their manifest rows",
        description="Copy each FILE unchanged into seeds/ as <NNN>_<sha256[:16]><suffix>, compute its sha256, "
        "give it an id (<publisher>-<published>-<name>) and a split (from the id's hash, about 2:1:1 "
        "train:validation:test) unless given, and append its row to seeds/manifest.json. All or nothing: "
        "when one file is refused, nothing is written. A file already in seeds/ is skipped. "
        "Rules: docs/cleaning.md, 'Adding an article'.",
    )
    a.add_argument("files", nargs="+", type=Path, metavar="FILE", help="raw article files (.txt, .html, .html.gz)")
    a.add_argument("--publisher", help="publisher name (required unless --source-manifest gives it)")
    a.add_argument("--url", help="the article's URL (one FILE only)")
    a.add_argument("--license", help="SPDX id of the text's licence, e.g. CC-BY-4.0, or LicenseRef-all-rights-reserved")
    a.add_argument("--license-url", help="the licence's URL (default: the known licence's)")
    a.add_argument("--attribution", help="the credit the licence requires, e.g. 'Wikinews contributors'")
    a.add_argument("--published", metavar="YYYY-MM-DD", help="publication date (one FILE only)")
    a.add_argument("--title", help="the headline as the source lists it (one FILE only)")
    a.add_argument("--split", choices=("train", "validation", "test"), help="split (default: from the id's hash)")
    a.add_argument("--language", help="language code (default en)")
    a.add_argument("--profile", help="cleaning profile, e.g. preclean for texts already free of boilerplate")
    a.add_argument("--id", dest="doc_id", help="document id (one FILE only; default by the id rule)")
    a.add_argument(
        "--source-manifest",
        type=Path,
        metavar="JSONL",
        help="JSON Lines with one row per FILE (key 'file': its name) giving publisher, url, license, "
        "license_url, attribution, published, title, language; options given on the command line win",
    )
    a.add_argument("--allow-unknown-license", action="store_true", help="add a file whose licence is not known")
    a.add_argument("--dry-run", action="store_true", help="print the rows, write nothing")
    a.set_defaults(func=run_add)
    p.set_defaults(func=lambda _args: _usage(p))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _source_rows(path: Path | None) -> dict[str, dict[str, Any]]:
    if path is None:
        return {}
    rows: dict[str, dict[str, Any]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from exc
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path}:{n}: not JSON: {exc}") from exc
        if not isinstance(row, dict) or not isinstance(row.get("file"), str):
            raise UsageError(f"{path}:{n}: a row must be an object with a 'file' name")
        rows[row["file"]] = row
    return rows


def run_add(args: argparse.Namespace) -> int:
    # Imported here so that `newsevents --help` does not load the clean stage.
    from newsevents.clean.seeds import SeedRequest, add_seeds  # noqa: PLC0415
    from newsevents.resources import project_root  # noqa: PLC0415

    if len(args.files) > 1 and any(getattr(args, k) for k in ("url", "published", "title", "doc_id")):
        raise UsageError(
            "--url, --published, --title and --id name one article: give one FILE, or use --source-manifest"
        )
    source = _source_rows(args.source_manifest)
    requests = []
    for path in args.files:
        row = source.get(path.name, {})
        if args.source_manifest is not None and not row:
            raise UsageError(f"{args.source_manifest} has no row for {path.name}")
        given = {k: getattr(args, k) for k in _SOURCE_KEYS if getattr(args, k) is not None}
        merged = {k: row[k] for k in _SOURCE_KEYS if row.get(k) is not None} | given
        if not merged.get("publisher") or not merged.get("license"):
            raise UsageError(f"{path.name}: --publisher and --license are required (or a --source-manifest row)")
        requests.append(
            SeedRequest(
                path=path,
                publisher=merged["publisher"],
                license=merged["license"],
                url=merged.get("url"),
                published=merged.get("published"),
                split=args.split,
                language=merged.get("language", "en"),
                title=merged.get("title"),
                attribution=merged.get("attribution"),
                license_url=merged.get("license_url"),
                profile=args.profile,
                id=args.doc_id,
            )
        )
    root = project_root()
    if not (root / "seeds" / "manifest.json").is_file():
        raise UsageError(f"no seeds/manifest.json under {root} (run inside the project or set NEWSEVENTS_ROOT)")
    result = add_seeds(root, requests, allow_unknown_license=args.allow_unknown_license, dry_run=args.dry_run)
    for f in [*result.skipped, *result.findings]:
        print(str(f), file=sys.stderr)
    if result.findings:
        print(f"newsevents seeds add: {len(result.findings)} file(s) refused; nothing written", file=sys.stderr)
        return EXIT_FINDINGS
    verb = "would add" if args.dry_run else "added"
    for row in result.added:
        print(f"{verb} {row['id']}  split={row['split']}  seeds/{row['file']}  ({row['license']})")
    print(f"{verb} {len(result.added)} article(s), {len(result.skipped)} already present")
    if result.added and not args.dry_run:
        print("next: newsevents clean   (then annotate push; see docs/cleaning.md, 'Adding an article')")
    return EXIT_OK
