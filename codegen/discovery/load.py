"""Read a Discovery document and check that it is the one we describe.

`load_discovery(source)` takes a path (a URL is accepted later, by the drift checker) and returns a
`Discovery`: the parsed dict plus its revision. Anything that is not a Discovery document of
`generativelanguage` `v1beta` raises `DiscoveryError` with a one-line reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..spec.files import Unreadable, read_regular

EXPECTED_NAME = "generativelanguage"
EXPECTED_VERSION = "v1beta"
KIND = "discovery#restDescription"
# The real document is about 330 kB; a file, a cached copy or a download (decoded) may have this much.
MAX_BYTES = 64 * 2**20
# The real document nests about 12 levels deep; deeper is refused before anything walks it.
MAX_DEPTH = 128


class DiscoveryError(Exception):
    """The document cannot be used; `str(error)` is a one-line reason naming the source."""


@dataclass(frozen=True)
class Discovery:
    doc: dict[str, Any]
    revision: str
    source: str


def load_discovery(
    source: str | Path, *, name: str = EXPECTED_NAME, version: str = EXPECTED_VERSION
) -> Discovery:
    """Read and check a Discovery document from a file path."""
    text = _read(source)
    return parse_discovery(text, source=str(source), name=name, version=version)


def parse_discovery(
    text: str,
    *,
    source: str = "<discovery>",
    name: str = EXPECTED_NAME,
    version: str = EXPECTED_VERSION,
) -> Discovery:
    """Check the text of a Discovery document; `source` only appears in error messages."""
    if not text.strip():
        raise DiscoveryError(f"{source}: empty file, expected a Discovery document")
    try:
        doc = json.loads(text)
    except RecursionError:
        raise DiscoveryError(
            f"{source}: JSON nested too deeply (more than {MAX_DEPTH} levels)"
        ) from None
    except json.JSONDecodeError as e:
        # JSON that stops early fails at its very end (or inside a string that never closes).
        if e.pos >= len(text.rstrip()) or e.msg.startswith("Unterminated string"):
            raise DiscoveryError(
                f"{source}: truncated JSON (line {e.lineno} column {e.colno}: {e.msg})"
            ) from None
        raise DiscoveryError(
            f"{source}: invalid JSON at line {e.lineno} column {e.colno}: {e.msg}"
        ) from None
    check_depth(doc, source)
    check_discovery(doc, source=source, name=name, version=version)
    return Discovery(doc=doc, revision=str(doc.get("revision", "")), source=source)


def check_discovery(
    doc: Any,
    *,
    source: str = "<discovery>",
    name: str = EXPECTED_NAME,
    version: str = EXPECTED_VERSION,
) -> None:
    """Raise `DiscoveryError` unless `doc` is a Discovery document of `name` `version`."""
    if not isinstance(doc, dict):
        raise DiscoveryError(f"{source}: expected a JSON object, found a JSON {_json_kind(doc)}")
    if doc.get("kind") != KIND or "discoveryVersion" not in doc:
        raise DiscoveryError(
            f"{source}: not a Discovery document (kind is {doc.get('kind')!r}, "
            f"expected {KIND!r}, and discoveryVersion must be present)"
        )
    if doc.get("name") != name:
        raise DiscoveryError(
            f"{source}: Discovery document of another API: {doc.get('name')!r}, expected {name!r}"
        )
    if doc.get("version") != version:
        raise DiscoveryError(
            f"{source}: Discovery document of {name} {doc.get('version')!r}, expected {version!r}"
        )
    for key in ("schemas", "resources"):
        if key not in doc:
            raise DiscoveryError(f"{source}: Discovery document has no {key!r}")
        if not isinstance(doc[key], dict):
            raise DiscoveryError(
                f"{source}: {key!r} must be a JSON object, found a JSON {_json_kind(doc[key])}"
            )
    if not isinstance(doc.get("revision", ""), str):
        raise DiscoveryError(f"{source}: 'revision' must be a string")


def check_depth(doc: Any, source: str) -> None:
    """Raise `DiscoveryError` when `doc` nests more than MAX_DEPTH levels (walked without recursion)."""
    level, depth = ([doc] if isinstance(doc, (dict, list)) else []), 1
    while level:  # one level at a time: every container is looked at once
        if depth > MAX_DEPTH:
            raise DiscoveryError(f"{source}: JSON nested too deeply (more than {MAX_DEPTH} levels)")
        below: list[Any] = []
        for node in level:
            for child in node.values() if isinstance(node, dict) else node:
                if isinstance(child, (dict, list)):
                    below.append(child)
        level, depth = below, depth + 1


def decode(data: bytes, source: str) -> str:
    """The text of a document's bytes: UTF-8, a BOM allowed."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise DiscoveryError(f"{source}: not UTF-8 text (byte {e.start})") from None


def read_document(path: Path, source: str | None = None) -> str:
    """A Discovery file's text, read with the spec files' limits (`codegen.spec.files.read_regular`):
    a regular file of at most MAX_BYTES, never a device or a FIFO."""
    shown = source or str(path)
    try:
        data = read_regular(path, MAX_BYTES)
    except Unreadable as e:
        raise DiscoveryError(f"{shown}: {e}; expected a Discovery JSON file") from None
    return decode(data, shown)


def _read(source: str | Path) -> str:
    s = str(source)
    if s.startswith(("http://", "https://")):
        raise DiscoveryError(f"{s}: reading a Discovery document from a URL is not supported yet")
    return read_document(Path(s))


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if value is None:
        return "null"
    return "object"
