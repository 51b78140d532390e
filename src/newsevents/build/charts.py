"""Figures of a release for its card: counts from the build, agreement and baselines from JSON.

:func:`render_charts` draws SVG files with matplotlib (imported there only: building needs it,
``--help`` does not). The bytes are deterministic, so the release stays byte-reproducible: no
date in the metadata, ``svg.hashsalt`` fixed (element ids), text drawn as paths in the DejaVu Sans
font that matplotlib ships (no system font is looked up), and matplotlib's version pinned in
``constraints.txt``.

Counts come from the release statistics (:class:`newsevents.build.stats.StatsBuilder`). Agreement
and baseline scores are measured elsewhere; they enter through two small JSON files read with the
card's other inputs (:class:`newsevents.build.card.CardInputs`), and no figure is drawn for an
absent one:

``docs/annotation-report.json``::

    {"agreement": [{"layer": "entities (strict F1)", "value": 0.84, "low": 0.79, "high": 0.88}, ...]}

``docs/baselines.json``::

    {"baselines": [{"system": "lexicon", "label": "PER", "f1": 0.61, "low": 0.52, "high": 0.70}, ...]}

``low`` and ``high`` (the interval) may be null; values are between 0 and 1.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from newsevents.ontology import Ontology

FIGURES_DIR = "figures"
# File name -> alt text, in card order.
FIGURES = {
    "entity-mentions.svg": "Entity mentions per type and kind",
    "events.svg": "Event mentions per type",
    "arguments.svg": "Arguments per role",
    "splits.svg": "Documents and tokens per split",
    "agreement.svg": "Inter-annotator agreement per layer, with its interval",
    "baselines.svg": "Baseline F1 per type, with its interval",
}
HASH_SALT = "newsevents"
KIND_COLOURS = {"NAM": "#4363d8", "NOM": "#f58231", "PRO": "#3cb44b"}
SYSTEM_COLOURS = ("#4363d8", "#f58231", "#3cb44b", "#911eb4", "#808080")


class ChartInputError(ValueError):
    """An agreement or baseline JSON file is not of the expected shape: fix the file."""


def _score(row: Any, key: str, where: str) -> float | None:
    v = row.get(key)
    if v is None and key not in {"value", "f1"}:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or not 0 <= v <= 1:
        raise ChartInputError(f"{where}: {key!r} must be a number between 0 and 1, found {v!r}")
    return float(v)


def parse_scores(text: str, key: str, label: str, value: str, where: str) -> list[dict[str, Any]]:
    """The rows of ``{key: [{label: str, value: number, "low": number|null, "high": ...}]}``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ChartInputError(f"{where}: not JSON ({exc})") from exc
    rows = data.get(key) if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise ChartInputError(f"{where}: needs an object with a list {key!r}, found {type(data).__name__}")
    out = []
    for n, row in enumerate(rows):
        at = f"{where}: /{key}/{n}"
        if not isinstance(row, dict):
            raise ChartInputError(f"{at}: must be an object, found {row!r}")
        for k in (label, "system") if key == "baselines" else (label,):
            if not isinstance(row.get(k), str) or not row[k]:
                raise ChartInputError(f"{at}: {k!r} must be a non-empty string, found {row.get(k)!r}")
        parsed = {k: row[k] for k in ((label, "system") if key == "baselines" else (label,))}
        parsed["value"] = _score(row, value, at)
        parsed["low"] = _score(row, "low", at)
        parsed["high"] = _score(row, "high", at)
        out.append(parsed)
    return out


def _svg(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "newsevents"})
    return buf.getvalue()


def _figure(height: float) -> Any:
    from matplotlib.figure import Figure  # noqa: PLC0415 - heavy, only when building

    return Figure(figsize=(7.0, height), layout="constrained")


def _integer_ticks() -> Any:
    from matplotlib.ticker import MaxNLocator  # noqa: PLC0415 - heavy, only when building

    return MaxNLocator(integer=True)


def _hbar(title: str, labels: Sequence[str], series: Mapping[str, Sequence[int]], colours: Mapping[str, str]) -> Any:
    """Horizontal bars per label, stacked by series; totals at the bar ends."""
    fig = _figure(0.9 + 0.32 * max(1, len(labels)))
    ax = fig.subplots()
    y = list(range(len(labels)))
    left = [0] * len(labels)
    for name, values in series.items():
        ax.barh(y, values, left=left, color=colours.get(name, "#808080"), label=name)
        left = [a + b for a, b in zip(left, values, strict=True)]
    for i, total in enumerate(left):
        ax.text(total, i, f" {total}", va="center", fontsize=8)
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_title(title, fontsize=11)
    ax.set_xlabel("count")
    ax.xaxis.set_major_locator(_integer_ticks())
    ax.margins(x=0.12)
    if len(series) > 1:
        ax.legend(fontsize=8, loc="lower right")
    return fig


def _intervals(ax: Any, xs: Sequence[float], rows: Sequence[Mapping[str, Any]], **kw: Any) -> None:
    for x, r in zip(xs, rows, strict=True):
        if r["low"] is not None and r["high"] is not None:
            ax.plot([x, x], [r["low"], r["high"]], color="black", linewidth=1.2, **kw)


def render_charts(
    stats: Mapping[str, Any],
    onto: Ontology,
    *,
    agreement: Sequence[Mapping[str, Any]] | None = None,
    baselines: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, bytes]:
    """``figures/<name>.svg`` -> SVG bytes (see :data:`FIGURES`); agreement and baselines only when given."""
    import matplotlib as mpl  # noqa: PLC0415 - heavy, only when building

    rc: dict[str, Any] = {
        "svg.hashsalt": HASH_SALT,
        "svg.fonttype": "path",
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    out: dict[str, Any] = {}
    with mpl.rc_context(rc):  # type: ignore[arg-type]  # matplotlib types the keys as a Literal
        types = list(onto.entity_types)
        by_tk = stats["entity_mentions_by_type_and_kind"]
        series = {k: [by_tk.get(f"{t}/{k}", 0) for t in types] for k in onto.mention_kinds}
        out["entity-mentions.svg"] = _hbar("Entity mentions per type and kind", types, series, KIND_COLOURS)
        evs = list(onto.event_types)
        counts = [stats["event_mentions_by_type"].get(t, 0) for t in evs]
        out["events.svg"] = _hbar("Event mentions per type", evs, {"events": counts}, {"events": "#b30000"})
        roles: dict[str, int] = dict.fromkeys(onto.roles, 0)
        for key, n in stats["arguments_by_type_and_role"].items():
            role = key.split("/", 1)[1]
            roles[role] = roles.get(role, 0) + n
        out["arguments.svg"] = _hbar(
            "Arguments per role (all event types)",
            list(roles),
            {"arguments": list(roles.values())},
            {"arguments": "#469990"},
        )
        out["splits.svg"] = _splits(stats["splits"])
        if agreement:
            out["agreement.svg"] = _agreement(agreement)
        if baselines:
            out["baselines.svg"] = _baselines(baselines)
        return {f"{FIGURES_DIR}/{name}": _svg(fig) for name, fig in out.items()}


def _splits(splits: Mapping[str, Mapping[str, int]]) -> Any:
    names = list(splits)
    fig = _figure(2.6)
    axes = fig.subplots(1, 2)
    for ax, key, colour in zip(axes, ("documents", "tokens"), ("#4363d8", "#f58231"), strict=True):
        values = [splits[s][key] for s in names]
        ax.bar(names, values, color=colour)
        for i, v in enumerate(values):
            ax.text(i, v, str(v), ha="center", va="bottom", fontsize=8)
        ax.set_title(f"{key.capitalize()} per split", fontsize=11)
        ax.yaxis.set_major_locator(_integer_ticks())
        ax.margins(y=0.15)
    return fig


def _agreement(rows: Sequence[Mapping[str, Any]]) -> Any:
    fig = _figure(0.9 + 0.35 * len(rows))
    ax = fig.subplots()
    y = list(range(len(rows)))
    ax.barh(y, [r["value"] for r in rows], color="#469990")
    for i, r in enumerate(rows):
        if r["low"] is not None and r["high"] is not None:
            ax.plot([r["low"], r["high"]], [i, i], color="black", linewidth=1.2)
        ax.text(r["value"], i, f" {r['value']:.2f}", va="bottom", fontsize=8)
    ax.set_yticks(y, [r["layer"] for r in rows])
    ax.invert_yaxis()
    ax.set_xlim(0, 1.05)
    ax.set_title("Inter-annotator agreement per layer (interval as a line)", fontsize=11)
    return fig


def _baselines(rows: Sequence[Mapping[str, Any]]) -> Any:
    systems = list(dict.fromkeys(r["system"] for r in rows))
    labels = list(dict.fromkeys(r["label"] for r in rows))
    fig = _figure(2.8)
    ax = fig.subplots()
    width = 0.8 / len(systems)
    for k, system in enumerate(systems):
        mine = {r["label"]: r for r in rows if r["system"] == system}
        xs = [i + (k - (len(systems) - 1) / 2) * width for i, lab in enumerate(labels) if lab in mine]
        rs = [mine[lab] for lab in labels if lab in mine]
        colour = SYSTEM_COLOURS[k % len(SYSTEM_COLOURS)]
        ax.bar(xs, [r["value"] for r in rs], width=width, color=colour, label=system)
        _intervals(ax, xs, rs)
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("F1")
    ax.set_title("Baseline F1 per type (interval as a line)", fontsize=11)
    ax.legend(fontsize=8)
    return fig
