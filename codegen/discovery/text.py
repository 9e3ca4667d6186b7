"""One-line descriptions from Discovery prose, escaped (`codegen.untrusted.document_text`).

Discovery descriptions are paragraphs that start with API-field behaviour markers
(`Required.`, `Optional.`, `Output only.`, `Immutable.`, ...) and carry markdown links. The spec keeps
one line: the markers become flags, the first sentence becomes the description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..untrusted import document_text

MAX_DESCRIPTION = 160

# Field-behaviour markers Google puts in front of a description, in any order.
_MARKERS = {
    "required.": "required",
    "optional.": "optional",
    "output only.": "output_only",
    "immutable.": "immutable",
    "input only.": "input_only",
    "identifier.": "identifier",
}
_MARKER_RE = re.compile(r"\s*(" + "|".join(re.escape(m) for m in _MARKERS) + r")\s*", re.IGNORECASE)

# Every pattern here runs in time linear in the text, whatever it holds: a link's text holds no
# bracket (a match attempt stops at the next one) and its URL is bounded, so 100 kB of `[[[` or
# `[x](` costs milliseconds, not minutes.
_URL_MAX = 2048
_LINK = re.compile(
    rf"\[([^\[\]]+)\]\((?:[^()\s]|\([^()\s]{{0,{_URL_MAX}}}\)){{0,{_URL_MAX}}}\)"
)  # [text](url) -> text
_REF_LINK = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")  # [text][ref] -> text
_BOLD = re.compile(r"\*\*([^*]+)\*\*")  # **PaLM** -> PaLM
_WS = re.compile(r"\s+")
# Words after which a period does not end a sentence.
_ABBREV = re.compile(
    r"(?:\be\.g|\bi\.e|\betc|\bvs|\bcf|\bapprox|\bInc|\bLtd|\bNo|\bMr|\bDr|\bSt|\bv|\bU\.S)\.$",
    re.IGNORECASE,
)
_ABBREV_SPAN = 12  # the longest abbreviation above and the character before it
_SENTENCE_END = re.compile(r"[.!?](?=\s+[\"'`(\[]?[A-Z0-9`\"'(\[])|[.!?]$")


@dataclass(frozen=True)
class Described:
    text: str  # one line, possibly ""
    required: bool = False
    output_only: bool = False
    optional: bool = False


def describe(raw: str | None) -> Described:
    """Split a Discovery description into its behaviour markers and a one-line first sentence."""
    if not raw or not isinstance(raw, str):
        return _NOTHING
    text = _WS.sub(" ", raw).strip()
    flags: set[str] = set()
    pos = 0
    while m := _MARKER_RE.match(text, pos):
        flags.add(_MARKERS[m.group(1).lower()])
        pos = m.end()
    text = text[pos:]
    return Described(
        text=summary(text),
        required="required" in flags,
        output_only="output_only" in flags,
        optional="optional" in flags,
    )


_NOTHING = Described("")


def summary(raw: str | None, limit: int = MAX_DESCRIPTION) -> str:
    """The first sentence of `raw`, whitespace collapsed, links reduced to their text, <= `limit`."""
    if not raw or not isinstance(raw, str):
        return ""
    text = document_text(raw)  # one line, nothing hidden: the spec never holds a raw bidi control
    if "[" in text:
        text = _REF_LINK.sub(r"\1", _LINK.sub(r"\1", text))
    if "**" in text:
        text = _BOLD.sub(r"\1", text)
    text = first_sentence(text)
    if len(text) > limit:
        text = _shorten(text, limit)
    return text


def first_sentence(text: str) -> str:
    """Up to the first full stop (or ! ?) that ends a sentence: not after an abbreviation, not
    inside inline code or parentheses. Linear: the counts run on from one candidate to the next."""
    ticks = opened = closed = done = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        ticks += text.count("`", done, end)
        opened += text.count("(", done, end)
        closed += text.count(")", done, end)
        done = end
        if _ABBREV.search(text, max(0, end - _ABBREV_SPAN), end):
            continue
        if ticks % 2:  # inside inline code
            continue
        if opened > closed:  # inside parentheses
            continue
        return text[:end].strip()
    return text.strip()


def _shorten(text: str, limit: int) -> str:
    """Cut at a clause or word boundary before `limit`, never inside inline code, and mark it."""
    budget = limit - 3  # room for "..."
    cut = text[:budget]
    for sep in ("; ", ", ", " (", " - ", " "):
        i = cut.rfind(sep)
        if i >= budget // 2:
            cut = cut[:i]
            break
    if cut.count("`") % 2:
        cut = cut[: cut.rfind("`")].rstrip()
    if cut.count("(") > cut.count(")"):
        cut = cut[: cut.rfind("(")].rstrip()
    return cut.rstrip(" ,;:-([") + "..."
