"""What publish would upload, checked offline; the real upload only with credentials."""

from __future__ import annotations

import os
import uuid

import datasets
import huggingface_hub.constants
import pytest
from build_support import build_fixture, make_project
from huggingface_hub import HfApi

from newsevents.build.meta import load_meta
from newsevents.build.publish import PublishError, plan_publish, publish
from newsevents.build.release import folder_files
from newsevents.cli import main


def test_publish_defaults_to_the_standoff_variant_when_a_licence_forbids_the_text(built):
    plan = plan_publish(built.dist, load_meta(built.root), "someone/tinyevents")
    assert plan.variant == "standoff"
    assert plan.folder == built.standoff
    assert plan.tag == "v1.2.3"
    assert set(plan.files) == set(folder_files(built.standoff))
    assert plan.restricted == ("tiny-attack", "tiny-plain")
    with pytest.raises(PublishError, match="do not allow redistributing"):
        plan_publish(built.dist, load_meta(built.root), "someone/tinyevents", variant="full")


def test_publish_uploads_the_full_variant_when_every_licence_allows_it(tmp_path):
    root = make_project(tmp_path / "project")
    for name in ("tiny-attack", "tiny-plain"):
        (root / "corpus" / f"{name}.json").unlink()
        (root / "annotations" / "gold" / f"{name}.json").unlink(missing_ok=True)
    b = build_fixture(root)
    assert "standoff" not in b.result.installed
    plan = plan_publish(b.dist, load_meta(root), "someone/tinyevents")
    assert (plan.variant, plan.folder, plan.restricted) == ("full", b.full, ())


def test_publish_refuses_a_folder_that_does_not_match_its_sums(tmp_path, capsys):
    root = make_project(tmp_path / "project")
    b = build_fixture(root)
    card = b.standoff / "README.md"
    card.write_text(card.read_text(encoding="utf-8") + "\nedited by hand\n", encoding="utf-8")
    assert main(["publish", "--root", str(root), "--repo-id", "someone/tinyevents", "--dry-run"]) == 1
    assert "README.md: sha256 differs from SHA256SUMS" in capsys.readouterr().err


def test_publish_dry_run_lists_the_exact_folder_and_needs_no_token(built, capsys, monkeypatch):
    monkeypatch.delenv("HF_TOKEN", raising=False)
    assert main(["publish", "--root", str(built.root), "--repo-id", "someone/tinyevents", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "tinyevents-1.2.3-standoff/ (standoff" in out
    assert "tag v1.2.3" in out
    assert "  rehydrate.json" in out
    assert main(["publish", "--root", str(built.root), "--repo-id", "someone/tinyevents"]) == 2
    assert "set HF_TOKEN" in capsys.readouterr().err


def test_publish_before_build_says_to_build(tmp_path, capsys):
    root = make_project(tmp_path / "project")
    assert main(["publish", "--root", str(root), "--repo-id", "someone/tinyevents", "--dry-run"]) == 1
    assert "run `newsevents build` first" in capsys.readouterr().err


@pytest.mark.skipif(
    not os.environ.get("HF_TOKEN"), reason="HF_TOKEN is not set: the real upload needs Hugging Face credentials"
)
def test_real_upload_and_tag(built, monkeypatch):  # pragma: no cover - needs credentials
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(datasets.config, "HF_DATASETS_OFFLINE", False)
    api = HfApi(token=os.environ["HF_TOKEN"])
    repo_id = f"{api.whoami()['name']}/newsevents-test-{uuid.uuid4().hex[:8]}"
    plan = plan_publish(built.dist, load_meta(built.root), repo_id)
    try:
        url = publish(plan, os.environ["HF_TOKEN"], private=True, api=api)
        assert repo_id in url
        assert "v1.2.3" in [t.name for t in api.list_repo_refs(repo_id, repo_type="dataset").tags]
        remote = set(api.list_repo_files(repo_id, repo_type="dataset", revision="v1.2.3"))
        assert set(plan.files) <= remote
        with pytest.raises(PublishError, match="already has tag"):
            publish(plan, os.environ["HF_TOKEN"], api=api)
    finally:
        api.delete_repo(repo_id, repo_type="dataset", missing_ok=True)
