"""The short forms a request accepts, turned into the wire shapes in this one place.

- contents (`list[Content]`): a `str`, a `Part`, an uploaded `File` (its `fileData` part), a
  `Content`, a dict of either, or a list mixing them. Consecutive strings and parts make one
  turn: a `"user"` turn, or a `"model"` turn when its parts are function calls. A dict with a
  `Part` key is a part, any other dict a turn (a `File` among its `parts` is a fileData part).
- content (`Content`): the same, as one turn.
- cached_content: a `CachedContent` stands for its name.
- tools (`list[Tool]`): a Python function becomes a `FunctionDeclaration`; consecutive functions
  share one `Tool`.

The results are dicts and the models given, validated afterwards like any request dict.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, get_origin

if TYPE_CHECKING:
    from ._models import File

__all__ = [
    "file_part",
    "is_python_type",
    "to_cache_name",
    "to_content",
    "to_contents",
    "to_tools",
]


@cache
def _part_keys() -> frozenset[str]:
    from ._bases import known_keys
    from ._models import Part

    return known_keys(Part)


@cache
def _file() -> type[File]:
    """The `File` type (imported on first use: `_models` imports this module)."""
    from ._models import File

    return File


@cache
def _part_like() -> tuple[type, ...]:
    """The models that stand for a part: a `Part` and an uploaded `File`."""
    from ._bases import PartBase

    return PartBase, _file()


def _is_part(value: Any) -> bool:
    kind = type(value)
    if kind is str:
        return True
    if kind is dict or kind is list:  # the common cases first, by exact type
        return kind is dict and not _part_keys().isdisjoint(value)
    if isinstance(value, str):
        return True
    return isinstance(value, _part_like()) or (
        isinstance(value, Mapping) and not _part_keys().isdisjoint(value)
    )


def file_part(file: File) -> dict[str, Any]:
    """The `fileData` part (a dict) that refers to an uploaded `file`."""
    if not file.uri:
        raise ValueError(f"file {file.name!r} has no uri: get() it once it is ACTIVE")
    return {"fileData": {"fileUri": file.uri, "mimeType": file.mime_type}}


def _part(value: Any) -> Any:
    if isinstance(value, str):
        return {"text": value}
    return file_part(value) if isinstance(value, _file()) else value


def _is_call(part: Any) -> bool:
    if isinstance(part, Mapping):
        return "function_call" in part or "functionCall" in part
    return getattr(part, "function_call", None) is not None


def _with_file_parts(value: Any) -> Any:
    """A turn dict with each uploaded `File` among its `parts` made its fileData part."""
    if type(value) is not dict and not isinstance(value, Mapping):
        return value
    parts = value.get("parts")
    if type(parts) is not list and (
        isinstance(parts, (str, bytes)) or not isinstance(parts, Sequence)
    ):
        return value
    file = _file()
    if not any(isinstance(p, file) for p in parts):
        return value
    return {**value, "parts": [_part(p) if isinstance(p, file) else p for p in parts]}


def _turn(parts: list[Any]) -> dict[str, Any]:
    role = "model" if parts and all(_is_call(p) for p in parts) else "user"
    return {"role": role, "parts": [_part(p) for p in parts]}


def to_contents(value: Any) -> Any:
    """A `list[Content]` (of dicts and models) for any short form; other values unchanged."""
    if type(value) is not list and (
        isinstance(value, (str, Mapping)) or _is_part(value) or _is_content(value)
    ):
        return [to_content(value)]
    if not isinstance(value, Sequence):
        return value
    out: list[Any] = []
    pending: list[Any] = []
    for item in value:
        if _is_part(item):
            if pending and _is_call(item) != _is_call(pending[-1]):
                out.append(_turn(pending))
                pending = []
            pending.append(item)
            continue
        if pending:
            out.append(_turn(pending))
            pending = []
        out.append(_with_file_parts(item))
    if pending:
        out.append(_turn(pending))
    return out


def to_content(value: Any) -> Any:
    """One `Content` (a dict or the model) for any short form; other values unchanged."""
    if _is_part(value):
        return _turn([value])
    if isinstance(value, Sequence) and value and all(_is_part(v) for v in value):
        return _turn(list(value))
    return _with_file_parts(value)


def to_cache_name(value: Any) -> Any:
    """A `CachedContent` as its name (`cachedContents/...`); other values unchanged."""
    from ._models import CachedContent

    if isinstance(value, CachedContent):
        if not value.name:
            raise ValueError("cached_content has no name: create() it first")
        return value.name
    return value


def _is_content(value: Any) -> bool:
    return isinstance(value, _content())


@cache
def _content() -> type:
    from ._bases import ContentBase

    return ContentBase


def to_tools(value: Any) -> Any:
    """`value` with each Python function made a `Tool` declaring it."""
    if isinstance(value, (str, Mapping)) or not isinstance(value, Sequence):
        return value
    from ._functions import declaration, is_function

    out: list[Any] = []
    declarations: list[dict[str, Any]] | None = None  # those of the functions just before
    for item in value:
        if not is_function(item):
            out.append(item)
            declarations = None
        elif declarations is not None:
            declarations.append(declaration(item))
        else:
            declarations = [declaration(item)]
            out.append({"functionDeclarations": declarations})
    return out


def is_python_type(value: Any) -> bool:
    """A class or a typing construct (`list[Model]`, `Model | None`), as opposed to a schema value."""
    return isinstance(value, type) or get_origin(value) is not None
