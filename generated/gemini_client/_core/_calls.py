"""Calls whose answer is not one JSON model: nothing (``Empty``), media bytes, and uploads of bytes."""

from __future__ import annotations

import io
import os
import secrets
from collections.abc import AsyncIterator, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar, cast

import httpx

from ._body import aiter_body, close_later, iter_body, running_loop, warn_unclosed
from ._constants import RAW_RESPONSE_HEADER
from ._deadline import DEADLINE, time_left
from ._exceptions import APIConnectionError, APIError, APITimeoutError, redact, sanitized
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


class _Download:
    """What the sync and async downloads share: the response, the call's deadline, the cap."""

    def __init__(
        self,
        response: httpx.Response,
        *,
        deadline: float | None = None,
        limit: int | None = None,
        secret: tuple[str, ...] = (),
    ) -> None:
        self.http_response = response
        self._deadline = deadline
        self._limit = limit
        self._secrets = secret

    @property
    def content_type(self) -> str | None:
        value = self.http_response.headers.get("content-type")
        return str(value) if value is not None else None

    def _check_deadline(self, received: int) -> None:
        left = time_left(self._deadline)
        if left is not None and left <= 0:
            raise APITimeoutError(
                f"the call's deadline passed during the download, after {received} bytes",
                request=self.http_response.request,
            )

    def _interrupted(self, err: Exception, received: int) -> APIError:
        left = time_left(self._deadline)
        if isinstance(err, httpx.TimeoutException) and left is not None and left <= 0.01:
            error: APIError = APITimeoutError(
                f"the call's deadline passed during the download, after {received} bytes",
                request=self.http_response.request,
            )
        else:
            reason = redact(f"{type(err).__name__}: {err}", self._secrets)
            cls = APITimeoutError if isinstance(err, httpx.TimeoutException) else APIConnectionError
            error = cls(
                f"download interrupted after {received} bytes: {reason}",
                request=self.http_response.request,
            )
        error.__cause__ = sanitized(err, self._secrets)
        return error


class BinaryResponse(_Download):
    """Media bytes being downloaded: ``read()`` them, or ``write_to(path)`` chunk by chunk.

    Every read is bounded by the call's ``timeout`` (the deadline covers the whole body, however
    the server paces it); a compressed body may not inflate past ``max_response_size``. The
    connection is released once the body is read to the end or on ``close()``; use it as a
    context manager when you may stop early (a dropped one is closed with a ``ResourceWarning``).
    """

    def _pieces(self) -> Iterator[bytes]:
        body = iter_body(self.http_response, self._limit)
        received = 0
        try:
            while True:
                self._check_deadline(received)
                failure: Exception | None = None
                token = DEADLINE.set(self._deadline)
                try:
                    piece = next(body, None)
                except httpx.TransportError as err:
                    failure = err
                finally:
                    DEADLINE.reset(token)
                if failure is not None:
                    raise self._interrupted(failure, received)
                if piece is None:
                    return
                received += len(piece)
                yield piece
        finally:
            body.close()
            self.http_response.close()

    def iter_bytes(self, chunk_size: int = _CHUNK) -> Iterator[bytes]:
        """The media in pieces of ``chunk_size`` bytes (the last may be shorter)."""
        return _rechunk(self._pieces(), chunk_size)

    def read(self) -> bytes:
        """Every byte of the media, held once in memory."""
        buffer = io.BytesIO()  # getvalue() hands its bytes over without a copy
        for piece in self._pieces():
            buffer.write(piece)
        return buffer.getvalue()

    def write_to(self, file: str | os.PathLike[str]) -> int:
        """Stream the media into ``file`` (created or truncated); the number of bytes written."""
        written = 0
        with open(file, "wb") as f:
            for piece in self._pieces():
                f.write(piece)
                written += len(piece)
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

    def __del__(self) -> None:
        response = getattr(self, "http_response", None)
        if response is not None and not response.is_closed:
            warn_unclosed(self)
            response.close()


class AsyncBinaryResponse(_Download):
    """The async twin of ``BinaryResponse``."""

    def __init__(
        self,
        response: httpx.Response,
        *,
        deadline: float | None = None,
        limit: int | None = None,
        secret: tuple[str, ...] = (),
    ) -> None:
        super().__init__(response, deadline=deadline, limit=limit, secret=secret)
        self._loop = running_loop()

    async def _pieces(self) -> AsyncIterator[bytes]:
        body = aiter_body(self.http_response, self._limit)
        received = 0
        try:
            while True:
                self._check_deadline(received)
                failure: Exception | None = None
                piece: bytes | None = None
                token = DEADLINE.set(self._deadline)
                try:
                    piece = await body.__anext__()
                except StopAsyncIteration:
                    pass
                except httpx.TransportError as err:
                    failure = err
                finally:
                    DEADLINE.reset(token)
                if failure is not None:
                    raise self._interrupted(failure, received)
                if piece is None:
                    return
                received += len(piece)
                yield piece
        finally:
            await body.aclose()
            await self.http_response.aclose()

    async def iter_bytes(self, chunk_size: int = _CHUNK) -> AsyncIterator[bytes]:
        """The media in pieces of ``chunk_size`` bytes (the last may be shorter)."""
        buffer = bytearray()
        async for piece in self._pieces():
            buffer += piece
            while len(buffer) >= chunk_size:
                yield bytes(buffer[:chunk_size])
                del buffer[:chunk_size]
        if buffer:
            yield bytes(buffer)

    async def read(self) -> bytes:
        """Every byte of the media, held once in memory."""
        buffer = io.BytesIO()
        async for piece in self._pieces():
            buffer.write(piece)
        return buffer.getvalue()

    async def write_to(self, file: str | os.PathLike[str]) -> int:
        """Stream the media into ``file`` (created or truncated); the number of bytes written."""
        written = 0
        with open(file, "wb") as f:
            async for piece in self._pieces():
                f.write(piece)
                written += len(piece)
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

    def __del__(self) -> None:
        response = getattr(self, "http_response", None)
        if response is not None and not response.is_closed:
            warn_unclosed(self)
            close_later(getattr(self, "_loop", None), response)


def _rechunk(pieces: Iterator[bytes], size: int) -> Iterator[bytes]:
    buffer = bytearray()
    for piece in pieces:
        buffer += piece
        while len(buffer) >= size:
            yield bytes(buffer[:size])
            del buffer[:size]
    if buffer:
        yield bytes(buffer)


def request_media(
    client: SyncAPIClient,
    path: str,
    *,
    query: Mapping[str, object] | None = None,
    options: RequestOptions,
) -> BinaryResponse:
    """``GET path?alt=media``: the media, not yet read."""
    response, deadline = client._send_timed(
        "GET", path, None, {**(query or {}), "alt": "media"}, options, stream=True
    )
    media = BinaryResponse(
        response, deadline=deadline, limit=client.max_response_size, secret=client._secrets
    )
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
    response, deadline = await client._send_timed(
        "GET", path, None, {**(query or {}), "alt": "media"}, options, stream=True
    )
    media = AsyncBinaryResponse(
        response, deadline=deadline, limit=client.max_response_size, secret=client._secrets
    )
    if _is_raw(options):
        return cast(AsyncBinaryResponse, APIResponse(response, lambda: media))
    return media
