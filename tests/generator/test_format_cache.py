"""The format cache (`codegen.format_cache`): same output as black, never trusted blindly, safe
under concurrent processes, bounded; `CODEGEN_FORMAT_CACHE` names it or (empty) turns it off."""

from __future__ import annotations

import hashlib
import os
import sqlite3
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


def _entries(root: Path) -> list[bytes]:
    """The keys of the entries in the cache under `root`."""
    if not (root / fc.DATABASE).exists():
        return []
    with sqlite3.connect(root / fc.DATABASE) as db:
        return [k for (k,) in db.execute("SELECT key FROM entries ORDER BY key")]


def _rewrite(root: Path, change: Callable[[bytes], bytes]) -> None:
    """Every entry's body replaced by `change(body)` (behind the cache's back)."""
    with sqlite3.connect(root / fc.DATABASE) as db:
        for key, body in db.execute("SELECT key, body FROM entries").fetchall():
            db.execute("UPDATE entries SET body = ? WHERE key = ?", (change(body), key))


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


def _sound(text: bytes) -> bytes:
    return hashlib.sha256(text).digest() + text


@pytest.mark.parametrize(
    "damage", ["truncated", "flipped", "empty", "no-digest", "not-utf8", "sound-but-another-text"]
)
def test_a_damaged_entry_is_ignored_and_replaced(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    expected = black.format_str(UGLY, mode=fmt._MODE)
    fmt.format_text("a.py", UGLY)
    assert len(_entries(cache_dir)) == 1
    _rewrite(
        cache_dir,
        {
            "truncated": lambda body: body[:-3],
            "flipped": lambda body: body.replace(b"x = ", b"y = "),
            "empty": lambda body: b"",
            "no-digest": lambda body: body[32:],
            "not-utf8": lambda body: _sound(b"x = '\xff'\n"),
            # a digest that matches, on text black would not write: caught by the tests that
            # compare with black (test_generation_cache), here only shown to be served as stored
            "sound-but-another-text": lambda body: _sound(b"x = 2\n"),
        }[damage],
    )
    if damage == "sound-but-another-text":
        assert fmt.format_text("a.py", UGLY) == "x = 2\n"
        return
    assert fmt.format_text("a.py", UGLY) == expected
    _no_black(monkeypatch)
    assert fmt.format_text("a.py", UGLY) == expected


@pytest.mark.parametrize("damage", ["garbage", "truncated", "directory", "empty", "read-only"])
def test_a_damaged_database_is_a_miss_then_started_anew(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    """The database file itself damaged (by another program, a full disk, a killed copy): a miss,
    never an error; a file that is not a sound database is set aside and the cache works again."""
    expected = black.format_str(UGLY, mode=fmt._MODE)
    fmt.format_text("a.py", UGLY)
    fc._connections.clear()  # as a new process sees it
    db = cache_dir / fc.DATABASE
    data = db.read_bytes()
    for extra in ("-wal", "-shm"):
        (cache_dir / (fc.DATABASE + extra)).unlink(missing_ok=True)
    db.unlink()
    if damage == "garbage":
        db.write_bytes(b"not a database, " * 1000)
    elif damage == "truncated":
        db.write_bytes(data[: len(data) // 2 + 100])
    elif damage == "directory":
        db.mkdir()
    elif damage == "empty":
        db.write_bytes(b"")
    else:
        db.write_bytes(data)
        db.chmod(0o444)
        cache_dir.chmod(0o555)
    try:
        assert fmt.format_text("a.py", UGLY) == expected
        if damage in ("garbage", "truncated", "empty"):
            fc._connections.clear()
            _no_black(monkeypatch)  # stored again in a new database
            assert fmt.format_text("a.py", UGLY) == expected
    finally:
        cache_dir.chmod(0o755)
        if not db.is_dir():
            db.chmod(0o644)


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
    monkeypatch.setattr(fc, "USED_RESOLUTION_MS", 0)
    cache = fc.FormatCache(cache_dir, "salt")
    for i in range(40):
        cache.put(f"x = {i}\n", f"x = {i}\n")
        assert len(_entries(cache_dir)) <= 8
        assert cache.get("x = 0\n") == "x = 0\n"  # used all along: kept
    # the most recently written survive, and the most recently used
    assert cache.get("x = 39\n") == "x = 39\n"
    assert cache.get("x = 20\n") is None
    # many in one go: bounded too
    cache.put_many((f"y = {i}\n", f"y = {i}\n") for i in range(100))
    assert len(_entries(cache_dir)) <= 8


def test_the_directory_stays_bounded_in_bytes(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fc, "MAX_TOTAL_BYTES", 10_000)
    monkeypatch.setattr(fc, "PRUNE_EVERY", 1)
    cache = fc.FormatCache(cache_dir, "salt")
    for i in range(40):
        cache.put(f"x = {i}\n", f"x = {i}\n" + "#" * 1000 + "\n")
        with sqlite3.connect(cache_dir / fc.DATABASE) as db:
            assert db.execute("SELECT total(length(body)) FROM entries").fetchone()[0] <= 10_000
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
    """Four processes write and read the same entries at once: every answer is black's."""
    env = {**os.environ, fc.ENV: str(cache_dir)}
    procs = [subprocess.Popen([sys.executable, "-c", _WORKER], cwd=REPO, env=env) for _ in range(4)]
    assert [p.wait() for p in procs] == [0, 0, 0, 0]
    assert len(_entries(cache_dir)) == 30


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


def test_threads_share_it_and_the_old_layout_is_removed(cache_dir: Path) -> None:
    """Each thread has its own connection (a thread started later may reuse a finished one's id);
    the files of the earlier layout (`<sha256>.fmt`, `.tmp-*`) go when the database is created."""
    from concurrent.futures import ThreadPoolExecutor

    cache_dir.mkdir(parents=True)
    (cache_dir / ("0" * 64 + ".fmt")).write_text("an entry of the earlier layout")
    (cache_dir / ".tmp-killed").write_text("half")
    (cache_dir / "notes.txt").write_text("not ours")
    cache = fc.FormatCache(cache_dir, "salt")

    def work(i: int) -> str | None:
        cache.put(f"x = {i}\n", f"y = {i}\n")
        return cache.get(f"x = {i}\n")

    for _ in range(3):  # pools one after the other: thread ids are reused
        with ThreadPoolExecutor(4) as pool:
            assert list(pool.map(work, range(20))) == [f"y = {i}\n" for i in range(20)]
    assert sorted(p.name for p in cache_dir.iterdir() if not p.name.startswith(fc.DATABASE)) == [
        "notes.txt"
    ]
    assert len(_entries(cache_dir)) == 20


def test_a_new_database_another_connection_is_writing_is_opened_once_it_lets_go(
    cache_dir: Path,
) -> None:
    """Switching a new database to WAL answers "locked" at once, without waiting, while another
    connection holds its write lock (as when threads or processes first open the cache together):
    the opening is tried again until `TIMEOUT_SECONDS`, so the write is not lost."""
    import threading

    cache_dir.mkdir(parents=True)
    other = sqlite3.connect(cache_dir / fc.DATABASE, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE t (x)")
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO t VALUES (1)")
    threading.Timer(0.05, lambda: other.execute("COMMIT")).start()
    cache = fc.FormatCache(cache_dir, "salt")
    cache.put("x = 1\n", "y = 1\n")
    other.close()
    assert cache.get("x = 1\n") == "y = 1\n"


def test_a_lock_held_by_a_stuck_process_costs_one_wait_then_writes_stop(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another connection holds the write lock and never lets go: the answers are black's, the
    first write waits `TIMEOUT_SECONDS` and fails, and no later write of this process waits."""
    monkeypatch.setattr(fc, "TIMEOUT_SECONDS", 0.05)
    monkeypatch.setattr(fc, "_busy", set())
    cache = fc.FormatCache(cache_dir, "salt")
    cache.put("x = 1\n", "x = 1\n")
    stuck = sqlite3.connect(cache_dir / fc.DATABASE, isolation_level=None)
    stuck.execute("BEGIN IMMEDIATE")
    try:
        fc._connections.clear()  # a new process: its connections wait 0.05 s
        waits: list[int] = []
        real = fc._transaction

        def counted(db: sqlite3.Connection) -> object:
            waits.append(1)
            return real(db)

        monkeypatch.setattr(fc, "_transaction", counted)
        for i in range(5):
            text = f"v{i}  =  [{i},\n {i}]\n"
            assert fmt.format_text("m.py", text) == black.format_str(text, mode=fmt._MODE)
        assert cache.get("x = 1\n") == "x = 1\n"  # reads go on
        assert len(waits) == 1 and str(cache_dir) in fc._busy
    finally:
        stuck.execute("ROLLBACK")
        stuck.close()
