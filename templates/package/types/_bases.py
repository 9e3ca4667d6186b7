"""Hand-written base classes of the generated types: what a google-genai user expects on them.

The generator makes the type `X` inherit `XBase` when this module defines one, every other
request body type inherit `RequestModel`, and the rest the core `BaseModel` (see
codegen/render/extensions.py); a base may not define a field's name, and the base of a request body
type must derive from `RequestModel`.
The generated `_models` imports this module, so it imports nothing generated at import time:
the field types it needs are declared for the type checker only.
"""

from __future__ import annotations

import difflib
import mimetypes
import os
from collections.abc import Callable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast, get_args, overload

from pydantic import PrivateAttr, TypeAdapter, ValidationError, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError
from typing_extensions import TypeVar as DefaultTypeVar

from .._core._models import BaseModel
from .._core._utils import argument_path
from ._contents import (
    file_part,
    is_python_type,
    to_cache_name,
    to_content,
    to_contents,
    to_tools,
)

if TYPE_CHECKING:
    from ._models import (
        BidiGenerateContentServerContent,
        Candidate,
        Content,
        ContentEmbedding,
        File,
        FunctionCall,
        Part,
    )

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")
W = TypeVar("W")
ParsedT = DefaultTypeVar("ParsedT", default=Any)
"""What `GenerateContentResponse.parsed` holds: the Python type given as `response_schema` in
`config=` (`Any` without one)."""

__all__ = [
    "NONE",
    "Accepts",
    "ParsedT",
    "BidiGenerateContentClientContentBase",
    "BidiGenerateContentSetupBase",
    "GroundingPassageBase",
    "SemanticRetrieverConfigBase",
    "ShortForms",
    "BidiGenerateContentServerMessageBase",
    "CachedContentBase",
    "ContentBase",
    "CountTokensRequestBase",
    "EmbedContentResponseBase",
    "EmbedContentRequestBase",
    "FunctionDeclarationBase",
    "GenerateContentRequestBase",
    "GenerateContentResponseBase",
    "GenerationConfigBase",
    "PartBase",
    "PredictImageBase",
    "RequestModel",
    "SchemaBase",
]


NONE: Any = None
"""The default of an `Accepts` field: `None`, typed `Any` (a type checker checks a class body's
default against the descriptor, not against the value read)."""

if TYPE_CHECKING:

    class Accepts(Generic[R, W]):
        """A field read as `R` whose constructor argument may also be a `W` (a dict form, a short
        form, a `datetime`...), which validation turns into an `R`. The generator declares a field
        `Accepts[<read type>, "<input>"]` where the input is wider (typed_dicts.constructor_inputs);
        type checkers see a descriptor, whose `__set__` types the constructor's argument
        (dataclass_transform), pydantic sees `R`."""

        @overload
        def __get__(self, obj: None, owner: Any) -> Accepts[R, W]: ...
        @overload
        def __get__(self, obj: object, owner: Any) -> R: ...
        def __get__(self, obj: object, owner: Any) -> Accepts[R, W] | R: ...
        def __set__(self, obj: object, value: R | W) -> None: ...

else:

    class Accepts:
        """At run time `Accepts[R, W]` is `R`: what pydantic validates into."""

        def __class_getitem__(cls, params: tuple[Any, Any]) -> Any:
            return params[0]


@cache
def known_keys(cls: type[BaseModel]) -> frozenset[str]:
    """The keys a dict for `cls` may have: its fields' Python and wire names."""
    keys = set(cls.__pydantic_fields__)
    for f in cls.__pydantic_fields__.values():
        keys.update(a for a in (f.alias, f.validation_alias) if isinstance(a, str))
    return frozenset(keys)


class ShortForms(BaseModel):
    """One input convention wherever content goes: a field holding a `Content` takes its short
    forms (a string, a `Part`, a list of them), a `list[Content]` too, and a `list[Tool]` Python
    functions. Every request body derives from it (`RequestModel`), and so do the types a request
    or a Live session sends inside (their `XBase` here); an answer's types do not (no short form
    comes back, and converting would cost every answer parsed). The generator types the
    constructors and dict forms of exactly these types with the short forms."""

    @model_validator(mode="before")
    @classmethod
    def _content_short_forms(cls, data: Any) -> Any:
        converters = _short_form_fields(cls)
        return _coerce(data, converters) if converters else data

    @classmethod
    def _own_short_forms(cls) -> dict[str, Callable[[Any], Any]]:
        """Converters of short forms (by wire name) that a type adds to those its fields' types
        give; they win over the latter."""
        return {}


class RequestModel(ShortForms):
    """The base of every request body type. A request is validated with `extra="forbid"`
    (`build_body`), so a dict key that no field knows is an error; this names the key, its place
    and the closest field. A model built with `model_validate` keeps its extra fields: the way to
    send a field newer than the client. Short forms: see `ShortForms`.
    """

    @model_validator(mode="wrap")
    @classmethod
    def _name_unknown_keys(cls, data: Any, handler: Callable[[Any], M]) -> M:
        try:
            return handler(data)
        except ValidationError as exc:
            unknown = [e["loc"] for e in exc.errors() if e["type"] == "extra_forbidden"]
            if not unknown:
                raise
            raise PydanticCustomError(
                "unknown_key",
                "{message} (a field newer than this client: extra_body=, or a model built with"
                " model_validate)",
                {"message": "; ".join(_unknown_key(cls, loc) for loc in unknown[:3])},
            ) from None


@cache
def _short_form_fields(cls: type[ShortForms]) -> dict[str, Callable[[Any], Any]]:
    """The names (wire and Python) of `cls`'s `Content`, `list[Content]` and `list[Tool]` fields,
    and those of its `_own_short_forms`, with the converter of their short forms: one look-up
    per key of a request."""
    return _by_spelling({**_short_form_fields_of(cls), **cls._own_short_forms()})


def _short_form_fields_of(cls: type[BaseModel]) -> dict[str, Callable[[Any], Any]]:
    """The wire names of `cls`'s `Content`, `list[Content]` and `list[Tool]` fields, with the
    converter of their short forms."""
    from . import _models

    # A spec without these types (a test's small spec) has no short forms to convert.
    Content: Any = getattr(_models, "Content", None)
    Tool: Any = getattr(_models, "Tool", None)
    out: dict[str, Callable[[Any], Any]] = {}
    for name, f in cls.model_fields.items():
        args = [a for a in get_args(f.annotation) if a is not type(None)] or [f.annotation]
        wire = next((a for a in (f.alias, f.validation_alias) if isinstance(a, str)), name)
        for a in args:
            if Content is not None and a is Content:
                out[wire] = to_content
            elif Content is not None and get_args(a) == (Content,):
                out[wire] = to_contents
            elif Tool is not None and get_args(a) == (Tool,):
                out[wire] = to_tools
    return out


def _model_name(value: Any) -> Any:
    """A model's resource name: `models/` added to a bare id (`gemini-2.5-flash`)."""
    return f"models/{value}" if isinstance(value, str) and value and "/" not in value else value


_MODEL_NAME = {"model": _model_name}


def _unknown_key(cls: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    owner = _model_at(cls, loc[:-1])
    key = str(loc[-1])
    close = difflib.get_close_matches(key, sorted(owner.__pydantic_fields__), n=1) if owner else []
    where = argument_path(loc[:-1]) if loc[:-1] else ""
    return (
        (f"{where}: " if where else "")
        + f"unknown key {key!r}"
        + (f" for {owner.__name__}" if owner else "")
        + (f"; did you mean {close[0]!r}?" if close else "")
    )


def _model_at(cls: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class validating the value at `loc` (list indexes and map keys pass through)."""
    current: type[BaseModel] | None = cls
    for step in loc:
        if current is None:
            return None
        field = next(
            (
                f
                for name, f in current.__pydantic_fields__.items()
                if step in (name, f.validation_alias)
            ),
            None,
        )
        if field is not None:
            current = _model_in(field.annotation)
    return current


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


class PartBase(BaseModel):
    """Constructors of the most common parts."""

    @classmethod
    def from_text(cls: type[M], text: str) -> M:
        """A text part."""
        return cls.model_validate({"text": text})

    @classmethod
    def from_bytes(cls: type[M], data: bytes, mime_type: str) -> M:
        """Inline media: `data` is sent base64-encoded."""
        return cls.model_validate({"inline_data": {"data": bytes(data), "mime_type": mime_type}})

    @classmethod
    def from_uri(cls: type[M], file_uri: str, mime_type: str) -> M:
        """Media by reference: a File API URI, a `gs://` or a `https://` URI."""
        return cls.model_validate({"file_data": {"file_uri": file_uri, "mime_type": mime_type}})

    @classmethod
    def from_file(cls: type[M], file: File) -> M:
        """Media by reference to an uploaded `File` (`client.files.upload`): its URI and type."""
        return cls.model_validate(file_part(file))

    @classmethod
    def from_function_call(cls: type[M], name: str, args: Mapping[str, Any]) -> M:
        """A call of the function `name`, as the model would predict it."""
        return cls.model_validate({"function_call": {"name": name, "args": dict(args)}})

    def as_image(self) -> Any:
        """The inline image as a `PIL.Image.Image` (Pillow is optional: the `images` extra);
        `None` when the part holds no inline image."""
        from ._media import as_image

        return as_image(self)

    def save(self, path: Any) -> None:
        """Write the inline data (an image, audio...) to `path` as it came, bytes unchanged."""
        from ._media import save

        save(self, path)

    @classmethod
    def from_function_response(
        cls: type[M], name: str, response: Mapping[str, Any], *, id: str | None = None
    ) -> M:
        """The result of calling `name`: `response` is its JSON object (`id` that of the call)."""
        return cls.model_validate(
            {"function_response": {"name": name, "response": dict(response), "id": id}}
        )


class PredictImageBase(BaseModel):
    """An input image for Imagen / Veo (google-genai's `types.Image`)."""

    @classmethod
    def from_file(
        cls: type[M], location: str | os.PathLike[str], mime_type: str | None = None
    ) -> M:
        """The image in the file at `location`; its MIME type guessed from the name unless given."""
        path = os.fspath(location)
        guessed = mime_type or mimetypes.guess_type(path)[0] or "image/png"
        with open(path, "rb") as f:
            return cls.model_validate({"bytesBase64Encoded": f.read(), "mimeType": guessed})


class CachedContentBase(RequestModel):
    """`model` may be a bare id (`gemini-2.5-flash`) in a request: `models/` is added. An answer
    read from the wire keeps its value."""

    @model_validator(mode="before")
    @classmethod
    def _model_name(cls, data: Any, info: ValidationInfo) -> Any:
        if info.context and info.context.get("request"):
            return _coerce(data, _MODEL_NAME)
        return data


class EmbedContentResponseBase(BaseModel):
    """`embeddings`: the one embedding as a list, as `BatchEmbedContentsResponse` has it (and
    google-genai's `embed_content` answers)."""

    if TYPE_CHECKING:
        embedding: ContentEmbedding | None

    @property
    def embeddings(self) -> list[ContentEmbedding]:
        """`[embedding]`, or `[]` without one."""
        return [self.embedding] if self.embedding is not None else []


class BidiGenerateContentServerMessageBase(BaseModel):
    """`text` on a Live server message, as google-genai's `LiveServerMessage.text`."""

    if TYPE_CHECKING:
        server_content: BidiGenerateContentServerContent | None

    @property
    def text(self) -> str | None:
        """The text of the model's parts in this message (thoughts left out), or `None`."""
        content = self.server_content
        turn = content.model_turn if content is not None else None
        texts = (
            [p.text for p in (turn.parts or []) if p.text is not None and not p.thought]
            if turn
            else []
        )
        return "".join(texts) if texts else None


class BidiGenerateContentSetupBase(ShortForms):
    """A Live session's setup: `system_instruction` and `tools` in their short forms."""


class BidiGenerateContentClientContentBase(ShortForms):
    """Turns sent in a Live session: `turns` in its short forms."""


class GroundingPassageBase(ShortForms):
    """A passage sent to `generate_answer`: `content` in its short forms."""


class SemanticRetrieverConfigBase(ShortForms):
    """A retriever's settings sent to `generate_answer`: `query` in its short forms."""


class ContentBase(BaseModel):
    """A turn of a conversation: `role` is `"user"` or `"model"`."""


class GenerateContentResponseBase(BaseModel, Generic[ParsedT]):
    """Shortcuts into the first candidate; the same on stream chunks. Generic in what `.parsed`
    holds (the generated `GenerateContentResponse` is too: see codegen/render/extensions.py), so
    that `GenerateContentResponse[Country]` is what a call with `response_schema=Country` gives.

    With several candidates (`candidate_count`), `text` and `function_calls` read the first one
    only: read `candidates[i].content.parts` for the others.
    """

    # `_parsed` (set by lib/_structured) and `_afc_history` (set by lib/_afc) are plain instance
    # attributes, not pydantic PrivateAttrs: those cost every validation of every response and
    # stream chunk.
    if TYPE_CHECKING:
        candidates: list[Candidate] | None
        _parsed: Any = None  # defaults: type checkers see no constructor argument for them
        _afc_history: list[Content] | None = None

    @property
    def parts(self) -> list[Part] | None:
        """The parts of the first candidate; `None` without a candidate or content."""
        if not self.candidates or self.candidates[0].content is None:
            return None
        return self.candidates[0].content.parts

    @property
    def executable_code(self) -> str | None:
        """The code of the first `executable_code` part (code execution tool), if any."""
        return next(
            (p.executable_code.code for p in self._first_parts() if p.executable_code), None
        )

    @property
    def code_execution_result(self) -> str | None:
        """The output of the first `code_execution_result` part, if any."""
        return next(
            (
                p.code_execution_result.output
                for p in self._first_parts()
                if p.code_execution_result
            ),
            None,
        )

    @property
    def automatic_function_calling_history(self) -> list[Content] | None:
        """With automatic function calling: the contents sent first, then each function call
        turn and its answer turn (google-genai's field); `None` when no function ran."""
        history: list[Content] | None = self.__dict__.get("_afc_history")
        return history

    @property
    def text(self) -> str | None:
        """The text parts of the first candidate joined, thought parts skipped; `None` if none."""
        texts = [p.text for p in self._first_parts() if p.text is not None and not p.thought]
        return "".join(texts) if texts else None

    @property
    def function_calls(self) -> list[FunctionCall]:
        """The function calls of the first candidate, in order (empty if none)."""
        return [p.function_call for p in self._first_parts() if p.function_call is not None]

    @property
    def parsed(self) -> ParsedT:
        """The structured output validated into `generation_config.response_schema` (a Python
        type); `None` when the request gave no such type or the answer has no text (blocked, or
        a stream chunk). Typed with the Python type `config=` gave (`Any` otherwise), as the
        value of an answer that has text: check `response.text` first where it may have none."""
        return cast("ParsedT", self.__dict__.get("_parsed"))

    def _first_parts(self) -> list[Part]:
        if not self.candidates or self.candidates[0].content is None:
            return []
        return list(self.candidates[0].content.parts or [])


class GenerateContentRequestBase(RequestModel):
    """`contents`, `system_instruction`, `tools` and `cached_content` (a `CachedContent` for its
    name) in their short forms (see `_contents`)."""

    @classmethod
    def _own_short_forms(cls) -> dict[str, Callable[[Any], Any]]:
        return {
            "contents": to_contents,
            "systemInstruction": to_content,
            "tools": to_tools,
            "cachedContent": to_cache_name,
        }


class CountTokensRequestBase(RequestModel):
    """`contents` in its short forms."""

    @classmethod
    def _own_short_forms(cls) -> dict[str, Callable[[Any], Any]]:
        return {"contents": to_contents}


class EmbedContentRequestBase(RequestModel):
    """`content` in its short forms."""

    @classmethod
    def _own_short_forms(cls) -> dict[str, Callable[[Any], Any]]:
        return {"content": to_content}


class GenerationConfigBase(BaseModel):
    """`response_schema` may be a Python type: a pydantic model, `list[Model]`, an enum...

    It is sent as `responseJsonSchema` with `responseMimeType` `application/json` (unless given),
    and kept as `response_type` for parsing the answer (`GenerateContentResponse.parsed`).
    """

    _response_type: Any = PrivateAttr(default=None)

    @model_validator(mode="wrap")
    @classmethod
    def _python_response_schema(
        cls, data: Any, handler: Callable[[Any], GenerationConfigBase]
    ) -> GenerationConfigBase:
        python_type = None
        if isinstance(data, Mapping):
            for key in ("response_schema", "responseSchema"):
                if is_python_type(data.get(key)):
                    python_type = data[key]
                    data = {k: v for k, v in data.items() if k != key}
                    data["responseJsonSchema"] = json_schema(python_type)
                    if not data.get("response_mime_type") and not data.get("responseMimeType"):
                        data["responseMimeType"] = "application/json"
        model = handler(data)
        if python_type is not None:
            model._response_type = python_type
        return model

    @property
    def response_type(self) -> Any:
        """The Python type given as `response_schema`, if one was."""
        return self._response_type


class FunctionDeclarationBase(BaseModel):
    """`FunctionDeclaration.from_callable(fn)`: the declaration of a Python function; and
    `parameters` / `response` may be Python types (sent as their JSON schemas)."""

    @model_validator(mode="before")
    @classmethod
    def _python_schemas(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        out = dict(data)
        for key, wire in (
            ("parameters", "parametersJsonSchema"),
            ("response", "responseJsonSchema"),
        ):
            if is_python_type(out.get(key)):
                out[wire] = json_schema(out.pop(key))
        return out

    @classmethod
    def from_callable(cls: type[M], fn: Callable[..., Any]) -> M:
        """Name, docstring and a JSON schema of the parameters from `fn`'s signature and hints."""
        from ._functions import declaration

        return cls.model_validate(declaration(fn))


class SchemaBase(BaseModel):
    """A Python type is a schema only at the top (`response_schema`, function parameters)."""

    @model_validator(mode="before")
    @classmethod
    def _no_python_type(cls, data: Any) -> Any:
        if is_python_type(data):
            raise ValueError(
                f"a Python type ({data!r}) is a schema only as generation_config.response_schema"
                " or a function declaration's parameters or response; inside a Schema give its"
                " fields"
            )
        return data


@cache
def _cached_adapter(python_type: Any) -> TypeAdapter[Any]:
    return TypeAdapter(python_type)


def _adapter(python_type: Any) -> TypeAdapter[Any]:
    try:
        hash(python_type)
    except TypeError:
        return TypeAdapter(python_type)
    return _cached_adapter(python_type)


def json_schema(python_type: Any) -> dict[str, Any]:
    """The JSON schema of a Python type, as `responseJsonSchema` takes it."""
    return _adapter(python_type).json_schema()


def parse_as(python_type: Any, text: str) -> Any:
    """`text` (JSON) validated into `python_type` (raises pydantic's `ValidationError`)."""
    return _adapter(python_type).validate_json(text)


def _coerce(data: Any, converters: Mapping[str, Callable[[Any], Any]]) -> Any:
    """`data` with each field named in `converters` (by every spelling: `_by_spelling`) passed
    through its converter (a copy when one applies; `data` itself when none does)."""
    if not isinstance(data, Mapping):
        return data
    out: dict[Any, Any] | None = None
    for key in data:
        convert = converters.get(key)
        if convert is not None:
            if out is None:
                out = dict(data)
            out[key] = convert(out[key])
    return data if out is None else out


def _by_spelling(converters: Mapping[str, Callable[[Any], Any]]) -> dict[str, Callable[[Any], Any]]:
    """`converters` (by wire name) under each spelling of their field's name."""
    return {key: convert for wire, convert in converters.items() for key in _spellings(wire)}


@cache
def _spellings(wire: str) -> tuple[str, ...]:
    """A field's wire name and its Python name (once when they are the same)."""
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in wire)
    return (wire,) if snake == wire else (wire, snake)
