"""Shared test configuration.

The `datasets` and Hugging Face Hub libraries read their offline switches at import time, so
they are set here, before any test module imports them: no test may reach the network.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

REPO = Path(__file__).resolve().parent.parent
