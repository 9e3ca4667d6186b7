"""Render a list of changes: text (terminal), markdown (a PR comment), json, github (annotations).

Spec text (descriptions) is untrusted: every format strips control characters, and markdown and
GitHub annotations escape what their syntax gives meaning to.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from codegen.untrusted import markdown_inert, one_line

from .compare import Change
from ..compare.rules import DIFF_LEVEL_TITLES as LEVEL_TITLES
from ..compare.rules import DIFF_LEVELS as LEVELS
from ..compare.rules import DiffLevel as Level

FORMATS = ("text", "markdown", "json", "github")


def summary_counts(changes: Sequence[Change]) -> dict[Level, int]:
    return {level: sum(1 for c in changes if c.level == level) for level in LEVELS}


def summary_line(changes: Sequence[Change]) -> str:
    counts = summary_counts(changes)

    def said(level: Level) -> str:
        n = counts[level]
        return f"{n} {LEVEL_TITLES[level]}{'s' if level == 'warning' and n != 1 else ''}"

    return ", ".join(said(level) for level in LEVELS)


def clean(text: str) -> str:
    """One line without control or format characters (no ANSI escapes, no bidi overrides)."""
    return one_line(text)


def render(changes: Sequence[Change], fmt: str, base: str, head: str) -> str:
    if fmt == "text":
        return text(changes, base, head)
    if fmt == "markdown":
        return markdown(changes, base, head)
    if fmt == "json":
        return as_json(changes, base, head)
    if fmt == "github":
        return github(changes)
    raise ValueError(f"unknown format {fmt!r}")


# -- text ----------------------------------------------------------------------------------------


def text(changes: Sequence[Change], base: str, head: str) -> str:
    lines = [f"spec diff: {clean(base)} -> {clean(head)}", summary_line(changes)]
    if not changes:
        lines.append("no changes to the public surface")
    for level in LEVELS:
        group = [c for c in changes if c.level == level]
        if not group:
            continue
        lines += ["", f"{LEVEL_TITLES[level]} ({len(group)}):"]
        for c in group:
            lines.append(f"  {clean(c.symbol)}: {clean(c.message)} [{c.rule}]")
            lines.append(f"      base: {c.base or '-'}  head: {c.head or '-'}")
    return "\n".join(lines) + "\n"


# -- markdown ------------------------------------------------------------------------------------

_SAFE_CODE = re.compile(r"^[A-Za-z0-9_.,()=/: +{}-]*$")


def md(text: str) -> str:
    """Spec text as inert markdown inside a table cell: no markup, no HTML, no @mentions."""
    return markdown_inert(clean(text))


def md_code(text: str) -> str:
    """A code span when the text is plainly safe in one, else escaped text."""
    s = clean(text)
    return f"`{s}`" if s and _SAFE_CODE.match(s) else md(s)


def markdown(changes: Sequence[Change], base: str, head: str) -> str:
    counts = summary_counts(changes)
    lines = [
        f"## Spec diff: {md(base)} → {md(head)}",
        "",
        ("**" + summary_line(changes) + "**") if counts["breaking"] else summary_line(changes),
    ]
    if not changes:
        lines += ["", "No changes to the public surface of the generated client."]
    for level in LEVELS:
        group = [c for c in changes if c.level == level]
        if not group:
            continue
        lines += ["", f"### {LEVEL_TITLES[level].capitalize()} ({len(group)})", ""]
        lines += ["| symbol | change | rule | base | head |", "|---|---|---|---|---|"]
        for c in group:
            cells = (
                md_code(c.symbol),
                md(c.message),
                md_code(c.rule),
                md(c.base or "–"),
                md(c.head or "–"),
            )
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


# -- json ----------------------------------------------------------------------------------------


def as_json(changes: Sequence[Change], base: str, head: str) -> str:
    summary: dict[str, int] = {str(k): v for k, v in summary_counts(changes).items()}
    summary["total"] = len(changes)
    doc = {
        "base": base,
        "head": head,
        "changes": [
            {
                "rule": c.rule,
                "level": c.level,
                "symbol": c.symbol,
                "message": c.message,
                "base": c.base,
                "head": c.head,
                "fingerprint": c.fingerprint,
            }
            for c in changes
        ],
        "summary": summary,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


# -- GitHub Actions workflow commands --------------------------------------------------------------


def gh_data(text: str) -> str:
    """The message of a workflow command, escaped as GitHub's toolkit does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def gh_property(text: str) -> str:
    return gh_data(text).replace(":", "%3A").replace(",", "%2C")


def github(changes: Sequence[Change]) -> str:
    """`::error file=spec/x.yaml,line=N,title=rule::message` for breaking changes, `::warning` for
    warnings, `::notice` for the rest; an annotation is placed on the head side's line, or on no file when the node is gone."""
    lines = []
    for c in changes:
        command = {"breaking": "error", "warning": "warning"}.get(c.level, "notice")
        props = []
        if c.head:
            file, _, line = c.head.rpartition(":")
            props += [f"file={gh_property(file)}", f"line={gh_property(line)}"]
        props.append(f"title={gh_property(f'{c.rule} ({LEVEL_TITLES[c.level]})')}")
        message = f"{clean(c.symbol)}: {clean(c.message)}"
        if c.base and not c.head:
            message += f" (was {c.base})"
        lines.append(f"::{command} {','.join(props)}::{gh_data(message)}")
    lines.append(f"::notice title={gh_property('codegen diff')}::{gh_data(summary_line(changes))}")
    return "\n".join(lines) + "\n"
