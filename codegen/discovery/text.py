"""One-line descriptions from Discovery prose.

Discovery descriptions are paragraphs that start with API-field behaviour markers
(`Required.`, `Optional.`, `Output only.`, `Immutable.`, ...) and carry markdown links. The spec keeps
one line: the markers become flags, the first sentence becomes the description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
_MARKER_RE = re.compile(
    r"^\s*(" + "|".join(re.escape(m) for m in _MARKERS) + r")\s*", re.IGNORECASE
)

_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^()\s]*\))*\)")  # [text](url) -> text
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")  # [text][ref] -> text
_BOLD = re.compile(r"\*\*([^*]+)\*\*")  # **PaLM** -> PaLM
_WS = re.compile(r"\s+")
# Words after which a period does not end a sentence.
_ABBREV = re.compile(
    r"(?:\be\.g|\bi\.e|\betc|\bvs|\bcf|\bapprox|\bInc|\bLtd|\bNo|\bMr|\bDr|\bSt|\bv|\bU\.S)\.$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?](?=\s+[\"'`(\[]?[A-Z0-9`\"'(\[])|[.!?]$")


@dataclass(frozen=True)
class Described:
    text: str  # one line, possibly ""
    required: bool = False
    output_only: bool = False
    optional: bool = False


def describe(raw: str | None) -> Described:
    """Split a Discovery description into its behaviour markers and a one-line first sentence."""
    text = _WS.sub(" ", raw or "").strip()
    flags: set[str] = set()
    while True:
        m = _MARKER_RE.match(text)
        if not m:
            break
        flags.add(_MARKERS[m.group(1).lower()])
        text = text[m.end() :]
    return Described(
        text=summary(text),
        required="required" in flags,
        output_only="output_only" in flags,
        optional="optional" in flags,
    )


def summary(raw: str | None, limit: int = MAX_DESCRIPTION) -> str:
    """The first sentence of `raw`, whitespace collapsed, links reduced to their text, <= `limit`."""
    text = _WS.sub(" ", raw or "").strip()
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _BOLD.sub(r"\1", text)
    text = first_sentence(text)
    if len(text) > limit:
        text = _shorten(text, limit)
    return text


def first_sentence(text: str) -> str:
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        head = text[:end]
        if _ABBREV.search(head):
            continue
        if head.count("`") % 2:  # inside inline code
            continue
        if head.count("(") > head.count(")"):  # inside parentheses
            continue
        return head.strip()
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
