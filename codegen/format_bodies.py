"""Black's output of a plain top-level class from black's output of its assignments, each formatted
once (per process and through the format cache) wherever it stands.

Black formats a module line by line: each logical line is split (or not) from its own tokens and
depth alone, and the blank lines before it come from how many the source had and what kind of line
it and the one before are (a `def`, `class`, decorator, import, comment, docstring, flow control
or a line ending with a colon). An assignment in a class body whose first token is a name is none
of those kinds, so its output is the same in any class body, once it is not the body's first
statement (the only place a string becomes a docstring, and black treats the lines after a
`class` line apart). So a class is formatted as its skeleton (`Plan`: each such assignment, alone
on its lines, replaced by a placeholder name, a line of the same kind) with black's output of each
assignment put back in place of its placeholder. A block with a comment, a `fmt:` directive, a
backslash continuation, a form feed or another line break than `\\n` is not planned (black formats
it whole); so is one whose placeholders or separators would not come back exactly once.

The assignments the cache lacks are formatted at once, in one class, each followed by a separator
statement (`_batch`); where black's first pass changed tokens its second pass depends on, that
statement's output goes through black again, as `black.format_str` would do."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

_MARK = "_codegen_stmt_"  # placeholders and separators: `_MARK<n>`, never in a planned block
_BATCH_HEAD = "class _:\n    pass\n"
_INDENT = "    "
_MARKED = re.compile(rf"^{_INDENT}{_MARK}(\d+)\n", re.MULTILINE)  # a placeholder's line
_PLAIN_START = re.compile(rf"{_INDENT}\S")  # an assignment's output: no blank line before it
_UNSAFE = (
    "#",
    "fmt:",
    "\\\n",
    "\r",
    "\f",
    "\v",
    "\x1c",
    "\x1d",
    "\x1e",
    "\x85",
    "\u2028",
    "\u2029",
)


@dataclass(frozen=True)
class Plan:
    """A class block as its `skeleton` and the `runs` of statements taken out of it: placeholder
    `n` (the line `    _MARK<n>`) stands for the statements of `runs[n]`, each as (its lines as
    in the block, whether one or more blank lines come before it; the first's stay in the
    skeleton)."""

    skeleton: str
    runs: tuple[tuple[tuple[str, bool], ...], ...]

    @property
    def statements(self) -> list[str]:
        return [s for run in self.runs for s, _ in run]


def plan(block: str) -> Plan | None:
    """The block as a skeleton and its runs of reusable statements, or None when it is not one
    plain undecorated top-level class with at least one (see the module's docstring)."""
    if not block.startswith("class ") or any(u in block for u in _UNSAFE) or _MARK in block:
        return None
    try:
        body = ast.parse(block).body
    except (SyntaxError, ValueError):
        return None
    if len(body) != 1 or not isinstance(body[0], ast.ClassDef) or body[0].decorator_list:
        return None
    lines = block.splitlines(keepends=True)
    if len(lines) != block.count("\n") + (not block.endswith("\n")):
        return None
    runs: list[list[tuple[int, int]]] = []  # (first, end) line indexes of the statements taken
    after = -1  # the index in the body of the statement taken last
    for i, stmt in enumerate(body[0].body):
        if i == 0 or not _plain(stmt) or stmt.end_lineno is None:
            continue
        first, last = lines[stmt.lineno - 1], lines[stmt.end_lineno - 1]
        if not (
            stmt.col_offset == len(_INDENT)
            and first.startswith(_INDENT)
            and not first[len(_INDENT)].isspace()
            and last.endswith("\n")
            and not last[_utf8_col(last, stmt.end_col_offset or 0) :].strip()
        ):
            continue
        if after == i - 1:
            runs[-1].append((stmt.lineno - 1, stmt.end_lineno))
        else:
            runs.append([(stmt.lineno - 1, stmt.end_lineno)])
        after = i
    if not runs:
        return None
    parts: list[str] = []
    taken: list[tuple[tuple[str, bool], ...]] = []
    at = 0
    for n, run in enumerate(runs):
        parts.append("".join(lines[at : run[0][0]]))
        parts.append(f"{_INDENT}{_MARK}{n}\n")
        statements = []
        for k, (start, end) in enumerate(run):
            gap = lines[run[k - 1][1] : start] if k else []
            if any(line.strip() for line in gap):
                return None  # only blank lines between statements of a body without comments
            statements.append(("".join(lines[start:end]), bool(gap)))
        taken.append(tuple(statements))
        at = run[-1][1]
    parts.append("".join(lines[at:]))
    return Plan("".join(parts), tuple(taken))


def _plain(stmt: ast.stmt) -> bool:
    """An assignment to a name, or a string alone (an attribute's docstring, when not first)."""
    if isinstance(stmt, ast.Expr):
        return isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)
    if isinstance(stmt, ast.AnnAssign):
        return isinstance(stmt.target, ast.Name)
    return isinstance(stmt, ast.Assign) and all(isinstance(t, ast.Name) for t in stmt.targets)


def _utf8_col(line: str, offset: int) -> int:
    """The index in `line` of `ast`'s column `offset` (counted in UTF-8 bytes)."""
    return len(line.encode("utf-8")[:offset].decode("utf-8", "surrogatepass"))


def put_back(plan: Plan, skeleton_formatted: str, formatted: dict[str, str]) -> str | None:
    """Black's output of the skeleton with each placeholder's line replaced by black's output of
    the statements it stands for (`formatted`: of each statement), one blank line before each
    that had one or more (black's most inside a block); None unless each placeholder is found
    exactly once, in order."""
    pieces = _MARKED.split(skeleton_formatted)
    if pieces[1::2] != [str(n) for n in range(len(plan.runs))]:
        return None
    out = [pieces[0]]
    for run, rest in zip(plan.runs, pieces[2::2]):
        out += ["\n" * blank + formatted[statement] for statement, blank in run]
        out.append(rest)
    return "".join(out)


def format_statements(
    statements: Sequence[str], format_once: Callable[[str], str], idle: Callable[[str, str], bool]
) -> list[str] | None:
    """Black's output of each statement (planned assignments and strings) in a class body, as
    `black.format_str` gives it: `format_once` is black's one pass, `idle(source, once)` whether
    its second pass can be skipped. None when the output cannot be cut back into statements."""
    once = _batch(statements, format_once)
    if once is None:
        return None
    again = [
        n
        for n, (s, o) in enumerate(zip(statements, once))
        if o != s and not idle(_BATCH_HEAD + s, _BATCH_HEAD + o)  # each parses so
    ]
    if again:
        twice = _batch([once[n] for n in again], format_once)
        if twice is None:
            return None
        for n, text in zip(again, twice):
            once[n] = text
    return once


def _batch(statements: Sequence[str], format_once: Callable[[str], str]) -> list[str] | None:
    """`format_once` of the statements in one class body: one blank line apart (black keeps
    exactly one there, and puts none inside a statement but where a string holds one) for those
    without a blank line, each followed by a separator line for the others."""
    apart = [n for n, s in enumerate(statements) if "\n\n" not in s]
    marked = [n for n, s in enumerate(statements) if "\n\n" in s]
    out: list[str | None] = [None] * len(statements)
    if apart:
        text = _BATCH_HEAD + "".join(f"\n{statements[n]}" for n in apart)
        formatted = format_once(text)
        if not formatted.startswith(_BATCH_HEAD + "\n"):
            return None
        pieces = formatted[len(_BATCH_HEAD) + 1 :].split("\n\n")
        if len(pieces) != len(apart) or not pieces[-1].endswith("\n"):
            return None
        pieces[:-1] = [p + "\n" for p in pieces[:-1]]
        for n, piece in zip(apart, pieces):
            out[n] = piece
    if marked:
        text = _BATCH_HEAD + "".join(
            f"{statements[n]}{_INDENT}{_MARK}{k}\n" for k, n in enumerate(marked)
        )
        formatted = format_once(text)
        if not formatted.startswith(_BATCH_HEAD):
            return None
        pieces = _MARKED.split(formatted[len(_BATCH_HEAD) :])
        if pieces[1::2] != [str(k) for k in range(len(marked))] or pieces[-1]:
            return None
        for n, piece in zip(marked, pieces[0:-1:2]):
            out[n] = piece
    done = [o for o in out if o is not None and _PLAIN_START.match(o)]
    return done if len(done) == len(out) else None
