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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from codegen.discovery.load import (
    EXPECTED_NAME,
    EXPECTED_VERSION,
    Discovery,
    DiscoveryError,
    load_discovery,
    parse_discovery,
)

DEFAULT_URL = "https://generativelanguage.googleapis.com/$discovery/rest?version=v1beta"
TIMEOUT = 20.0
CACHE_NAME = "discovery.json"
META_NAME = "discovery.meta.json"


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
    headers = {"Accept": "application/json"}
    if cached is not None and cached[1]:
        headers["If-None-Match"] = cached[1]
    own = client is None
    http = client or httpx.Client(timeout=timeout, follow_redirects=True)
    try:
        response = http.get(url, headers=headers)
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
    if response.status_code == 304 and cached is not None:
        return Fetched(_parse(cached[0], f"{url} (cached copy)", name, version), True)
    if response.status_code != 200:
        phrase = response.reason_phrase or ""
        raise DiscoveryError(f"{url}: HTTP {response.status_code} {phrase}".rstrip())
    try:
        text = response.content.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise DiscoveryError(f"{url}: not UTF-8 text (byte {e.start})") from None
    disc = _parse(text, url, name, version)
    _write_cache(cache_dir, url, text, response.headers.get("etag", ""))
    return Fetched(disc, False)


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
    for start in schemas:
        chain = [start]
        node = schemas.get(start)
        while (
            isinstance(node, dict) and set(node) <= {"$ref", "id", "description"} and "$ref" in node
        ):
            target = node["$ref"]
            if not isinstance(target, str) or target not in schemas:
                break
            if target in chain:
                cycle = " -> ".join(chain[chain.index(target) :] + [target])
                raise DiscoveryError(f"{source}: $ref cycle: {cycle} (schemas.{start})")
            chain.append(target)
            node = schemas[target]


# -- the cache -----------------------------------------------------------------------------------


def _read_cache(cache_dir: Path, url: str) -> tuple[str, str] | None:
    """(text, etag) of the cached copy of `url`, or None."""
    try:
        meta = json.loads((cache_dir / META_NAME).read_text(encoding="utf-8"))
        if not isinstance(meta, dict) or meta.get("url") != url:
            return None
        text = (cache_dir / CACHE_NAME).read_text(encoding="utf-8")
    except (OSError, ValueError):
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
