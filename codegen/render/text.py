"""Untrusted spec text made safe inside generated Python."""

from __future__ import annotations

from ..untrusted import one_line


def docstring_body(text: str) -> str:
    """Text for the inside of a triple-quoted docstring: one line, backslashes and quotes escaped."""
    return one_line(text, limit=400).replace("\\", "\\\\").replace('"', '\\"')
