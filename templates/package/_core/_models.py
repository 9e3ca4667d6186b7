"""Base classes of the generated models and enums."""

from __future__ import annotations

import base64
import binascii
import difflib
import enum
from typing import Annotated, Any

import pydantic
from pydantic import BeforeValidator, ConfigDict, PlainSerializer

from ._times import to_duration, to_timestamp

__all__ = ["BaseModel", "Bytes", "OpenEnum", "WireDuration", "WireTimestamp", "wire_name"]


def wire_name(field: str) -> str:
    """A field's name on the wire, the camelCase of its Python name: `inline_data` -> `inlineData`,
    `copy_` -> `copy`. The generator spells out the alias of a field this rule gets wrong."""
    head, *rest = field.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _to_bytes(value: object) -> object:
    """Raw bytes as they are; a ``str`` as base64 text (standard or URL-safe, padded or not)."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        text = value.replace("-", "+").replace("_", "/")
        try:
            return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(
                "invalid base64 text (a str given for a bytes field is read as base64; "
                "pass the raw data as bytes)"
            ) from None
    return value


def _to_base64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


Bytes = Annotated[
    bytes,
    BeforeValidator(_to_bytes),
    PlainSerializer(_to_base64, return_type=str, when_used="json"),
]
"""A ``bytes`` field: raw bytes in Python, base64 text on the wire (and in ``to_dict()``)."""


def _wire_time(convert: Any) -> Any:
    def before(value: object) -> object:
        return value if isinstance(value, str) or value is None else convert(value)

    return BeforeValidator(before)


WireTimestamp = Annotated[str, _wire_time(to_timestamp)]
"""A timestamp field: RFC 3339 text; a request may give a timezone-aware ``datetime``."""

WireDuration = Annotated[str, _wire_time(to_duration)]
"""A duration field: ``"300s"``; a request may give a ``timedelta`` or a number of seconds."""


class BaseModel(pydantic.BaseModel):
    """A wire object: accepts Python or wire (camelCase) names and keeps unknown fields.

    Every field's alias is its wire name, by one rule (`wire_name`) rather than one alias per
    field; a field whose wire name the rule does not give spells it out as `validation_alias` and
    `serialization_alias` (a plain `alias=` would rename the constructor's keyword for type
    checkers).

    Fields the client does not know yet, read from the wire (``model_validate``), are kept in
    ``model_extra`` and written back by ``to_dict()``. Built by keyword (``Model(field=...)``), a
    name no field has is a ``TypeError`` naming the closest field: a misspelt option is never
    sent silently. To send a field newer than the client, ``Model.model_validate({...})`` keeps it.
    """

    model_config = ConfigDict(
        validate_by_name=True,
        validate_by_alias=True,
        alias_generator=wire_name,
        extra="allow",
        protected_namespaces=(),
        # Build each model's validator on first use, not at import: the whole API has ~200
        # models and a call needs a fraction of them.
        defer_build=True,
    )

    def __init__(self, /, **data: Any) -> None:
        unknown = data.keys() - _keyword_names(type(self))
        if unknown:
            raise TypeError(_unknown_keyword(type(self), sorted(unknown)[0]))
        super().__init__(**data)

    # Validation from the wire (`model_validate`, nested models) does not go through this check:
    # pydantic calls a model's own `__init__` there unless it is marked as its base one (as
    # pydantic's RootModel does).
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    def to_dict(self) -> dict[str, Any]:
        """The JSON-compatible dict with wire names, leaving out unset (``None``) fields."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    def to_json(self, *, indent: int | None = None) -> str:
        """The JSON text with wire names, leaving out unset (``None``) fields."""
        return self.model_dump_json(by_alias=True, exclude_none=True, indent=indent)


_KEYWORDS: dict[type[pydantic.BaseModel], frozenset[str]] = {}


def _keyword_names(cls: type[pydantic.BaseModel]) -> frozenset[str]:
    """The keywords `cls(...)` takes: its fields' Python and wire names (cached per class)."""
    names = _KEYWORDS.get(cls)
    if names is None:
        found = set(cls.model_fields)
        for f in cls.model_fields.values():
            found.update(a for a in (f.alias, f.validation_alias) if isinstance(a, str))
        names = _KEYWORDS[cls] = frozenset(found)
    return names


def _unknown_keyword(cls: type[pydantic.BaseModel], name: str) -> str:
    close = difflib.get_close_matches(name, sorted(cls.model_fields), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"{cls.__name__}() got an unknown field {name!r}{hint}"


class OpenEnum(str, enum.Enum):
    """An enum that also accepts values it does not know.

    Google adds enum values often; an unknown value becomes a pseudo-member whose ``name`` and
    ``value`` are the string, so the rest of the response still parses:

    ```py
    reason = FinishReason("NEW_REASON")
    reason == "NEW_REASON" and reason.value == "NEW_REASON"  # True
    reason is FinishReason("NEW_REASON")  # True: pseudo-members are cached
    ```

    An enum the server sends as its proto3 number (``"finishReason": 1``) is kept the same way,
    as the pseudo-member ``"1"`` (a ``str`` like every value of the enum).
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            text = str(value)
        elif isinstance(value, str):
            text = value
        else:
            return None
        member = str.__new__(cls, text)
        member._name_ = text
        member._value_ = text
        # Enum looks values up in this map before calling _missing_; Flag caches pseudo-members
        # the same way. They are not added to the members listed by iteration.
        return cls._value2member_map_.setdefault(text, member)

    def __str__(self) -> str:
        return str(self.value)
