"""The show tests reuse the build tests' fixture project (``tests/build/build_support.py``)."""

from __future__ import annotations

import sys
from pathlib import Path

BUILD_TESTS = str(Path(__file__).resolve().parent.parent / "build")
if BUILD_TESTS not in sys.path:
    sys.path.append(BUILD_TESTS)
