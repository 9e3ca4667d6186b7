"""One ``mypy --strict`` run for every typed program of the end-to-end tests and for the generator
(``codegen/``), shared by them.

Each test module names its programs when it is imported (collected): ``typed(path)`` for a
committed program that must pass, ``program(name, source)`` for one written for the test (most
must fail, line by line). The ``mypy_strict`` fixture (support.fixtures) then runs mypy once, on
the first test that asks, over every program named so far, and each test reads its own file's
lines from the one report. mypy's start-up and the loading of the package's types from the cache
cost about a second a run: one run instead of one per test saves that a dozen times, and a cold
cache (a fresh clone, CI) is warmed once. The generator shares the standard library, pydantic and
yaml with the client's programs: checked in the same run (its errors apart, ``clean(...,
alone=True)``), they are loaded once (about a CPU second on a cold cache, half on a warm one).

mypy reports each file's errors on its own lines (``path:line: error: message [code]``), whatever
else it checks in the same run, so a test sees exactly what a run of its own files would report;
an error in the package itself shows under the package's path and fails every passing program.

Every mypy run of the tests goes through ``command``: the same options and one cache, so what one
run analysed (the standard library, pydantic, httpx...: an entry is trusted for a module whose
source has the same hash) another reuses instead of analysing it again; with other options, or
another cache, each run analysed all of it cold. A test that runs it shares the ``mypy-cache``
xdist_group: one worker, one process writing the cache at a time. A package generated for a test
is checked as a copy under a name of its own (``vendored``): under ``gemini_client`` its modules
would replace the real package's entries, and on a warm cache each run would check the other's
again.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".mypy_cache" / "tests"
"""The cache of every run (ignored by git)."""
OPTIONS = (
    "--strict",
    # [tool.mypy]: python_version = "3.10" wherever the run is (a cache per version), and
    # follow_imports = "silent" (errors only in the files given: a package's helpers may be left
    # out), as `make lint` runs it, which then reuses this cache (its cache_dir, from the root)
    "--config-file",
    str(ROOT / "pyproject.toml"),
    "--cache-dir",  # the same, wherever the run is
    str(CACHE),
)
"""Options that change what mypy caches: one set for every run, or none reuses another's work."""

_TYPED: list[str] = []
_IMPORTED: set[str] = set()
_PROGRAMS: dict[str, str] = {}

__all__ = ["CACHE", "MypyReport", "command", "program", "run", "typed", "vendored"]


def typed(path: str, *, imported: bool = False) -> str:
    """Name the committed program at ``path`` (relative to the repository, with a ``/`` in it:
    ``codegen/`` for a top-level directory) for the run; ``imported``: what the other programs
    import (the generated package), whose errors fail every program."""
    if path not in _TYPED:
        _TYPED.append(path)
    if imported:
        _IMPORTED.add(path)
    return path


def program(name: str, source: str) -> str:
    """Name a program written for a test: module ``name`` (unique in the suite) of ``source``."""
    if _PROGRAMS.setdefault(name, source) != source:
        raise ValueError(f"two programs named {name!r}")
    return f"{name}.py"


@dataclass(frozen=True)
class MypyReport:
    returncode: int
    stdout: str
    stderr: str

    def errors(self, file: str) -> list[str]:
        """The error lines of ``file``: a path given to ``typed`` or a ``program``'s file name."""
        return [line for line in self._error_lines() if _is(line, file)]

    def codes(self, file: str) -> set[tuple[int, str]]:
        """``(line, error code)`` of every error in ``file``."""
        found = (re.search(r":(\d+): error: .*\[([a-z-]+)\]$", line) for line in self.errors(file))
        return {(int(m[1]), m[2]) for m in found if m}

    def clean(self, path: str, *, alone: bool = False) -> str:
        """Why the committed program at ``path`` does not pass, empty when it does: the run broke,
        or an error is in it, in the package it imports (``typed(..., imported=True)``; none when
        ``alone``: the generator imports no other target) or outside every named target."""
        if self.returncode not in (0, 1):
            return f"mypy exited with {self.returncode}\n{self.stdout}{self.stderr}"
        targets = [*_TYPED, *(f"{n}.py" for n in _PROGRAMS)]
        mine = [path] if alone else [path, *_IMPORTED]
        bad = [
            line
            for line in self._error_lines()
            if any(_is(line, file) for file in mine) or not any(_is(line, t) for t in targets)
        ]
        return "\n".join(bad)

    def _error_lines(self) -> list[str]:
        return [line for line in self.stdout.splitlines() if ": error:" in line]


def _is(line: str, file: str) -> bool:
    """Whether the error ``line`` is in ``file``: a repository path (a file, or a directory of
    them) or a program's file name, shown under the directory the programs were written to."""
    shown = line.split(":", 1)[0]
    if "/" in file:
        return shown == file or shown.startswith(file.rstrip("/") + "/")
    return Path(shown).name == file


def command(*args: str) -> list[str]:
    """The command line of a mypy run of the tests: ``OPTIONS``, then ``args``."""
    return [sys.executable, "-m", "mypy", *OPTIONS, *args]


def vendored(package: Path, name: str, directory: Path) -> Path:
    """A copy of the generated ``package`` (a ``gemini_client`` directory) as package ``name`` in
    ``directory``: the same modules (they import one another relatively), cached under ``name``."""
    if name == "gemini_client" or not name.isidentifier():
        raise ValueError(f"not a name of its own: {name!r}")
    return Path(shutil.copytree(package, directory / name))


def run(directory: Path) -> MypyReport:
    """mypy --strict over every named program, the written ones put in ``directory``."""
    targets = [Path(path) for path in _TYPED]  # relative to ROOT: shown as given
    for name, source in _PROGRAMS.items():
        (directory / f"{name}.py").write_text(source, encoding="utf-8")
        targets.append(directory / f"{name}.py")
    result = subprocess.run(
        command(*map(str, targets)),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "MYPYPATH": str(ROOT / "generated")},
        timeout=600,  # a cold cache on a loaded machine took 121 s
    )
    return MypyReport(result.returncode, result.stdout, result.stderr)
