"""A cache of black's output by content, shared by processes.

`codegen generate` keeps one next to its output's local stamp, `.codegen-cache/format/` (git-ignored,
never committed), so a full build after a change to the generator or the shared templates formats
only the top-level blocks whose text changed. `CODEGEN_FORMAT_CACHE=<directory>` names another (the
test suite shares one between its processes); `CODEGEN_FORMAT_CACHE=` (empty) turns it off.
`codegen check` uses only the one the variable names: it answers from black itself.

Entries are many and small (a build stores about 4,500 texts of a few hundred bytes), so they live in
one SQLite database in the directory, `format.sqlite3` (the standard library's `sqlite3`: a file
per entry cost 0.35 ms of system time each to write, a row 25 µs): an entry is keyed by the sha256
of (black's version, its mode, the text to format) and holds the sha256 of the formatted text and
that text, so an entry that was altered or cannot be decoded fails the check and is ignored (and
written again). SQLite's locking and write-ahead log make concurrent processes (xdist workers)
safe; a database that is not one, or is damaged, is set aside and started anew. The database keeps
at most about `MAX_ENTRIES` entries and `MAX_TOTAL_BYTES`: the least recently used go first. A
cache that cannot be read or written (busy past `TIMEOUT_SECONDS`, read-only, not a directory) is
a cache miss, never an error."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ENV = "CODEGEN_FORMAT_CACHE"
DATABASE = "format.sqlite3"
# About 40 full builds of the real API: each stores about 4,500 entries and 2.8 MB (1,100 blocks and
# files, 3,000 class-body statements, their skeletons and shapes: `codegen.format_bodies`).
MAX_ENTRIES = 200_000
MAX_TOTAL_BYTES = 128 * 1024 * 1024
PRUNE_EVERY = 1024  # entries written between two looks at the database's size
MAX_ENTRY_CHARS = 8 * 1024 * 1024  # larger texts are formatted, not stored
TIMEOUT_SECONDS = 2.0  # how long to wait for another process's write before calling it a miss
USED_RESOLUTION_MS = 60_000  # a hit records its use only if the last one is older than this
_QUERY_KEYS = 256  # keys per SELECT (SQLite's limit on parameters is far above)
_DIGEST = 32
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS entries"
    " (key BLOB PRIMARY KEY, body BLOB NOT NULL, size INTEGER NOT NULL, used INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS by_use ON entries (used, size)",  # pruning reads only this
)
_DAMAGED = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB: the file is set aside
_INIT_RETRY_SECONDS = 0.005
_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED: another connection holds the lock past the timeout


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class FormatCache:
    """Formatted texts under `root`, keyed by `salt` (the formatter and its options) and input."""

    def __init__(self, root: Path, salt: str) -> None:
        self.root = root
        self.salt = salt.encode()

    def _key(self, text: str) -> bytes:
        return hashlib.sha256(self.salt + b"\0" + text.encode("utf-8", "surrogatepass")).digest()

    def _who(self) -> tuple[int, int, str]:
        return (os.getpid(), threading.get_ident(), str(self.root))

    def _db(self) -> sqlite3.Connection | None:
        """This process's and thread's connection to the database (one opened before a fork is
        never used after it); None when it cannot be opened now."""
        db = _connections.get(self._who())
        if db is None:
            db = self._open()
            if db is not None:
                _connections[self._who()] = db
        return db

    def _open(self) -> sqlite3.Connection | None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fresh = not (self.root / DATABASE).exists()
            db = sqlite3.connect(
                self.root / DATABASE,
                timeout=TIMEOUT_SECONDS,
                isolation_level=None,
                check_same_thread=False,  # kept per thread; a new thread may reuse a dead one's id
            )
        except (OSError, sqlite3.Error):
            return None
        if fresh:
            _drop_old_layout(self.root)
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while True:
            try:
                _initialise(db)
                return db
            except sqlite3.Error as exc:
                # Switching to WAL answers "locked" at once, without waiting, while another
                # connection is opening the same new database: try again until the timeout.
                if getattr(exc, "sqlite_errorcode", None) in _BUSY and time.monotonic() < deadline:
                    time.sleep(_INIT_RETRY_SECONDS)
                    continue
                db.close()
                if _damaged(exc):
                    self._set_aside()
                return None

    def _set_aside(self) -> None:
        """Remove a file that is not a sound database, so the next connection starts anew."""
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(self.root / (DATABASE + suffix))
            except OSError:
                pass

    def _failed(self, exc: sqlite3.Error) -> None:
        if _damaged(exc):
            db = _connections.pop(self._who(), None)
            if db is not None:
                db.close()
            self._set_aside()

    def get(self, text: str) -> str | None:
        """The formatted `text` if a sound entry holds it."""
        return self.get_many([text])[0]

    def get_many(self, texts: Sequence[str]) -> list[str | None]:
        """For each of `texts`, its formatted text if a sound entry holds it, else None."""
        found: list[str | None] = [None] * len(texts)
        db = self._db() if texts else None
        if db is None:
            return found
        keys = [self._key(t) for t in texts]
        rows: dict[bytes, tuple[bytes, int]] = {}
        try:
            for i in range(0, len(keys), _QUERY_KEYS):
                part = keys[i : i + _QUERY_KEYS]
                rows.update(
                    (key, (body, used))
                    for key, body, used in db.execute(
                        f"SELECT key, body, used FROM entries WHERE key IN ({','.join('?' * len(part))})",
                        part,
                    )
                )
        except sqlite3.Error as exc:
            self._failed(exc)
            return found
        now, stale = _now_ms(), []
        for i, key in enumerate(keys):
            body, used = rows.get(key, (b"", 0))
            formatted = _checked(body)
            if formatted is not None:
                found[i] = formatted
                if now - used > USED_RESOLUTION_MS:
                    stale.append(key)
        if stale:  # recently used: pruned last
            self._write(db, "UPDATE entries SET used = ? WHERE key = ?", [(now, k) for k in stale])
        return found

    def put(self, text: str, formatted: str) -> None:
        """Store `formatted` as the output for `text`; silently nothing when that fails."""
        self.put_many([(text, formatted)])

    def put_many(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Store each (text, formatted) in one transaction; silently nothing when that fails."""
        now, rows = _now_ms(), []
        for text, formatted in pairs:
            if len(text) > MAX_ENTRY_CHARS or len(formatted) > MAX_ENTRY_CHARS:
                continue
            try:
                body = formatted.encode("utf-8")
                key = self._key(text)
            except UnicodeEncodeError:
                continue
            rows.append((key, hashlib.sha256(body).digest() + body, len(body), now))
        db = self._db() if rows else None
        if db is None:
            return
        sql = "INSERT OR REPLACE INTO entries (key, body, size, used) VALUES (?, ?, ?, ?)"
        if self._write(db, sql, rows):
            before = _written.get(self._who(), 0)
            _written[self._who()] = before + len(rows)
            if before == 0 or before // PRUNE_EVERY != (before + len(rows)) // PRUNE_EVERY:
                self.prune()

    def _write(self, db: sqlite3.Connection, sql: str, rows: Sequence[tuple[object, ...]]) -> bool:
        """Run `sql` for each row in one transaction; False when it failed. Once a write waited
        `TIMEOUT_SECONDS` for another process's lock, this process writes no more (reads go on):
        a process stuck in a transaction costs the others one wait, not one per write."""
        if str(self.root) in _busy:
            return False
        try:
            with _transaction(db):
                db.executemany(sql, rows)
        except sqlite3.Error as exc:
            if getattr(exc, "sqlite_errorcode", None) in _BUSY:
                _busy.add(str(self.root))
            self._failed(exc)
            return False
        return True

    def __len__(self) -> int:
        db = self._db()
        try:
            return int(db.execute("SELECT count(*) FROM entries").fetchone()[0]) if db else 0
        except sqlite3.Error:
            return 0

    def prune(self) -> None:
        """Drop the least recently used entries beyond `MAX_ENTRIES` or `MAX_TOTAL_BYTES` (down to
        three quarters of either)."""
        db = self._db()
        if db is None:
            return
        try:
            count, total = db.execute("SELECT count(*), total(size) FROM entries").fetchone()
            if count <= MAX_ENTRIES and total <= MAX_TOTAL_BYTES:
                return
            with _transaction(db):
                db.execute(
                    "DELETE FROM entries WHERE key IN (SELECT key FROM (SELECT key,"
                    " row_number() OVER newest AS n, sum(size) OVER newest AS bytes FROM entries"
                    " WINDOW newest AS (ORDER BY used DESC, key ROWS UNBOUNDED PRECEDING))"
                    " WHERE n > ? OR bytes > ?)",
                    (MAX_ENTRIES * 3 // 4, MAX_TOTAL_BYTES * 3 // 4),
                )
        except sqlite3.Error as exc:
            self._failed(exc)


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")  # the write lock at once: no deadlock between two upgraders
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _initialise(db: sqlite3.Connection) -> None:
    db.execute("PRAGMA synchronous=OFF")  # a cache: losing the last writes to a crash is a miss
    if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        db.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
    for statement in _SCHEMA:
        db.execute(statement)


def _checked(body: bytes) -> str | None:
    """The text an entry's body holds, if its digest matches and it is UTF-8."""
    digest, data = body[:_DIGEST], body[_DIGEST:]
    if len(digest) != _DIGEST or hashlib.sha256(data).digest() != digest:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _drop_old_layout(root: Path) -> None:
    """Remove what the cache's earlier layout left in `root` (a file per entry, `<sha256>.fmt`,
    and the temporary files of its writers)."""
    try:
        with os.scandir(root) as entries:
            for e in entries:
                if e.name.endswith(".fmt") or e.name.startswith(".tmp-"):
                    try:
                        os.unlink(e.path)
                    except OSError:
                        pass
    except OSError:
        pass


def _damaged(exc: sqlite3.Error) -> bool:
    return getattr(exc, "sqlite_errorcode", None) in _DAMAGED


# By (process, thread, directory): the open connections, and the entries written through them.
_connections: dict[tuple[int, int, str], sqlite3.Connection] = {}
_written: dict[tuple[int, int, str], int] = {}
_busy: set[str] = set()  # directories this process no longer writes to (`FormatCache._write`)
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
