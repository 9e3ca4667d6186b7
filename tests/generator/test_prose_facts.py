"""Facts the prose states (retried statuses, defaults) are the constants the client runs with.

README.md and docs/client.md are written by hand; each fact they state is found by its sentence
and compared with `templates/package/_core/_constants.py` (and the core's other named defaults)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from gemini_client._core import _constants as constants
from gemini_client._core import _live, _operations

from .conftest import REPO


def _statuses(text: str) -> frozenset[int]:
    return frozenset(int(s) for s in re.findall(r"\d{3}", text))


def _number(text: str) -> float:
    return float(text)


FACTS: list[tuple[str, str, Callable[[str], object], object]] = [
    # (file, pattern with one group, how to read it, the constant)
    (
        "README.md",
        r"((?:\d{3}, )+\d{3}) and connection errors are retried",
        _statuses,
        constants.RETRY_STATUSES,
    ),
    ("README.md", r"`max_retries=(\d+)` by default", _number, constants.DEFAULT_MAX_RETRIES),
    ("README.md", r"`setup_timeout` \((\d+) s\)", _number, _live.DEFAULT_SETUP_TIMEOUT),
    (
        "docs/client.md",
        r"\| HTTP ((?:\d{3}, )+\d{3}) \| yes \|",
        _statuses,
        constants.RETRY_STATUSES,
    ),
    ("docs/client.md", r"\| `timeout` \| `([\d.]+)` \|", _number, constants.DEFAULT_TIMEOUT),
    ("docs/client.md", r"\| `max_retries` \| `(\d+)` \|", _number, constants.DEFAULT_MAX_RETRIES),
    ("docs/client.md", r"\(default (\d+), so at most", _number, constants.DEFAULT_MAX_RETRIES),
    ("docs/client.md", r"delay over (\d+) s", _number, constants.MAX_RETRY_AFTER),
    ("docs/client.md", r"backoff: ([\d.]+) s,", _number, constants.INITIAL_RETRY_DELAY),
    ("docs/client.md", r"up to (\d+) s, minus", _number, constants.MAX_RETRY_DELAY),
    ("docs/client.md", r"the default is (\d+) s", _number, constants.DEFAULT_TIMEOUT),
    ("docs/client.md", r"polls \(([\d.]+) s, then", _number, _operations.DEFAULT_POLL_INTERVAL),
    ("docs/client.md", r"then ([\d.]+)x longer", _number, _operations.POLL_BACKOFF),
    (
        "docs/client.md",
        r"longer each time, at most (\d+) s",
        _number,
        _operations.MAX_POLL_INTERVAL,
    ),
]


@pytest.mark.parametrize(
    ("file", "pattern", "read", "constant"),
    FACTS,
    ids=[f"{fact[0]}-{i}" for i, fact in enumerate(FACTS)],  # stable across xdist workers
)
def test_the_prose_states_the_constant(
    file: str, pattern: str, read: Callable[[str], object], constant: object
) -> None:
    text = " ".join((REPO / file).read_text(encoding="utf-8").split())
    found = re.findall(pattern, text)
    assert found, f"{file}: no sentence matches {pattern!r}: reword the test with the prose"
    for value in found:
        assert read(value) == constant, f"{file} says {value}, the client runs with {constant}"


def test_no_other_list_of_retried_statuses_disagrees() -> None:
    """Any list of three or more statuses next to 'retr' in the prose is the constant's."""
    for file in ("README.md", "docs/client.md"):
        text = " ".join((REPO / file).read_text(encoding="utf-8").split())
        for m in re.finditer(r"(?:\d{3}, ){2,}\d{3}[^.|]{0,60}retr", text):
            assert _statuses(m.group(0)) == constants.RETRY_STATUSES, (file, m.group(0))
