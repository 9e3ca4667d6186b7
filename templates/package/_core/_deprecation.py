"""What the generated methods do when a caller passes an argument the API deprecates."""

from __future__ import annotations

import sys
import warnings

from . import _keywords
from ._types import NotGiven

__all__ = ["deprecated_argument"]

_WRAPPERS = frozenset({_keywords.__file__})
"""Files of the wrappers between a caller and a generated method (the keyword hints)."""


def deprecated_argument(value: object, what: str) -> None:
    """Warn (`DeprecationWarning`, pointing at the caller's line) when `value` was given."""
    if isinstance(value, NotGiven):
        return
    level, frame = 3, sys._getframe(2)  # the generated method's caller
    while frame.f_back is not None and frame.f_code.co_filename in _WRAPPERS:
        level, frame = level + 1, frame.f_back
    warnings.warn(f"{what} is deprecated by the API", DeprecationWarning, stacklevel=level)
