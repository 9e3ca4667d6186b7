"""Descriptions from Discovery prose, escaped (`codegen.untrusted.document_text`).

Discovery descriptions are paragraphs that start with API-field behaviour markers
(`Required.`, `Optional.`, `Output only.`, `Immutable.`, ...) and carry markdown links. The spec keeps
the whole text on one line (Discovery writes every description as one line; whitespace runs fold
into one space): the markers become flags, links are reduced to their text, and every unsafe
character (bidi, zero-width and other format or control characters) is written as a visible escape
such as `\\u202e`. The rendered docstring wraps it (`codegen.render.text`).

Bounded: a description longer than `MAX_DESCRIPTION` characters (Google's longest is about 1,200)
is cut at the last sentence end before the cap (else at a clause or word boundary) and ends in
`...`; of a huge text only its first `8 * MAX_DESCRIPTION` characters are read.
`summary` keeps the first sentence only (<= 160 characters), for one-line places.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..untrusted import document_text

MAX_DESCRIPTION = 4000  # characters of one description in the spec (codegen.render.text.LIMIT)
MAX_SUMMARY = 160
_READ = 8 * MAX_DESCRIPTION  # of a huge text only its first _READ characters are read

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
    """Split a Discovery description into its behaviour markers and the rest, whole (`full`)."""
    if not raw or not isinstance(raw, str):
        return _NOTHING
    return _described(raw) if len(raw) <= MAX_DESCRIPTION else _describe(raw)


# Each description's answer, kept: a document repeats many of its descriptions, and the documents
# a process reads one after another (sync, then drift; Google's revisions, day after day) share
# nearly all of theirs. Only texts of a usual length are kept: at most 4096 of 4,000 characters.
_KEPT = 4096


@functools.lru_cache(maxsize=_KEPT)
def _described(raw: str) -> Described:
    return _describe(raw)


def _describe(raw: str) -> Described:
    text = _WS.sub(" ", raw[:_READ]).strip()
    flags: set[str] = set()
    pos = 0
    while m := _MARKER_RE.match(text, pos):
        flags.add(_MARKERS[m.group(1).lower()])
        pos = m.end()
    text = text[pos:]
    return Described(
        text=full(text),
        required="required" in flags,
        output_only="output_only" in flags,
        optional="optional" in flags,
    )


_NOTHING = Described("")


def _plain(raw: str) -> str:
    """One line, nothing hidden (the spec never holds a raw bidi control), links reduced to their
    text, bold to plain; at most `_READ` characters of `raw` read."""
    text = document_text(raw[:_READ])
    if "[" in text:
        text = _REF_LINK.sub(r"\1", _LINK.sub(r"\1", text))
    if "**" in text:
        text = _BOLD.sub(r"\1", text)
    return text


def full(raw: str | None, limit: int = MAX_DESCRIPTION) -> str:
    """The whole of `raw` as one safe line (see the module's docstring), <= `limit` characters."""
    if not raw or not isinstance(raw, str):
        return ""
    text = _plain(raw)
    if len(text) > limit:
        text = _shorten(text, limit, (". ", "; ", ", ", " (", " - ", " "))
    return text


def summary(raw: str | None, limit: int = MAX_SUMMARY) -> str:
    """The first sentence of `raw`, as `full` makes it, <= `limit` characters."""
    if not raw or not isinstance(raw, str):
        return ""
    text = first_sentence(_plain(raw))
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


def _shorten(text: str, limit: int, seps: tuple[str, ...] = ("; ", ", ", " (", " - ", " ")) -> str:
    """Cut at the first of `seps` found in the second half before `limit` (a sentence end keeps
    its full stop), never inside inline code, and mark it with `...`."""
    budget = limit - 4  # room for " ..."
    cut = text[:budget]
    for sep in seps:
        i = cut.rfind(sep)
        if i >= budget // 2:
            cut = cut[: i + 1] if sep == ". " else cut[:i]
            break
    if cut.count("`") % 2:
        cut = cut[: cut.rfind("`")].rstrip()
    if cut.count("(") > cut.count(")"):
        cut = cut[: cut.rfind("(")].rstrip()
    cut = cut.rstrip(" ,;:-([")
    return cut + (" ..." if cut.endswith(".") else "...")
