"""Response bodies read with memory bounded and connections left clean.

The client decodes ``Content-Encoding`` itself (gzip, deflate) instead of letting httpx do it,
because httpx inflates each network chunk in one step: 64 KiB of a gzip or deflate bomb become
64 MiB at once, and the whole body then sits in memory twice (the chunks and their join). Here:

- each step inflates at most ``_STEP`` bytes, so memory stays bounded whatever the ratio;
- ``max_response_size`` caps what is held in memory (a JSON answer, one stream event) and the
  decoded size of a compressed body, ending in ``ResponseTooLargeError``;
- a body read whole is written into one buffer that becomes the ``bytes`` without a copy;
- a corrupt compressed body raises ``APIResponseValidationError``, not ``httpx.DecodingError``;
- a connection whose server sent bytes past the end of the answer (a ``Content-Length`` that
  lies) is closed instead of going back to the pool, where the next call would read them.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import AsyncGenerator, Generator, Iterator
from typing import Any

import httpx

from ._exceptions import APIResponseValidationError, ResponseTooLargeError

__all__ = [
    "ACCEPT_ENCODING",
    "BodyDecoder",
    "aiter_body",
    "aread_body",
    "close_later",
    "iter_body",
    "read_body",
    "running_loop",
    "too_large",
    "warn_unclosed",
]

ACCEPT_ENCODING = "gzip, deflate"
"""The encodings the client asks for: those it can inflate step by step."""
_STEP = 1 << 20
"""The most one inflating step produces."""
_WBITS = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}


class _Inflater:
    """One ``gzip`` or ``deflate`` layer, inflated at most ``_STEP`` bytes at a time."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._raw_fallback = encoding == "deflate"  # servers send raw deflate as 'deflate' too
        self._zlib = zlib.decompressobj(_WBITS[encoding])

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data:
            try:
                out = self._zlib.decompress(data, _STEP)
            except zlib.error:
                if not self._raw_fallback:
                    raise
                self._raw_fallback = False
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            self._raw_fallback = False
            data = self._zlib.unconsumed_tail
            if out:
                yield out

    def end(self) -> Iterator[bytes]:
        if not self._zlib.eof and self._zlib.unconsumed_tail == b"":
            out = self._zlib.flush()
            if out:
                yield out


class BodyDecoder:
    """Turns the raw body of ``response`` into its decoded bytes, step by step.

    ``limit`` caps the decoded total of a compressed body (``None``: no cap); ``ResponseTooLargeError``
    is raised as soon as it is passed, before more is inflated.
    """

    def __init__(self, response: httpx.Response, limit: int | None) -> None:
        self.response = response
        self.limit = limit
        self.total = 0
        encodings = [
            e.strip().lower()
            for e in response.headers.get("content-encoding", "").split(",")
            if e.strip() and e.strip().lower() != "identity"
        ]
        for encoding in encodings:
            if encoding not in _WBITS:
                raise APIResponseValidationError(
                    f"the body has Content-Encoding {encoding[:40]!r}, which the client did not "
                    f"ask for (it accepts {ACCEPT_ENCODING})",
                    response=response,
                )
        self._layers = [_Inflater(e) for e in reversed(encodings)]

    @property
    def compressed(self) -> bool:
        return bool(self._layers)

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The decoded pieces of the next raw ``data``."""
        if not self._layers:
            yield data
            return
        yield from self._counted(self._through(0, data, end=False))

    def end(self) -> Iterator[bytes]:
        """What the decoders still hold once the raw body has ended."""
        if self._layers:
            yield from self._counted(self._through(0, b"", end=True))

    def _through(self, index: int, data: bytes, *, end: bool) -> Iterator[bytes]:
        if index == len(self._layers):
            if data:
                yield data
            return
        layer = self._layers[index]
        for piece in self._guarded(layer, layer.feed(data)):
            yield from self._through(index + 1, piece, end=False)
        if end:
            for piece in self._guarded(layer, layer.end()):
                yield from self._through(index + 1, piece, end=False)
            yield from self._through(index + 1, b"", end=True)

    def _guarded(self, layer: _Inflater, pieces: Iterator[bytes]) -> Iterator[bytes]:
        try:
            yield from pieces
        except zlib.error as err:
            raise self._undecodable(layer, err) from None

    def _counted(self, pieces: Iterator[bytes]) -> Iterator[bytes]:
        for piece in pieces:
            self.total += len(piece)
            if self.limit is not None and self.total > self.limit:
                raise too_large(self.response, self.limit, "decoded ")
            yield piece

    def _undecodable(self, layer: _Inflater, err: zlib.error) -> APIResponseValidationError:
        return APIResponseValidationError(
            f"the body cannot be decoded ({layer.encoding}): {err}", response=self.response
        )


def too_large(response: httpx.Response, limit: int, what: str = "") -> ResponseTooLargeError:
    return ResponseTooLargeError(
        f"the {what}body is larger than max_response_size ({limit} bytes); raise it with "
        "Client(max_response_size=...) if the answer is expected to be this large",
        response=response,
        limit=limit,
    )


def _declared_too_large(response: httpx.Response, decoder: BodyDecoder, limit: int) -> bool:
    if decoder.compressed:
        return False
    length = response.headers.get("content-length", "")
    return length.isdigit() and int(length) > limit


def _close_if_unclean(response: httpx.Response) -> None:
    """Have the connection closed, not pooled, when the server sent more than its answer.

    httpcore keeps bytes that arrived past the end of a response in its HTTP/1.1 parser and would
    read them as the answer to the next request on that connection. Marking the exchange as
    failed makes httpcore close the connection when the response is closed (under its own lock,
    so no other thread can pick it up in between).
    """
    stream: object = response.stream
    for _ in range(6):  # httpx's stream -> transport stream -> pool stream -> connection stream
        connection = getattr(stream, "_connection", None)
        state = getattr(connection, "_h11_state", None)
        if state is not None:
            if state.trailing_data[0]:
                state.send_failed()
            return
        stream = getattr(stream, "_stream", None) or getattr(stream, "_httpcore_stream", None)
        if stream is None:
            return


def iter_body(response: httpx.Response, limit: int | None) -> Generator[bytes, None, None]:
    """The decoded body of a streamed ``response``; the response is closed at the end."""
    try:
        decoder = BodyDecoder(response, limit)
        if decoder.compressed:
            for data in response.stream:  # type: ignore[union-attr]
                yield from decoder.feed(data)
            yield from decoder.end()
        else:  # handed through as they arrive, without a generator per piece
            yield from response.stream  # type: ignore[misc]
        _close_if_unclean(response)
    finally:
        response.close()


async def aiter_body(response: httpx.Response, limit: int | None) -> AsyncGenerator[bytes, None]:
    """The async twin of ``iter_body``."""
    try:
        decoder = BodyDecoder(response, limit)
        if decoder.compressed:
            async for data in response.stream:  # type: ignore[union-attr]
                for piece in decoder.feed(data):
                    yield piece
            for piece in decoder.end():
                yield piece
        else:
            async for data in response.stream:  # type: ignore[union-attr]
                yield data
        _close_if_unclean(response)
    finally:
        await response.aclose()


def read_body(response: httpx.Response, limit: int | None) -> bytes:
    """Read the whole body of a streamed ``response`` (at most ``limit`` bytes once decoded) into
    ``response.content``, holding it once; the response is closed."""
    try:
        decoder = BodyDecoder(response, limit)
        if limit is not None and _declared_too_large(response, decoder, limit):
            raise too_large(response, limit)
        buffer = io.BytesIO()  # grows in place; getvalue() hands over its bytes without a copy
        compressed = decoder.compressed
        for data in response.stream:  # type: ignore[union-attr]
            if compressed:
                for piece in decoder.feed(data):
                    buffer.write(piece)
            else:
                buffer.write(data)
            if limit is not None and buffer.tell() > limit:
                raise too_large(response, limit)
        for piece in decoder.end():
            buffer.write(piece)
        _check_size(response, buffer, limit)
        _close_if_unclean(response)
    finally:
        response.close()
    content = buffer.getvalue()
    del buffer
    response._content = content  # what httpx's read() sets
    response.is_stream_consumed = True
    return content


async def aread_body(response: httpx.Response, limit: int | None) -> bytes:
    """The async twin of ``read_body``."""
    try:
        decoder = BodyDecoder(response, limit)
        if limit is not None and _declared_too_large(response, decoder, limit):
            raise too_large(response, limit)
        buffer = io.BytesIO()
        compressed = decoder.compressed
        async for data in response.stream:  # type: ignore[union-attr]
            if compressed:
                for piece in decoder.feed(data):
                    buffer.write(piece)
            else:
                buffer.write(data)
            if limit is not None and buffer.tell() > limit:
                raise too_large(response, limit)
        for piece in decoder.end():
            buffer.write(piece)
        _check_size(response, buffer, limit)
        _close_if_unclean(response)
    finally:
        await response.aclose()
    content = buffer.getvalue()
    del buffer
    response._content = content
    response.is_stream_consumed = True
    return content


def _check_size(response: httpx.Response, buffer: io.BytesIO, limit: int | None) -> None:
    if limit is not None and buffer.tell() > limit:
        raise too_large(response, limit)


def warn_unclosed(owner: object) -> None:
    """The ``ResourceWarning`` for a streamed answer dropped without being closed."""
    import warnings

    warnings.warn(
        f"unclosed {type(owner).__name__}: close it, use it as a context manager or read it to "
        "the end (its connection is closed now instead of going back to the pool)",
        ResourceWarning,
        source=owner,
        stacklevel=2,
    )


def running_loop() -> Any:
    """The running event loop, ``None`` outside one."""
    import asyncio

    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


_CLOSING: set[Any] = set()  # the close tasks of dropped async responses, until they are done


def close_later(loop: Any, response: httpx.Response, *iterators: Any) -> None:
    """Close a dropped async ``response`` (and the async generators reading it) on ``loop``:
    a finaliser cannot await, and the connection belongs to that loop."""

    async def close() -> None:
        for iterator in iterators:
            await iterator.aclose()
        await response.aclose()

    def spawn() -> None:
        task = loop.create_task(close())
        _CLOSING.add(task)
        task.add_done_callback(_CLOSING.discard)

    if loop is not None and not loop.is_closed():
        try:
            loop.call_soon_threadsafe(spawn)
        except RuntimeError:  # the loop closed meanwhile
            pass
