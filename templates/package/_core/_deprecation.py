"""What the generated methods do when a caller passes an argument the API deprecates."""

from __future__ import annotations

import warnings

from ._types import NotGiven

__all__ = ["deprecated_argument"]


def deprecated_argument(value: object, what: str) -> None:
    """Warn (`DeprecationWarning`, pointing at the caller's line) when `value` was given."""
    if not isinstance(value, NotGiven):
        warnings.warn(f"{what} is deprecated by the API", DeprecationWarning, stacklevel=3)
