"""Untrusted spec text made safe inside generated Python.

A description keeps its lines and paragraphs (a docstring is what a user reads in the editor);
each line is folded to printable text (`one_line`: control, format and bidi characters become
spaces), long lines are wrapped, and backslashes and quotes are escaped so that nothing closes the
docstring or starts an escape sequence (`\\N{`, `\\x`). The text is bounded: `LIMIT` characters."""

from __future__ import annotations

import functools
import textwrap

from ..untrusted import one_line

LIMIT = 4000  # characters of one description kept in generated code (Google's longest: ~1,100)
WIDTH = 100  # the generated code's line length (codegen.format.LINE_LENGTH)


def escape(text: str) -> str:
    """Already safe text made literal inside a (non-raw) triple-quoted string."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def docstring_body(text: str) -> str:
    """Text for the inside of a triple-quoted docstring: one line, backslashes and quotes escaped."""
    return escape(one_line(text, limit=400))


def description_lines(text: str, width: int = WIDTH) -> list[str]:
    """The description as safe lines of at most `width` characters (a longer word stays whole):
    paragraphs kept (one blank line between them), each line's own indentation kept (markdown
    lists), no blank line first or last. Not escaped."""
    if len(text) > LIMIT:
        text = text[: LIMIT - 1].rstrip() + "…"
    return list(_description_lines(text, width))


@functools.lru_cache(maxsize=4096)  # a build wraps most descriptions twice (types, typed dicts)
def _description_lines(text: str, width: int) -> tuple[str, ...]:
    out: list[str] = []
    for raw in text.splitlines():  # \n, \r, \r\n, \v, \f, \x1c-\x1e, \x85, U+2028, U+2029
        line = one_line(raw.expandtabs(4))
        if not line:
            if out and out[-1]:
                out.append("")
            continue
        lead = " " * min(len(raw.expandtabs(4)) - len(raw.expandtabs(4).lstrip(" ")), 8)
        out += textwrap.wrap(
            line,
            width=max(width, 40),
            initial_indent=lead,
            subsequent_indent=lead + ("  " if line[:2] in ("* ", "- ") else ""),
            break_long_words=False,
            break_on_hyphens=False,
        ) or [lead + line]
    while out and not out[-1]:
        out.pop()
    return tuple(out)


def deprecated(text: str) -> str:
    """A description marked as deprecated, unless it already says so."""
    if text.lstrip().lower().startswith("deprecated"):
        return text
    return f"Deprecated by the API. {text}".rstrip()


def docstring(text: str, indent: int, first: int = 3) -> str:
    """A full description for the inside of a docstring whose quotes are indented by `indent`
    spaces: lines after the first indented to match, escaped. `first` is what precedes the text
    on its first line (the opening quotes)."""
    lines = description_lines(text, WIDTH - indent - first)
    pad = " " * indent
    return escape("\n".join(lines[:1] + [pad + line if line else "" for line in lines[1:]]))
