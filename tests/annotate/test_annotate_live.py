"""push / pull / errors / offsets against the real Label Studio server of the session fixture."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from annotate_support import ANNOTATORS, Live, make_doc

from newsevents.annotate import client as ls
from newsevents.annotate import workflow
from newsevents.annotate.config import label_config
from newsevents.annotate.convert import (
    GOLD_RULE_GROUND_TRUTH,
    annotator_key,
    export_to_records,
    record_to_prediction,
)
from newsevents.annotate.server import HOST, ServerError, free_port, start_server
from newsevents.cli import main
from newsevents.io import write_json
from newsevents.records import Argument, Document, EntityMention, EventMention, Span
from newsevents.resources import project_root

pytestmark = pytest.mark.server

TEXT_A = "US strikes Iraq base\n\nThe United States struck a base in Iraq on Sunday, officials said."
TEXT_B = "Protests in Baghdad\n\nThousands protested in Baghdad \U0001f600 on Friday."


def annotated(doc: Document) -> Document:
    t = doc.text
    us = EntityMention("m-us", 0, 2, "US", "GPE", "NAM", "E1")
    usa_s = t.index("The United States")
    usa = EntityMention("m-usa", usa_s, usa_s + 17, t[usa_s : usa_s + 17], "GPE", "NAM", "E1")
    iq = t.index("Iraq", 30)
    iraq = EntityMention("m-iraq", iq, iq + 4, "Iraq", "GPE", "NAM", "E2")
    su = t.index("Sunday")
    sunday = EntityMention("m-sun", su, su + 6, "Sunday", "TIME", "NOM", "E3")
    st_ = t.index("struck")
    ev = EventMention(
        "t-struck", "Conflict:Attack", Span(st_, st_ + 6, "struck"), "actual", "V1",
        (Argument("Attacker", "m-usa"), Argument("Place", "m-iraq"), Argument("Time", "m-sun")),
    )  # fmt: skip
    return replace(doc, entity_mentions=(us, usa, iraq, sunday), event_mentions=(ev,))


def write_corpus(folder: Path, docs: list[Document]) -> Path:
    for d in docs:
        write_json(folder / f"{d.id}.json", d.to_dict())
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_server_accepts_the_generated_config(live: Live) -> None:
    pid, action = ls.ensure_project(live.session, "config-check", label_config())
    assert action == "created"
    project = live.session.client.projects.get(pid)
    assert project.label_config.strip() == label_config().strip()
    assert ls.ensure_project(live.session, "config-check", label_config()) == (pid, "unchanged")


def test_push_is_idempotent_and_reports_a_changed_text(live: Live, tmp_path: Path) -> None:
    a, b = make_doc("push-a", TEXT_A), make_doc("push-b", TEXT_B)
    r1 = workflow.push(live.session, [a, b], title="push-test")
    assert (r1.project_action, r1.imported, r1.already_there, r1.findings) == ("created", 2, 0, [])
    r2 = workflow.push(live.session, [a, b], title="push-test")
    assert (r2.project, r2.project_action, r2.imported, r2.already_there) == (r1.project, "unchanged", 0, 2)
    changed = replace(b, text=TEXT_B + " More.")
    r3 = workflow.push(live.session, [a, changed], title="push-test")
    assert r3.imported == 0
    assert [f.check for f in r3.findings] == ["annotate.text-changed"]
    tasks = ls.list_tasks(live.session, r1.project)
    assert sorted(t.data["doc_id"] for t in tasks) == ["push-a", "push-b"]
    by_id = {t.data["doc_id"]: t.data for t in tasks}
    assert by_id["push-b"] == {"text": TEXT_B, "doc_id": "push-b", "text_sha256": b.text_sha256}


def test_push_predictions_once_with_mention_ids_as_region_ids(live: Live) -> None:
    doc = annotated(make_doc("pred-a", TEXT_A))
    r1 = workflow.push(live.session, [doc], title="pred-test", predictions=[doc])
    assert (r1.imported, r1.predictions_added) == (1, 1)
    r2 = workflow.push(live.session, [doc], title="pred-test", predictions=[doc])
    assert (r2.imported, r2.predictions_added, r2.predictions_unchanged) == (0, 0, 1)
    (task,) = ls.list_tasks(live.session, r1.project)
    (result,) = ls.task_prediction_results(live.session, task.id)
    assert {r["id"] for r in result if "id" in r} == {"m-us", "m-usa", "m-iraq", "m-sun", "t-struck"}
    other = make_doc("pred-missing", "Nothing here")
    r3 = workflow.push(live.session, [doc], title="pred-test", predictions=[other])
    assert [f.check for f in r3.findings] == ["annotate.prediction-no-task"]


def _post_draft(live: Live, task: int, result: list) -> None:
    # The SDK has no drafts client; this is the endpoint the frontend uses.
    resp = live.session.client._client_wrapper.httpx_client.request(  # noqa: SLF001
        f"api/tasks/{task}/drafts", method="POST", json={"result": result, "lead_time": 1.0}
    )
    assert resp.status_code == 201, resp.text


def test_pull_keeps_every_annotator_ignores_skips_and_drafts(
    live: Live, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = annotated(make_doc("pull-a", TEXT_A))
    other = make_doc("pull-b", TEXT_B)
    corpus = write_corpus(tmp_path / "corpus", [make_doc("pull-a", TEXT_A), other])
    monkeypatch.setenv("LABEL_STUDIO_USER_TOKEN", live.creds.token)
    assert main(["annotate", "push", str(corpus), "--url", live.url, "--title", "pull-test"]) == 0
    pid = ls.find_project(live.session, "pull-test")
    assert pid is not None
    tasks = {t.data["doc_id"]: t.id for t in ls.list_tasks(live.session, pid)}
    alice, bob, carol = (live.users[e] for e in ANNOTATORS)
    full = record_to_prediction(doc)["result"]
    # The same annotation without "Sunday": its region and the trigger's argument entry naming it.
    no_sun = replace(
        doc,
        entity_mentions=tuple(m for m in doc.entity_mentions if m.id != "m-sun"),
        event_mentions=tuple(
            replace(e, arguments=tuple(a for a in e.arguments if a.mention != "m-sun")) for e in doc.event_mentions
        ),
    )
    fewer = record_to_prediction(no_sun)["result"]
    ann = live.session.client.annotations
    ann.create(tasks["pull-a"], result=full, completed_by=alice)
    ann.create(tasks["pull-a"], result=fewer, completed_by=bob, ground_truth=True)
    ann.create(tasks["pull-a"], result=full[:2], completed_by=carol, was_cancelled=True)
    ann.create(tasks["pull-b"], result=[], completed_by=carol, was_cancelled=True)
    _post_draft(live, tasks["pull-b"], full[:2])

    out = tmp_path / "annotations"
    capsys.readouterr()
    code = main(
        ["annotate", "pull", "--url", live.url, "--title", "pull-test", "--corpus", str(corpus), "--out", str(out)]
    )
    printed = capsys.readouterr()
    assert code == 0, printed.err
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*.json"))
    (export_name,) = [f for f in files if f.startswith("exports/")]
    assert files == sorted(
        [
            export_name,
            "gold/pull-a.json",
            f"passes/pull-a/alice-at-example.org-{annotator_key(ANNOTATORS[0])}.json",
            f"passes/pull-a/bob-at-example.org-{annotator_key(ANNOTATORS[1])}.json",
        ]
    )
    raw = (out / export_name).read_bytes()
    assert export_name == f"exports/project-{pid}-{hashlib.sha256(raw).hexdigest()[:16]}.json"
    assert raw == ls.export_json(live.session, pid)  # saved unmodified
    alice_rec = Document.from_dict(
        json.loads((out / f"passes/pull-a/alice-at-example.org-{annotator_key(ANNOTATORS[0])}.json").read_text())
    )
    assert len(alice_rec.entity_mentions) == 4
    assert {m.entity for m in alice_rec.entity_mentions if m.id in {"m-us", "m-usa"}} == {"m-us"}
    gold = Document.from_dict(json.loads((out / "gold/pull-a.json").read_text()))
    assert gold.provenance.status == "gold"
    assert gold.provenance.annotators == ("bob-at-example.org",)
    assert gold.provenance.gold_rule == GOLD_RULE_GROUND_TRUTH
    assert gold.provenance.guideline_version == workflow.guideline_version(project_root())
    assert gold.provenance.label_studio is not None
    assert gold.provenance.label_studio["project"] == pid
    assert gold.provenance.label_studio["task"] == tasks["pull-a"]
    assert [m.id for m in gold.entity_mentions] == ["m-us", "m-usa", "m-iraq"]
    assert main(["validate", str(out / "passes"), str(out / "gold")]) == 0
    # A second pull of an unchanged project writes the same files.
    before = snapshot(out)
    assert (
        main(
            ["annotate", "pull", "--url", live.url, "--title", "pull-test", "--corpus", str(corpus), "--out", str(out)]
        )
        == 0
    )
    assert snapshot(out) == before


@pytest.mark.parametrize("problem", ["server-down", "wrong-token", "wrong-project-id", "wrong-project-title"])
def test_environment_errors_exit_2_with_one_line_and_touch_nothing(
    problem: str, live: Live, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = write_corpus(tmp_path / "corpus", [make_doc("err-a", TEXT_A)])
    out = tmp_path / "annotations"
    write_json(out / "gold" / "keep.json", {"sentinel": True})
    before = snapshot(out)
    monkeypatch.setenv("LABEL_STUDIO_USER_TOKEN", "wrong-token" if problem == "wrong-token" else live.creds.token)
    url = f"http://{HOST}:{free_port()}" if problem == "server-down" else live.url
    args = ["annotate", "pull", "--url", url, "--corpus", str(corpus), "--out", str(out)]
    args += ["--project", "987654"] if problem == "wrong-project-id" else ["--title", "no-such-project"]
    capsys.readouterr()
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert {
        "server-down": "cannot reach",
        "wrong-token": "refused the API token",
        "wrong-project-id": "no project 987654",
        "wrong-project-title": "no project titled",
    }[problem] in err
    assert snapshot(out) == before


def test_push_refuses_text_that_is_not_normalised(
    live: Live, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = make_doc("crlf-doc", "Title\r\n\r\nBody e\u0301.").to_dict()
    write_json(tmp_path / "corpus" / "crlf-doc.json", bad)
    monkeypatch.setenv("LABEL_STUDIO_USER_TOKEN", live.creds.token)
    assert main(["annotate", "push", str(tmp_path / "corpus"), "--url", live.url, "--title", "crlf-test"]) == 1
    assert "annotate.bad-document" in capsys.readouterr().err
    pid = ls.find_project(live.session, "crlf-test")
    assert pid is not None
    assert ls.list_tasks(live.session, pid) == []


# What the server stores: the text and the offsets exactly as sent. Strings the frontend would
# count differently (UTF-16 units for the emoji, two code points for e + combining acute, two for
# CRLF, NBSP as one) are exercised here through the API.
OFFSET_TEXT = "A \U0001f600 b\r\nq\u0301 x\u00a0y \U0001f468\u200d\U0001f692 z"


def test_server_stores_text_and_offsets_verbatim(live: Live) -> None:
    pid, _ = ls.ensure_project(live.session, "offsets", label_config())
    (tid,) = ls.import_tasks(live.session, pid, [{"text": OFFSET_TEXT, "doc_id": "offsets"}])

    def region(rid: str, s: int, e: int, claimed: str) -> dict:
        return {
            "id": rid,
            "from_name": "entity",
            "to_name": "text",
            "type": "labels",
            "value": {"start": s, "end": e, "text": claimed, "labels": ["PER"]},
        }

    z = OFFSET_TEXT.index("z")
    sent = [
        region("cp-b", 4, 5, "b"),  # after the emoji: code points
        region("cp-q", 7, 9, "q\u0301"),  # a base and its combining mark
        region("cp-y", 12, 13, "y"),  # after the NBSP
        region("cp-z", z, z + 1, "z"),  # after a ZWJ sequence of three code points
        region("u16-b", 5, 6, "b"),  # the same b in UTF-16 code units
        region("bad", 3, 999, "nonsense"),  # out of range: stored anyway
    ]
    live.session.client.annotations.create(tid, result=sent, completed_by=live.users[ANNOTATORS[0]])
    export = json.loads(ls.export_json(live.session, pid))
    (task,) = [t for t in export if t["id"] == tid]
    assert task["data"]["text"] == OFFSET_TEXT  # CRLF, combining mark, NBSP, emoji kept as sent
    assert task["annotations"][0]["result"] == sent  # offsets and value.text untouched, none checked
    for r in sent[:4]:
        v = r["value"]
        assert OFFSET_TEXT[v["start"] : v["end"]] == v["text"]  # code points address the text
    # The converter recognises the UTF-16 region and converts it to code points.
    doc = make_doc("offsets", OFFSET_TEXT)
    _, findings = export_to_records([task], {"offsets": doc})
    assert {f.check for f in findings} >= {"annotate.utf16-offsets", "annotate.offset-range"}


def test_a_busy_port_is_an_error(live: Live, tmp_path: Path) -> None:
    port = int(live.url.rsplit(":", 1)[1])
    with pytest.raises(ServerError, match=f"port {port}.*already in use"):
        start_server(tmp_path / "data", live.creds, port=port)
    assert not (tmp_path / "data").exists()


def test_server_log_holds_no_secret(live: Live) -> None:
    log = live.log_file.read_text(errors="replace")
    assert "Starting development server at http://127.0.0.1:" in log
    assert live.creds.password not in log
    assert live.creds.token not in log


def test_ls_post_pass_script_posts_a_record_as_the_users_annotation(live: Live, tmp_path: Path) -> None:
    doc = annotated(make_doc("script-a", TEXT_A))
    workflow.push(live.session, [make_doc("script-a", TEXT_A)], title="script-test")
    write_json(tmp_path / "rec.json", doc.to_dict())
    env = {**os.environ, "LABEL_STUDIO_USER_TOKEN": live.creds.token}
    script = Path(__file__).resolve().parents[2] / "scripts" / "ls_post_pass.py"
    cmd = [
        sys.executable,
        str(script),
        "--url",
        live.url,
        "--title",
        "script-test",
        "--email",
        ANNOTATORS[2],
        str(tmp_path / "rec.json"),
    ]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "annotation" in proc.stdout
    pid = ls.find_project(live.session, "script-test")
    assert pid is not None
    export = json.loads(ls.export_json(live.session, pid))
    records, findings = export_to_records(export, {doc.id: doc}, users=ls.users_by_id(live.session), project=pid)
    assert findings == []
    (passed,) = [r for r in records if r.provenance.status == "completed"]
    assert passed.provenance.annotators == ("carol-at-example.org",)
    assert passed.entity_mentions == tuple(sorted(passed.entity_mentions, key=lambda m: (m.start, m.end, m.id)))
    assert {m.id for m in passed.entity_mentions} == {"m-us", "m-usa", "m-iraq", "m-sun"}
    # Unknown user: exit 2 and a one-line message.
    cmd[cmd.index(ANNOTATORS[2])] = "nobody@example.org"
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2
    assert "nobody@example.org" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
