"""Base classes of the generated models and enums."""

from __future__ import annotations

import enum
from typing import Any

import pydantic
from pydantic import ConfigDict

__all__ = ["BaseModel", "OpenEnum"]


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
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        # Enum looks values up in this map before calling _missing_; Flag caches pseudo-members
        # the same way. They are not added to the members listed by iteration.
        return cls._value2member_map_.setdefault(value, member)

    def __str__(self) -> str:
        return str(self.value)
