"""The API key is sent to the origin of ``base_url`` only, whatever a redirect says.

A request the client builds carries, as an httpx request extension, the origin its key belongs
to and the header that holds the key. httpx copies extensions onto each redirect it follows (when
the caller's own ``http_client`` has ``follow_redirects=True``), and a request hook installed on
the client's httpx client drops the key header from any request whose URL is on another origin.
httpx itself strips only ``Authorization`` on such redirects.
"""

from __future__ import annotations

import httpx

__all__ = ["ORIGIN", "guard", "origin"]

ORIGIN = "gemini_client.origin"
"""The request extension: ``(origin, key header name)``."""
_PORTS = {"http": 80, "https": 443}


def origin(url: httpx.URL) -> tuple[str, str, int | None]:
    """``(scheme, host, port)`` of ``url``, the port filled in for http and https."""
    return url.scheme, url.host, url.port or _PORTS.get(url.scheme)


def _drop_key(request: httpx.Request) -> None:
    guarded = request.extensions.get(ORIGIN)
    if guarded is not None and origin(request.url) != guarded[0]:
        request.headers.pop(guarded[1], None)


async def _adrop_key(request: httpx.Request) -> None:
    _drop_key(request)


def guard(client: httpx.Client | httpx.AsyncClient) -> None:
    """Install the hook that keeps the key on its origin into ``client`` (once)."""
    hook = _adrop_key if isinstance(client, httpx.AsyncClient) else _drop_key
    hooks = client.event_hooks
    if hook not in hooks["request"]:
        hooks["request"] = [*hooks["request"], hook]
        client.event_hooks = hooks
