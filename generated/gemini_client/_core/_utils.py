"""Helpers for the generated resource methods."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

import pydantic

from ._types import NotGiven

__all__ = ["build_body", "field_mask", "path_param", "strip_not_given"]


def path_param(value: str, *, name: str, prefix: str = "") -> str:
    """A path parameter ready for the URL.

    ``prefix`` is prepended to a bare id (``"gemini-2.5-flash"`` -> ``"models/gemini-2.5-flash"``);
    a value with a ``/`` is kept. Everything but ``/`` is percent-encoded.
    """
    if not value:
        raise ValueError(f"expected a non-empty value for `{name}`, got {value!r}")
    if prefix and "/" not in value:
        value = prefix + value
    return quote(value, safe="/")


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


def build_body(
    model_cls: type[pydantic.BaseModel], values: Mapping[str, object]
) -> dict[str, object]:
    """The JSON body for ``values`` (Python names), validated by ``model_cls``.

    Nested values may be model instances or dicts with wire (camelCase) or Python names.
    """
    model = model_cls.model_validate(strip_not_given(values))
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)
