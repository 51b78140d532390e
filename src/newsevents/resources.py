"""Where the package finds the repository's data files (``schema/``, ``seeds/`` ...).

A wheel carries ``schema/`` as ``newsevents/schema`` (mapped in ``pyproject.toml``); an editable
install or a source checkout reads the repository's own ``schema/`` folder.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def schema_dir() -> Path:
    """The folder holding ``ontology.json`` and ``document.schema.json``."""
    bundled = _PACKAGE_DIR / "schema"
    if (bundled / "ontology.json").is_file():
        return bundled
    repo = _PACKAGE_DIR.parent.parent / "schema"
    if (repo / "ontology.json").is_file():
        return repo
    msg = f"newsevents: cannot find schema/ontology.json beside {_PACKAGE_DIR} or in {repo}"
    raise FileNotFoundError(msg)


@cache
def project_root() -> Path:
    """The project folder that holds ``seeds/``, ``corpus/`` and ``annotations/``.

    ``NEWSEVENTS_ROOT`` wins; else the nearest parent of the working directory with a ``seeds/``
    folder beside a ``pyproject.toml``; else the working directory.
    """
    env = os.environ.get("NEWSEVENTS_ROOT")
    if env:
        return Path(env).resolve()
    cwd = Path.cwd().resolve()
    for d in (cwd, *cwd.parents):
        if (d / "seeds").is_dir() and (d / "pyproject.toml").is_file():
            return d
    return cwd
