"""Text and markdown renderings of the evaluation and comparison dicts (the JSON is the source)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

ENTITY_ROWS = (
    ("strict", "entities.strict"),
    ("exact", "entities.exact"),
    ("partial", "entities.partial"),
    ("type", "entities.type"),
    ("BIO chunks (CoNLL)", "entities.bio"),
)
EVENT_ROWS = (
    ("Trig-I", "events.trig_i"),
    ("Trig-C", "events.trig_c"),
    ("Arg-I", "events.arg_i"),
    ("Arg-C", "events.arg_c"),
    ("Arg-I+", "events.arg_i+"),
    ("Arg-C+", "events.arg_c+"),
    ("Arg-I coref", "events.arg_i.coref"),
    ("Arg-C coref", "events.arg_c.coref"),
    ("Arg-I+ coref", "events.arg_i+.coref"),
    ("Arg-C+ coref", "events.arg_c+.coref"),
)
HEAD = ("", "COR", "INC", "PAR", "MIS", "SPU", "P", "R", "F1", "F1 interval")
MAX_ERRORS = 30


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.2f}"


def _ci(ci: list[float] | None) -> str:
    return "-" if not ci else f"[{100 * ci[0]:.2f}, {100 * ci[1]:.2f}]"


def _row(name: str, m: dict[str, Any]) -> list[str]:
    ci = m.get("ci", {}).get("f1")
    return [
        name,
        *(str(m[k]) for k in ("COR", "INC", "PAR", "MIS", "SPU")),
        _pct(m["precision"]),
        _pct(m["recall"]),
        _pct(m["f1"]),
        _ci(ci),
    ]


def _macro_row(name: str, m: dict[str, Any]) -> list[str]:
    ci = m.get("ci", {}).get("f1")
    return [name, "", "", "", "", "", _pct(m["precision"]), _pct(m["recall"]), _pct(m["f1"]), _ci(ci)]


def _table(rows: Sequence[Sequence[str]], head: Sequence[str], fmt: str) -> list[str]:
    if fmt == "markdown":
        out = [
            "| " + " | ".join(head) + " |",
            "|" + "|".join("---" if i == 0 else "--:" for i in range(len(head))) + "|",
        ]
        out += ["| " + " | ".join(r) + " |" for r in rows]
        return out
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    lines = []
    for r in [head, *rows]:
        cells = [str(c).ljust(widths[0]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(r)]
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def _section(title: str, fmt: str) -> list[str]:
    return ["", f"## {title}", ""] if fmt == "markdown" else ["", title]


def _breakdown(metrics: dict[str, Any], prefix: str) -> list[list[str]]:
    return [_row(k[len(prefix) :], m) for k, m in metrics.items() if k.startswith(prefix)]


def _format_lines(res: dict[str, Any]) -> list[str]:
    """What format the predictions were read in, what it cannot express, and the warnings counted."""
    out = []
    pf = res.get("pred_format")
    if pf is not None:
        how = "detected" if pf["detected"] else "chosen with --pred-format"
        out.append(f"Predictions: format {pf['name']} ({how}).")
        if pf["cannot_express"]:
            out.append(
                "Not expressible in this format (scores there are not the system's): "
                + "; ".join(pf["cannot_express"])
                + "."
            )
    warnings = res.get("warnings")
    if warnings:
        listed = ", ".join(f"{check} {n}" for check, n in warnings.items())
        out.append(f"Warnings (scored as they are; each on stderr and in --format json): {listed}.")
    return out


def render_evaluation(res: dict[str, Any], fmt: str = "text") -> str:
    """``res`` from :func:`newsevents.evaluate.report.evaluate_documents` as text or markdown."""
    s = res["settings"]
    metrics: dict[str, Any] = res["metrics"]
    macro: dict[str, Any] = res["macro"]
    title = "# newsevents evaluate" if fmt == "markdown" else "newsevents evaluate"
    boot = (
        f"bootstrap {s['bootstrap']} resamples of documents (seed {s['seed']}), {100 * s['confidence']:.0f}% intervals"
        if s["bootstrap"]
        else "no bootstrap"
    )
    out = [
        title,
        "",
        f"{res['documents']} documents; ontology {res['ontology']}; tokenizer {res['tokenizer']}; {boot}. Scores in %.",
    ]
    out += _format_lines(res)

    out += _section("Entity mentions", fmt)
    rows = [_row(name, metrics[key]) for name, key in ENTITY_ROWS if key in metrics]
    rows += [_macro_row(f"macro {name}", macro[key + ".type"]) for name, key in ENTITY_ROWS if key + ".type" in macro]
    out += _table(rows, HEAD, fmt)
    bv = res["bio_view"]
    out.append(
        f"BIO view: {bv['dropped_gold']} nested gold and {bv['dropped_pred']} nested predicted mentions dropped (outermost kept)."
    )
    out += _section("Entity mentions by type (strict)", fmt)
    out += _table(_breakdown(metrics, "entities.strict.type."), HEAD, fmt)
    out += _section("Entity mentions by kind (strict; pairs and MIS by gold kind, SPU by predicted kind)", fmt)
    out += _table(_breakdown(metrics, "entities.strict.kind."), HEAD, fmt)

    out += _section("Events", fmt)
    rows = [_row(name, metrics[key]) for name, key in EVENT_ROWS if key in metrics]
    for name, key in (
        ("macro Trig-C (event types)", "events.trig_c.type"),
        ("macro Arg-C (event types)", "events.arg_c.type"),
        ("macro Arg-C (roles)", "events.arg_c.role"),
    ):
        if key in macro:
            rows.append(_macro_row(name, macro[key]))
    out += _table(rows, HEAD, fmt)
    out += _section("Trig-C by event type", fmt)
    out += _table(_breakdown(metrics, "events.trig_c.type."), HEAD, fmt)
    out += _section("Arg-C by event type", fmt)
    out += _table(_breakdown(metrics, "events.arg_c.type."), HEAD, fmt)
    out += _section("Arg-C by role", fmt)
    out += _table(_breakdown(metrics, "events.arg_c.role."), HEAD, fmt)

    for name, title_ in (
        ("entity_type", "Confusion: entity type (rows gold, columns predicted; paired by span)"),
        ("event_type", "Confusion: event type (paired by trigger span)"),
        ("role", "Confusion: role (paired by trigger and argument span)"),
    ):
        conf = res["confusion"][name]
        labels = conf["labels"]
        if len(labels) <= 1:
            continue
        out += _section(title_, fmt)
        rows = [[g, *(str(conf["matrix"][g].get(p, 0) or ".") for p in labels)] for g in labels]
        out += _table(rows, ["gold \\ pred", *labels], fmt)

    errs = res["errors"]
    counts = res.get("error_counts", {"total": len(errs)})
    shown = min(MAX_ERRORS, len(errs))
    out += _section(
        f"Errors (first {shown} of {counts['total']}; {len(errs)} in --format json, all with --errors-out FILE)", fmt
    )
    rows = [
        [e["error"], e["layer"], e["label"], e["doc_id"], f"{e['start']}-{e['end']}", e["context"], e["note"]]
        for e in errs[:MAX_ERRORS]
    ]
    if rows:
        out += _table(
            [[c.replace("|", "\\|") for c in r] for r in rows] if fmt == "markdown" else rows,
            ["", "layer", "label", "document", "span", "context", "note"],
            fmt,
        )
    return "\n".join(out) + "\n"


def render_comparison(res: dict[str, Any], fmt: str = "text") -> str:
    s = res["settings"]
    title = "# newsevents compare" if fmt == "markdown" else "newsevents compare"
    out = [
        title,
        "",
        f"{res['documents']} documents; {res['test']}; {s['bootstrap']} resamples, seed {s['seed']}. F1 in %.",
        "",
    ]
    main = [key for _, key in ENTITY_ROWS + EVENT_ROWS]
    rows = []
    for key in main + sorted(k for k in res["metrics"] if k not in main):
        m = res["metrics"].get(key)
        if m is None:
            continue
        p = m["p_value"]
        rows.append(
            [
                key,
                _pct(m["f1_a"]),
                _pct(m["f1_b"]),
                _pct(m["difference"]),
                _ci(m["interval"]),
                "-" if p is None else f"{p:.4f}",
            ]
        )
    out += _table(rows, ["metric", "F1 A", "F1 B", "A - B", "interval", "p"], fmt)
    return "\n".join(out) + "\n"
