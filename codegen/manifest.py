"""The manifest next to the output, `.codegen-manifest.json`: for each file, the hash of what it was
made from (its unformatted text, or the types module's inputs) and the hash of what was written.
A file whose source hash is unchanged and whose current content still has the recorded hash is
reused as it is (`reusable`); anything else is made and formatted again. `codegen check` never
uses it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from importlib import metadata

from .sources import Source

MANIFEST = ".codegen-manifest.json"
LINE_LENGTH = 100  # black's line length for the output (`codegen.format`)


def sha(data: str | bytes) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def source_hash(key: str) -> str:
    """What the manifest records for a source: its key, with the formatter that shaped the file."""
    return sha(f"black=={metadata.version('black')};{LINE_LENGTH};py310\0" + key)


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
