"""Text from a spec or a Discovery document is untrusted: the one place that makes it safe for
where it goes — generated code, a terminal, a markdown PR comment."""

from __future__ import annotations

import re
import unicodedata

# Control and format characters, line/paragraph separators, surrogates, private use, unassigned.
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})

_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "@": "&#64;"}  # no HTML, no @mentions
_MD_PUNCT = frozenset("\\`*_[]|~#!")


def _unsafe(ch: str) -> bool:
    return unicodedata.category(ch) in UNSAFE_CATEGORIES


_LINE_BREAKS = re.compile(r"[\t\n\r\x0b\x0c]")


def _spaced(text: str) -> str:
    """Every unsafe or whitespace character made a plain space. `str.isprintable` is false for
    exactly those (the UNSAFE_CATEGORIES and every space but ' '), so most text costs one C call."""
    if text.isprintable():
        return text
    text = _LINE_BREAKS.sub(" ", text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else " " for c in text)


def one_line(text: str, limit: int | None = None) -> str:
    """One line of printable text: unsafe characters and all whitespace folded into single spaces.

    Linear in the text, and with a `limit` only the start of a huge text is looked at: reading stops
    once more than `limit` visible characters are in."""
    if limit is not None and len(text) > 4 * limit:
        kept, shown, step = [], 0, 4 * limit
        for start in range(0, len(text), step):
            chunk = _spaced(text[start : start + step])
            kept.append(chunk)
            shown += len(chunk) - chunk.count(" ")
            if shown > limit:
                break
        cleaned = "".join(kept)
    else:
        cleaned = _spaced(text)
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


def document_text(text: str) -> str:
    """Prose from a Discovery document as it may be written into spec/: one line, and every unsafe
    character (bidi controls, zero-width and other format characters, lone surrogates, private use)
    as a visible escape like `\\u202e`. Its result is valid UTF-8 whatever the document held."""
    return visible(" ".join(text.split()))


def markdown_inert(text: str) -> str:
    """Already one-line text made inert in markdown: no markup, no HTML, no mentions."""
    return "".join(_MD_ENTITIES.get(ch) or ("\\" + ch if ch in _MD_PUNCT else ch) for ch in text)
