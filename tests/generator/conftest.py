"""Shared helpers for the generator's tests: paths, a copy of a spec to edit, one-call generation,
black answered from the session's format cache."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import codegen.format as fmt
from codegen import format_cache
from codegen.pipeline import Paths

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "templates"
MINI = REPO / "tests" / "data" / "specs" / "mini"
GOLDEN = REPO / "tests" / "data" / "golden" / "mini"


@pytest.fixture
def spec_copy(tmp_path: Path) -> Callable[[Path], Path]:
    """Copy a spec directory into tmp_path/spec and return it, ready to edit."""

    def copy(src: Path = MINI) -> Path:
        dst = tmp_path / "spec"
        shutil.copytree(src, dst)
        return dst

    return copy


def paths(spec: Path, out: Path) -> Paths:
    return Paths(spec=spec, templates=TEMPLATES, out=out)


def black_passes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts given to black's pass (`codegen.format._format_once`) from now on."""
    seen: list[str] = []
    real = fmt._format_once

    def counting(text: str, *, mode: Any) -> str:
        seen.append(text)
        return real(text, mode=mode)

    monkeypatch.setattr(fmt, "_format_once", counting)
    return seen


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A format cache of the test's own (`CODEGEN_FORMAT_CACHE`), empty."""
    root = tmp_path / "cache"
    monkeypatch.setenv(format_cache.ENV, str(root))
    return root


@pytest.fixture(scope="session")
def session_format_cache() -> Path | None:
    """The test session's format cache (tests/conftest.py), read before any test changes the
    variable."""
    root = os.environ.get(format_cache.ENV)
    return Path(root) if root else None


@pytest.fixture
def session_black(session_format_cache: Path | None) -> Callable[[str], str]:
    """`codegen.format._black` answered from the session's format cache when it holds the text, and
    stored there otherwise: the same answers (an entry is keyed by black's version, its mode and
    the exact text). For builds whose black runs are not what a test looks at, where the
    generation's own cache is off or new (`monkeypatch.setattr(fmt, "_black", session_black)`).
    Tests that count black's work must run black itself."""
    real = fmt._black
    if session_format_cache is None:
        return real
    cache = format_cache.FormatCache(session_format_cache, fmt._CACHE_SALT)

    def black(text: str) -> str:
        found = cache.get(text)
        if found is None:
            found = real(text)
            cache.put(text, found)
        return found

    return black


PROBE_SESSION_BLACK = """
import os
from pathlib import Path
import codegen.format as fmt
from codegen import format_cache
store = os.environ.pop("PROBE_BLACK_STORE", "")
if store:  # black's answers kept by the test session, as `session_black` (the bytes are compared)
    real, answers = fmt._black, format_cache.FormatCache(Path(store), fmt._CACHE_SALT)
    def black(text):
        found = answers.get(text)
        if found is None:
            found = real(text)
            answers.put(text, found)
        return found
    fmt._black = black
"""
"""The start of a probe process's script (`python -c`): `session_black` there (`probe_env`)."""


def probe_env(session_format_cache: Path | None) -> dict[str, str]:
    """A probe process's environment: no format cache of the session's (the one under test is the
    probe's own), and the session's store of black's answers for `PROBE_SESSION_BLACK`."""
    env = dict(os.environ)
    env.pop(format_cache.ENV, None)
    if session_format_cache is not None:
        env["PROBE_BLACK_STORE"] = str(session_format_cache)
    return env


@contextmanager
def black_left_out() -> Iterator[None]:
    """Generation within this block leaves black's layout pass out (its text is what the templates
    render) and uses no format cache, so nothing unformatted is ever stored as black's answer. For
    packages that tests import and run but never read as text: black changes only the layout."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fmt, "_black", lambda text: text)
        patch.setenv(format_cache.ENV, "")
        yield
