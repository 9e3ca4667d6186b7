"""Structured output: `generation_config={"response_schema": MyModel}` and `resp.parsed`.

The generated `GenerationConfig` turns a Python type given as `response_schema` into
`responseJsonSchema` (and remembers it as `response_type`); here `generate_content` validates the answer's text into
that type. A text that does not validate raises `StructuredOutputError`, holding the text.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine, Mapping
from typing import Any, Concatenate, ParamSpec, TypeVar

import pydantic

from .. import types
from .._core import GeminiError
from ..types._bases import parse_as
from ..types._contents import is_python_type

__all__ = ["StructuredOutputError", "parses", "parses_async"]

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
        resp._parsed = parse_as(python_type, text)
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
