"""Python functions as tools: their declaration, and calling them with the model's arguments.

The parameters' JSON schema comes from the signature and type hints through pydantic (models,
enums, lists, `Optional`, defaults); the description is the docstring. The same pydantic model
validates the arguments the model sends before the function is called.
"""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

import pydantic

__all__ = ["arguments", "declaration", "is_function"]

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$")


def is_function(value: Any) -> bool:
    """A callable the model could call: a function or method, not a class or a model instance."""
    return callable(value) and not isinstance(value, (type, pydantic.BaseModel))


def _name(fn: Callable[..., Any]) -> str:
    name = getattr(fn, "__name__", None)
    if not isinstance(name, str) or not _NAME.match(name):
        raise TypeError(
            f"{fn!r} cannot be a tool: a function declaration needs a name of letters, digits,"
            " '_', '.', ':' or '-' (at most 64); wrap it in a named function"
        )
    return name


@cache
def _arguments_model(fn: Callable[..., Any]) -> type[pydantic.BaseModel]:
    name = _name(fn)
    hints = typing.get_type_hints(fn)
    fields: dict[str, Any] = {}
    for p in inspect.signature(fn).parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            raise TypeError(
                f"{name} cannot be a tool: *{p.name} has no schema; name each parameter"
            )
        fields[p.name] = (hints.get(p.name, Any), ... if p.default is p.empty else p.default)
    return pydantic.create_model(name, **fields)


def declaration(fn: Callable[..., Any]) -> dict[str, Any]:
    """The `FunctionDeclaration` (wire dict) of `fn`."""
    schema = _arguments_model(fn).model_json_schema()
    schema.pop("title", None)
    return {
        "name": _name(fn),
        "description": inspect.getdoc(fn) or "",
        "parametersJsonSchema": schema,
    }


def arguments(fn: Callable[..., Any], args: Mapping[str, Any] | None) -> dict[str, Any]:
    """The keyword arguments for calling `fn`: `args` validated against its signature."""
    model = _arguments_model(fn).model_validate(dict(args or {}))
    return {name: getattr(model, name) for name in type(model).model_fields}
