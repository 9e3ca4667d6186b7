"""Format generated Python with the pinned black, in process, each file only when its source changed.

Black is the slow part of a generation (seconds on the whole API), so `format_changed` keeps a
manifest next to the output, `.codegen-manifest.json`: for each file, the hash of what it was
made from (its unformatted text, or the types module's inputs) and the hash of what was written.
A file whose source hash is unchanged and whose current content still has the recorded hash is
reused as it is; anything else is made and formatted again. `codegen check` never uses it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import metadata

import black
from black.mode import TargetVersion
from black.parsing import InvalidInput

LINE_LENGTH = 100
_MODE = black.Mode(target_versions={TargetVersion.PY310}, line_length=LINE_LENGTH)
MANIFEST = ".codegen-manifest.json"


class FormatError(Exception):
    """Generated code that black cannot parse: a generator bug, reported with the file name."""


@dataclass(frozen=True)
class Source:
    """One file to produce: `key` is what it is made from; `make` gives its unformatted text."""

    key: str
    make: Callable[[], str]


def format_text(path: str, text: str) -> str:
    if not path.endswith(".py"):
        return text
    try:
        return black.format_str(text, mode=_MODE)
    except InvalidInput as exc:
        raise FormatError(f"{path}: generated code is not valid Python: {exc}") from None


def format_files(files: dict[str, str]) -> dict[str, str]:
    return {path: format_text(path, text) for path, text in files.items()}


def _sha(data: str | bytes) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def _salt() -> str:
    return f"black=={metadata.version('black')};{LINE_LENGTH};py310\0"


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


def format_changed(sources: Mapping[str, Source], previous: Mapping[str, bytes]) -> dict[str, str]:
    """Every file of `sources`, formatted, reusing a file of `previous` (the output as it is now)
    whose source is unchanged; plus the new manifest under `MANIFEST`."""
    old = read_manifest(previous)
    salt = _salt()
    out: dict[str, str] = {}
    manifest: dict[str, list[str]] = {}
    for path in sorted(sources):
        key = _sha(salt + sources[path].key)
        record = old.get(path)
        current = previous.get(path)
        if (
            isinstance(record, list)
            and record[:1] == [key]
            and current is not None
            and record[1:] == [_sha(current)]
            and _utf8(current) is not None
        ):
            text = current.decode("utf-8")
        else:
            text = format_text(path, sources[path].make())
        out[path] = text
        manifest[path] = [key, _sha(text)]
    out[MANIFEST] = json.dumps({"files": manifest}, indent=1, sort_keys=True) + "\n"
    return out
