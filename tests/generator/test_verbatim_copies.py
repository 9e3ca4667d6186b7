"""The hand-written files under templates/package/ are copied verbatim, never given to black: each
must already be exactly what black makes of it (they are kept so by `ruff format`, whose output
could one day differ from black's: this test is where that shows)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import black
import pytest

import codegen.format as fmt
from codegen import format_cache, sources
from codegen.pipeline import build
from codegen.render.package import TYPES_MODULE, render_package
from codegen.spec.loader import load_spec

from .conftest import MINI, TEMPLATES, paths

COPIES = sorted(
    p.relative_to(TEMPLATES / "package").as_posix()
    for p in (TEMPLATES / "package").rglob("*.py")
    if "__pycache__" not in p.parts
)


@functools.cache
def _copied() -> dict[str, str]:
    """The copies as the generator writes them (rendered once for all the tests here)."""
    return render_package(load_spec(MINI), TEMPLATES, types_module=False)[1]


def test_every_hand_written_module_is_copied() -> None:
    copied = _copied()
    assert {p.removeprefix("gemini_client/") for p in copied if p.endswith(".py")} == set(COPIES)
    assert {"_core/_base_client.py", "lib/_chats.py", "types/_bases.py", "testing/_fake.py"} <= set(
        COPIES
    )


@pytest.mark.parametrize("rel", COPIES)
def test_a_copy_is_what_black_makes_of_it(rel: str, session_format_cache: Path | None) -> None:
    """The copy as written (its one-line header included) is a fixed point of black: black's
    answer, or the one the format cache kept for this exact text, black version and mode (where
    the cache outlives the session, as in CI, an unchanged file is not formatted again)."""
    text = _copied()[f"gemini_client/{rel}"]
    cache = (
        format_cache.FormatCache(session_format_cache, f"black.format_str;{fmt._CACHE_SALT}")
        if session_format_cache is not None
        else None
    )
    formatted = cache.get(text) if cache is not None else None
    if formatted is None:
        formatted = black.format_str(text, mode=fmt._MODE)
        if cache is not None:
            cache.put(text, formatted)
    assert formatted == text


def test_black_formats_the_rendered_modules_and_never_a_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, session_black: Callable[[str], str]
) -> None:
    """Counted in this process (no workers): black at most three times per rendered module (its
    plain classes' statements, their methods and their skeletons, each at once:
    codegen.format_bodies; the rest of it with them), never a copy."""
    monkeypatch.setattr(fmt, "can_fork", lambda: False)
    monkeypatch.setattr(sources, "can_fork", lambda: False)
    monkeypatch.delenv(format_cache.ENV, raising=False)  # black itself, not the session's cache
    formatted: list[str] = []
    blacked: list[str] = []
    real_format, real_black = fmt.format_text, session_black  # the runs count, not black's work

    def recording(path: str, text: str) -> str:
        formatted.append(path)
        return real_format(path, text)

    def counting(text: str) -> str:
        blacked.append(text)
        return real_black(text)

    monkeypatch.setattr(fmt, "format_text", recording)
    monkeypatch.setattr(fmt, "_black", counting)
    files = build(paths(MINI, tmp_path / "out"))
    rendered, copied = render_package(load_spec(MINI), TEMPLATES, types_module=False)
    assert sorted(formatted) == sorted([*rendered, TYPES_MODULE])
    assert not set(formatted) & set(copied)
    modules = sum(p.endswith(".py") for p in formatted)
    assert modules <= len(blacked) <= 3 * modules
    assert not set(blacked) & set(copied.values())
    assert all(files[p] == copied[p].encode() for p in copied)
