"""Server-sent event streams of typed chunks (``?alt=sse``).

The event parser is our own rather than httpx-sse's: httpx-sse drops an event left unfinished when
the body ends, so a stream cut mid-event would look like a clean end, and it cannot say where a
stream stopped. Here a cut stream is an error (`APIConnectionError`), `event: error` raises the
typed error, and a byte-order mark before the first event is skipped.
"""

from __future__ import annotations

import re
import time
import weakref
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Generic, TypeVar, cast

import httpx

from ._body import aiter_body, close_later, iter_body, running_loop, too_large, warn_unclosed
from ._deadline import DEADLINE, time_left
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APITimeoutError,
    decode_json,
    describe_validation_error,
    make_status_error,
    redact,
    sanitized,
    secret_forms,
)

if TYPE_CHECKING:
    import pydantic

__all__ = ["AsyncStream", "Stream"]

T = TypeVar("T", bound="pydantic.BaseModel")

_ERROR_EVENT = re.compile(r'\s*\[?\s*\{\s*"error"\s*:')
_LINE_ENDS = b"\r\n"
_BOM = b"\xef\xbb\xbf"
_DONE = "[DONE]"  # the last event of an Interactions stream: not a chunk


def _only_error(data: str) -> bool:
    """Whether ``data`` (starting ``{"error":``) is Google's error body and nothing else: an object
    with more fields (an Interactions ``error`` event has ``event_type``) is a chunk."""
    try:
        body = decode_json(data)
    except ValueError:
        return True  # reported as an unreadable error event
    return not isinstance(body, dict) or body.keys() == {"error"}


class _EventTooLarge(Exception):
    """One event (or line) grew past the parser's limit."""


def _one_data_event(chunk: bytes) -> str | None:
    """The data of ``chunk`` when it is exactly one event of one ``data`` line, the way the API
    writes each chunk (found with a few scans in C rather than line by line); else ``None``."""
    if not chunk.startswith(b"data:"):
        return None
    if chunk.endswith(b"\r\n\r\n"):
        end = len(chunk) - 4
    elif chunk.endswith(b"\n\n"):
        end = len(chunk) - 2
    else:
        return None
    if chunk.find(b"\n", 0, end) != -1 or chunk.find(b"\r", 0, end) != -1:
        return None
    start = 6 if chunk.startswith(b" ", 5) else 5
    return chunk[start:end].decode("utf-8", errors="replace")


class _EventParser:
    """An incremental ``text/event-stream`` parser (the WHATWG rules) over raw bytes.

    Lines end with CRLF, LF or a lone CR. Unlike a lenient browser it remembers whether the
    stream stopped inside an event, so a body cut short is an error rather than a quietly lost
    last chunk; an event (or line) larger than ``limit`` bytes raises ``_EventTooLarge``.
    """

    def __init__(self, limit: int | None = None) -> None:
        self._buffer = b""  # the unfinished line
        self._pending: list[bytes] = []  # more of it, not yet joined: a long line stays linear
        self._pending_size = 0
        self._first = True
        self._skip_lf = False  # the last line ended with "\r": a "\n" next belongs to it
        self._event = ""
        self._data: list[str] = []
        self._data_size = 0
        self._limit = limit

    def feed(self, chunk: bytes) -> list[tuple[str, str]]:
        """The ``(event, data)`` pairs completed by ``chunk``."""
        if self._skip_lf and chunk:
            self._skip_lf = False
            if chunk[:1] == b"\n":
                chunk = chunk[1:]
        if not (self._first or self._buffer or self._pending or self._data or self._event):
            one = _one_data_event(chunk)
            if one is not None:
                return [("message", one)]
        if not self._first and b"\n" not in chunk and b"\r" not in chunk:
            self._pending.append(chunk)  # no line ends here: nothing to parse yet
            self._pending_size += len(chunk)
            self._check_size()
            return []
        if self._buffer or self._pending:
            buffer = b"".join((self._buffer, *self._pending, chunk))
            self._pending.clear()
            self._pending_size = 0
        else:
            buffer = chunk
        if self._first:
            if len(buffer) < len(_BOM) and _BOM.startswith(buffer):
                self._buffer = buffer
                return []
            buffer = buffer.removeprefix(_BOM)
            self._first = False
        self._skip_lf = buffer.endswith(b"\r")
        lines = buffer.splitlines()  # at "\r\n", "\r" and "\n" only: the SSE line ends
        self._buffer = lines.pop() if buffer and buffer[-1] not in _LINE_ENDS else b""
        events = []
        data = self._data
        for raw in lines:
            if not raw:
                if data or self._event:
                    events.append((self._event or "message", "\n".join(data)))
                    data = self._data = []
                    self._event = ""
                self._data_size = 0
                continue
            if raw.startswith(b"data:"):  # the common line, without decoding its field name
                start = 6 if raw.startswith(b" ", 5) else 5
                data.append(raw[start:].decode("utf-8", errors="replace"))
                self._data_size += len(raw)
                continue
            name, _, text = raw.decode("utf-8", errors="replace").partition(":")
            if name == "data":  # a bare "data" line: an empty data line
                data.append(text)
                self._data_size += len(raw)
            elif name == "event":
                self._event = text.removeprefix(" ")
        self._check_size()
        return events

    def _check_size(self) -> None:
        limit = self._limit
        if limit is not None and len(self._buffer) + self._pending_size + self._data_size > limit:
            raise _EventTooLarge

    @property
    def inside_event(self) -> bool:
        """Whether the bytes so far end in the middle of a line or an event."""
        unfinished = self._buffer or any(self._pending)
        return bool(unfinished) or bool(self._data) or bool(self._event)


class _BaseStream(Generic[T]):
    def __init__(
        self,
        *,
        cast_to: type[T],
        response: httpx.Response,
        secret: str | Iterable[str] | None = None,
        deadline: float | None = None,
        limit: int | None = None,
    ) -> None:
        self.response = response
        """The HTTP response, for its status and headers."""
        self._cast_to = cast_to
        # `cast_to.model_validate_json`, looked up once: every chunk is validated with it
        self._validate = cast_to.__pydantic_validator__.validate_json
        self._count = 0
        self._secrets = secret_forms(secret) if isinstance(secret, str) else tuple(secret or ())
        self._deadline = deadline
        self._limit = limit

    def _parse(self, event: str, data: str) -> T | None:
        if event == "error" or (_ERROR_EVENT.match(data) and _only_error(data)):
            raise self._error_event(data)
        if not data or data == _DONE:
            return None
        try:
            chunk: T = self._validate(data)
        except ValueError as err:  # pydantic's ValidationError (imported only if one happens)
            import pydantic

            if not isinstance(err, pydantic.ValidationError):
                raise
            # Raised below, outside this block: the pydantic error shows the input, which may
            # echo the key, and must not be chained.
            problem = describe_validation_error(err)
        else:
            self._count += 1
            return chunk
        raise APIResponseValidationError(
            f"stream chunk {self._count} is not a valid {self._cast_to.__name__}: {problem}",
            response=self.response,
            body=redact(data, self._secrets),
        )

    def _error_event(self, data: str) -> APIError:
        try:
            body = decode_json(data)
        except ValueError:
            return APIResponseValidationError(
                f"stream error event after {self._count} chunks is not valid JSON",
                response=self.response,
                body=redact(data, self._secrets),
            )
        if isinstance(body, dict) and "error" not in body:
            body = {"error": body}
        return make_status_error(self.response, body=body, secret=self._secrets)

    def _check_content_type(self) -> None:
        content_type = self.response.headers.get("content-type", "")
        if content_type.partition(";")[0].strip().lower() != "text/event-stream":
            raise APIResponseValidationError(
                f"expected a text/event-stream response, got {content_type[:100]!r}",
                response=self.response,
            )

    def _chunks(self, parser: _EventParser, data: bytes) -> tuple[list[T], APIError | None]:
        """The chunks that ``data``, the next bytes of the body, completes, and the error of an
        event after them (raised once they have been yielded)."""
        if self._deadline is not None and time.monotonic() >= self._deadline:
            raise APITimeoutError(
                f"the call's deadline passed while streaming, after {self._count} chunks",
                request=self.response.request,
            )
        chunks: list[T] = []
        try:
            events = parser.feed(data)
        except _EventTooLarge:
            return chunks, too_large(self.response, self._limit or 0, "stream event in the ")
        try:
            for event, text in events:
                chunk = self._parse(event, text)
                if chunk is not None:
                    chunks.append(chunk)
        except APIError as err:
            return chunks, err
        return chunks, None

    def _at_end(self, parser: _EventParser) -> None:
        if parser.inside_event:
            raise APIConnectionError(
                f"stream ended in the middle of an event, after {self._count} chunks",
                request=self.response.request,
            )

    def _translate(self, err: Exception) -> APIError:
        left = time_left(self._deadline)
        if isinstance(err, httpx.TimeoutException) and left is not None and left <= 0.01:
            reason = "the call's deadline passed"
        else:
            reason = redact(str(err) or type(err).__name__, self._secrets)
        message = f"stream interrupted after {self._count} chunks: {reason}"
        cls = APITimeoutError if isinstance(err, httpx.TimeoutException) else APIConnectionError
        error = cls(message, request=self.response.request)
        error.__cause__ = sanitized(err, self._secrets)
        return error


def _sync_chunks(stream: Stream[T], response: httpx.Response) -> Generator[T, None, None]:
    """The chunks of ``stream`` (a weak proxy: a dropped ``Stream`` is freed at once and its
    finaliser closes this generator and the response)."""
    parser = _EventParser(stream._limit)
    body = iter_body(response, stream._limit)
    deadline = stream._deadline
    try:
        stream._check_content_type()
        while True:
            failure: Exception | None = None
            token = DEADLINE.set(deadline)
            try:
                data = next(body, None)
            except httpx.TransportError as err:
                failure = err
            finally:
                DEADLINE.reset(token)
            if failure is not None:
                raise stream._translate(failure)
            if data is None:
                stream._at_end(parser)
                return
            chunks, error = stream._chunks(parser, data)
            yield from chunks
            if error is not None:
                raise error
    finally:
        body.close()
        response.close()


async def _async_chunks(
    stream: AsyncStream[T], response: httpx.Response
) -> AsyncGenerator[T, None]:
    """The async twin of ``_sync_chunks``."""
    parser = _EventParser(stream._limit)
    body = aiter_body(response, stream._limit)
    deadline = stream._deadline
    try:
        stream._check_content_type()
        while True:
            failure: Exception | None = None
            data: bytes | None = None
            token = DEADLINE.set(deadline)
            try:
                data = await body.__anext__()
            except StopAsyncIteration:
                pass
            except httpx.TransportError as err:
                failure = err
            finally:
                DEADLINE.reset(token)
            if failure is not None:
                raise stream._translate(failure)
            if data is None:
                stream._at_end(parser)
                return
            chunks, error = stream._chunks(parser, data)
            for chunk in chunks:
                yield chunk
            if error is not None:
                raise error
    finally:
        await body.aclose()
        await response.aclose()


class Stream(_BaseStream[T]):
    """Iterate the chunks of a streaming call; the response is closed when the iteration ends.

    ```py
    with client.models.stream_generate_content(...) as stream:
        for chunk in stream:
            ...
    ```

    A plain ``for`` loop works too: breaking out of it closes the response. A stream dropped
    without either gives its connection back when it is garbage-collected, with a
    ``ResourceWarning``.
    """

    def __init__(
        self,
        *,
        cast_to: type[T],
        response: httpx.Response,
        secret: str | Iterable[str] | None = None,
        deadline: float | None = None,
        limit: int | None = None,
    ) -> None:
        super().__init__(
            cast_to=cast_to, response=response, secret=secret, deadline=deadline, limit=limit
        )
        self._iterator: Generator[T, None, None] = _sync_chunks(
            cast("Stream[T]", weakref.proxy(self)), response
        )

    def __iter__(self) -> Iterator[T]:
        # A generator of its own, so that leaving a `for` loop early closes it and, through
        # `yield from`, the response.
        yield from self._iterator

    def __next__(self) -> T:
        return next(self._iterator)

    def close(self) -> None:
        """Close the response; safe to call more than once."""
        self._iterator.close()
        self.response.close()

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(self) -> None:
        response = getattr(self, "response", None)  # None when __init__ failed
        if response is not None and not response.is_closed:
            warn_unclosed(self)
            self.close()


class AsyncStream(_BaseStream[T]):
    """The async twin of ``Stream``; prefer ``async with`` so the response closes promptly (a
    dropped stream's connection is closed later, on its event loop, with a ``ResourceWarning``)."""

    def __init__(
        self,
        *,
        cast_to: type[T],
        response: httpx.Response,
        secret: str | Iterable[str] | None = None,
        deadline: float | None = None,
        limit: int | None = None,
    ) -> None:
        super().__init__(
            cast_to=cast_to, response=response, secret=secret, deadline=deadline, limit=limit
        )
        self._iterator: AsyncGenerator[T, None] = _async_chunks(
            cast("AsyncStream[T]", weakref.proxy(self)), response
        )
        self._loop = running_loop()

    async def __aiter__(self) -> AsyncIterator[T]:
        try:
            async for chunk in self._iterator:
                yield chunk
        finally:
            await self.aclose()

    async def __anext__(self) -> T:
        return await self._iterator.__anext__()

    async def aclose(self) -> None:
        """Close the response; safe to call more than once."""
        await self._iterator.aclose()
        await self.response.aclose()

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __del__(self) -> None:
        response = getattr(self, "response", None)
        if response is not None and not response.is_closed:
            warn_unclosed(self)
            close_later(getattr(self, "_loop", None), response, self._iterator)
