"""Base classes of the generated models and enums."""

from __future__ import annotations

import base64
import binascii
import enum
from typing import Annotated, Any

import pydantic
from pydantic import BeforeValidator, ConfigDict, PlainSerializer

__all__ = ["BaseModel", "Bytes", "OpenEnum"]


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


class BaseModel(pydantic.BaseModel):
    """A wire object: accepts Python or wire (camelCase) names and keeps unknown fields.

    Fields the client does not know yet are kept in ``model_extra`` and written back by
    ``to_dict()``.
    """

    model_config = ConfigDict(
        validate_by_name=True,
        validate_by_alias=True,
        extra="allow",
        protected_namespaces=(),
        # Build each model's validator on first use, not at import: the whole API has ~200
        # models and a call needs a fraction of them.
        defer_build=True,
    )

    def to_dict(self) -> dict[str, Any]:
        """The JSON-compatible dict with wire names, leaving out unset (``None``) fields."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    def to_json(self, *, indent: int | None = None) -> str:
        """The JSON text with wire names, leaving out unset (``None``) fields."""
        return self.model_dump_json(by_alias=True, exclude_none=True, indent=indent)


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
