"""The ```python blocks of a documentation section, and clients pointed at a loopback server, so
that tests run the examples of README.md and docs/ as a reader would."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import gemini_client

ROOT = Path(__file__).resolve().parents[2]


def python_blocks(doc: Path, heading: str) -> list[str]:
    """The ```python blocks under ``heading`` (a whole line, e.g. ``## Using the client``), up to
    the next heading of the same level."""
    text = doc.read_text(encoding="utf-8")
    level = heading.split(" ", 1)[0]
    found = re.search(rf"^{re.escape(heading)}$", text, flags=re.M)
    assert found is not None, f"{doc.name}: no {heading!r}"
    section = re.split(rf"^{level} ", text[found.end() :], maxsplit=1, flags=re.M)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def point_clients_at(monkeypatch: pytest.MonkeyPatch, url: str, **options: Any) -> None:
    """``gemini_client.Client()`` and ``AsyncClient()`` built by example code go to ``url``
    (plus ``options``, e.g. ``max_retries=0``)."""
    for name in ("Client", "AsyncClient"):
        cls = getattr(gemini_client, name)
        monkeypatch.setattr(
            gemini_client, name, type(name, (cls,), {"__init__": _at(cls, url, options)})
        )


def _at(cls: type, url: str, options: dict[str, Any]) -> Callable[..., None]:
    def __init__(self: Any, **kwargs: Any) -> None:
        cls.__init__(self, base_url=url, **{**options, **kwargs})

    return __init__
