"""Fixtures of the build tests (helpers in ``build_support``); ``datasets`` and the Hub offline.

``HF_DATASETS_OFFLINE``/``HF_HUB_OFFLINE`` are read when ``datasets`` is imported, which may have
happened already in this session (another test folder, or this package): the environment is set
here first, and the already-imported config flags are set too, per test.
"""

from __future__ import annotations

import os

os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"

import datasets
import huggingface_hub.constants
import pytest
from build_support import Built, build_fixture, make_project


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(datasets.config, "HF_DATASETS_OFFLINE", True)
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True, raising=False)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The fixture project built once per test module (tests must not modify it)."""
    root = make_project(tmp_path_factory.mktemp("built") / "project")
    return build_fixture(root)
