"""google-genai's `config=` types, derived from the generated request types.

`GenerateContentConfig` is google-genai's flat bag of options: the fields of `GenerationConfig`
(sampling, output) and of `GenerateContentRequest` (system instruction, tools, safety, cache...)
side by side, plus the client-side `automatic_function_calling` and `http_options`. It inherits
both generated types, so a field added to the spec is a config field too. `lib/_config.py` maps a
config onto the request: the `GenerationConfig` fields into `generation_config`, the rest to the
method's own keyword arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypedDict

from pydantic import PrivateAttr, model_validator

from .._core._models import BaseModel
from ._dicts import (
    GenerateContentRequestDict,
    GenerationConfigDict,
)
from ._models import (
    GenerateContentRequest,
    GenerationConfig,
)

__all__ = [
    "AutomaticFunctionCallingConfig",
    "AutomaticFunctionCallingConfigDict",
    "CountTokensConfig",
    "CountTokensConfigDict",
    "GenerateContentConfig",
    "GenerateContentConfigDict",
    "HttpOptions",
    "HttpOptionsDict",
]

DEFAULT_MAXIMUM_REMOTE_CALLS = 10


class AutomaticFunctionCallingConfig(BaseModel):
    """Running the Python functions among `tools` (google-genai's semantics): on unless
    `disable`; at most `maximum_remote_calls` requests per call (the calls of the last answer are
    returned unanswered; 0 or less disables); the exchange is kept in the response's
    `automatic_function_calling_history` unless `ignore_call_history`."""

    disable: bool | None = None
    maximum_remote_calls: int | None = DEFAULT_MAXIMUM_REMOTE_CALLS
    ignore_call_history: bool | None = None


class HttpOptions(BaseModel):
    """Per-call HTTP options: `timeout` in milliseconds (google-genai's unit) and extra `headers`."""

    timeout: int | None = None
    headers: dict[str, str] | None = None


class _ClientSide(BaseModel):
    automatic_function_calling: AutomaticFunctionCallingConfig | None = None
    http_options: HttpOptions | None = None


class GenerateContentConfig(GenerationConfig, GenerateContentRequest, _ClientSide):
    """google-genai's `GenerateContentConfig`: `GenerationConfig` and `GenerateContentRequest`
    fields side by side (`model` and `contents` stay the method's own arguments).

    (google-genai's `EmbedContentConfig` is the API's own type of that name here.)"""

    _tools: list[Any] | None = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _keep_python_tools(
        cls, data: Any, handler: Callable[[Any], GenerateContentConfig]
    ) -> GenerateContentConfig:
        tools = data.get("tools") if isinstance(data, Mapping) else None
        model = handler(data)
        if isinstance(tools, Sequence) and any(callable(t) for t in tools):
            model._tools = list(tools)  # the functions themselves, for automatic calling
        return model

    @property
    def python_tools(self) -> list[Any] | None:
        """`tools` as given, Python functions included (`tools` holds their declarations)."""
        return self._tools


class CountTokensConfig(GenerateContentConfig):
    """google-genai's `CountTokensConfig`: counted as the `generate_content` request these
    options would make (`system_instruction`, `tools`, `generation_config` fields...)."""


class AutomaticFunctionCallingConfigDict(TypedDict, total=False):
    """The dict form of `AutomaticFunctionCallingConfig`."""

    disable: bool
    maximum_remote_calls: int
    ignore_call_history: bool


class HttpOptionsDict(TypedDict, total=False):
    """The dict form of `HttpOptions`."""

    timeout: int
    headers: dict[str, str]


class GenerateContentConfigDict(GenerateContentRequestDict, GenerationConfigDict, total=False):
    """The dict form of `GenerateContentConfig`."""

    automatic_function_calling: AutomaticFunctionCallingConfig | AutomaticFunctionCallingConfigDict
    http_options: HttpOptions | HttpOptionsDict


class CountTokensConfigDict(GenerateContentConfigDict, total=False):
    """The dict form of `CountTokensConfig`."""
