"""Server-sent event streams of typed chunks (``?alt=sse``)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator
from types import TracebackType
from typing import Generic, TypeVar

import httpx
import pydantic
from httpx_sse import EventSource, ServerSentEvent, SSEError

from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    describe_validation_error,
    make_status_error,
)

__all__ = ["AsyncStream", "Stream"]

T = TypeVar("T", bound="pydantic.BaseModel")

_ERROR_EVENT = re.compile(r'\s*\{\s*"error"\s*:')


class _BaseStream(Generic[T]):
    def __init__(
        self, *, cast_to: type[T], response: httpx.Response, secret: str | None = None
    ) -> None:
        self.response = response
        """The HTTP response, for its status and headers."""
        self._cast_to = cast_to
        self._count = 0
        self._secret = secret

    def _parse(self, sse: ServerSentEvent) -> T | None:
        data = sse.data
        if not data:
            return None
        if _ERROR_EVENT.match(data):
            raise make_status_error(self.response, body=json.loads(data), secret=self._secret)
        try:
            chunk = self._cast_to.model_validate_json(data)
        except pydantic.ValidationError as err:
            raise APIResponseValidationError(
                f"stream chunk {self._count} is not a valid {self._cast_to.__name__}: "
                + describe_validation_error(err),
                response=self.response,
                body=data,
            ) from err
        self._count += 1
        return chunk

    def _translate(self, err: Exception) -> Exception:
        if isinstance(err, SSEError):
            return APIResponseValidationError(str(err), response=self.response)
        message = f"stream interrupted after {self._count} chunks: {str(err) or type(err).__name__}"
        if isinstance(err, httpx.TimeoutException):
            return APITimeoutError(message, request=self.response.request)
        return APIConnectionError(message, request=self.response.request)


class Stream(_BaseStream[T]):
    """Iterate the chunks of a streaming call; the response is closed when the iteration ends.

    ```py
    with client.models.stream_generate_content(...) as stream:
        for chunk in stream:
            ...
    ```

    A plain ``for`` loop works too: breaking out of it closes the response.
    """

    def __init__(
        self, *, cast_to: type[T], response: httpx.Response, secret: str | None = None
    ) -> None:
        super().__init__(cast_to=cast_to, response=response, secret=secret)
        self._iterator = self._iter_chunks()

    def _iter_chunks(self) -> Generator[T, None, None]:
        try:
            for sse in EventSource(self.response).iter_sse():
                chunk = self._parse(sse)
                if chunk is not None:
                    yield chunk
        except (httpx.TransportError, SSEError) as err:
            raise self._translate(err) from err
        finally:
            self.response.close()

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


class AsyncStream(_BaseStream[T]):
    """The async twin of ``Stream``; prefer ``async with`` so the response closes promptly."""

    def __init__(
        self, *, cast_to: type[T], response: httpx.Response, secret: str | None = None
    ) -> None:
        super().__init__(cast_to=cast_to, response=response, secret=secret)
        self._iterator = self._iter_chunks()

    async def _iter_chunks(self) -> AsyncGenerator[T, None]:
        try:
            async for sse in EventSource(self.response).aiter_sse():
                chunk = self._parse(sse)
                if chunk is not None:
                    yield chunk
        except (httpx.TransportError, SSEError) as err:
            raise self._translate(err) from err
        finally:
            await self.response.aclose()

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
