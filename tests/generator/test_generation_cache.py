"""A full build next to an earlier one (a new output directory, or every source changed) takes each
formatted module from the format cache `codegen generate` keeps in `.codegen-cache/format/`; the
output is byte-identical with and without it, and on one or two processes; `codegen check` never
takes its answer from it."""

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
from black.mode import TargetVersion

import codegen.format as fmt
from codegen import format_cache, manifest, sources
from codegen.pipeline import check, generate
from codegen.write import format_cache_dir, read_tree, stamp_path
from support.work import counted

from .conftest import MINI, PROBE_SESSION_BLACK, REPO, TEMPLATES, paths, probe_env


SESSION_CACHE = os.environ.get(
    format_cache.ENV
)  # the test session's shared one (tests/conftest.py)


@pytest.fixture(autouse=True)
def _default_cache_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(format_cache.ENV, raising=False)  # generate's own, not the session's


def _serial(monkeypatch: pytest.MonkeyPatch) -> None:
    """Everything in this process, where `counted` sees it."""
    monkeypatch.setattr(fmt, "can_fork", lambda: False)
    monkeypatch.setattr(sources, "can_fork", lambda: False)


def test_a_second_full_build_formats_nothing_and_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, session_black: Callable[[str], str]
) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fmt, "_black", session_black)  # the earlier build: black's answers
        generate(paths(MINI, tmp_path / "first"))
    assert len(format_cache.FormatCache(format_cache_dir(tmp_path / "first"), fmt._CACHE_SALT))
    _serial(monkeypatch)  # and black itself from here: its runs are counted
    _, work = counted(lambda: generate(paths(MINI, tmp_path / "second")))
    assert work.calls("codegen/format.py", "_black") == 0
    assert work.calls("codegen/format.py", "split_top_level") == 0
    assert work.calls("codegen/render/types_module.py", "render_types_module") == 0
    assert read_tree(tmp_path / "second") == read_tree(tmp_path / "first")


def test_a_changed_module_alone_is_formatted_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, session_black: Callable[[str], str]
) -> None:
    templates = tmp_path / "templates"
    import shutil

    shutil.copytree(TEMPLATES, templates)
    p = paths(MINI, tmp_path / "out")
    p = type(p)(spec=p.spec, templates=templates, out=p.out)
    monkeypatch.setattr(fmt, "_black", session_black)  # what is formatted is looked at, not how
    generate(p)
    client = templates / "package" / "_client.py.jinja"
    client.write_text(client.read_text() + "\nCHANGED  =  1\n")
    _serial(monkeypatch)
    formatted: list[str] = []
    real = fmt.format_text

    def recording(path: str, text: str) -> str:
        formatted.append(path)
        return real(path, text)

    monkeypatch.setattr(fmt, "format_text", recording)
    out2 = type(p)(spec=p.spec, templates=templates, out=tmp_path / "out2")
    _, work = counted(lambda: generate(out2))
    assert [f for f in formatted if f.endswith(".py")] == ["gemini_client/_client.py"]
    assert work.calls("codegen/render/types_module.py", "render_types_module") == 0
    assert (
        (tmp_path / "out2" / "gemini_client" / "_client.py").read_text().endswith("\nCHANGED = 1\n")
    )


_PROBE = (
    PROBE_SESSION_BLACK
    + """
import multiprocessing, sys, threading
from multiprocessing.process import BaseProcess
fmt.PARALLEL_MIN_CHARS, fmt.CHUNK_CHARS = 1, 2000  # the mini spec in pieces, on two processes
from codegen.pipeline import Paths, generate
started = []
start = BaseProcess.start
BaseProcess.start = lambda self: started.append(self) or start(self)
cpu_count = os.cpu_count
spec, templates = Path(sys.argv[1]), Path(sys.argv[2])
for run in sys.argv[3:]:
    cache, procs, out = run.split(":", 2)
    os.environ.pop(format_cache.ENV, None)
    if cache == "off":
        os.environ[format_cache.ENV] = ""
    os.cpu_count = (lambda: 1) if procs == "one" else cpu_count  # one: no worker, no early fork
    started.clear()
    assert threading.active_count() == 1  # else no process would be forked
    generate(Paths(spec, templates, Path(out)))
    assert bool(started) == (procs == "two"), (run, started)
    assert multiprocessing.active_children() == []  # the types module's process and the workers ended
"""
)


def test_the_same_bytes_with_or_without_the_cache_on_one_or_two_processes(
    tmp_path: Path, session_format_cache: Path | None
) -> None:
    """In a fresh process (a test worker may have threads, which turn the workers off), one build
    after another: without the cache on one process, then on two; with a cold cache on two; with
    the same cache, warm, on one."""
    runs = {
        ("off", "one"): tmp_path / "off-one" / "out",
        ("off", "two"): tmp_path / "off-two" / "out",
        ("cold", "two"): tmp_path / "cold-two" / "out",
        ("warm", "one"): tmp_path / "cold-two" / "again",
    }
    env = probe_env(session_format_cache)  # the cache under test is off, cold or warm
    argv = [f"{cache}:{procs}:{out}" for (cache, procs), out in runs.items()]
    subprocess.run(
        [sys.executable, "-c", _PROBE, str(MINI), str(TEMPLATES), *argv],
        cwd=REPO,
        env=env,
        check=True,
    )
    trees = {run: read_tree(out) for run, out in runs.items()}
    first = next(iter(trees.values()))
    assert all(tree == first for tree in trees.values())
    assert not (tmp_path / "off-one" / ".codegen-cache" / "format").exists()
    assert len(format_cache.FormatCache(tmp_path / "cold-two" / ".codegen-cache" / "format", ""))


def test_check_answers_from_black_and_catches_a_poisoned_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, session_black: Callable[[str], str]
) -> None:
    """`check` answers from black or the cache the variable names (here the session's, sound),
    never from the default one generate keeps (here poisoned)."""
    out = tmp_path / "out"
    monkeypatch.setattr(fmt, "_black", session_black)  # black's answers, from either
    generate(paths(MINI, out))
    with sqlite3.connect(format_cache_dir(out) / format_cache.DATABASE) as db:
        for key, body in db.execute("SELECT key, body FROM entries").fetchall():
            text = body[32:] + b"# poisoned\n"  # sound entries holding the wrong text
            db.execute(
                "UPDATE entries SET body = ? WHERE key = ?",
                (hashlib.sha256(text).digest() + text, key),
            )
    generate(paths(MINI, tmp_path / "other"))  # generate trusts its local cache...
    assert b"# poisoned" in (tmp_path / "other" / "gemini_client" / "_client.py").read_bytes()
    if SESSION_CACHE:
        monkeypatch.setenv(format_cache.ENV, SESSION_CACHE)
    stamp_path(out).unlink()  # no fast path: check renders and formats everything
    assert check(paths(MINI, out)) == []
    stamp_path(tmp_path / "other").unlink()
    stale = check(paths(MINI, tmp_path / "other"))  # ...and check shows what it made
    assert "changed: gemini_client/_client.py" in stale


def test_the_formatter_the_cache_and_manifest_name_is_the_one_used() -> None:
    """The manifest's and the whole-file cache's key name black's version, line length and target:
    `codegen.format` must run black exactly so (change `manifest.formatter` with it)."""
    assert fmt._MODE == black.Mode(
        target_versions={TargetVersion.PY310}, line_length=manifest.LINE_LENGTH
    )
    assert manifest.formatter() == f"black=={black.__version__};{manifest.LINE_LENGTH};py310"
