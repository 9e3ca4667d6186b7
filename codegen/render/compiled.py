"""Compiled templates kept for the life of the process, keyed by each template's text.

Compiling the package's templates (jinja parses them and generates Python) costs more than
rendering them, and a process that renders many times (`codegen sync`, the tests, the benchmarks)
would compile the same text on every render. jinja hands a bytecode cache each template's source
checksum, so a template edited since (even within one tick of the file system's clock) is compiled
again: what is kept is exactly what compiling that text gives.

`persistent`: also kept in the format cache (`codegen.format_cache`, when there is one), so that a
new `codegen` process compiles no template it compiled before: each costs as much as it takes to
render (about 0.2 s for the package's). An entry is keyed by the template's name and source, jinja's
and Python's versions and the options of the environment that compiled it; a damaged one (the
cache checks each entry's digest) or one that does not load is compiled again."""

from __future__ import annotations

import base64
import marshal
import sys
import threading
from collections import OrderedDict
from types import CodeType

import jinja2
from jinja2.bccache import Bucket

from .. import format_cache

MAX_TEMPLATES = 256  # a few template directories' worth; the least recently used go first


class CompiledTemplates(jinja2.BytecodeCache):
    """jinja's compiled code by template name, file name and source checksum, in memory.

    Share one only between environments made with the same options: they shape the code."""

    def __init__(self, max_templates: int = MAX_TEMPLATES, *, persistent: bool = False) -> None:
        self._code: OrderedDict[str, tuple[str, CodeType]] = OrderedDict()
        self._max = max_templates
        self._lock = threading.Lock()
        self._persistent = persistent

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        key, checksum = self.get_cache_key(name, filename), self.get_source_checksum(source)
        bucket = Bucket(environment, key, checksum)
        bucket.name = name  # type: ignore[attr-defined]  # for the persistent key
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        with self._lock:
            found = self._code.get(bucket.key)
            if found is not None and found[0] == bucket.checksum:
                self._code.move_to_end(bucket.key)
                bucket.code = found[1]
                return
        code = self._stored(bucket) if self._persistent else None
        if code is not None:
            bucket.code = code
            self._keep(bucket.key, bucket.checksum, code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is None:
            return
        self._keep(bucket.key, bucket.checksum, bucket.code)
        store = _store() if self._persistent else None
        if store is not None:
            text = base64.b64encode(marshal.dumps(bucket.code)).decode("ascii")
            store.put(_stored_key(bucket), text)

    def _keep(self, key: str, checksum: str, code: CodeType) -> None:
        with self._lock:
            self._code[key] = (checksum, code)
            self._code.move_to_end(key)
            while len(self._code) > self._max:
                self._code.popitem(last=False)

    def _stored(self, bucket: Bucket) -> CodeType | None:
        store = _store()
        text = store.get(_stored_key(bucket)) if store is not None else None
        if text is None:
            return None
        try:
            code = marshal.loads(base64.b64decode(text, validate=True))
        except (ValueError, EOFError, TypeError):
            return None
        return code if isinstance(code, CodeType) else None


def _store() -> format_cache.FormatCache | None:
    salt = f"compiled-templates-v1;jinja2=={jinja2.__version__};{sys.version}"
    return format_cache.from_env(salt)


# What shapes the code jinja compiles a template to, besides its text.
_OPTIONS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "is_async",
)


def _stored_key(bucket: Bucket) -> str:
    env, name = bucket.environment, getattr(bucket, "name", "")
    escape = env.autoescape(name) if callable(env.autoescape) else env.autoescape
    options = [repr(getattr(env, o)) for o in _OPTIONS]
    options += [repr(escape), repr(sorted(env.extensions)), repr(env.finalize is None)]
    return "\0".join([name, bucket.checksum, *options])
