"""The dataset card (``README.md`` of a release): YAML for ``datasets`` plus the filled datasheet.

The card's body is ``DATASHEET.md`` with each ``<!-- build:NAME -->`` line replaced by a section
computed from the data (statistics, sources, annotation facts, ontology, scores, changelog,
citation), so every figure in the card is the data's, not prose that can go stale. An unknown
marker is an error. Agreement and baseline figures come from ``docs/annotation-report.md`` and
``docs/baselines.md`` when those exist; otherwise the card says "not yet measured". Charts
(:mod:`newsevents.build.charts`, written into the release's ``figures/``) are referenced from the
sections they illustrate by relative links, which the Hub renders; the agreement and baseline
charts are drawn from ``docs/annotation-report.json`` and ``docs/baselines.json`` when present.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from newsevents.build.features import CONFIGS
from newsevents.build.meta import DatasetMeta, redistributable
from newsevents.licenses import license_info
from newsevents.ontology import Ontology
from newsevents.text import TOKENIZER

MARKER = re.compile(r"^<!-- build:([a-z-]+) -->$", re.MULTILINE)


class CardError(Exception):
    """The datasheet template cannot be rendered: fix ``DATASHEET.md``."""


@dataclass(frozen=True, slots=True)
class CardInputs:
    """The hand-written texts the card is rendered from (kept in stand-off releases for rehydration)."""

    datasheet: str
    changelog: str
    annotation_report: str | None = None
    baselines: str | None = None
    # The scores the agreement and baseline charts draw (JSON text; see newsevents.build.charts).
    agreement_scores: str | None = None
    baseline_scores: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {
            "datasheet": self.datasheet,
            "changelog": self.changelog,
            "annotation_report": self.annotation_report,
            "baselines": self.baselines,
        }
        # Only when present, so a release without them keeps the rehydrate.json it had.
        if self.agreement_scores is not None:
            d["agreement_scores"] = self.agreement_scores
        if self.baseline_scores is not None:
            d["baseline_scores"] = self.baseline_scores
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CardInputs:
        return cls(
            d["datasheet"],
            d["changelog"],
            d.get("annotation_report"),
            d.get("baselines"),
            d.get("agreement_scores"),
            d.get("baseline_scores"),
        )


def read_card_inputs(root: Path) -> CardInputs:
    def opt(rel: str) -> str | None:
        p = root / rel
        return p.read_text(encoding="utf-8") if p.is_file() else None

    datasheet = opt("DATASHEET.md")
    if not datasheet or not datasheet.strip():
        raise CardError(f"{root / 'DATASHEET.md'}: missing or empty; the dataset card is rendered from it")
    return CardInputs(
        datasheet,
        opt("CHANGELOG.md") or "",
        opt("docs/annotation-report.md"),
        opt("docs/baselines.md"),
        opt("docs/annotation-report.json"),
        opt("docs/baselines.json"),
    )


@dataclass(frozen=True, slots=True)
class CardContext:
    meta: DatasetMeta
    onto: Ontology
    stats: dict[str, Any]
    docs: list[dict[str, Any]]  # id, publisher, url, license, status, split of each document
    variant: str  # "full" or "standoff"
    data_files: dict[str, dict[str, str]]  # config -> split -> relative path
    features_yaml: dict[str, Any]  # config -> features as YAML list
    split_info: dict[str, list[dict[str, Any]]]  # config -> [{name, num_bytes, num_examples}]
    inputs: CardInputs
    figures: tuple[str, ...] = ()  # relative paths of the release's charts (newsevents.build.charts)


def _figure(c: CardContext, name: str) -> str:
    """A Markdown image of the chart ``name`` when the release has it, else nothing."""
    from newsevents.build.charts import FIGURES, FIGURES_DIR  # noqa: PLC0415 - small; keeps the import graph flat

    rel = f"{FIGURES_DIR}/{name}"
    return f"\n\n![{FIGURES[name]}]({rel})" if rel in c.figures else ""


def _table(header: list[str], rows: list[list[Any]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |" for r in rows]
    return "\n".join(out)


def _demote(md: str, levels: int) -> str:
    """Push markdown headings down so an embedded document nests under the card's section."""
    return re.sub(r"^(#{1,6}) ", lambda m: "#" * min(6, len(m.group(1)) + levels) + " ", md, flags=re.MULTILINE)


def load_snippet(meta: DatasetMeta, where: str | None = None, config: str = "documents", split: str = "test") -> str:
    path = where or f"dist/{meta.folder}"
    return f'load_dataset("{path}", "{config}", split="{split}")'


def _summary(c: CardContext) -> str:
    s = c.stats
    splits = ", ".join(f"{k} ({v['documents']} documents)" for k, v in s["splits"].items()) or "none"
    tokens = sum(v["tokens"] for v in s["splits"].values())
    return "\n".join(
        [
            f"- Version: **{c.meta.version}** (`{c.meta.name}`; release variant: **{c.variant}**)",
            f"- Documents: {s['documents']}; splits: {splits}; tokens: {tokens}",
            f"- Annotation status: {', '.join(f'{k}: {v}' for k, v in s['annotation_status'].items())}",
            f"- Tokenizer and sentence splitter: `{TOKENIZER}` (fixed by the project; recorded in `release.json`)",
            f"- Ontology version: {c.onto.version}",
        ]
    )


def _composition(c: CardContext) -> str:
    s = c.stats
    keys = ["documents", "annotated_documents", "sentences", "tokens", "entity_mentions", "event_mentions"]
    parts = [_table(["split", *keys], [[k, *(v[x] for x in keys)] for k, v in s["splits"].items()])]
    parts.append(f"\nEntity clusters (coreference): {s['entity_clusters']}; event clusters: {s['event_clusters']}.")
    kinds = list(c.onto.mention_kinds)
    rows = [
        [
            t,
            *(s["entity_mentions_by_type_and_kind"].get(f"{t}/{k}", 0) for k in kinds),
            s["entity_mentions_by_type"].get(t, 0),
        ]
        for t in c.onto.entity_types
    ]
    parts.append("\nEntity mentions by type and kind:\n\n" + _table(["type", *kinds, "total"], rows))
    realis = list(c.onto.realis)
    ev_rows = []
    for name, et in c.onto.event_types.items():
        n = s["event_mentions_by_type"].get(name, 0)
        roles = ", ".join(f"{r} {s['arguments_by_type_and_role'].get(f'{name}/{r}', 0)}" for r in et.roles)
        ev_rows.append([name, n, roles])
    parts.append(
        "\nEvent mentions by type, with arguments per role:\n\n"
        + _table(["event type", "mentions", "arguments by role"], ev_rows)
    )
    parts.append(
        "\nEvent mentions by realis: "
        + (", ".join(f"{r} {s['event_mentions_by_realis'].get(r, 0)}" for r in realis))
        + "."
    )
    figures = "".join(_figure(c, n) for n in ("splits.svg", "entity-mentions.svg", "events.svg", "arguments.svg"))
    return "\n".join(parts) + figures


def _sources(c: CardContext) -> str:
    by_source: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for d in c.docs:
        by_source.setdefault((d["publisher"], d["license"]), []).append(d)
    summary = []
    for (publisher, lic), docs in sorted(by_source.items()):
        info = license_info(lic)
        name = f"[{info.id}]({info.url})" if info and info.url else (info.id if info else f"unknown licence ({lic})")
        if redistributable(lic):
            credit = (
                f"; attribution: {docs[0].get('attribution') or publisher}, with each article's URL (table below)"
                if info and info.attribution
                else ""
            )
            summary.append(f"- {publisher}: {len(docs)} document(s), text licensed {name}{credit}.")
        else:
            summary.append(
                f"- {publisher}: {len(docs)} document(s), text not licensed for redistribution ({name}): "
                "stand-off rows only in the published variant."
            )
    rows = [
        [
            d["id"],
            d["split"],
            d["publisher"],
            d["url"] or "(not recorded)",
            d["license"],
            d.get("attribution") or "",
            "yes" if redistributable(d["license"]) else "no (stand-off)",
            d["status"],
        ]
        for d in c.docs
    ]
    header = ["document", "split", "publisher", "url", "text licence", "credit", "text redistributable", "annotation"]
    return "\n".join(summary) + "\n\n" + _table(header, rows)


def _annotation(c: CardContext) -> str:
    s = c.stats
    lines = []
    if s["annotators"]:
        rows = [[a, n, c.meta.annotators.get(a, "not described in dataset.toml")] for a, n in s["annotators"].items()]
        lines.append(
            "Annotator accounts recorded in the released records' provenance:\n\n"
            + _table(["account", "documents", "who or what"], rows)
        )
    else:
        lines.append("No released record names an annotator: no document carries annotations yet.")
    gv = ", ".join(f"{k} ({v} documents)" for k, v in s["guideline_versions"].items()) or "none recorded"
    lines.append(f"\nGuideline versions: {gv}.")
    lines.append("\n### Agreement\n")
    if c.inputs.annotation_report:
        lines.append(
            "From `docs/annotation-report.md` at build time:\n\n" + _demote(c.inputs.annotation_report.strip(), 3)
        )
    else:
        lines.append("Inter-annotator agreement: not yet measured (no `docs/annotation-report.md` at build time).")
    return "\n".join(lines) + _figure(c, "agreement.svg")


def _views(c: CardContext) -> str:
    dropped = c.stats["dropped_in_derived_views"]
    text = (
        "`sentences` and `ner` hold only documents whose annotation status is `gold` or `completed`. "
        "A mention or trigger that crosses a sentence boundary or ends inside a token is dropped from "
        "`sentences`; an argument whose entity mention is in another sentence than its trigger is dropped. "
        "In `ner`, nested and overlapping mentions are flattened: the outermost (longest) mention wins, "
        "ties go to the earlier start; the inner mentions are dropped from `ner` only (they stay in "
        "`documents` and `sentences`)."
    )
    missing = [cfg for cfg in CONFIGS if cfg not in c.data_files]
    if missing:
        text += (
            f"\n\nNot in this release: {', '.join(f'`{m}`' for m in missing)}: no document with annotations "
            "(or, in the stand-off variant, no redistributable one) has rows for it. Splits without rows are "
            "not declared either."
        )
    if not dropped:
        return text + "\n\nDropped in this release: nothing."
    return (
        text
        + "\n\nDropped in this release:\n\n"
        + _table(["view.item.reason", "count"], [[k, v] for k, v in dropped.items()])
    )


def _ontology(c: CardContext) -> str:
    ents = _table(
        ["entity type", "description"], [[t, c.onto.raw["entity_types"][t]["description"]] for t in c.onto.entity_types]
    )
    evs = _table(
        ["event type", "source", "roles (allowed entity types)"],
        [
            [
                n,
                c.onto.raw["event_types"][n].get("source", ""),
                "; ".join(f"{r}: {'/'.join(t)}" for r, t in et.roles.items()),
            ]
            for n, et in c.onto.event_types.items()
        ],
    )
    kinds = ", ".join(f"`{k}` {v}" for k, v in c.onto.raw["mention_kinds"].items())
    realis = ", ".join(f"`{k}` {v}" for k, v in c.onto.raw["realis"].items())
    return f"Ontology version {c.onto.version}.\n\n{ents}\n\nMention kinds: {kinds}\n\nRealis: {realis}\n\n{evs}"


def _baselines(c: CardContext) -> str:
    if c.inputs.baselines:
        return (
            "From `docs/baselines.md` at build time:\n\n"
            + _demote(c.inputs.baselines.strip(), 2)
            + _figure(c, "baselines.svg")
        )
    return "Baseline scores: not yet measured (no `docs/baselines.md` at build time)." + _figure(c, "baselines.svg")


def _distribution(c: CardContext) -> str:
    restricted = [d["id"] for d in c.docs if not redistributable(d["license"])]
    common = (
        f"Annotations are released under {c.meta.annotation_license}. The article texts belong to their "
        "publishers; each document's licence is in `source.license` (table above)."
    )
    if c.variant == "standoff":
        return (
            common
            + f"\n\nThis is the **stand-off** variant: for the {len(restricted)} document(s) whose licence does not "
            "allow redistribution, `title`, `text`, every span `text` and the cleaner's removed-line texts are null; "
            "offsets, `text_sha256`, the source URL and the raw file's sha256 remain. `sentences` and `ner` hold "
            "only redistributable documents. Rebuild the full dataset from your own copy of the source with "
            "`newsevents rehydrate <this folder> --source <your files> --out <dir>`, which runs the project's "
            "cleaner and checks each text against `text_sha256`."
        )
    note = (
        f"\n\nThis is the **full** variant (text included). {len(restricted)} document(s) have a licence that does not "
        "allow redistribution: this folder is for local use; `newsevents publish` uploads the stand-off variant "
        "for them."
        if restricted
        else "\n\nThis is the **full** variant (text included); every document's licence allows redistribution."
    )
    return common + note


def _citation(c: CardContext) -> str:
    authors = " and ".join(c.meta.authors) or "newsevents contributors"
    key = re.sub(r"[^a-z0-9]", "", c.meta.name.lower()) + c.meta.version.replace(".", "")
    return (
        "```bibtex\n"
        f"@misc{{{key},\n"
        f"  title = {{{{{c.meta.pretty_name}}}}},\n"
        f"  author = {{{authors}}},\n"
        f"  note = {{Dataset version {c.meta.version}}},\n"
        + (
            f"  howpublished = {{\\url{{https://huggingface.co/datasets/{c.meta.repo_id}}}}},\n"
            if c.meta.repo_id
            else ""
        )
        + "}\n```"
    )


def _changelog(c: CardContext) -> str:
    text = c.inputs.changelog.strip()
    return _demote(text, 2) if text else "No changelog entries yet (CHANGELOG.md is empty)."


def _load(c: CardContext) -> str:
    lines = ["```python", "from datasets import load_dataset", ""]
    lines += [
        f'{config} = load_dataset("<this folder or repo id>", "{config}", split="{next(iter(c.data_files[config]))}")'
        for config in c.data_files
    ]
    lines.append("```")
    return "\n".join(lines)


SECTIONS: dict[str, Callable[[CardContext], str]] = {
    "summary": _summary,
    "load": _load,
    "composition": _composition,
    "sources": _sources,
    "annotation": _annotation,
    "views": _views,
    "ontology": _ontology,
    "baselines": _baselines,
    "distribution": _distribution,
    "changelog": _changelog,
    "citation": _citation,
}


def _yaml_header(c: CardContext) -> str:
    header: dict[str, Any] = {
        "pretty_name": c.meta.pretty_name,
        "language": sorted({d["language"] for d in c.docs}) or ["en"],
        "license": "other",
        "license_name": "annotations-" + c.meta.annotation_license.lower() + "-text-publishers",
        "license_details": f"Annotations {c.meta.annotation_license}; article texts belong to their publishers (see source.license per document).",
        "task_categories": ["token-classification"],
        "task_ids": ["named-entity-recognition"],
        "tags": ["event-extraction", "entity-coreference", "news"],
        "size_categories": ["n<1K"],
        "configs": [
            {
                "config_name": cfg,
                **({"default": True} if cfg == "documents" else {}),
                "data_files": [{"split": sp, "path": path} for sp, path in c.data_files[cfg].items()],
            }
            for cfg in c.data_files
        ],
        "dataset_info": [
            {
                "config_name": cfg,
                "features": c.features_yaml[cfg],
                "splits": c.split_info[cfg],
            }
            for cfg in c.data_files
        ],
    }
    return "---\n" + yaml.safe_dump(header, sort_keys=False, allow_unicode=True, width=1000) + "---\n"


def render_card(c: CardContext) -> str:
    """The release's README.md."""
    unknown = sorted({m for m in MARKER.findall(c.inputs.datasheet) if m not in SECTIONS})
    if unknown:
        raise CardError(f"DATASHEET.md: unknown build markers {unknown}; known: {sorted(SECTIONS)}")
    body = MARKER.sub(lambda m: SECTIONS[m.group(1)](c), c.inputs.datasheet.strip())
    return _yaml_header(c) + "\n" + body + "\n"
