"""Where the two sides of a diff come from: a spec directory, or a git ref read without touching
the work tree.

A git ref's spec is read with one `git archive` into a temporary directory; locations are then
shown relative to the repository (`spec/content.yaml:42`), as they would be in a checkout.
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..spec.errors import Problem, SpecError
from ..spec.files import MAX_BYTES, read_file
from ..spec.loader import IGNORED_FILES, load_spec, shown_path, spec_files
from ..spec.model import Location, Spec


class DiffInputError(Exception):
    """A side of the diff cannot be read (unknown ref, not a git repository, no spec there)."""


@dataclass(frozen=True)
class Side:
    """One loaded side of the diff."""

    label: str  # how the side is named in reports: "HEAD (1a2b3c4)", "spec"
    spec: Spec
    strip: str = ""  # a temporary directory prefix to drop from file names
    ref: str | None = None  # the git ref, when read from git

    def file(self, name: str) -> str:
        if self.strip and name.startswith(self.strip):
            return name[len(self.strip) :]
        return name

    def where(self, loc: Location | None) -> str | None:
        """`spec/content.yaml:42`, or None when the node is not on this side."""
        if loc is None or loc.line <= 0:
            return None
        return f"{self.file(loc.file)}:{loc.line}"


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as exc:
        raise DiffInputError(f"cannot run git: {exc}") from None


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else ""


def load_side(
    source: str, spec_dir: Path, cwd: Path | None = None, *, directory: bool = False
) -> Side:
    """A side from `source`: an existing directory (the spec directory itself), else a git ref
    whose tree holds `spec_dir` (a path relative to `cwd`, default the working directory).
    With `directory`, `source` is a directory, and a missing one is reported by the loader."""
    cwd = cwd or Path.cwd()
    path = Path(source)
    if directory or path.is_dir():
        return Side(label=source, spec=_load(path, source, ""))
    return _load_ref(source, spec_dir, cwd)


# Loaded specs by the names and bytes of their files: parsing YAML is the slow part, and a
# process that diffs many times (tests, a bisect script) reads the same base again and again.
_LOADED: dict[str, Spec] = {}
_LOADED_MAX = 8


def _fingerprint(spec_dir: Path, shown_as: Path | None = None) -> str:
    h = hashlib.sha256()
    shown_dir = spec_dir if shown_as is None else shown_as
    for p in spec_files(spec_dir, shown_as=shown_as):
        shown = shown_path(shown_dir / p.name)
        h.update(shown.encode() + b"\0" + read_file(p, shown) + b"\0")
    return h.hexdigest()


def _load(spec_dir: Path, label: str, strip: str, shown_as: Path | None = None) -> Spec:
    try:
        key = _fingerprint(spec_dir, shown_as) if spec_dir.is_dir() else ""
    except (OSError, SpecError):  # the loader reports it below, with the side named
        key = ""
    if key and key in _LOADED:
        return _LOADED[key]
    try:
        spec = load_spec(spec_dir, shown_as=shown_as)
    except SpecError as exc:
        # The loader's lines, with temporary paths shown as the repository's, and the side named.
        raise SpecError(
            Problem(
                Location(_strip(p.loc.file, strip), p.loc.line, p.loc.path),
                f"{p.message} (in {label})",
            )
            for p in exc.problems
        ) from None
    if key:
        if len(_LOADED) >= _LOADED_MAX:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[key] = spec
    return spec


def _strip(name: str, strip: str) -> str:
    return name[len(strip) :] if strip and name.startswith(strip) else name


def _load_ref(ref: str, spec_dir: Path, cwd: Path) -> Side:
    if not ref or ref.startswith("-") or any(c in ref for c in "\0\n\r"):
        raise DiffInputError(f"not a spec directory or a git ref: {ref!r}")
    top = _git(["rev-parse", "--show-toplevel"], cwd)
    if top.returncode != 0:
        raise DiffInputError(
            f"{ref!r} is not a directory, and {cwd} is not in a git repository to read it as a ref from"
        )
    root = Path(top.stdout.decode().strip())
    found = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd)
    if found.returncode != 0:
        raise DiffInputError(f"not a spec directory or a known git ref: {ref!r}")
    commit = found.stdout.decode().strip()
    rel = _relative_to_repo(spec_dir, cwd, root)
    _check_sizes(ref, commit, rel, root)
    archive = _git(["archive", "--format=tar", commit, "--", rel.as_posix()], root)
    if archive.returncode != 0:
        raise DiffInputError(
            f"{ref}: no spec directory '{rel.as_posix()}' in that commit ({_first_line(archive.stderr)})"
        )
    label = f"{ref} ({commit[:10]})"
    with tempfile.TemporaryDirectory(prefix="codegen-diff-") as tmp:
        out = Path(tmp) / rel
        out.mkdir(parents=True, exist_ok=True)
        count = 0
        with tarfile.open(fileobj=io.BytesIO(archive.stdout), mode="r:") as tar:
            members = {m.name: m for m in tar.getmembers()}
            for member in members.values():
                name = PurePosixPath(member.name)
                # Only the spec's own *.yaml files, written by base name: nothing else leaves the archive.
                if name.parent != PurePosixPath(rel.as_posix()) or name.suffix != ".yaml":
                    continue
                if name.name in IGNORED_FILES:
                    continue
                data = tar.extractfile(_followed(member, members, rel, ref))
                if data is not None:
                    (out / name.name).write_bytes(data.read())
                    count += 1
        if count == 0:
            raise DiffInputError(f"{ref}: no *.yaml files in '{rel.as_posix()}' in that commit")
        strip = str(Path(tmp)) + os.sep
        # Its files named as in the repository (`spec/content.yaml`), as the work tree's are: the
        # files both sides share are parsed once (the loader keeps them by name and content).
        spec = _load(out, label, strip, shown_as=Path(rel.as_posix()))
    return Side(label=label, spec=spec, strip=strip, ref=ref)


def _refused(ref: str, name: str, message: str) -> SpecError:
    return SpecError([Problem(Location(name, 0, ""), f"{message} (in {ref})")])


def _followed(
    member: tarfile.TarInfo, members: dict[str, tarfile.TarInfo], rel: PurePosixPath, ref: str
) -> tarfile.TarInfo:
    """The regular file a spec entry of the archive stands for, as a checkout would read it: itself,
    or the target of a symlink that stays in the spec directory."""
    if member.issym():
        target = posixpath.normpath(posixpath.join(rel.as_posix(), member.linkname))
        found = members.get(target)
        if not target.startswith(rel.as_posix() + "/") or found is None or not found.isfile():
            raise _refused(
                ref,
                member.name,
                "a symbolic link that leaves the spec directory; spec files are read only from there",
            )
        return found
    if not member.isfile():
        raise _refused(ref, member.name, "not a regular file; spec files must be regular files")
    return member


def _check_sizes(ref: str, commit: str, rel: PurePosixPath, root: Path) -> None:
    """Refuse a spec blob over the size cap before `git archive` loads it into memory."""
    listing = _git(["ls-tree", "-r", "-l", "-z", commit, "--", rel.as_posix() + "/"], root)
    for entry in listing.stdout.split(b"\0"):
        head, _, name = entry.partition(b"\t")
        fields = head.split()
        if len(fields) == 4 and fields[3].isdigit() and int(fields[3]) > MAX_BYTES:
            shown = name.decode("utf-8", "replace")
            raise _refused(
                ref,
                shown,
                f"{int(fields[3])} bytes; a spec file may have at most {MAX_BYTES // 2**20} MB",
            )


def _relative_to_repo(spec_dir: Path, cwd: Path, root: Path) -> PurePosixPath:
    absolute = Path(os.path.realpath(spec_dir if spec_dir.is_absolute() else cwd / spec_dir))
    try:
        rel = absolute.relative_to(Path(os.path.realpath(root)))
    except ValueError:
        raise DiffInputError(
            f"the spec directory {spec_dir} is outside the git repository {root}"
        ) from None
    if rel == Path("."):
        raise DiffInputError(
            f"the spec directory {spec_dir} is the repository root; expected a folder like 'spec'"
        )
    return PurePosixPath(rel.as_posix())
