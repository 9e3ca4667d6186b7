"""A cache of black's output by content, shared by processes.

`codegen generate` keeps one next to its output's local stamp, `.codegen-cache/format/` (git-ignored,
never committed), so a full build after a change to the generator or the shared templates formats
only the pieces whose text changed. `CODEGEN_FORMAT_CACHE=<directory>` names another (the test
suite shares one between its processes); `CODEGEN_FORMAT_CACHE=` (empty) turns it off. `codegen
check` uses only the one the variable names: it answers from black itself.

An entry is one file named by the sha256 of (black's version, its mode, the text to format). It
holds the sha256 of the formatted text on its first line, then that text: an entry that is
truncated, altered or unreadable fails the check and is ignored (and written again). Entries are
written to a temporary file in the same directory and renamed into place, so concurrent
processes (xdist workers) never read half an entry, and the last of two identical writes wins.
The directory keeps at most about `MAX_ENTRIES` entries and `MAX_TOTAL_BYTES`: the least recently
used go first. A
cache that cannot be read or written is a cache miss, never an error."""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ENV = "CODEGEN_FORMAT_CACHE"
MAX_ENTRIES = 4096
MAX_TOTAL_BYTES = 64 * 1024 * 1024  # about 40 full builds of the real API (1.6 MB each)
PRUNE_EVERY = 64  # writes between two looks at the directory's size
MAX_ENTRY_CHARS = 8 * 1024 * 1024  # larger texts are formatted, not stored
STALE_TMP_SECONDS = 600  # a temporary file this old was left by a killed writer
_SUFFIX = ".fmt"
_TMP_PREFIX = ".tmp-"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class FormatCache:
    """Formatted texts under `root`, keyed by `salt` (the formatter and its options) and input."""

    def __init__(self, root: Path, salt: str) -> None:
        self.root = root
        self.salt = salt.encode()
        self._writes = 0

    def _entry(self, text: str) -> Path:
        key = _sha(self.salt + b"\0" + text.encode("utf-8", "surrogatepass"))
        return self.root / (key + _SUFFIX)

    def get(self, text: str) -> str | None:
        """The formatted `text` if a sound entry holds it."""
        entry = self._entry(text)
        try:
            data = entry.read_bytes()
        except OSError:
            return None
        digest, sep, body = data.partition(b"\n")
        if not sep or digest.decode("ascii", "replace") != _sha(body):
            return None
        try:
            formatted = body.decode("utf-8")
        except UnicodeDecodeError:
            return None
        try:
            os.utime(entry)  # recently used: pruned last
        except OSError:
            pass
        return formatted

    def put(self, text: str, formatted: str) -> None:
        """Store `formatted` as the output for `text`; silently nothing when that fails."""
        if len(text) > MAX_ENTRY_CHARS or len(formatted) > MAX_ENTRY_CHARS:
            return
        try:
            body = formatted.encode("utf-8")
            self.root.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=self.root)
        except (OSError, UnicodeEncodeError):
            return
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(_sha(body).encode() + b"\n" + body)
            os.replace(tmp, self._entry(text))
        except OSError:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            return
        if self._writes % PRUNE_EVERY == 0:
            self.prune()
        self._writes += 1

    def prune(self) -> None:
        """Drop the least recently used entries beyond `MAX_ENTRIES` or `MAX_TOTAL_BYTES` (down to
        three quarters of either) and temporary files left by killed writers."""
        now = time.time()
        entries: list[tuple[float, int, str]] = []
        try:
            with os.scandir(self.root) as it:
                for e in it:
                    try:
                        info = e.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    if e.name.endswith(_SUFFIX):
                        entries.append((info.st_mtime, info.st_size, e.path))
                    elif e.name.startswith(_TMP_PREFIX) and now - info.st_mtime > STALE_TMP_SECONDS:
                        _unlink(e.path)
        except OSError:
            return
        total = sum(size for _, size, _ in entries)
        if len(entries) <= MAX_ENTRIES and total <= MAX_TOTAL_BYTES:
            return
        entries.sort()
        count = len(entries)
        for _, size, path in entries:
            if count <= MAX_ENTRIES * 3 // 4 and total <= MAX_TOTAL_BYTES * 3 // 4:
                break
            _unlink(path)
            count -= 1
            total -= size


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass  # another process pruned it first


_caches: dict[tuple[str, str], FormatCache] = {}
_default: list[Path] = []  # set by `used_by_default` (worker processes forked meanwhile inherit it)


@contextmanager
def used_by_default(root: Path) -> Iterator[None]:
    """Within this block, the cache is `root` unless `CODEGEN_FORMAT_CACHE` says otherwise."""
    _default.append(root)
    try:
        yield
    finally:
        _default.pop()


def from_env(salt: str) -> FormatCache | None:
    """The cache `CODEGEN_FORMAT_CACHE` names (None when it is empty), else the one
    `used_by_default` gives, else None."""
    root = os.environ.get(ENV, str(_default[-1]) if _default else "")
    if not root:
        return None
    key = (root, salt)
    if key not in _caches:
        _caches[key] = FormatCache(Path(root), salt)
    return _caches[key]
