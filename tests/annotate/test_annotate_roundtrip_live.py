"""The round-trip property against the real server.

Random canonical records (emoji, CRLF-normalised text, NBSP, combining marks, nested and overlapping
spans, many roles, coreference chains) are pushed as predictions, accepted as annotations (the
prediction's result posted as an annotation, as the "accept" button does), pulled and converted:
what comes back equals what went in, up to the canonical order and cluster names.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import replace

import pytest
from annotate_support import ANNOTATORS, Live, annotated_docs
from hypothesis import HealthCheck, given, settings

from newsevents.annotate import client as ls
from newsevents.annotate import workflow
from newsevents.annotate.convert import canonical, export_to_records
from newsevents.records import Document

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
