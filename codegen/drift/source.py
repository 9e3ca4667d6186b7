"""Where the Discovery document comes from: a file, or a URL fetched with httpx and cached on disk.

The cache (`$XDG_CACHE_HOME/gemini-codegen/`, else `~/.cache/gemini-codegen/`) holds the last
document fetched (`discovery.json`) and what it was fetched from (`discovery.meta.json`: URL and
ETag). The next fetch of the same URL sends `If-None-Match`; a `304 Not Modified` reuses the cached
copy. A document is cached only once it has passed the checks. When the network is down, a cached
copy of the same URL is used with a warning; without one, the error is one line.
"""

from __future__ import annotations

import json
import os
import tempfile
import zlib
from collections.abc import Iterator
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from codegen.discovery.load import (
    EXPECTED_NAME,
    EXPECTED_VERSION,
    MAX_BYTES,
    Discovery,
    DiscoveryError,
    decode,
    load_discovery,
    parse_discovery,
    read_document,
)

DEFAULT_URL = "https://generativelanguage.googleapis.com/$discovery/rest?version=v1beta"
TIMEOUT = 20.0
CACHE_NAME = "discovery.json"
META_NAME = "discovery.meta.json"
_PIECE = 2**20  # most bytes inflated from a compressed body at a time


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gemini-codegen"


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


@dataclass(frozen=True)
class Fetched:
    discovery: Discovery
    from_cache: bool  # True: 304, or offline and the cached copy was used
    note: str = ""  # one line for stderr ("offline: using the cached copy ...")


def read_source(
    source: str,
    *,
    cache_dir: Path | None = None,
    client: httpx.Client | None = None,
    warn: Callable[[str], None] | None = None,
    name: str = EXPECTED_NAME,
    version: str = EXPECTED_VERSION,
) -> Discovery:
    """A checked Discovery document of API `name` `version` from a path or URL.

    Raises `DiscoveryError` (one line) for anything else."""
    if not is_url(source):
        disc = load_discovery(source, name=name, version=version)
        check_refs(disc.doc, disc.source)
        return disc
    fetched = fetch(
        source,
        cache_dir=cache_dir or default_cache_dir(),
        client=client,
        name=name,
        version=version,
    )
    if fetched.note and warn is not None:
        warn(fetched.note)
    return fetched.discovery


def fetch(
    url: str,
    *,
    cache_dir: Path,
    client: httpx.Client | None = None,
    timeout: float = TIMEOUT,
    name: str = EXPECTED_NAME,
    version: str = EXPECTED_VERSION,
) -> Fetched:
    """GET the document, with `If-None-Match` when the cache holds a copy of the same URL."""
    cached = _read_cache(cache_dir, url)
    headers = {"Accept": "application/json", "Accept-Encoding": "gzip, deflate"}
    if cached is not None and cached[1]:
        headers["If-None-Match"] = cached[1]
    own = client is None
    http = client or httpx.Client(timeout=timeout, follow_redirects=True)
    try:
        with http.stream("GET", url, headers=headers) as response:
            status, phrase = response.status_code, response.reason_phrase or ""
            body = _read_body(response, url) if status == 200 else b""
            etag = response.headers.get("etag", "")
    except httpx.InvalidURL as e:
        raise DiscoveryError(f"{url}: invalid URL ({_one_line(str(e))})") from None
    except httpx.HTTPError as e:  # offline, DNS, timeout, TLS...
        reason = _one_line(str(e)) or type(e).__name__
        if cached is not None:
            disc = _parse(cached[0], f"{url} (cached copy)", name, version)
            return Fetched(
                disc,
                True,
                f"warning: cannot reach {url} ({reason}); using the cached copy, revision {disc.revision}",
            )
        raise DiscoveryError(
            f"{url}: cannot fetch ({reason}) and there is no cached copy"
        ) from None
    finally:
        if own:
            http.close()
    if status == 304 and cached is not None:
        return Fetched(_parse(cached[0], f"{url} (cached copy)", name, version), True)
    if status != 200:
        raise DiscoveryError(f"{url}: HTTP {status} {phrase}".rstrip())
    text = decode(body, url)
    disc = _parse(text, url, name, version)
    _write_cache(cache_dir, url, text, etag)
    return Fetched(disc, False)


def _read_body(response: httpx.Response, url: str) -> bytes:
    """The decoded body, at most MAX_BYTES of it: a gzip or deflate bomb is stopped as it inflates,
    with no more than MAX_BYTES (plus one network chunk) in memory."""
    if response.is_stream_consumed:  # an in-memory response (httpx.MockTransport): already decoded
        pieces: Iterator[bytes] = iter([response.content])
    else:
        pieces = _decoded(response.iter_raw(), response.headers.get("content-encoding", ""), url)
    body = bytearray()
    for piece in pieces:
        body += piece
        if len(body) > MAX_BYTES:
            raise DiscoveryError(
                f"{url}: the document is larger than {MAX_BYTES // 2**20} MB once decoded"
            )
    return bytes(body)


def _decoded(raw: Iterator[bytes], encoding: str, url: str) -> Iterator[bytes]:
    """The bytes of `raw` decoded by its Content-Encoding, inflated at most `_PIECE` at a time."""
    codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        yield from raw
        return
    if len(codings) > 1 or codings[0] not in ("gzip", "x-gzip", "deflate"):
        raise DiscoveryError(f"{url}: unsupported Content-Encoding {encoding!r}")
    wbits = zlib.MAX_WBITS | 16 if codings[0] != "deflate" else zlib.MAX_WBITS
    inflater, first = zlib.decompressobj(wbits), True
    try:
        for chunk in raw:
            data = chunk
            while data:
                try:
                    piece = inflater.decompress(data, _PIECE)
                except zlib.error:
                    if not (first and wbits == zlib.MAX_WBITS):
                        raise
                    inflater, wbits = zlib.decompressobj(-zlib.MAX_WBITS), -zlib.MAX_WBITS
                    continue  # raw deflate, as some servers send it
                first = False
                yield piece
                data = inflater.unconsumed_tail
        if not inflater.eof:
            raise DiscoveryError(f"{url}: truncated {codings[0]} body")
    except zlib.error as e:
        raise DiscoveryError(f"{url}: corrupt {codings[0]} body ({e})") from None


def _parse(text: str, source: str, name: str, version: str) -> Discovery:
    disc = parse_discovery(text, source=source, name=name, version=version)
    check_refs(disc.doc, source)
    return disc


def check_refs(doc: dict[str, Any], source: str) -> None:
    """Refuse a schema that is only a `$ref` to itself through other such schemas (A -> B -> A).

    A type that contains itself through a field (`Schema.items: Schema`) is fine; an alias cycle
    describes no type at all.
    """
    schemas = doc.get("schemas") or {}
    done: set[str] = set()  # schemas whose alias chain is known to end: each is walked once
    for start in schemas:
        chain: list[str] = []
        on_chain: dict[str, int] = {}
        name: Any = start
        while name in schemas and name not in done:
            if name in on_chain:
                cycle = " -> ".join([*chain[on_chain[name] :], name])
                raise DiscoveryError(f"{source}: $ref cycle: {cycle} (schemas.{start})")
            on_chain[name] = len(chain)
            chain.append(name)
            node = schemas[name]
            if not (
                isinstance(node, dict)
                and set(node) <= {"$ref", "id", "description"}
                and isinstance(node.get("$ref"), str)
            ):
                break
            name = node["$ref"]
        done.update(chain)


# -- the cache -----------------------------------------------------------------------------------


def _read_cache(cache_dir: Path, url: str) -> tuple[str, str] | None:
    """(text, etag) of the cached copy of `url`, or None."""
    try:
        meta = json.loads(read_document(cache_dir / META_NAME))
        if not isinstance(meta, dict) or meta.get("url") != url:
            return None
        text = read_document(cache_dir / CACHE_NAME)
    except (DiscoveryError, ValueError):
        return None
    etag = meta.get("etag")
    return text, etag if isinstance(etag, str) else ""


def _write_cache(cache_dir: Path, url: str, text: str, etag: str) -> None:
    """Best effort: a cache that cannot be written is no reason to fail the check."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        _atomic_write(cache_dir / CACHE_NAME, text)
        _atomic_write(cache_dir / META_NAME, json.dumps({"url": url, "etag": etag}) + "\n")
    except OSError:
        pass


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _one_line(text: str) -> str:
    return " ".join(text.split())
