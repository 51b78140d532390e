"""The real frontend in headless Chromium, on the session's server (needs Playwright and Chromium).

Checks what annotators' browsers save: code-point offsets after an emoji, a combining mark, NBSP, a
ZWJ sequence and a line break; per-region choices shown for the matching label; a pre-annotation
submitted untouched keeps its region ids (= mention ids) and offsets.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from annotate_support import Live

from newsevents.annotate.convert import canonical, export_to_records

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.slow]

# playwright is in the test extra. Without Chromium, tests/conftest.py skips these tests with the
# reason (fails them in CI) before the server starts; the other tests run either way.
import playwright.sync_api  # noqa: E402, F401

_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "ls_browser_offsets.py"
_spec = importlib.util.spec_from_file_location("ls_browser_offsets", _SCRIPT)
assert _spec is not None
assert _spec.loader is not None
check = importlib.util.module_from_spec(_spec)
sys.modules["ls_browser_offsets"] = check  # dataclasses look their module up there
_spec.loader.exec_module(check)


def test_the_browser_saves_code_point_offsets_and_per_region_choices(live: Live) -> None:
    saved = check.run_check(live.url, live.creds)
    assert [s.word for s in saved] == [w for w, _, _ in check.PICKS]
    for s in saved:
        assert check.TEXT[s.start : s.end] == s.word == s.text
    assert [s.choice for s in saved] == [[c] for _, _, c in check.PICKS]


def test_a_prediction_submitted_in_the_browser_keeps_ids_and_offsets(live: Live) -> None:
    pred, accepted = check.run_prediction_check(live.url, live.creds)
    assert check.same_result(pred, accepted)
    doc = check.prediction_doc()
    task = {
        "id": 1,
        "data": {"text": doc.text, "doc_id": doc.id},
        "annotations": [{"id": 1, "completed_by": 1, "result": accepted}],
    }
    records, findings = export_to_records([task], {doc.id: doc})
    assert findings == []
    assert records[0].entity_mentions == canonical(doc).entity_mentions
    assert records[0].event_mentions == canonical(doc).event_mentions
