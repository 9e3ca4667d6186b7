"""What httpx does on every request, done once where the result cannot change.

- A URL (with its query) is parsed once: ``httpx.URL`` is immutable, and parsing one (a check
  of every character) costs more than the rest of building a request.
- A request is built directly when its httpx client adds nothing to it but its own headers (no
  cookies, no default query parameters, ``build_request`` not overridden): the client's headers
  are merged with the call's once, not on every request, exactly as ``build_request`` would.
- A body built from its model (``JsonBody``) is sent as the JSON pydantic wrote in one pass,
  not encoded again from the dict by ``json.dumps``.
- An answer that sets no cookie skips httpx's cookie extraction, which builds a ``urllib`` request
  and an ``email`` message per response only to find no ``Set-Cookie`` header.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import httpx

from ._utils import JsonBody

__all__ = ["RequestTemplate", "lean_cookies", "parsed_url"]

_BUILD_REQUEST = httpx.Client.build_request  # the same function on httpx.AsyncClient
_CACHED = 2048
"""The longest URL (with its query) kept parsed: the 512 kept take about a megabyte at most."""


@functools.lru_cache(maxsize=512)
def parsed_url(url: str, query: tuple[tuple[str, Any], ...] = ()) -> httpx.URL:
    """``httpx.URL(url)`` with the query parameters ``query``, parsed once per distinct URL (the
    most recent 512 are kept)."""
    return httpx.URL(url, params=query) if query else httpx.URL(url)


def _url(url: str, params: Mapping[str, Any] | None) -> tuple[httpx.URL, Mapping[str, Any] | None]:
    """The parsed URL, with ``params`` when they can be part of a cache key (else they are
    returned, for httpx to merge); a long URL is parsed afresh, not kept."""
    query = tuple(params.items()) if params else ()
    if len(url) + sum(len(k) + len(str(v)) for k, v in query) > _CACHED:
        return httpx.URL(url), params or None
    try:
        return parsed_url(url, query), None
    except TypeError:  # a list of values for a repeated parameter: not hashable
        return parsed_url(url), params


class RequestTemplate:
    """The merged headers of one set of call headers on one httpx client, reused while neither
    changes; ``None`` from ``build`` when the client adds more than headers (then the caller uses
    ``build_request``)."""

    __slots__ = ("_call_headers", "_client_headers", "_merged", "_merged_json")

    def __init__(self, call_headers: Mapping[str, str]) -> None:
        self._call_headers = call_headers
        self._client_headers: list[tuple[bytes, bytes]] | None = None
        self._merged = self._merged_json = httpx.Headers()

    def build(
        self,
        client: httpx.Client | httpx.AsyncClient,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None,
        json: object,
        timeout: dict[str, float | None],
        extensions: Mapping[str, Any],
    ) -> httpx.Request | None:
        if type(client).build_request is not _BUILD_REQUEST or client.params or client.cookies:
            return None
        raw = client.headers.raw
        if raw != self._client_headers:  # first use, or the client's headers were changed
            merged = httpx.Headers(client.headers)
            merged.update(self._call_headers)
            merged_json = merged.copy()
            merged_json.setdefault("content-type", "application/json")  # as httpx's json= does
            self._merged, self._merged_json, self._client_headers = merged, merged_json, raw
        parsed, params = _url(url, params)
        extensions = {**extensions, "timeout": timeout}
        encoded = json.encoded if type(json) is JsonBody else None
        if encoded is not None:  # a body built from its model: JSON written by pydantic
            headers = self._merged_json
            return httpx.Request(
                method,
                parsed,
                params=params,
                headers=headers,
                content=encoded,
                extensions=extensions,
            )
        return httpx.Request(
            method, parsed, params=params, headers=self._merged, json=json, extensions=extensions
        )


class _LeanCookies(httpx.Cookies):
    """httpx's cookies, extracting from an answer only when it sets one."""

    def extract_cookies(self, response: httpx.Response) -> None:
        headers = response.headers
        if "set-cookie" in headers or "set-cookie2" in headers:
            super().extract_cookies(response)


def lean_cookies(client: httpx.Client | httpx.AsyncClient) -> None:
    """Have ``client`` skip cookie extraction for answers that set none; its cookie jar stays
    the same object, so cookies set before or after behave as ever. A client whose cookies are
    not httpx's own class is left alone."""
    cookies = client.cookies
    if type(cookies) is httpx.Cookies:
        client._cookies = _LeanCookies(cookies.jar)
