"""Calls whose answer is not one JSON model: nothing (``Empty``), media bytes, and uploads of bytes."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar, cast

import httpx

from ._constants import RAW_RESPONSE_HEADER
from ._exceptions import APIConnectionError, GeminiError
from ._response import APIResponse
from ._types import NOT_GIVEN, NotGiven, RequestOptions

if TYPE_CHECKING:
    import pydantic

    from ._base_client import AsyncAPIClient, SyncAPIClient

__all__ = [
    "AsyncBinaryResponse",
    "BinaryResponse",
    "async_request_empty",
    "async_request_media",
    "async_request_upload",
    "multipart_upload",
    "request_empty",
    "request_media",
    "request_upload",
]

_CHUNK = 64 * 1024
DEFAULT_MEDIA_TYPE = "application/octet-stream"
T = TypeVar("T", bound="pydantic.BaseModel")


def _is_raw(options: RequestOptions) -> bool:
    return options.extra_headers is not None and RAW_RESPONSE_HEADER in options.extra_headers


def request_empty(
    client: SyncAPIClient,
    method: str,
    path: str,
    *,
    body: Mapping[str, object] | None = None,
    query: Mapping[str, object] | None = None,
    options: RequestOptions,
) -> None:
    """Send a request whose answer is empty (``google.protobuf.Empty``); returns None."""
    response = client._send(method, path, body, query, options)
    if _is_raw(options):
        return cast(None, APIResponse(response, lambda: None))
    return None


async def async_request_empty(
    client: AsyncAPIClient,
    method: str,
    path: str,
    *,
    body: Mapping[str, object] | None = None,
    query: Mapping[str, object] | None = None,
    options: RequestOptions,
) -> None:
    """The async twin of ``request_empty``."""
    response = await client._send(method, path, body, query, options)
    if _is_raw(options):
        return cast(None, APIResponse(response, lambda: None))
    return None


def multipart_upload(
    base_url: str,
    version: str,
    path: str,
    query: Mapping[str, object] | None,
    metadata: Mapping[str, object] | None,
    media: bytes | NotGiven,
    media_type: str,
) -> tuple[str, Mapping[str, object] | None, tuple[bytes, str] | None]:
    """Path, query and raw body of an upload method: unchanged without ``media``; else the URL
    ``{base_url}upload/{version}/{path}?uploadType=multipart`` with a ``multipart/related`` body
    carrying ``metadata`` (JSON) and ``media``, in one request."""
    if isinstance(media, NotGiven):
        return path, query, None
    if not isinstance(media, (bytes, bytearray, memoryview)):
        raise TypeError(f"media must be bytes, got {type(media).__name__}")
    if not media_type or any(c in media_type for c in "\r\n"):
        raise ValueError(f"invalid media_type {media_type!r}")
    import json

    data = bytes(media)
    boundary = secrets.token_hex(16)
    while boundary.encode() in data:  # practically never: 128 random bits
        boundary = secrets.token_hex(16)
    body = b"".join(
        [
            f"--{boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n".encode(),
            json.dumps(dict(metadata or {})).encode(),
            f"\r\n--{boundary}\r\nContent-Type: {media_type}\r\n\r\n".encode(),
            data,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    return (
        f"{base_url}upload/{version}/{path}" if version else f"{base_url}upload/{path}",
        {**(query or {}), "uploadType": "multipart"},
        (body, f"multipart/related; boundary={boundary}"),
    )


def request_upload(
    client: SyncAPIClient,
    method: str,
    path: str,
    *,
    cast_to: type[T],
    body: Mapping[str, object] | None = None,
    query: Mapping[str, object] | None = None,
    media: bytes | NotGiven = NOT_GIVEN,
    media_type: str = DEFAULT_MEDIA_TYPE,
    options: RequestOptions,
) -> T:
    """Send an upload method's request: JSON metadata only, or with ``media`` bytes."""
    path, query, content = multipart_upload(
        client.base_url,
        options.api_version or client.api_version,
        path,
        query,
        body,
        media,
        media_type,
    )
    return client.request(
        method,
        path,
        cast_to=cast_to,
        body=None if content else body,
        query=query,
        options=options,
        content=content,
    )


async def async_request_upload(
    client: AsyncAPIClient,
    method: str,
    path: str,
    *,
    cast_to: type[T],
    body: Mapping[str, object] | None = None,
    query: Mapping[str, object] | None = None,
    media: bytes | NotGiven = NOT_GIVEN,
    media_type: str = DEFAULT_MEDIA_TYPE,
    options: RequestOptions,
) -> T:
    """The async twin of ``request_upload``."""
    path, query, content = multipart_upload(
        client.base_url,
        options.api_version or client.api_version,
        path,
        query,
        body,
        media,
        media_type,
    )
    return await client.request(
        method,
        path,
        cast_to=cast_to,
        body=None if content else body,
        query=query,
        options=options,
        content=content,
    )


class BinaryResponse:
    """Media bytes being downloaded: ``read()`` them, or ``write_to(path)`` chunk by chunk.

    The connection is released once the body is read to the end or on ``close()``; use it as a
    context manager when you may stop early.
    """

    def __init__(self, response: httpx.Response) -> None:
        self.http_response = response

    @property
    def content_type(self) -> str | None:
        value = self.http_response.headers.get("content-type")
        return str(value) if value is not None else None

    def iter_bytes(self, chunk_size: int = _CHUNK) -> Iterator[bytes]:
        try:
            yield from self.http_response.iter_bytes(chunk_size)
        except httpx.TransportError as err:
            raise APIConnectionError(f"download interrupted: {type(err).__name__}") from err
        except httpx.StreamError as err:
            raise GeminiError(f"download: {type(err).__name__}: {err}") from err
        finally:
            self.http_response.close()

    def read(self) -> bytes:
        """Every byte of the media."""
        return b"".join(self.iter_bytes())

    def write_to(self, file: str | os.PathLike[str]) -> int:
        """Stream the media into ``file`` (created or truncated); the number of bytes written."""
        written = 0
        with open(file, "wb") as f:
            for chunk in self.iter_bytes():
                f.write(chunk)
                written += len(chunk)
        return written

    def close(self) -> None:
        self.http_response.close()

    def __enter__(self) -> BinaryResponse:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncBinaryResponse:
    """The async twin of ``BinaryResponse``."""

    def __init__(self, response: httpx.Response) -> None:
        self.http_response = response

    @property
    def content_type(self) -> str | None:
        value = self.http_response.headers.get("content-type")
        return str(value) if value is not None else None

    async def iter_bytes(self, chunk_size: int = _CHUNK) -> AsyncIterator[bytes]:
        try:
            async for chunk in self.http_response.aiter_bytes(chunk_size):
                yield chunk
        except httpx.TransportError as err:
            raise APIConnectionError(f"download interrupted: {type(err).__name__}") from err
        except httpx.StreamError as err:
            raise GeminiError(f"download: {type(err).__name__}: {err}") from err
        finally:
            await self.http_response.aclose()

    async def read(self) -> bytes:
        """Every byte of the media."""
        return b"".join([chunk async for chunk in self.iter_bytes()])

    async def write_to(self, file: str | os.PathLike[str]) -> int:
        """Stream the media into ``file`` (created or truncated); the number of bytes written."""
        written = 0
        with open(file, "wb") as f:
            async for chunk in self.iter_bytes():
                f.write(chunk)
                written += len(chunk)
        return written

    async def close(self) -> None:
        await self.http_response.aclose()

    async def __aenter__(self) -> AsyncBinaryResponse:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


def request_media(
    client: SyncAPIClient,
    path: str,
    *,
    query: Mapping[str, object] | None = None,
    options: RequestOptions,
) -> BinaryResponse:
    """``GET path?alt=media``: the media, not yet read."""
    response = client._send(
        "GET", path, None, {**(query or {}), "alt": "media"}, options, stream=True
    )
    media = BinaryResponse(response)
    if _is_raw(options):
        return cast(BinaryResponse, APIResponse(response, lambda: media))
    return media


async def async_request_media(
    client: AsyncAPIClient,
    path: str,
    *,
    query: Mapping[str, object] | None = None,
    options: RequestOptions,
) -> AsyncBinaryResponse:
    """The async twin of ``request_media``."""
    response = await client._send(
        "GET", path, None, {**(query or {}), "alt": "media"}, options, stream=True
    )
    media = AsyncBinaryResponse(response)
    if _is_raw(options):
        return cast(AsyncBinaryResponse, APIResponse(response, lambda: media))
    return media
