"""Files made before, reused instead of made and formatted again.

The manifest next to the output, `.codegen-manifest.json`, records for each file the hash of what
it was made from (its unformatted text, or the types module's inputs) and the hash of what was
written. A file whose source hash is unchanged and whose current content still has the recorded
hash is reused as it is (`reusable`). Without it (a new output directory, or a file whose source
changed back to an earlier one) the format cache (`codegen.format_cache`) may hold the whole
formatted file under the same source (`previously_made`). Anything else is made and formatted
again. `codegen check` never uses the manifest."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from importlib import metadata

from . import format_cache
from .sources import Source

MANIFEST = ".codegen-manifest.json"
LINE_LENGTH = 100  # black's line length for the output (`codegen.format`)


def sha(data: str | bytes) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


@functools.cache  # asked for each file; reading a package's version parses its metadata (ms)
def formatter() -> str:
    """The formatter that shapes the output (`codegen.format` runs it so, a test checks)."""
    return f"black=={metadata.version('black')};{LINE_LENGTH};py310"


def source_hash(key: str) -> str:
    """What the manifest records for a source: its key, with the formatter that shaped the file."""
    return sha(f"{formatter()}\0{key}")


def _utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def read_manifest(previous: Mapping[str, bytes]) -> dict[str, list[str]]:
    try:
        doc = json.loads(previous.get(MANIFEST, b"{}"))
    except ValueError:
        return {}
    files = doc.get("files") if isinstance(doc, dict) else None
    return files if isinstance(files, dict) else {}


def reusable(path: str, source: Source, previous: Mapping[str, bytes]) -> str | None:
    """The file of `previous` (the output as it is now) to keep for `source`, if its recorded
    source hash is unchanged and it was not edited since."""
    record = read_manifest(previous).get(path)
    current = previous.get(path)
    if (
        isinstance(record, list)
        and record[:1] == [source_hash(source.key)]
        and current is not None
        and record[1:] == [sha(current)]
    ):
        return _utf8(current)
    return None


def _whole_files() -> format_cache.FormatCache | None:
    return format_cache.from_env(f"{formatter()};whole-files-v1")


def previously_made(path: str, source: Source, previous: Mapping[str, bytes]) -> str | None:
    """The formatted file for `source` without making it: the current output's (`reusable`), or
    the format cache's for a module of this path made from the same source."""
    kept = reusable(path, source, previous)
    cache = _whole_files() if kept is None and path.endswith(".py") else None
    return cache.get(f"{path}\0{source.key}") if cache is not None else kept


def remember(path: str, source: Source, formatted: str) -> None:
    """Keep the formatted module `path` made from `source` in the format cache, if there is one."""
    cache = _whole_files() if path.endswith(".py") else None
    if cache is not None:
        cache.put(f"{path}\0{source.key}", formatted)
