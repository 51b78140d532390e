"""The round-trip property against the real server.

Random canonical records (emoji, CRLF-normalised text, NBSP, combining marks, nested and overlapping
spans, many roles, coreference chains) are pushed as predictions, accepted as annotations (the
prediction's result posted as an annotation, as the "accept" button does), pulled and converted:
what comes back equals what went in, up to the canonical order and cluster names. The seed's gold
record (222 mentions, 79 events) makes the same trip, once as a prediction accepted through the API
and once posted by ``scripts/ls_post_pass.py``, the way the next documents' passes are loaded.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest
from annotate_support import ANNOTATORS, Live, annotated_docs
from hypothesis import HealthCheck, given, settings

from newsevents.annotate import client as ls
from newsevents.annotate import workflow
from newsevents.annotate.config import ARGUMENTS, CLUSTER
from newsevents.annotate.convert import canonical, export_to_records, record_to_prediction
from newsevents.io import write_json
from newsevents.records import Document
from newsevents.resources import project_root

pytestmark = pytest.mark.server

_counter = itertools.count()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=annotated_docs())
def test_push_accept_pull_gives_back_the_record(live: Live, doc: Document) -> None:
    doc = replace(doc, id=f"rt-{next(_counter)}")
    corpus_doc = replace(doc, entity_mentions=(), event_mentions=())
    report = workflow.push(live.session, [corpus_doc], title="roundtrip", predictions=[doc])
    assert report.findings == []
    (task,) = [t for t in ls.list_tasks(live.session, report.project) if t.data["doc_id"] == doc.id]
    (result,) = ls.task_prediction_results(live.session, task.id)  # what the server kept
    user = live.users[ANNOTATORS[next(_counter) % len(ANNOTATORS)]]
    live.session.client.annotations.create(task.id, result=result, completed_by=user)
    export = json.loads(ls.export_json(live.session, report.project))
    mine = [t for t in export if t["id"] == task.id]
    records, findings = export_to_records(
        mine, {doc.id: corpus_doc}, users=ls.users_by_id(live.session), project=report.project
    )
    assert findings == []
    passed, gold = records
    want = canonical(doc)
    for got in (passed, gold):
        assert got.text == doc.text
        assert got.entity_mentions == want.entity_mentions
        assert got.event_mentions == want.event_mentions
    assert passed.provenance.label_studio == {
        "project": report.project,
        "task": task.id,
        "annotation": passed.provenance.label_studio["annotation"],
        "annotator_key": passed.provenance.label_studio["annotator_key"],
    }


ROOT = Path(__file__).resolve().parents[2]
SEED_GOLD = ROOT / "annotations" / "gold" / "dw-2019-12-29-us-hits-back-iraq.json"


def _post_pass_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ls_post_pass", ROOT / "scripts" / "ls_post_pass.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pulled(live: Live, project: int, task: int, corpus_doc: Document) -> list[Document]:
    export = [t for t in json.loads(ls.export_json(live.session, project)) if t["id"] == task]
    records, findings = export_to_records(
        export, {corpus_doc.id: corpus_doc}, users=ls.users_by_id(live.session), project=project
    )
    assert findings == []
    return records


def test_the_seed_gold_goes_through_the_server_and_ls_post_pass_unchanged(
    live: Live, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gold = Document.from_dict(json.loads(SEED_GOLD.read_text(encoding="utf-8")))
    corpus_doc = replace(gold, entity_mentions=(), event_mentions=())
    report = workflow.push(live.session, [corpus_doc], title="seed-roundtrip", predictions=[gold])
    assert report.findings == []
    (task,) = ls.list_tasks(live.session, report.project)
    (stored,) = ls.task_prediction_results(live.session, task.id)
    sent = record_to_prediction(gold)["result"]
    # The server keeps the text fields as sent: cluster names and argument entries, no relation.
    assert sorted(json.dumps(r, sort_keys=True) for r in stored) == sorted(json.dumps(r, sort_keys=True) for r in sent)
    assert not [r for r in stored if r["type"] == "relation"]
    assert {r["from_name"] for r in stored if r["type"] == "textarea"} == {CLUSTER, ARGUMENTS}

    # Accepted through the API, as the accept button does.
    live.session.client.annotations.create(task.id, result=stored, completed_by=live.users[ANNOTATORS[0]])
    # Posted by the script that loads the next documents' passes (token from the project's .env).
    record_file = tmp_path / "pass.json"
    write_json(record_file, gold.to_dict())
    monkeypatch.setenv("NEWSEVENTS_ROOT", str(live.root))
    monkeypatch.delenv("LABEL_STUDIO_USER_TOKEN", raising=False)
    script = _post_pass_script()
    argv = [str(record_file), "--email", ANNOTATORS[1], "--url", live.url, "--project", str(report.project)]
    project_root.cache_clear()  # an earlier test may have cached another root: the .env is read from this one
    try:
        assert script.main(argv) == 0
    finally:
        project_root.cache_clear()

    records = _pulled(live, report.project, task.id, corpus_doc)
    passes = [r for r in records if r.provenance.status == "completed"]
    assert sorted(r.provenance.annotators[0] for r in passes) == ["alice-at-example.org", "bob-at-example.org"]
    want = canonical(gold)
    assert (len(want.entity_mentions), len(want.event_mentions)) == (222, 79)
    for got in records:
        assert got.entity_mentions == want.entity_mentions
        assert got.event_mentions == want.event_mentions
