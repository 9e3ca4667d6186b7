"""Text from a spec or a Discovery document is untrusted: the one place that makes it safe for
where it goes — generated code, a terminal, a markdown PR comment."""

from __future__ import annotations

import unicodedata

# Control and format characters, line/paragraph separators, surrogates, private use, unassigned.
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})

_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "@": "&#64;"}  # no HTML, no @mentions
_MD_PUNCT = frozenset("\\`*_[]|~#!")


def _unsafe(ch: str) -> bool:
    return unicodedata.category(ch) in UNSAFE_CATEGORIES


def one_line(text: str, limit: int | None = None) -> str:
    """One line of printable text: unsafe characters and all whitespace folded into single spaces."""
    cleaned = "".join(" " if c.isspace() or _unsafe(c) else c for c in text)
    line = " ".join(cleaned.split())
    if limit is None or len(line) <= limit:
        return line
    return line[: limit - 1].rstrip() + "…"


def visible(text: str) -> str:
    """Text for a terminal with nothing hidden: unsafe characters are shown as `\\x1b`, `\\u202e`."""
    if text.isascii() and text.isprintable():
        return text
    out = []
    for ch in text:
        if ch == " " or not _unsafe(ch):
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return "".join(out)


def markdown_inert(text: str) -> str:
    """Already one-line text made inert in markdown: no markup, no HTML, no mentions."""
    return "".join(_MD_ENTITIES.get(ch) or ("\\" + ch if ch in _MD_PUNCT else ch) for ch in text)
