"""The format cache (`codegen.format_cache`): same output as black, never trusted blindly, safe
under concurrent processes, bounded; `CODEGEN_FORMAT_CACHE` names it or (empty) turns it off."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import black
import pytest

import codegen.format as fmt
import codegen.format_cache as fc
from codegen.pipeline import build
from codegen.write import read_tree

from .conftest import GOLDEN, MINI, paths

UGLY = "x  =  [1,2,\n 3]\ndef f( a ):\n  return a\n"
REPO = Path(__file__).resolve().parents[2]


def _no_black(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*a: object, **k: object) -> str:
        raise AssertionError("black ran although the cache holds the answer")

    monkeypatch.setattr(black, "format_str", refuse)
    monkeypatch.setattr(fmt, "_format_once", refuse)  # what codegen.format really calls


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "fmt-cache"
    monkeypatch.setenv(fc.ENV, str(root))
    return root


def _entries(root: Path) -> list[Path]:
    return sorted(root.glob("*.fmt"))


def test_off_when_empty_and_outside_a_generation_unless_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(fc.ENV, raising=False)
    assert fc.from_env("salt") is None
    with fc.used_by_default(tmp_path / "default"):
        cache = fc.from_env("salt")
        assert cache is not None and cache.root == tmp_path / "default"
        monkeypatch.setenv(fc.ENV, "")
        assert fc.from_env("salt") is None
        monkeypatch.setenv(fc.ENV, str(tmp_path / "named"))
        cache = fc.from_env("salt")
        assert cache is not None and cache.root == tmp_path / "named"
    monkeypatch.setenv(fc.ENV, "")
    monkeypatch.chdir(tmp_path)
    assert fmt.format_text("a.py", UGLY) == black.format_str(UGLY, mode=fmt._MODE)
    assert list(tmp_path.iterdir()) == []


def test_a_hit_is_black_output_without_black(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = black.format_str(UGLY, mode=fmt._MODE)
    assert fmt.format_text("a.py", UGLY) == expected
    assert len(_entries(cache_dir)) == 1
    _no_black(monkeypatch)
    assert fmt.format_text("other/name.py", UGLY) == expected  # keyed on the text, not the path
    assert fmt.format_text("notes.txt", UGLY) == UGLY  # not Python: never formatted nor stored
    assert len(_entries(cache_dir)) == 1


def test_another_black_or_mode_misses(cache_dir: Path) -> None:
    one = fc.FormatCache(cache_dir, "black==1;mode")
    one.put(UGLY, "formatted by one\n")
    assert one.get(UGLY) == "formatted by one\n"
    assert fc.FormatCache(cache_dir, "black==2;mode").get(UGLY) is None
    assert fc.FormatCache(cache_dir, "black==1;other").get(UGLY) is None


def test_invalid_python_is_an_error_every_time_and_never_stored(cache_dir: Path) -> None:
    for _ in range(2):
        with pytest.raises(fmt.FormatError, match=r"^bad\.py: generated code is not valid"):
            fmt.format_text("bad.py", "def (:\n")
    assert _entries(cache_dir) == []


@pytest.mark.parametrize(
    "damage",
    ["truncated", "flipped", "empty", "no-header", "not-utf8", "directory", "symlink-loop"],
)
def test_a_damaged_entry_is_ignored_and_replaced(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    expected = black.format_str(UGLY, mode=fmt._MODE)
    fmt.format_text("a.py", UGLY)
    (entry,) = _entries(cache_dir)
    data = entry.read_bytes()
    entry.unlink()
    if damage == "truncated":
        entry.write_bytes(data[:-3])
    elif damage == "flipped":
        entry.write_bytes(data.replace(b"x = ", b"y = "))
    elif damage == "empty":
        entry.write_bytes(b"")
    elif damage == "no-header":
        entry.write_bytes(expected.encode())
    elif damage == "not-utf8":
        body = b"x = '\xff'\n"
        entry.write_bytes(fc._sha(body).encode() + b"\n" + body)
    elif damage == "directory":
        entry.mkdir()
    else:
        entry.symlink_to(entry)
    assert fmt.format_text("a.py", UGLY) == expected
    if damage not in ("directory", "symlink-loop"):  # those cannot be replaced by a file
        _no_black(monkeypatch)
        assert fmt.format_text("a.py", UGLY) == expected


def test_an_unusable_directory_is_a_miss_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv(fc.ENV, str(blocker / "cache"))
    assert fmt.format_text("a.py", UGLY) == black.format_str(UGLY, mode=fmt._MODE)
    assert blocker.read_text() == "not a directory"


def test_the_directory_stays_bounded(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fc, "MAX_ENTRIES", 8)
    monkeypatch.setattr(fc, "PRUNE_EVERY", 1)
    cache = fc.FormatCache(cache_dir, "salt")
    for i in range(40):
        cache.put(f"x = {i}\n", f"x = {i}\n")
        assert len(_entries(cache_dir)) <= 8
    # the most recently written survive, and a stale temporary file of a killed writer goes
    assert cache.get("x = 39\n") == "x = 39\n"
    stale = cache_dir / ".tmp-killed"
    stale.write_bytes(b"half")
    os.utime(stale, (1, 1))
    cache.prune()
    assert not stale.exists()


def test_the_directory_stays_bounded_in_bytes(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fc, "MAX_TOTAL_BYTES", 10_000)
    monkeypatch.setattr(fc, "PRUNE_EVERY", 1)
    cache = fc.FormatCache(cache_dir, "salt")
    for i in range(40):
        cache.put(f"x = {i}\n", f"x = {i}\n" + "#" * 1000 + "\n")
        assert sum(e.stat().st_size for e in _entries(cache_dir)) <= 10_000
    assert len(_entries(cache_dir)) >= 5
    assert cache.get("x = 39\n") is not None and cache.get("x = 0\n") is None


def test_entries_too_large_are_not_stored(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fc, "MAX_ENTRY_CHARS", 10)
    cache = fc.FormatCache(cache_dir, "salt")
    cache.put("x = 1234567890\n", "x = 1234567890\n")
    assert cache.get("x = 1234567890\n") is None


_WORKER = """
import sys
import black
import codegen.format as fmt
texts = [f"v{i}  =  [{i},\\n {i}]\\n" for i in range(30)]
for t in texts * 3:
    assert fmt.format_text("m.py", t) == black.format_str(t, mode=fmt._MODE), t
"""


def test_concurrent_processes_share_it_safely(cache_dir: Path) -> None:
    """Four processes write and read the same entries at once: every answer is black's, and no
    temporary file is left behind."""
    env = {**os.environ, fc.ENV: str(cache_dir)}
    procs = [subprocess.Popen([sys.executable, "-c", _WORKER], cwd=REPO, env=env) for _ in range(4)]
    assert [p.wait() for p in procs] == [0, 0, 0, 0]
    assert len(_entries(cache_dir)) == 30
    assert list(cache_dir.glob(".tmp-*")) == []


def test_a_generation_with_the_cache_is_byte_identical(
    tmp_path: Path,
    cache_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    session_black: Callable[[str], str],
) -> None:
    """Filling the cache, then entirely from it: both times the golden output of the mini spec."""
    golden = read_tree(GOLDEN)
    p = paths(MINI, tmp_path / "out")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fmt, "_black", session_black)  # black's answers, stored in this cache
        filled = build(p)
    assert {k: filled[k] for k in golden} == golden
    assert _entries(cache_dir)
    _no_black(monkeypatch)
    assert build(p) == filled
