"""Reading a spec file as untrusted input: a regular file inside its directory, of bounded size.

A spec arrives in pull requests, so a file in it may be a symlink to `~/.ssh/...` (read outside the
spec), to `/dev/zero` or a FIFO (a read that never ends), or simply enormous. All are refused before
a single byte is read."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import Problem, SpecError
from .model import Location

MAX_BYTES = 10 * 1024 * 1024  # a spec file; the whole real spec is well under 1 MB
IGNORED_FILES = frozenset({"drift-ignore.yaml"})  # YAML in the spec directory that is not spec


def _problem(shown_as: str, message: str) -> SpecError:
    return SpecError([Problem(Location(shown_as, 0, ""), message)])


def check_file(path: Path, shown_as: str) -> None:
    """Raise `SpecError` unless `path` is a regular file of at most MAX_BYTES that stays in its
    directory (a symlink to a file inside that directory is fine)."""
    try:
        if path.is_symlink():
            target = path.resolve(strict=True)
            if not target.is_relative_to(path.parent.resolve(strict=True)):
                raise _problem(
                    shown_as,
                    "a symbolic link that leaves the spec directory; spec files are read only from there",
                )
        info = path.stat()
    except RuntimeError:  # Python < 3.13 reports a symlink loop so
        raise _problem(shown_as, "cannot read: a symbolic link loop") from None
    except OSError as exc:
        raise _problem(shown_as, f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise _problem(
            shown_as,
            "not a regular file (a device, FIFO or directory); spec files must be regular files",
        )
    if info.st_size > MAX_BYTES:
        raise _problem(
            shown_as, f"{info.st_size} bytes; a spec file may have at most {MAX_BYTES // 2**20} MB"
        )


def check_files(paths: list[Path], shown: dict[Path, str]) -> None:
    """`check_file` for each path, every problem reported together."""
    problems: list[Problem] = []
    for p in paths:
        try:
            check_file(p, shown[p])
        except SpecError as exc:
            problems.extend(exc.problems)
    if problems:
        raise SpecError(problems)


class Unreadable(Exception):
    """A file refused by `read_regular`; `str(error)` is the one-line reason."""


def read_regular(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most `max_bytes`, else `Unreadable`: a device, a FIFO or
    a directory is refused before a byte is read, the open never blocks nor follows a swap to a
    device, and no more than `max_bytes + 1` bytes are ever read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise Unreadable("no such file") from None
    except OSError as exc:
        raise Unreadable(f"cannot read: {exc.strerror or exc}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        kind = "a directory" if stat.S_ISDIR(info.st_mode) else "a device, FIFO or socket"
        raise Unreadable(f"is {kind}, not a regular file")
    with os.fdopen(fd, "rb") as f:
        if info.st_size > max_bytes:
            raise Unreadable(f"{info.st_size} bytes; at most {_size(max_bytes)} are read")
        try:
            data = f.read(max_bytes + 1)
        except OSError as exc:
            raise Unreadable(f"cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise Unreadable(f"more than {max_bytes} bytes; at most {_size(max_bytes)} are read")
    return data


def _size(n: int) -> str:
    return f"{n // 2**20} MB" if n >= 2**20 else f"{n} bytes"


def read_file(path: Path, shown_as: str) -> bytes:
    """The bytes of a spec file, after `check_file`, read by `read_regular`."""
    check_file(path, shown_as)
    try:
        return read_regular(path, MAX_BYTES)
    except Unreadable as exc:
        raise _problem(shown_as, f"{exc}; spec files are regular files of at most 10 MB") from None


def spec_files(spec_dir: Path, *, shown_as: Path | None = None) -> list[Path]:
    """The spec's YAML files, in the fixed order they are read; `SpecError` when any of them is not
    a regular file inside the spec directory of at most `files.MAX_BYTES` (named as in `shown_as`,
    when given)."""
    paths = sorted(p for p in spec_dir.glob("*.yaml") if p.name not in IGNORED_FILES)
    shown_dir = spec_dir if shown_as is None else shown_as
    check_files(paths, {p: shown_path(shown_dir / p.name) for p in paths})
    return paths


def shown_path(path: Path) -> str:
    """How a file is named in messages: relative to the working directory when inside it.

    What `os.path.relpath(path)` gives unless that climbs out with `..`, cut from one `getcwd`
    and the absolute path (a load names every file several times: relpath's second `abspath` and
    component lists were a fifth of loading an unchanged spec). An empty name and the rare POSIX
    `//` root go through relpath itself."""
    absolute, cwd = os.path.abspath(path), os.getcwd()
    if not str(path) or absolute.startswith("//"):
        try:
            rel = os.path.relpath(path)
        except ValueError:
            return str(path)
    elif absolute == cwd:
        rel = os.curdir
    elif absolute.startswith(cwd if cwd.endswith(os.sep) else cwd + os.sep):
        rel = absolute[len(cwd.rstrip(os.sep)) + 1 :]
    else:
        return str(path)  # outside the working directory: relpath starts with `..`
    return str(path) if rel.startswith("..") else rel
