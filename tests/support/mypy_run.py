"""One ``mypy --strict`` run for every typed program of the end-to-end tests and for the generator
(``codegen/``), shared by them.

Each test module names its programs when it is imported (collected): ``typed(path)`` for a
committed program that must pass, ``program(name, source)`` for one written for the test (most
must fail, line by line), ``package(name, make, ...)`` for a package generated for the test (made
once, ``made``: the test imports the same one). The ``mypy_strict`` fixture (support.fixtures)
then runs mypy once, on the first test that asks, over every program and package named so far,
and each test reads its own file's lines from the one report. mypy's start-up and the loading of
what the programs share (the standard library, pydantic, httpx...) from the cache cost about half
a CPU second a run: one run instead of one per test saves that a dozen times, and a cold cache (a
fresh clone, CI) is warmed once. The generator and the generated packages of the generator's
tests are checked in it too, their errors apart (``clean(..., alone=True)``).

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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
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
_PACKAGES: dict[str, tuple[Callable[[Path], Path], bool, str]] = {}
_MADE: dict[str, Path] = {}

__all__ = [
    "CACHE",
    "MypyReport",
    "command",
    "made",
    "package",
    "program",
    "run",
    "typed",
    "vendored",
]


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


def package(name: str, make: Callable[[Path], Path], *, checked: bool, exclude: str = "") -> str:
    """Name a package generated for a test: ``make(directory)`` generates it in that empty
    directory and returns its output directory (the ``gemini_client`` in it); the run checks it
    as ``name`` (``vendored``), ``checked``: its own errors reported (else only imported by a
    program), but none in the modules the regular expression ``exclude`` matches. The name is
    what ``errors`` and ``clean`` take."""
    if not checked and exclude:
        raise ValueError("exclude is for a checked package")
    if _PACKAGES.setdefault(name, (make, checked, exclude)) != (make, checked, exclude):
        raise ValueError(f"two packages named {name!r}")
    return name


def made(name: str, directory: Path) -> Path:
    """The output directory of the package ``name``, generated once per session (in the empty
    ``directory`` when not yet): the tests that import it and the run share it."""
    if name not in _MADE:
        _MADE[name] = _PACKAGES[name][0](directory)
    return _MADE[name]


@dataclass(frozen=True)
class MypyReport:
    returncode: int
    stdout: str
    stderr: str
    packages: Mapping[str, str] = field(default_factory=dict)
    """Where each ``package`` was checked (its vendored directory, as mypy shows its files)."""

    def errors(self, file: str) -> list[str]:
        """The error lines of ``file``: a path given to ``typed`` or a ``program``'s file name."""
        return [line for line in self._error_lines() if self._is(line, file)]

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
        targets = [*_TYPED, *(f"{n}.py" for n in _PROGRAMS), *self.packages]
        mine = [path] if alone else [path, *_IMPORTED]
        bad = [
            line
            for line in self._error_lines()
            if any(self._is(line, file) for file in mine)
            or not any(self._is(line, t) for t in targets)
        ]
        return "\n".join(bad)

    def _is(self, line: str, file: str) -> bool:
        if file in _PACKAGES and file not in self.packages:
            raise ValueError(f"package {file!r} was not checked in this run")
        return _is(line, self.packages.get(file, file))

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
    """mypy --strict over every named program and package, the written programs put in
    ``directory``, the packages vendored there."""
    targets = [Path(path) for path in _TYPED]  # relative to ROOT: shown as given
    for name, source in _PROGRAMS.items():
        (directory / f"{name}.py").write_text(source, encoding="utf-8")
        targets.append(directory / f"{name}.py")
    vendor, excluded, packages = directory / "vendor", [], {}
    for name, (_, checked, exclude) in _PACKAGES.items():
        where = directory / "made" / name
        where.mkdir(parents=True)
        out = made(name, where)
        copy = vendored(out / "gemini_client", name, vendor)
        if checked:
            targets.append(copy)
            packages[name] = str(copy) + "/"
        if exclude:
            excluded += ["--exclude", exclude]
    result = subprocess.run(
        command(*excluded, *map(str, targets)),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "MYPYPATH": os.pathsep.join([str(ROOT / "generated"), str(vendor)])},
        timeout=600,  # a cold cache on a loaded machine took 121 s
    )
    return MypyReport(result.returncode, result.stdout, result.stderr, packages)
