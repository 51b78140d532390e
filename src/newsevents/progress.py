"""Progress of long work: a bar on a terminal, nothing when the output is a file or a pipe.

The CLI wraps the work: :func:`bar` around a loop it drives itself, :func:`counting` around a
library call whose loop is inside the library. A library loop reports each item with
:func:`advance`, which costs one context-variable lookup and draws nothing unless a CLI command
opened :func:`counting` around it (the library itself never prints).

The bar appears only when stderr is a terminal and the work has taken more than
:data:`DELAY` seconds, so a quick command prints exactly what it printed before; it is drawn with
``tqdm`` (a dependency of ``datasets``, declared in ``pyproject.toml``), imported only then.
``NEWSEVENTS_PROGRESS=0`` turns it off, ``=1`` forces it on (the tests use that with ``DELAY`` and ``MININTERVAL`` set to 0).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

DELAY = 3.0  # seconds of work before a bar is drawn
MININTERVAL = 0.5  # seconds between redraws at most

_advance: ContextVar[Callable[[int], object] | None] = ContextVar("newsevents_progress", default=None)


def enabled() -> bool:
    """Whether a bar may be drawn: stderr is a terminal (or NEWSEVENTS_PROGRESS=1), and not turned off."""
    forced = os.environ.get("NEWSEVENTS_PROGRESS")
    if forced in {"0", "1"}:
        return forced == "1"
    return sys.stderr.isatty()


def _tqdm(total: int | None, desc: str, unit: str) -> Any:
    from tqdm import tqdm  # noqa: PLC0415 - only when a bar may be drawn

    return tqdm(
        total=total,
        desc=desc,
        unit=unit,
        delay=DELAY,
        mininterval=MININTERVAL,
        leave=False,
        file=sys.stderr,
        dynamic_ncols=True,
    )


def bar(items: Iterable[T], *, total: int | None, desc: str, unit: str = "file") -> Iterator[T]:
    """Yield ``items``, drawing a bar on a terminal once the loop has run :data:`DELAY` seconds."""
    if not enabled():
        yield from items
        return
    with _tqdm(total, desc, unit) as shown:
        for item in items:
            yield item
            shown.update(1)


@contextmanager
def counting(*, total: int | None, desc: str, unit: str = "doc") -> Iterator[None]:
    """Draw a bar for the :func:`advance` calls made by library code inside the block."""
    if not enabled():
        yield
        return
    with _tqdm(total, desc, unit) as shown:
        token = _advance.set(shown.update)
        try:
            yield
        finally:
            _advance.reset(token)


def advance(n: int = 1) -> None:
    """Count ``n`` items done on the bar the CLI opened, if any (library code calls this)."""
    update = _advance.get()
    if update is not None:
        update(n)
