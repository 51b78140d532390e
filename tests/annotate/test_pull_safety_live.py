"""``annotate pull`` never removes or replaces committed data silently (issue #18), against the
session's real Label Studio server.

Each test is one case of the issue: passes of another server (a fresh server reuses project and
task ids) are never pruned; git-tracked passes are pruned only with ``--force``; a blank
annotation does not replace a rich gold record without ``--allow-shrink``; a gold record of
unknown origin is not replaced without ``--force``; a pass that does not convert cleanly never
becomes gold; e-mails with the same slug get separate pass files; the server's data folder and
``.env`` are private.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from annotate_support import ANNOTATORS, Live, make_doc

from newsevents.annotate import client as ls
from newsevents.annotate.convert import annotator_key, record_to_prediction
from newsevents.annotate.server import SERVER_ID_FILE
from newsevents.cli import main
from newsevents.io import write_json
from newsevents.records import Document, EntityMention

pytestmark = pytest.mark.server

TEXT = "US strikes Iraq base\n\nThe United States struck a base in Iraq on Sunday, officials said."
NAMES = ("US", "Iraq", "United States", "Sunday", "base")


def _doc(doc_id: str, *names: str) -> Document:
    mentions = []
    for i, name in enumerate(names):
        s = TEXT.index(name)
        etype = "TIME" if name == "Sunday" else "FAC" if name == "base" else "GPE"
        mentions.append(EntityMention(f"m-{i}", s, s + len(name), name, etype, "NAM", f"E{i}"))
    return replace(make_doc(doc_id, TEXT), entity_mentions=tuple(mentions))


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class Project:
    """A project of its own on the session server, with one task per document."""

    def __init__(self, live: Live, tmp: Path, title: str, doc_ids: tuple[str, ...]) -> None:
        self.live, self.title = live, title
        self.corpus = tmp / "corpus"
        for d in doc_ids:
            write_json(self.corpus / f"{d}.json", make_doc(d, TEXT).to_dict())
        assert main(["annotate", "push", str(self.corpus), "--url", live.url, "--title", title]) == 0
        pid = ls.find_project(live.session, title)
        assert pid is not None
        self.pid = pid
        self.tasks = {t.data["doc_id"]: t.id for t in ls.list_tasks(live.session, pid)}

    def annotate(self, doc_id: str, user: int, *names: str, ground_truth: bool = False, result: object = None) -> int:
        res = record_to_prediction(_doc(doc_id, *names))["result"] if result is None else result
        ann = self.live.session.client.annotations.create(
            self.tasks[doc_id], result=res, completed_by=user, ground_truth=ground_truth
        )
        assert ann.id is not None
        return int(ann.id)

    def args(self, out: Path, *extra: str) -> list[str]:
        return [
            "annotate", "pull", "--url", self.live.url, "--title", self.title,
            "--corpus", str(self.corpus), "--out", str(out), *extra,
        ]  # fmt: skip

    def pull(self, out: Path, *extra: str) -> int:
        return main(self.args(out, *extra))


@pytest.fixture
def token(live: Live, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("LABEL_STUDIO_USER_TOKEN", live.creds.token)
    return live.creds.token


def _server_id(live: Live) -> str:
    sid = ls.server_id(live.session)
    assert sid is not None
    return sid


def test_the_server_has_an_id_in_its_data_folder_and_records_carry_it(live: Live, tmp_path: Path, token: str) -> None:
    sid = _server_id(live)
    assert str(uuid.UUID(sid)) == sid
    assert (live.root / ".label-studio" / SERVER_ID_FILE).read_text().strip() == sid
    p = Project(live, tmp_path, "safety-id", ("sid-a",))
    p.annotate("sid-a", live.users[ANNOTATORS[0]], "US")
    out = tmp_path / "annotations"
    assert p.pull(out) == 0
    gold = json.loads((out / "gold/sid-a.json").read_text())
    assert gold["provenance"]["label_studio"]["server"] == sid
    assert main(["validate", str(out / "gold"), str(out / "passes")]) == 0


def test_prune_never_removes_passes_of_another_server_or_of_unknown_origin(
    live: Live, tmp_path: Path, token: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The committed passes of a clone were pulled from another server, whose project and task ids
    # happen to be the ones this (fresh) server gives: they look stale, but are foreign.
    p = Project(live, tmp_path, "safety-foreign", ("fr-a",))
    p.annotate("fr-a", live.users[ANNOTATORS[0]], "US", "Iraq")
    out = tmp_path / "annotations"
    assert p.pull(out) == 0
    (pass_file,) = (out / "passes/fr-a").iterdir()
    rec = json.loads(pass_file.read_text())
    ref = rec["provenance"]["label_studio"]
    other = json.loads(json.dumps(rec))
    other["provenance"]["label_studio"] = {**ref, "annotation": ref["annotation"] + 999, "server": str(uuid.uuid4())}
    other["provenance"]["annotators"] = ["other-at-example.org"]
    write_json(out / "passes/fr-a/other-at-example.org.json", other)
    unknown = json.loads(json.dumps(other))
    del unknown["provenance"]["label_studio"]["server"]  # like the committed seed passes
    unknown["provenance"]["annotators"] = ["seed-at-example.org"]
    write_json(out / "passes/fr-a/seed-at-example.org.json", unknown)
    before = _tree(out)
    capsys.readouterr()
    assert p.pull(out, "--prune") == 0
    assert _tree(out) == before
    assert "0 stale pass files removed" in capsys.readouterr().out


def test_prune_keeps_git_tracked_passes_without_force(
    live: Live, tmp_path: Path, token: str, capsys: pytest.CaptureFixture[str]
) -> None:
    p = Project(live, tmp_path, "safety-git", ("git-a",))
    alice, bob = (live.users[e] for e in ANNOTATORS[:2])
    p.annotate("git-a", alice, "US", "Iraq")
    bob_ann = p.annotate("git-a", bob, "US")
    out = tmp_path / "repo" / "annotations"
    assert p.pull(out) == 0
    bob_file = out / f"passes/git-a/bob-at-example.org-{annotator_key(ANNOTATORS[1])}.json"
    assert bob_file.is_file()
    repo = out.parent
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-C", str(repo)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "annotations"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "pulled"], check=True)
    live.session.client.annotations.delete(bob_ann)
    capsys.readouterr()
    assert p.pull(out, "--prune") == 0
    printed = capsys.readouterr()
    assert bob_file.is_file()
    assert "git tracks it" in printed.err
    assert "0 stale pass files removed" in printed.out
    assert p.pull(out, "--prune", "--force") == 0
    assert not bob_file.exists()
    assert f"removed {bob_file}" in capsys.readouterr().out


def test_a_blank_annotation_does_not_replace_a_rich_gold_record(
    live: Live, tmp_path: Path, token: str, capsys: pytest.CaptureFixture[str]
) -> None:
    p = Project(live, tmp_path, "safety-shrink", ("sh-a",))
    alice, bob = (live.users[e] for e in ANNOTATORS[:2])
    p.annotate("sh-a", alice, *NAMES)
    out = tmp_path / "annotations"
    assert p.pull(out) == 0
    gold = out / "gold/sh-a.json"
    assert len(json.loads(gold.read_text())["entity_mentions"]) == len(NAMES)
    p.annotate("sh-a", bob, result=[])  # submitted blank: the most recent annotation
    before = _tree(out)
    capsys.readouterr()
    assert p.pull(out) == 1
    printed = capsys.readouterr()
    assert "annotate.gold-shrink" in printed.err
    assert f"from {len(NAMES)} to 0 mentions" in printed.err
    assert "nothing written" in printed.out
    assert _tree(out) == before
    assert p.pull(out, "--allow-shrink") == 0
    assert json.loads(gold.read_text())["entity_mentions"] == []


def test_a_gold_record_of_unknown_origin_is_not_replaced_without_force(
    live: Live, tmp_path: Path, token: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The committed seed gold has no server id; a new server's annotation of the same document
    # must not replace it silently, even when it is not smaller.
    p = Project(live, tmp_path, "safety-seed", ("seed-a",))
    out = tmp_path / "annotations"
    committed = _doc("seed-a", "US", "Iraq").to_dict()
    committed["provenance"] = {"status": "gold", "annotators": ["adjudicator"], "tool": "label-studio"}
    committed["provenance"]["label_studio"] = {"project": p.pid, "task": p.tasks["seed-a"], "annotation": 1}
    write_json(out / "gold/seed-a.json", committed)
    p.annotate("seed-a", live.users[ANNOTATORS[0]], *NAMES)
    before = _tree(out)
    capsys.readouterr()
    assert p.pull(out) == 1
    err = capsys.readouterr().err
    assert "annotate.foreign-file" in err
    assert "unknown origin" in err
    assert _tree(out) == before
    assert p.pull(out, "--force") == 0
    assert len(json.loads((out / "gold/seed-a.json").read_text())["entity_mentions"]) == len(NAMES)


def test_a_pass_that_does_not_convert_cleanly_never_becomes_gold(
    live: Live, tmp_path: Path, token: str, capsys: pytest.CaptureFixture[str]
) -> None:
    p = Project(live, tmp_path, "safety-invalid", ("inv-a",))
    alice, bob = (live.users[e] for e in ANNOTATORS[:2])
    p.annotate("inv-a", alice, "US", "Iraq")
    out = tmp_path / "annotations"
    assert p.pull(out) == 0
    gold_before = (out / "gold/inv-a.json").read_bytes()
    broken = [
        r for r in record_to_prediction(_doc("inv-a", "US", "Iraq", "Sunday"))["result"] if r["type"] != "choices"
    ]
    p.annotate("inv-a", bob, result=broken, ground_truth=True)  # no mention kinds: conversion errors
    capsys.readouterr()
    assert p.pull(out) == 1
    err = capsys.readouterr().err
    assert "annotate.missing-kind" in err
    assert "annotate.gold-invalid" in err
    assert (out / "gold/inv-a.json").read_bytes() == gold_before
    assert (out / f"passes/inv-a/bob-at-example.org-{annotator_key(ANNOTATORS[1])}.json").is_file()


def test_emails_with_the_same_slug_get_their_own_pass_files(
    live: Live, tmp_path: Path, token: str, capsys: pytest.CaptureFixture[str]
) -> None:
    emails = ("Slug.Ann@Example.org", "slug.ann@example.org", "slug.a+b@example.org", "slug.a-b@example.org")
    users = {}
    for i, email in enumerate(emails):
        u = live.session.client.users.create(username=f"slug{i}", email=email, password=uuid.uuid4().hex)
        assert u.id is not None
        users[email] = int(u.id)
    stored = ls.users_by_id(live.session)
    p = Project(live, tmp_path, "safety-slug", ("slug-a",))
    for i, email in enumerate(emails):
        p.annotate("slug-a", users[email], *NAMES[: i + 1])
    out = tmp_path / "annotations"
    capsys.readouterr()
    assert p.pull(out) == 0
    assert "duplicate-pass" not in capsys.readouterr().err
    files = sorted((out / "passes/slug-a").iterdir())
    assert len(files) == 4
    counts = sorted(len(json.loads(f.read_text())["entity_mentions"]) for f in files)
    assert counts == [1, 2, 3, 4]
    names = {f.name for f in files}
    for email in emails:
        exact = stored[users[email]]  # the e-mail as the server keeps it
        assert any(n.endswith(f"-{annotator_key(exact)}.json") for n in names), (exact, names)


def test_the_data_folder_and_env_are_private(live: Live) -> None:
    data = live.root / ".label-studio"
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for p in data.rglob("*"):
        assert stat.S_IMODE(p.lstat().st_mode) & 0o077 == 0, p
    assert stat.S_IMODE((live.root / ".env").stat().st_mode) == 0o600
    assert os.access(data / "label_studio.sqlite3", os.R_OK)
