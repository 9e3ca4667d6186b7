"""Untrusted spec text made safe to place in generated code."""

from __future__ import annotations

import unicodedata

# Control characters, format characters and line/paragraph separators never reach generated code.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def one_line(text: str, limit: int = 400) -> str:
    """Collapse a description to one line of printable text (tabs, newlines, U+2028 become spaces)."""
    cleaned = "".join(" " if unicodedata.category(c) in _UNSAFE_CATEGORIES or c.isspace() else c for c in text)
    line = " ".join(cleaned.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def docstring_body(text: str) -> str:
    """Text for the inside of a triple-quoted docstring: one line, backslashes and quotes escaped."""
    return one_line(text).replace("\\", "\\\\").replace('"', '\\"')
