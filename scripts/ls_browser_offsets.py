"""Check in a real browser which offsets Label Studio's frontend saves for awkward characters.

Drives headless Chromium (Playwright) against a running server: logs in, opens a task whose text
holds an astral emoji, a base letter with a combining mark, NBSP, a ZWJ emoji sequence and a line
break, selects words with the mouse-selection path the annotators use, picks the per-region
choice, submits, and compares the saved offsets with Python's code-point offsets.

    .venv/bin/python scripts/ls_browser_offsets.py            # starts its own server in a temp dir

Needs ``playwright`` (pip) and a Chromium (``--chromium`` path, default /usr/lib/chromium/chromium
or Playwright's own). Prints one line per region and exits 0 when every saved offset is a
code-point offset that addresses the selected word, 1 otherwise. tests/annotate uses
:func:`run_check` with the session's server.
"""

from __future__ import annotations

import argparse
import json
import secrets
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsevents.annotate import client as ls
from newsevents.annotate.config import label_config
from newsevents.annotate.convert import record_to_prediction
from newsevents.annotate.server import Credentials, free_port, start_server
from newsevents.records import Argument, Document, EntityMention, EventMention, Source, Span

TEXT = "A \U0001f600 b Iraq\nq\u0301 x\u00a0Baghdad \U0001f468\u200d\U0001f692 Syria attacked end"
# (word, label control value, per-region choice to pick)
PICKS = (
    ("Iraq", "GPE", "NAM"),
    ("Baghdad", "GPE", "NAM"),
    ("Syria", "GPE", "NAM"),
    ("attacked", "Conflict:Attack", "actual"),
)

# Select `word` inside the rendered text (a text node of one line span) and release the mouse there,
# as a drag-selection does; Label Studio turns the DOM selection into a region.
_SELECT_JS = """(word) => {
    const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let n;
    while ((n = w.nextNode())) {
        if (n.parentElement.classList.contains('lsf-richtext__line') && n.textContent.includes(word)) break;
    }
    if (!n) return -1;
    const i = n.textContent.indexOf(word);
    const r = document.createRange();
    r.setStart(n, i); r.setEnd(n, i + word.length);
    const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
    const b = r.getBoundingClientRect();
    n.parentElement.dispatchEvent(new MouseEvent('mouseup', {bubbles: true, clientX: b.right, clientY: b.bottom}));
    return i;
}"""


@dataclass(frozen=True, slots=True)
class Saved:
    word: str
    start: int
    end: int
    text: str
    choice: list[str]

    @property
    def ok(self) -> bool:
        return TEXT[self.start : self.end] == self.word == self.text


def default_chromium() -> str | None:
    for candidate in ("/usr/lib/chromium/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def run_check(url: str, creds: Credentials, *, chromium: str | None = None, shots: Path | None = None) -> list[Saved]:
    """Annotate :data:`TEXT` in the browser as ``creds``' user; the regions as the server saved them."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - optional tool

    session = ls.connect(url, creds.token)
    pid, _ = ls.ensure_project(session, f"browser-offsets-{secrets.token_hex(3)}", label_config())
    (tid,) = ls.import_tasks(session, pid, [{"text": TEXT, "doc_id": "browser-offsets"}])
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium or default_chromium(),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{url}/user/login/")
            page.fill("input[name=email]", creds.username)
            page.fill("input[name=password]", creds.password)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            page.goto(f"{url}/projects/{pid}/data?task={tid}")
            page.locator(".lsf-richtext__line").first.wait_for(timeout=60_000)
            for word, label, choice in PICKS:
                page.get_by_text(label, exact=True).first.click()
                if page.evaluate(_SELECT_JS, word) < 0:
                    raise RuntimeError(f"cannot find {word!r} in the rendered text")
                # Select the new region in the Regions panel; its per-region choices appear.
                page.locator(".lsf-outliner-item", has_text=word).first.click()
                # Choice captions carry their hotkey ("NAM[b]"): match inside the visible choices.
                page.locator(".lsf-choices:not(.lsf-choices_hidden)").get_by_text(choice).first.click()
                if shots:
                    page.screenshot(path=str(shots / f"region-{word}.png"))
                page.keyboard.press("Escape")
            page.get_by_role("button", name="Submit").click()
            page.wait_for_timeout(1500)
        finally:
            browser.close()
    export = json.loads(ls.export_json(session, pid))
    (ann,) = export[0]["annotations"]
    labels = {r["id"]: r["value"] for r in ann["result"] if r["type"] == "labels"}
    choices = {r["id"]: r["value"]["choices"] for r in ann["result"] if r["type"] == "choices"}
    out = []
    for rid, v in labels.items():
        word = next((w for w, _, _ in PICKS if w == v.get("text")), str(v.get("text")))
        out.append(Saved(word, v["start"], v["end"], v["text"], choices.get(rid, [])))
    return sorted(out, key=lambda s: s.start)


def run_prediction_check(url: str, creds: Credentials, *, chromium: str | None = None) -> tuple[list[Any], list[Any]]:
    """Open a task with a pre-annotation in the browser and submit it untouched.

    Returns (the prediction's result, the submitted annotation's result) as the server saved them.
    """
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - optional tool

    session = ls.connect(url, creds.token)
    pid, _ = ls.ensure_project(session, f"browser-prediction-{secrets.token_hex(3)}", label_config())
    doc = prediction_doc()
    (tid,) = ls.import_tasks(session, pid, [{"text": doc.text, "doc_id": doc.id}])
    ls.create_prediction(session, tid, record_to_prediction(doc))
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium or default_chromium(), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{url}/user/login/")
            page.fill("input[name=email]", creds.username)
            page.fill("input[name=password]", creds.password)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            page.goto(f"{url}/projects/{pid}/data?task={tid}")
            page.locator(".lsf-outliner-item").first.wait_for(timeout=60_000)  # the prediction's regions
            page.get_by_role("button", name="Submit").click()
            page.wait_for_timeout(1500)
        finally:
            browser.close()
    export = json.loads(ls.export_json(session, pid))
    (ann,) = export[0]["annotations"]
    (pred,) = ls.task_prediction_results(session, tid)
    return pred, ann["result"]


def same_result(a: list[Any], b: list[Any]) -> bool:
    """Equal results, ignoring the ``origin`` mark the frontend adds to regions it took from a prediction."""

    def norm(items: list[Any]) -> list[str]:
        return sorted(json.dumps({k: v for k, v in r.items() if k != "origin"}, sort_keys=True) for r in items)

    return norm(a) == norm(b)


def prediction_doc() -> Document:
    """A record of :data:`TEXT` with an entity, a trigger, an argument and a coreference link."""

    def at(word: str) -> tuple[int, int]:
        i = TEXT.index(word)
        return i, i + len(word)

    (a, b), (c, d), (e, f) = at("Iraq"), at("Syria"), at("attacked")
    return Document(
        id="browser-prediction",
        title="t",
        text=TEXT,
        language="en",
        split="test",
        source=Source(publisher="p", license="l", raw_file="f", raw_sha256="0" * 64),
        entity_mentions=(
            EntityMention("m-iraq", a, b, "Iraq", "GPE", "NAM", "E1"),
            EntityMention("m-syria", c, d, "Syria", "GPE", "NAM", "E1"),
        ),
        event_mentions=(
            EventMention(
                "t-att", "Conflict:Attack", Span(e, f, "attacked"), "actual", "V1", (Argument("Attacker", "m-syria"),)
            ),
        ),
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chromium", help="Chromium executable")
    ap.add_argument("--screenshots", type=Path, help="folder for screenshots of each selected region")
    args = ap.parse_args(argv)
    data = Path(tempfile.mkdtemp(prefix="newsevents-browser-offsets-"))
    creds = Credentials("admin@offsets.local", secrets.token_urlsafe(16), secrets.token_hex(20))
    server = start_server(data, creds, port=free_port())
    try:
        saved = run_check(server.url, creds, chromium=args.chromium, shots=args.screenshots)
        pred, accepted = run_prediction_check(server.url, creds, chromium=args.chromium)
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)
    for s in saved:
        utf16 = len(TEXT[: s.start].encode("utf-16-le")) // 2
        print(
            f"{s.word!r}: saved [{s.start}, {s.end}) text {s.text!r} choice {s.choice}; code points ok={s.ok} (UTF-16 start would be {utf16})"
        )
    good = len(saved) == len(PICKS) and all(s.ok and s.choice for s in saved)
    print("frontend saves code-point offsets" if good else "MISMATCH: see above")
    same = same_result(pred, accepted)
    print(
        f"prediction submitted untouched: {len(accepted)} result items, equal to the prediction but for 'origin' (ids and offsets kept): {same}"
    )
    return 0 if good and same else 1


if __name__ == "__main__":
    sys.exit(main())
