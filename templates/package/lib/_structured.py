"""Structured output: `generation_config={"response_schema": MyModel}` and `resp.parsed`.

The generated `GenerationConfig` turns a Python type given as `response_schema` into
`responseJsonSchema` (and remembers it as `response_type`); here `generate_content` validates the answer's text into
that type. A text that does not validate raises `StructuredOutputError`, holding the text.

On stream chunks (`stream_generate_content`, `chat.send_message_stream`) `.parsed` is what
google-genai gives: the chunk's own text validated when it validates on its own, else `None`,
never an error, since a chunk usually holds a piece of the JSON. For the whole answer parsed,
join the chunks' `.text` and `parse_as` it, or make the call without streaming.
"""

from __future__ import annotations

import enum
import functools
import json
from collections.abc import AsyncGenerator, Callable, Coroutine, Generator, Mapping
from typing import Any, Concatenate, ParamSpec, TypeAlias, TypeVar

import pydantic

from .. import types
from .._core import AsyncStream, GeminiError, Stream
from ..types._bases import parse_as
from ..types._contents import is_python_type

__all__ = [
    "StructuredOutputError",
    "parses",
    "parses_async",
    "parses_stream",
    "parses_stream_async",
]

P = ParamSpec("P")
S = TypeVar("S")


class StructuredOutputError(GeminiError):
    """The model's answer is not valid for the requested `response_schema`."""

    def __init__(
        self, text: str, response: types.GenerateContentResponse, error: pydantic.ValidationError
    ) -> None:
        super().__init__(f"the answer does not validate as the response_schema: {error}")
        self.text = text
        self.response = response
        self.error = error


def _response_type(kwargs: dict[str, Any]) -> Any:
    """The Python type asked for as `generation_config.response_schema`, if any."""
    config = kwargs.get("generation_config")
    if isinstance(config, types.GenerationConfig):
        return config.response_type
    if not isinstance(config, Mapping):
        return None
    return next(
        (config[k] for k in ("response_schema", "responseSchema") if is_python_type(config.get(k))),
        None,
    )


def _parse(python_type: Any, text: str) -> Any:
    """`text` as `python_type`: JSON, or for an enum the plain value `text/x.enum` answers."""
    if isinstance(python_type, type) and issubclass(python_type, enum.Enum):
        plain = text.strip()
        if not plain.startswith('"'):
            return parse_as(python_type, json.dumps(plain))
    return parse_as(python_type, text)


def attach_parsed(resp: types.GenerateContentResponse, python_type: Any) -> None:
    """Set `resp.parsed` to its text validated as `python_type` (no text: `None`).

    A raw response (`with_raw_response`) passes through: its `.parse()` gives the model.
    """
    if python_type is None or not isinstance(resp, types.GenerateContentResponse):
        return
    text = resp.text
    if text is None:
        return
    try:
        resp._parsed = _parse(python_type, text)
    except pydantic.ValidationError as exc:
        raise StructuredOutputError(text, resp, exc) from None


def parses(
    fn: Callable[Concatenate[S, P], types.GenerateContentResponse],
) -> Callable[Concatenate[S, P], types.GenerateContentResponse]:
    """`fn` (a generated `generate_content`) setting `.parsed` on what it returns."""

    @functools.wraps(fn)
    def wrapper(self: S, /, *args: P.args, **kwargs: P.kwargs) -> types.GenerateContentResponse:
        python_type = _response_type(kwargs)
        resp = fn(self, *args, **kwargs)
        attach_parsed(resp, python_type)
        return resp

    return wrapper


def parses_async(
    fn: Callable[Concatenate[S, P], Coroutine[Any, Any, types.GenerateContentResponse]],
) -> Callable[Concatenate[S, P], Coroutine[Any, Any, types.GenerateContentResponse]]:
    """`parses` for the async `generate_content`."""

    @functools.wraps(fn)
    async def wrapper(
        self: S, /, *args: P.args, **kwargs: P.kwargs
    ) -> types.GenerateContentResponse:
        python_type = _response_type(kwargs)
        resp = await fn(self, *args, **kwargs)
        attach_parsed(resp, python_type)
        return resp

    return wrapper


def _attach_if_valid(chunk: types.GenerateContentResponse, python_type: Any) -> None:
    """Set a stream chunk's `.parsed` when its own text validates as `python_type`."""
    text = chunk.text
    if text is not None:
        try:
            chunk._parsed = parse_as(python_type, text)
        except pydantic.ValidationError:
            pass  # a piece of the answer: no value of its own


Chunks: TypeAlias = "Generator[types.GenerateContentResponse, None, None]"
AsyncChunks: TypeAlias = "AsyncGenerator[types.GenerateContentResponse, None]"


def _chunks_parsed(chunks: Chunks, python_type: Any) -> Chunks:
    try:
        for chunk in chunks:
            _attach_if_valid(chunk, python_type)
            yield chunk
    finally:
        chunks.close()  # leaving early closes the stream's own generator, so its response


async def _achunks_parsed(chunks: AsyncChunks, python_type: Any) -> AsyncChunks:
    try:
        async for chunk in chunks:
            _attach_if_valid(chunk, python_type)
            yield chunk
    finally:
        await chunks.aclose()


def parses_stream(
    fn: Callable[Concatenate[S, P], Stream[types.GenerateContentResponse]],
) -> Callable[Concatenate[S, P], Stream[types.GenerateContentResponse]]:
    """`fn` (a generated `stream_generate_content`) setting `.parsed` on the chunks it yields."""

    @functools.wraps(fn)
    def wrapper(
        self: S, /, *args: P.args, **kwargs: P.kwargs
    ) -> Stream[types.GenerateContentResponse]:
        python_type = _response_type(kwargs)
        stream = fn(self, *args, **kwargs)
        if python_type is not None and isinstance(stream, Stream):
            stream._iterator = _chunks_parsed(stream._iterator, python_type)
        return stream

    return wrapper


def parses_stream_async(
    fn: Callable[
        Concatenate[S, P], Coroutine[Any, Any, AsyncStream[types.GenerateContentResponse]]
    ],
) -> Callable[Concatenate[S, P], Coroutine[Any, Any, AsyncStream[types.GenerateContentResponse]]]:
    """`parses_stream` for the async `stream_generate_content`."""

    @functools.wraps(fn)
    async def wrapper(
        self: S, /, *args: P.args, **kwargs: P.kwargs
    ) -> AsyncStream[types.GenerateContentResponse]:
        python_type = _response_type(kwargs)
        stream = await fn(self, *args, **kwargs)
        if python_type is not None and isinstance(stream, AsyncStream):
            stream._iterator = _achunks_parsed(stream._iterator, python_type)
        return stream

    return wrapper
