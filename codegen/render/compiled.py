"""Compiled templates kept for the life of the process, keyed by each template's text.

Compiling the package's templates (jinja parses them and generates Python) costs more than
rendering them, and a process that renders many times (`codegen sync`, the tests, the benchmarks)
would compile the same text on every render. jinja hands a bytecode cache each template's source
checksum, so a template edited since (even within one tick of the file system's clock) is compiled
again: what is kept is exactly what compiling that text gives."""

from __future__ import annotations

import threading
from collections import OrderedDict
from types import CodeType

import jinja2
from jinja2.bccache import Bucket

MAX_TEMPLATES = 256  # a few template directories' worth; the least recently used go first


class CompiledTemplates(jinja2.BytecodeCache):
    """jinja's compiled code by template name, file name and source checksum, in memory.

    Share one only between environments made with the same options: they shape the code."""

    def __init__(self, max_templates: int = MAX_TEMPLATES) -> None:
        self._code: OrderedDict[str, tuple[str, CodeType]] = OrderedDict()
        self._max = max_templates
        self._lock = threading.Lock()

    def load_bytecode(self, bucket: Bucket) -> None:
        with self._lock:
            found = self._code.get(bucket.key)
            if found is not None and found[0] == bucket.checksum:
                self._code.move_to_end(bucket.key)
                bucket.code = found[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is None:
            return
        with self._lock:
            self._code[bucket.key] = (bucket.checksum, bucket.code)
            self._code.move_to_end(bucket.key)
            while len(self._code) > self._max:
                self._code.popitem(last=False)
