"""Helpers for the generated resource methods: path parameters and request bodies."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, TypeVar, cast
from urllib.parse import quote


from ._exceptions import ArgumentError
from ._types import NotGiven

if TYPE_CHECKING:
    import pydantic

_M = TypeVar("_M", bound="pydantic.BaseModel")  # a string: BaseModel loads model machinery

__all__ = [
    "JsonBody",
    "argument_path",
    "build_body",
    "check_path",
    "field_mask",
    "path_param",
    "strip_not_given",
    "validate_arguments",
    "validate_json",
]

_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")
_URL_SAFE = re.compile(r"[A-Za-z0-9_.~/-]+")
"""The characters ``quote(value, safe="/")`` leaves as they are."""


def check_path(path: str, *, name: str = "path") -> None:
    """Raise ``ArgumentError`` when ``path`` has an empty, ``.`` or ``..`` segment.

    Such a segment would let a value climb out of its place (``models/../files/x``), and HTTP
    clients normalise it away before sending, so the request would reach another resource.
    """
    for segment in path.split("/"):
        if segment in ("", ".", ".."):
            raise ArgumentError(f"{name}: {path!r} has an empty, '.' or '..' path segment")


def path_param(value: str, *, name: str, prefix: str = "") -> str:
    """A path parameter ready for the URL.

    ``prefix`` is prepended to a bare id (``"gemini-2.5-flash"`` -> ``"models/gemini-2.5-flash"``);
    a value with a ``/`` is kept. Everything but ``/`` is percent-encoded, and a value with an
    empty, ``.`` or ``..`` segment raises ``ArgumentError``.
    """
    if not isinstance(value, str):
        raise ArgumentError(f"{name}: expected a string, got {type(value).__name__}")
    if not value:
        raise ArgumentError(f"{name}: expected a non-empty string")
    if prefix and "/" not in value:
        value = prefix + value
    check_path(value, name=name)
    return value if _URL_SAFE.fullmatch(value) else quote(value, safe="/")


def field_mask(value: object) -> object:
    """A ``fieldmask`` parameter: a list of field paths joined with ``,``, or the string as given."""
    if isinstance(value, str) or value is None or isinstance(value, NotGiven):
        return value
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    raise TypeError(
        f"a field mask is a list of field names or a string, got {type(value).__name__}"
    )


def strip_not_given(mapping: Mapping[str, object]) -> dict[str, object]:
    """``mapping`` without the entries that are ``NOT_GIVEN`` or ``None``."""
    return {k: v for k, v in mapping.items() if v is not None and not isinstance(v, NotGiven)}


def argument_path(loc: tuple[int | str, ...]) -> str:
    """A pydantic error location as the caller wrote it: ``contents[0].parts[1].inline_data``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + _CAMEL.sub(r"_\1", part).lower()
    return path or "(body)"


def build_body(
    model_cls: type[pydantic.BaseModel],
    values: Mapping[str, object],
    *,
    required: Collection[str] = (),
) -> JsonBody:
    """The JSON body for a call's arguments: the single entry point every method's body goes through.

    ``values`` maps wire (camelCase) names to the arguments; ``NOT_GIVEN`` and ``None`` ones are
    left out, except that one of the ``required`` names given as ``None`` raises. Validation is
    `validate_arguments`'s.
    """
    for key in required:
        if values.get(key) is None:
            raise ArgumentError(f"{argument_path((key,))}: required, got None")
    model = validate_arguments(model_cls, strip_not_given(values))
    # `model.model_dump(mode="json", by_alias=True, exclude_none=True)`, calling the serializer
    # directly: pydantic's wrapper passes fifteen keyword arguments, on every call.
    serializer = model.__pydantic_serializer__
    body = JsonBody(serializer.to_python(model, mode="json", by_alias=True, exclude_none=True))
    try:
        body.encoded = serializer.to_json(model, by_alias=True, exclude_none=True)
    except ValueError:  # e.g. a lone surrogate: sent through json.dumps, which names the problem
        pass
    return body


class JsonBody(dict[str, object]):
    """A request body built from a model (`build_body`), and its JSON text as pydantic writes it
    in one pass (the same JSON as ``json.dumps`` of the dict, at a fraction of the cost). It goes
    from the method that built it to the request unchanged; a body merged with anything
    (``extra_body``, a streaming flag) is a new plain dict."""

    __slots__ = ("encoded",)

    encoded: bytes | None

    def __init__(self, values: dict[str, object]) -> None:
        super().__init__(values)
        self.encoded = None


REQUEST_CONTEXT = {"request": True}
"""The validation context of a caller's arguments: a model validator that must only touch
requests (never an answer read from the wire) checks `info.context` for it."""


def validate_arguments(model_cls: type[_M], values: object) -> _M:
    """``values`` as a ``model_cls``, checked as a caller's arguments are.

    Nested values may be model instances or dicts with wire or Python names; a dict key that no
    field knows is an error (a model instance keeps its extra fields). A value the model rejects
    raises ``ArgumentError`` naming its path, e.g. ``contents[0].parts[0].inline_data.data``.
    """
    import pydantic  # loaded with the models by now; kept out of `import gemini_client`

    try:
        model = model_cls.__pydantic_validator__.validate_python(
            values, extra="forbid", context=REQUEST_CONTEXT
        )  # `model_validate(...)` without its wrapper's keyword arguments
        return cast(_M, model)
    except pydantic.ValidationError as err:
        errors = err.errors(include_url=False, include_input=False)
        first = errors[0]
        where = f"{argument_path(first['loc'])}: " if first["loc"] else ""
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ArgumentError(f"{where}{first['msg']}{more}") from None
    except (ValueError, TypeError) as err:
        raise ArgumentError(str(err)) from None


def validate_json(model_cls: type[_M], data: str | bytes) -> _M:
    """``model_cls.model_validate_json(data)``, calling the validator directly: pydantic's wrapper
    passes six keyword arguments per call, a cost every answer and stream chunk would pay."""
    return cast(_M, model_cls.__pydantic_validator__.validate_json(data))
