"""A full build next to an earlier one (a new output directory, or every source changed) takes each
formatted module from the format cache `codegen generate` keeps in `.codegen-cache/format/`; the
output is byte-identical with and without it, and on one or two processes; `codegen check` never
takes its answer from it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import black
import pytest
from black.mode import TargetVersion

import codegen.format as fmt
from codegen import format_cache, manifest, sources
from codegen.pipeline import check, generate
from codegen.write import format_cache_dir, read_tree, stamp_path
from support.work import counted

from .conftest import MINI, REPO, TEMPLATES, paths


@pytest.fixture(autouse=True)
def _default_cache_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(format_cache.ENV, raising=False)  # not the test session's shared one


def _serial(monkeypatch: pytest.MonkeyPatch) -> None:
    """Everything in this process, where `counted` sees it."""
    monkeypatch.setattr(fmt, "can_fork", lambda: False)
    monkeypatch.setattr(sources, "can_fork", lambda: False)


def test_a_second_full_build_formats_nothing_and_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(paths(MINI, tmp_path / "first"))
    assert list(format_cache_dir(tmp_path / "first").glob("*.fmt"))
    _serial(monkeypatch)
    _, work = counted(lambda: generate(paths(MINI, tmp_path / "second")))
    assert work.calls("codegen/format.py", "_black") == 0
    assert work.calls("codegen/format.py", "split_top_level") == 0
    assert work.calls("codegen/render/types_module.py", "render_types_module") == 0
    assert read_tree(tmp_path / "second") == read_tree(tmp_path / "first")


def test_a_changed_module_alone_is_formatted_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = tmp_path / "templates"
    import shutil

    shutil.copytree(TEMPLATES, templates)
    p = paths(MINI, tmp_path / "out")
    p = type(p)(spec=p.spec, templates=templates, out=p.out)
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


_PROBE = """
import os, sys
if sys.argv[1] == "one":
    os.cpu_count = lambda: 1  # no worker process, no early fork
import codegen.format as fmt
fmt.PARALLEL_MIN_CHARS, fmt.CHUNK_CHARS = 1, 2000  # the mini spec in pieces, on two processes
from pathlib import Path
from codegen.pipeline import Paths, generate
generate(Paths(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])))
"""


def test_the_same_bytes_with_or_without_the_cache_on_one_or_two_processes(tmp_path: Path) -> None:
    """In fresh processes (a test worker may have threads, which turn the workers off)."""
    trees = {}
    for cache in ("off", "cold", "warm"):
        for procs in ("one", "two"):
            env = dict(os.environ)
            env.pop(format_cache.ENV, None)
            if cache == "off":
                env[format_cache.ENV] = ""
            out = tmp_path / f"{cache}-{procs}" / "out"
            if cache == "warm":
                out = tmp_path / f"cold-{procs}" / "again"
            args = [sys.executable, "-c", _PROBE, procs, str(MINI), str(TEMPLATES), str(out)]
            subprocess.run(args, cwd=REPO, env=env, check=True)
            trees[cache, procs] = read_tree(out)
    first = next(iter(trees.values()))
    assert all(tree == first for tree in trees.values())
    assert not (tmp_path / "off-one" / ".codegen-cache" / "format").exists()
    assert list((tmp_path / "cold-two" / ".codegen-cache" / "format").glob("*.fmt"))


def test_check_answers_from_black_and_catches_a_poisoned_cache(tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(paths(MINI, out))
    for entry in format_cache_dir(out).glob("*.fmt"):  # sound entries holding the wrong text
        body = entry.read_bytes().partition(b"\n")[2] + b"# poisoned\n"
        entry.write_bytes(format_cache._sha(body).encode() + b"\n" + body)
    stamp_path(out).unlink()  # no fast path: check renders and formats everything
    assert check(paths(MINI, out)) == []
    generate(paths(MINI, tmp_path / "other"))  # generate trusts its local cache...
    assert b"# poisoned" in (tmp_path / "other" / "gemini_client" / "_client.py").read_bytes()
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
