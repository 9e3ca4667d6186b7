"""Google's resumable upload protocol, sync and async, on the client's transport, retries and errors.

```
POST {url}           X-Goog-Upload-Command: start     -> X-Goog-Upload-URL
POST {upload url}    X-Goog-Upload-Command: upload, finalize   X-Goog-Upload-Offset: 0  (the rest)
```

The bytes go in one streamed request, read from the source ``_PIECE`` bytes at a time as the
connection takes them (no server round trip per chunk; memory bounded by one piece). With a
``chunk_size`` they go in requests of that many bytes (``upload``), the last one finalizing.
After a dropped connection or a retryable status the client asks the server how much it kept
(``X-Goog-Upload-Command: query`` -> ``X-Goog-Upload-Size-Received``) and resumes from there, so
no byte is sent twice once the server has it.

Every request goes through the client's machinery: its retry policy (``_status_failure``,
``_transport_failure``: each step may be sent again, since the client asks before resending), its
typed and redacted errors, and a deadline set on every socket operation, which starts again
whenever the connection takes another piece or the server confirms more bytes (``timeout``
bounds the time without progress). A request carrying bytes sends no ``X-Server-Timeout``: its
deadline moves as the bytes go out, so no fixed time is true for it.

One protocol (``_Upload.steps``, a generator of requests and sleeps) is run by a sync and an async
driver (the async one on the pool of the running event loop).
"""

from __future__ import annotations

import io
import mimetypes
import os
import time
from collections.abc import AsyncIterator, Callable, Generator, Iterator, Mapping
from contextlib import contextmanager
from typing import IO, Any, NamedTuple, TypeAlias, TypeVar, Union

import httpx
import pydantic

from ._base_client import (
    AsyncAPIClient,
    SyncAPIClient,
    _check_timeout,
    _httpx_timeout,
    _merge_headers,
    _parse,
    _tell_server,
)
from ._body import aread_body, read_body
from ._constants import RAW_RESPONSE_HEADER
from ._deadline import DEADLINE, clamp_phases, enforce
from ._exceptions import APIError, ClientClosedError, redact
from ._origin import origin
from ._types import NotGiven, RequestOptions

__all__ = [
    "ProgressCallback",
    "UploadError",
    "UploadSource",
    "async_upload",
    "guess_mime_type",
    "upload",
]

T = TypeVar("T", bound="pydantic.BaseModel")

UploadSource: TypeAlias = Union[str, "os.PathLike[str]", bytes, IO[bytes]]
"""A path, the bytes themselves, or a binary file object that can seek."""
ProgressCallback: TypeAlias = Callable[[int, int], object]
"""Called as ``on_progress(bytes_sent, total_bytes)`` as the bytes go out (at most every
``_PIECE``), after a resume with what the server kept (lower than the call before when bytes were
lost), and once the server confirms the whole upload (both equal)."""

_PIECE = 256 * 1024
"""The bytes are read and sent this much at a time: no request ever holds more. Each read from the
source is a pause in what the connection is given; at 256 KiB (about 50 us from the page cache)
the socket's buffer covers it, so a fast receiver never waits, while 1 MiB pieces (200 us and
more) left a loopback server idle after every piece, and 64 KiB ones cost twice the CPU."""

_STATUS = "x-goog-upload-status"
_EXTRA_MIME_TYPES = {".jsonl": "application/jsonl", ".wav": "audio/wav", ".heif": "image/heif"}
_mime_table: mimetypes.MimeTypes | None = None

_Outcome: TypeAlias = "httpx.Response | httpx.TransportError"
_Steps: TypeAlias = "Generator[_Send | float, Any, httpx.Response]"
"""Yields a request to send (sent back: its ``_Outcome``) or a delay in seconds (sent back:
``None``)."""


class UploadError(APIError):
    """The upload server broke the protocol (e.g. claims bytes the client never sent)."""


def guess_mime_type(name: str) -> str:
    """The MIME type of a file name, from Python's own table (the same on every machine)."""
    global _mime_table
    if _mime_table is None:
        _mime_table = mimetypes.MimeTypes()
    suffix = os.path.splitext(name)[1].lower()
    guessed = _EXTRA_MIME_TYPES.get(suffix) or _mime_table.guess_type(name, strict=False)[0]
    if guessed is None:
        raise ValueError(
            f"cannot guess the MIME type of {os.path.basename(name)!r}: pass mime_type="
        )
    return guessed


class _Source:
    """Random access to the bytes being uploaded: ``read(offset, n)``. A file is sought only when
    the read does not follow the one before (after a resume) or its position is not where the last
    read left it (the caller used the file meanwhile): one seek per upload, not per piece."""

    def __init__(self, file: IO[bytes] | bytes) -> None:
        self._file = file
        self._next: int | None = None
        """The offset the file is at, after the last read."""
        if isinstance(file, bytes):
            self._start, self.size = 0, len(file)
            return
        if not file.seekable():
            raise ValueError(
                "the file object must be seekable (the upload resumes from any offset)"
            )
        self._start = file.tell()
        self.size = file.seek(0, io.SEEK_END) - self._start

    def read(self, offset: int, n: int) -> bytes:
        if isinstance(self._file, bytes):
            return self._file[offset : offset + n]
        if offset != self._next or self._file.tell() != self._start + offset:
            self._file.seek(self._start + offset)  # a resume, or the caller moved the file
        data = self._file.read(n)
        if len(data) != n:
            raise ValueError(f"the file changed during the upload: {offset + len(data)} bytes")
        self._next = offset + n
        return data


async def _async_pieces(pieces: Iterator[bytes]) -> AsyncIterator[bytes]:
    for piece in pieces:
        yield piece


@contextmanager
def _open(file: UploadSource, mime_type: str | None) -> Iterator[tuple[_Source, str]]:
    """The source and its MIME type; a path is opened here and closed afterwards."""
    name = file if isinstance(file, (str, os.PathLike)) else getattr(file, "name", None)
    if mime_type is None:
        if not isinstance(name, (str, os.PathLike)):
            raise ValueError(
                "cannot guess the MIME type of bytes or an unnamed file: pass mime_type="
            )
        mime_type = guess_mime_type(os.fspath(name))
    if "/" not in mime_type or any(c in mime_type for c in "\r\n"):
        raise ValueError(f"not a MIME type: {mime_type!r}")
    if isinstance(file, (str, os.PathLike)):
        with open(file, "rb") as opened:
            yield _Source(opened), mime_type
    else:
        yield _Source(file), mime_type


def _int_header(response: httpx.Response, name: str) -> int | None:
    value = response.headers.get(name, "")
    return int(value) if value.isascii() and value.isdigit() else None


class _Send(NamedTuple):
    """One request to send, within ``deadline``, as try number ``attempt + 1``; ``carries``: its
    body is the upload's bytes (the deadline moves as they go out)."""

    request: httpx.Request
    deadline: float | None
    attempt: int
    carries: bool = False


class _Upload:
    """The protocol, without I/O: ``steps()`` yields requests to send and delays to sleep.

    The call's ``timeout`` bounds the time without progress: the deadline starts with the start
    request and starts again whenever the connection takes another piece or the server confirms
    more bytes, so a stalled upload ends within ``timeout`` while a long one that keeps going is
    never cut off. ``deadline`` is the running one (the body's pieces move it).
    """

    def __init__(
        self,
        client: SyncAPIClient | AsyncAPIClient,
        path: str,
        source: _Source,
        mime_type: str,
        metadata: Mapping[str, object],
        chunk_size: int | None,
        on_progress: ProgressCallback | None,
        options: RequestOptions,
    ) -> None:
        if chunk_size is not None and chunk_size <= 0:
            raise ValueError("chunk_size must be > 0 (or None: the whole file in one request)")
        self.client = client
        self.path = path
        self.source = source
        self.mime_type = mime_type
        self.metadata = metadata
        self.chunk_size = chunk_size
        self.on_progress = on_progress
        self.options = options
        if isinstance(options.timeout, NotGiven):
            self.timeout, self.phases = client.timeout, client._phases
        else:
            self.timeout = _check_timeout(options.timeout)
            self.phases = _httpx_timeout(self.timeout)
        self.is_async = isinstance(client, AsyncAPIClient)
        self.deadline: float | None = None
        self.read_to = 0
        """The furthest offset read from the source: the server cannot have more."""

    def _deadline(self) -> float | None:
        return time.monotonic() + self.timeout if isinstance(self.timeout, float) else None

    def _pieces(self, offset: int, end: int) -> Iterator[bytes]:
        """Bytes ``offset`` to ``end``, read a piece at a time as the request sends them. Once
        the connection has taken a piece, the deadline starts again and progress is reported."""
        while offset < end:
            piece = self.source.read(offset, min(_PIECE, end - offset))
            self.read_to = max(self.read_to, offset + len(piece))
            yield piece
            offset += len(piece)
            if self.deadline is not None:
                self.deadline = self._deadline()
                DEADLINE.set(self.deadline)
            if offset < self.source.size:  # the whole size is reported once the server has it
                self._progress(offset)

    def steps(self) -> _Steps:
        size = self.source.size
        start, deadline = self._start_request(size)
        response = yield from self._retrying(lambda: start, deadline)
        location = response.headers.get("x-goog-upload-url")
        if not location:
            raise UploadError("the upload start answer has no X-Goog-Upload-URL", response=response)
        url = httpx.URL(self.client.base_url).join(location)
        if origin(url) != self.client._origin:
            raise UploadError(
                f"the upload URL the server gave, {redact(str(url))[:200]!r}, is not on the API's "
                f"origin {self.client.base_url!r}: refused (the API key is sent there only)",
                response=response,
            )
        headers = self._chunk_headers()
        chunk = self.chunk_size or size  # None: the rest in one request
        granularity = _int_header(response, "x-goog-upload-chunk-granularity")
        if self.chunk_size and granularity:  # every request but the last: a multiple of it
            chunk = max(granularity, chunk // granularity * granularity)
        offset = 0
        confirmed = 0  # the most the server has ever confirmed: only going past it resets failures
        failures = 0
        self.deadline = self._deadline()
        while True:
            end = min(offset + chunk, size)
            final = end == size
            pieces = self._pieces(offset, end)
            request = self.client._httpx().build_request(
                "POST",
                url,
                headers={
                    **headers,
                    "x-goog-upload-command": "upload, finalize" if final else "upload",
                    "x-goog-upload-offset": str(offset),
                    "content-length": str(end - offset),
                },
                content=_async_pieces(pieces) if self.is_async else pieces,
                timeout=self.phases,
                extensions=self.client._guard,
            )
            outcome: _Outcome = yield _Send(request, self.deadline, failures, carries=True)
            if isinstance(outcome, httpx.Response) and outcome.is_success:
                status = outcome.headers.get(_STATUS)
                if status != ("final" if final else "active"):
                    raise UploadError(
                        f"upload answered X-Goog-Upload-Status {status!r} at offset {end} of {size}",
                        response=outcome,
                    )
                if final:
                    self._progress(size)
                    return outcome
                offset = confirmed = end
                failures, self.deadline = 0, self._deadline()
                continue
            yield self._delay_or_raise(failures, request, outcome, self.deadline)
            failures += 1
            answer = yield from self._retrying(lambda: self._query(url, headers), self.deadline)
            status = answer.headers.get(_STATUS)
            if status == "final" and final:  # the last bytes arrived; only the answer was lost
                self._progress(size)
                return answer
            received = _int_header(answer, "x-goog-upload-size-received")
            if status != "active" or received is None or received > self.read_to:
                raise UploadError(
                    f"upload query answered status {status!r} and {received} bytes received,"
                    f" but the client has sent at most {self.read_to} of {size}",
                    response=answer,
                )
            if received > confirmed:
                confirmed, failures, self.deadline = received, 0, self._deadline()
            offset = received
            self._progress(offset)

    def _start_request(self, size: int) -> tuple[httpx.Request, float | None]:
        headers = {
            **(self.options.extra_headers or {}),
            "x-goog-upload-protocol": "resumable",
            "x-goog-upload-command": "start",
            "x-goog-upload-header-content-length": str(size),
            "x-goog-upload-header-content-type": self.mime_type,
        }
        options = RequestOptions(
            extra_headers=headers,
            extra_query=self.options.extra_query,
            timeout=self.options.timeout,
        )
        return self.client._build_request("POST", self.path, self.metadata, None, options)

    def _chunk_headers(self) -> dict[str, str]:
        """The client's headers with the call's extra headers."""
        headers = _merge_headers(self.client._headers, self.options.extra_headers or {})
        headers.pop(RAW_RESPONSE_HEADER, None)
        return headers

    def _query(self, url: httpx.URL, headers: Mapping[str, str]) -> httpx.Request:
        return self.client._httpx().build_request(
            "POST",
            url,
            headers={**headers, "x-goog-upload-command": "query"},
            timeout=self.phases,
            extensions=self.client._guard,
        )

    def _retrying(self, build: Callable[[], httpx.Request], deadline: float | None) -> _Steps:
        """Send ``build()`` with the client's retry policy, within ``deadline``; the 2xx answer."""
        attempt = 0
        while True:
            request = build()
            outcome: _Outcome = yield _Send(request, deadline, attempt)
            if isinstance(outcome, httpx.Response) and outcome.is_success:
                return outcome
            yield self._delay_or_raise(attempt, request, outcome, deadline)
            attempt += 1

    def _delay_or_raise(
        self, attempt: int, request: httpx.Request, outcome: _Outcome, deadline: float | None
    ) -> float:
        """The delay before retrying after a failed ``outcome`` (the runtime's policy; every step
        may be sent again, since the client asks what the server kept before resending), or
        raises the typed error."""
        if isinstance(outcome, httpx.Response):
            return self.client._status_failure(attempt, outcome, deadline)
        return self.client._transport_failure(attempt, request, outcome, deadline, replayable=True)

    def _progress(self, offset: int) -> None:
        if self.on_progress is not None:
            self.on_progress(offset, self.source.size)


def _announce(step: _Send) -> None:
    """Cut ``step``'s phase timeouts to its deadline; tell the server the time left unless the
    request carries bytes (its deadline moves as they go out, so no fixed time is true)."""
    if step.carries:
        clamp_phases(step.request, step.deadline)
    else:
        _tell_server(step.request, step.deadline)


def _sent(client: SyncAPIClient, step: _Send) -> _Outcome:
    """The answer to ``step`` (read within its deadline, as its body moved it) or the transport
    error."""
    if client._client.is_closed:
        raise ClientClosedError("the client is closed: create a new one")
    _announce(step)
    token = DEADLINE.set(step.deadline)
    try:
        response = client._client.send(step.request, stream=True)
        enforce(client._client, response, DEADLINE.get())
        read_body(response, client.max_response_size)
    except httpx.TransportError as err:
        return err
    except httpx.TooManyRedirects as err:
        raise client._redirect_loop(step.request, err) from None
    finally:
        DEADLINE.reset(token)
    client._log_response(step.request, response, step.attempt)
    return response


async def _async_sent(client: AsyncAPIClient, step: _Send) -> _Outcome:
    """The async twin of ``_sent``, on the pool of the running event loop."""
    http = client._http.get()
    _announce(step)
    token = DEADLINE.set(step.deadline)
    try:
        response = await http.send(step.request, stream=True)
        enforce(http, response, DEADLINE.get())
        await aread_body(response, client.max_response_size)
    except httpx.TransportError as err:
        return err
    except httpx.TooManyRedirects as err:
        raise client._redirect_loop(step.request, err) from None
    finally:
        DEADLINE.reset(token)
    client._log_response(step.request, response, step.attempt)
    return response


def upload(
    client: SyncAPIClient,
    path: str,
    *,
    cast_to: type[T],
    file: UploadSource,
    mime_type: str | None = None,
    metadata: Mapping[str, object],
    chunk_size: int | None = None,
    on_progress: ProgressCallback | None = None,
    options: RequestOptions,
) -> T:
    """Upload ``file`` to ``path`` (``upload/v1beta/files``, under the client's base URL, or a
    full URL) and parse the final answer. ``chunk_size``: bytes per request (default: the whole
    file in one streamed request, the fastest)."""
    with _open(file, mime_type) as (source, mime):
        steps = _Upload(
            client, path, source, mime, metadata, chunk_size, on_progress, options
        ).steps()
        outcome: _Outcome | None = None
        try:
            while True:
                step = steps.send(outcome)
                if isinstance(step, _Send):
                    outcome = _sent(client, step)
                else:
                    client._sleep(step)
                    outcome = None
        except StopIteration as done:
            return _parse(cast_to, done.value, client._secrets)
        finally:
            steps.close()


async def async_upload(
    client: AsyncAPIClient,
    path: str,
    *,
    cast_to: type[T],
    file: UploadSource,
    mime_type: str | None = None,
    metadata: Mapping[str, object],
    chunk_size: int | None = None,
    on_progress: ProgressCallback | None = None,
    options: RequestOptions,
) -> T:
    """The async twin of ``upload`` (the file is read in the event loop, one piece at a time)."""
    with _open(file, mime_type) as (source, mime):
        steps = _Upload(
            client, path, source, mime, metadata, chunk_size, on_progress, options
        ).steps()
        outcome: _Outcome | None = None
        try:
            while True:
                step = steps.send(outcome)
                if isinstance(step, _Send):
                    outcome = await _async_sent(client, step)
                else:
                    await client._sleep(step)
                    outcome = None
        except StopIteration as done:
            return _parse(cast_to, done.value, client._secrets)
        finally:
            steps.close()
