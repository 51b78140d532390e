"""``clean_page``: one raw page (bytes) to one :class:`~newsevents.records.Document`, purely.

No file is read or written here; :mod:`newsevents.clean.corpus` does that at the edges.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from newsevents.clean.blocks import segment
from newsevents.clean.htmlclean import clean_html
from newsevents.clean.normalize import decode, split_lines
from newsevents.clean.overrides import Overrides
from newsevents.clean.preclean import keep_all_blocks
from newsevents.clean.profiles import Profile
from newsevents.clean.textclean import KeptParagraph, clean_blocks
from newsevents.records import Cleaning, Credits, Document, Finding, Paragraph, RemovedLine, Source

CLEANER = "newsevents-clean-1"
UNKNOWN_LICENSE = "unknown: no licence stated for this page; rights remain with the publisher"
_ID_BAD = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class SeedMeta:
    """One manifest row: what is known about a raw page besides its bytes."""

    id: str
    file: str
    format: str = "text"
    publisher: str | None = None
    url: str | None = None
    language: str = "en"
    license: str = UNKNOWN_LICENSE
    retrieved: str | None = None
    split: str = "test"
    raw_sha256: str | None = None
    profile: str | None = None
    overrides: str | None = None
    published: str | None = None  # publication date (YYYY-MM-DD) as the publisher states it
    title: str | None = None  # the headline as the source lists it, checked against the text's
    license_url: str | None = None
    attribution: str | None = None  # credit the licence requires ("Wikinews contributors")


@dataclass(frozen=True, slots=True)
class CleanResult:
    """The cleaned document, or ``None`` when the page could not be cleaned; findings either way."""

    document: Document | None
    findings: tuple[Finding, ...] = ()

    @property
    def ok(self) -> bool:
        return self.document is not None and not any(f.severity == "error" for f in self.findings)


def input_stem(name: str) -> str:
    """A file name without its folder and its ``.gz``, ``.html``/``.htm`` or ``.txt`` endings.

    >>> input_stem("pages/sh-04a6.html.gz")
    'sh-04a6'
    """
    stem = name.replace("\\", "/").rsplit("/", 1)[-1]
    for suffix in (".gz", ".html", ".htm", ".txt"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    return stem


def doc_id_for(name: str) -> str:
    """A record id from a file name: its stem, with characters ids may not hold replaced by ``-``.

    >>> doc_id_for("pages/pier.blocks.txt")
    'pier-blocks'
    """
    return (_ID_BAD.sub("-", input_stem(name)).strip("-_") or "page")[:128]


def format_for(name: str) -> str:
    """``html`` for ``.html``/``.htm`` (optionally gzipped) files, else ``text``."""
    low = name.lower().removesuffix(".gz")
    return "html" if low.endswith((".html", ".htm")) else "text"


def _assemble(paragraphs: list[KeptParagraph]) -> tuple[str, tuple[Paragraph, ...]]:
    parts: list[str] = []
    spans: list[Paragraph] = []
    offset = 0
    for p in paragraphs:
        if parts:
            offset += 2
        parts.append(p.text)
        spans.append(Paragraph(offset, offset + len(p.text), (p.first, p.last)))
        offset += len(p.text)
    return "\n\n".join(parts), tuple(spans)


def _manifest_metadata(
    meta: SeedMeta, *, title: str | None, published: str | None, byline: Credits, findings: list[Finding], name: str
) -> tuple[str | None, Credits]:
    """The manifest's date and attribution over what the text gave; disagreements as findings.

    The manifest states the publication date (for Wikinews: the article's creation date) and wins
    over a date found in the text: a dateline may name a later day (an update). The attribution a
    licence requires is the byline when the text names no author.
    """
    if meta.title and title and meta.title != title:
        findings.append(
            Finding(
                "clean.title-differs",
                f"the headline found is {title!r}, the manifest lists {meta.title!r}",
                severity="warning",
                file=name,
                doc_id=meta.id,
            )
        )
    if meta.attribution and not byline.authors:
        byline = Credits(authors=(meta.attribution,), editors=byline.editors, agencies=byline.agencies)
    return meta.published or published, byline


def clean_page(
    raw: bytes,
    *,
    name: str,
    fmt: str | None = None,
    meta: SeedMeta | None = None,
    profile: Profile | None = None,
    overrides: Overrides | None = None,
) -> CleanResult:
    """Clean one raw page into a document record without annotations.

    Args:
        raw: the page as stored (never modified).
        name: the file name, used in findings and, without ``meta``, for the id and ``raw_file``.
        fmt: ``text`` or ``html``; by default from ``meta`` or the file name.
        meta: the manifest row, if the page is a seed.
        profile: publisher profile to apply (see :func:`newsevents.clean.profiles.detect_profile`).
        overrides: the document's override file, if any.

    Returns:
        The document (``None`` if the page is unusable) and every finding.
    """
    doc_id = meta.id if meta else doc_id_for(name)
    fmt = fmt or (meta.format if meta else format_for(name))
    decoded = decode(raw, name=name, doc_id=doc_id)
    findings = list(decoded.findings)
    if decoded.text is None:
        return CleanResult(None, tuple(findings))
    stale = overrides is not None and meta is not None and overrides.raw_sha256 and meta.raw_sha256
    if stale and overrides and meta and overrides.raw_sha256 != meta.raw_sha256:
        findings.append(
            Finding(
                "clean.override-stale",
                f"override file is for raw sha256 {overrides.raw_sha256}, the file has {meta.raw_sha256}",
                file=overrides.source,
                doc_id=doc_id,
            )
        )
    removed: list[RemovedLine]
    if fmt == "html":
        h = clean_html(decoded.text, profile=profile)
        profile = profile or h.profile
        title, paragraphs, removed = h.title, h.paragraphs, h.removed
        published, byline = h.published, h.credits
        findings.extend(h.findings)
        title_in_text = bool(title) and bool(paragraphs) and paragraphs[0].text == title
    else:
        if profile is not None and profile.keep_all:
            t = keep_all_blocks(split_lines(decoded.text))
        else:
            t = clean_blocks(
                segment(split_lines(decoded.text)), profile=profile, overrides=overrides, name=name, doc_id=doc_id
            )
        title, paragraphs, removed = t.title, t.paragraphs, t.removed
        published, byline = t.published, t.credits
        findings.extend(t.findings)
        title_in_text = title is not None
    if meta is not None:
        published, byline = _manifest_metadata(
            meta, title=title, published=published, byline=byline, findings=findings, name=name
        )
    body = paragraphs[1:] if title_in_text else paragraphs
    if not body:
        findings.append(Finding("clean.no-article", "no article text found on the page", file=name, doc_id=doc_id))
        return CleanResult(None, tuple(findings))
    if not title:
        findings.append(
            Finding(
                "clean.no-headline",
                "no headline found before the article; the first paragraph stands as title",
                severity="warning",
                file=name,
                doc_id=doc_id,
            )
        )
        title = body[0].text
    text, spans = _assemble(paragraphs)
    publisher = (meta.publisher if meta else None) or (profile.publisher if profile else None) or "unknown"
    source = Source(
        publisher=publisher,
        license=meta.license if meta else UNKNOWN_LICENSE,
        raw_file=meta.file if meta else name.replace("\\", "/").rsplit("/", 1)[-1],
        raw_sha256=hashlib.sha256(raw).hexdigest(),
        format=fmt,
        url=meta.url if meta else None,
        retrieved=meta.retrieved if meta else None,
    )
    cleaning = Cleaning(
        cleaner=CLEANER,
        profile=profile.id if profile else None,
        paragraphs=spans,
        removed=tuple(sorted(removed, key=lambda r: r.line)),
        overrides=overrides.source if overrides else None,
    )
    document = Document(
        id=doc_id,
        title=title,
        text=text,
        language=meta.language if meta else "und",
        source=source,
        split=meta.split if meta else "test",
        published=published,
        credits=byline,
        cleaning=cleaning,
    )
    return CleanResult(document, tuple(findings))
