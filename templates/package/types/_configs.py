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
from typing import TYPE_CHECKING, Any, Generic, TypedDict, TypeVar

from pydantic import PrivateAttr, model_validator

from .._core._models import BaseModel
from ._bases import NONE, Accepts, ParsedT
from ._dicts import (
    GenerateContentRequestDict,
    GenerationConfigDict,
)
from ._models import (
    GenerateContentRequest,
    GenerationConfig,
)

if TYPE_CHECKING:
    from typing_extensions import Required

    from ._dicts import SchemaDict
    from ._models import Schema

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
    """Per-call HTTP options: `timeout` in milliseconds (google-genai's unit), extra `headers`, and
    `extra_body` (JSON fields added to the request body, as `extra_body=`)."""

    timeout: int | None = None
    headers: dict[str, str] | None = None
    extra_body: dict[str, Any] | None = None


class _ClientSide(BaseModel):
    automatic_function_calling: Accepts[
        AutomaticFunctionCallingConfig | None,
        AutomaticFunctionCallingConfig | AutomaticFunctionCallingConfigDict | None,
    ] = NONE
    http_options: Accepts[HttpOptions | None, HttpOptions | HttpOptionsDict | None] = NONE


class GenerateContentConfig(
    GenerationConfig, GenerateContentRequest, _ClientSide, Generic[ParsedT]
):
    """google-genai's `GenerateContentConfig`: `GenerationConfig` and `GenerateContentRequest`
    fields side by side (`model` and `contents` stay the method's own arguments). Generic in the
    Python type given as `response_schema`, so that `.parsed` is typed with it.

    (google-genai's `EmbedContentConfig` is the API's own type of that name here.)"""

    if TYPE_CHECKING:  # the field is `GenerationConfig`'s: the Python type given is `ParsedT` here
        response_schema: Accepts[Schema | None, type[ParsedT] | Schema | SchemaDict | None] = NONE

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
    extra_body: dict[str, Any]


_T = TypeVar("_T")


class _Unmade(Generic[_T]):
    """Never made: the type of the key through which `GenerateContentConfigDict` refers to
    itself (for mypy alone: no value is ever given for it)."""


class GenerateContentConfigDict(GenerateContentRequestDict, GenerationConfigDict, total=False):
    """The dict form of `GenerateContentConfig` (google-genai's: not generic, see
    `ParsedConfigDict`)."""

    automatic_function_calling: AutomaticFunctionCallingConfig | AutomaticFunctionCallingConfigDict
    http_options: HttpOptions | HttpOptionsDict
    # Refers to itself, so that mypy sees a recursive type, which its inference of a generic
    # method's type argument skips when it holds none: `generate_content` (generic in `ParsedT`)
    # then no longer walks every field's type of this member of its `config=` union, nested
    # dicts and unions included, ~0.25 s of mypy's time a call with a config dict (15x).
    _refers_to_itself: _Unmade[GenerateContentConfigDict]


if TYPE_CHECKING:  # a generic TypedDict needs Python 3.11 at run time

    class ParsedConfigDict(
        GenerateContentRequestDict, GenerationConfigDict, Generic[ParsedT], total=False
    ):
        """The dict form of `GenerateContentConfig` with a Python type as `response_schema`, which
        types `.parsed` (`generate_content` takes it besides `GenerateContentConfigDict`). Not
        the dict form itself: a dict literal is checked against a generic TypedDict by inferring
        its type argument from every field's type, nested dicts and unions included, which cost
        mypy about 0.1 s a dict; a dict without a Python type is checked against the plain one."""

        automatic_function_calling: (
            AutomaticFunctionCallingConfig | AutomaticFunctionCallingConfigDict
        )
        http_options: HttpOptions | HttpOptionsDict
        # required (a dict without one is a `GenerateContentConfigDict`) and a Python type only,
        # which `GenerationConfigDict`'s field may not be narrowed to in a subclass: a TypedDict's
        # base only lends its fields here (no function takes this where that one goes)
        response_schema: Required[type[ParsedT]]  # type: ignore[misc]


class CountTokensConfigDict(GenerateContentConfigDict, total=False):
    """The dict form of `CountTokensConfig`."""
