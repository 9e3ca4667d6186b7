"""Black's output of the classes of a block from black's output of their statements and methods,
each formatted once (and kept in the format cache) wherever it stands.

Black formats a module line by line: each logical line is split (or not) from its own tokens and
depth alone, and the blank lines before it come from how many the source had and what kind of line
it and the one before are (`def`, `class`, decorator, import, comment, docstring, stub `def`, a
line ending with a colon; black.lines.EmptyLineTracker). In a class body:

- an assignment to a name, or a string alone, that is not the body's first statement (the only
  place a string is a docstring) is a line of none of those kinds: its output is the same in any
  class body, and a run of them keeps one blank line where the source had one or more;
- a method (decorated or not) whose body is not a lone `...` and that defines nothing inside is
  laid out the same in any class body, and the line after it sees only that a `def` ended.

So a block is formatted as its skeleton (`plan`: each run of such statements replaced by a
placeholder name, each such method by a placeholder method, lines of the same kinds) with black's
output of what each placeholder stands for put back (`put_back`). What holds a `#` (a comment),
and a block with a `fmt:` directive, a backslash continuation, a form feed or another line break
than `\\n` are left in the skeleton or not planned (black formats them whole); so is a block
whose placeholders would not come back exactly once.

The statements and methods the format cache lacks are formatted at once (`format_statements`,
`format_methods`); a statement of a `shape` black is known to leave as it stands is its own
output."""

from __future__ import annotations

import ast
import keyword
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .manifest import LINE_LENGTH

_MARK = "_codegen_stmt_"  # placeholders and separators: `_MARK<n>`, never in a planned block
_INDENT = "    "
_PLAIN_START = re.compile(rf"{_INDENT}\S")  # a statement's or method's output: no blank line first
_UNSAFE = (
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
    """A class block as its `skeleton` and what was taken out of it: each of `slots` (in order) is
    a placeholder of the skeleton, as black lays it out, and either the index of a run of
    statements in `runs` (each as its lines as in the block, and whether one or more blank lines
    come before it; the first's stay in the skeleton) or the text of a method (`methods`)."""

    skeleton: str
    runs: tuple[tuple[tuple[str, bool], ...], ...]
    methods: tuple[str, ...]
    slots: tuple[tuple[str, int | str], ...]

    @property
    def statements(self) -> list[str]:
        return [s for run in self.runs for s, _ in run]


Taken = tuple[int, int, str, list[tuple[int, int]]]  # lines start:end, what, a run's statements


def plan(block: str) -> Plan | None:
    """The block as a skeleton and the runs of reusable statements and the methods of its
    top-level classes, or None when it has none (see the module's docstring)."""
    if any(u in block for u in _UNSAFE) or _MARK in block or "class " not in block:
        return None
    try:
        body = ast.parse(block).body
    except (SyntaxError, ValueError):
        return None
    lines = block.splitlines(keepends=True)
    if len(lines) != block.count("\n") + (not block.endswith("\n")):
        return None
    taken: list[Taken] = []
    for cls in body:
        if isinstance(cls, ast.ClassDef):
            taken += _taken(cls, lines)
    if not taken:
        return None
    parts: list[str] = []
    runs: list[tuple[tuple[str, bool], ...]] = []
    methods: list[str] = []
    slots: list[tuple[str, int | str]] = []
    at = 0
    for n, (start, end, what, spans) in enumerate(taken):
        parts.append("".join(lines[at:start]))
        if what == "run":
            placeholder = f"{_INDENT}{_MARK}{n}\n"
            runs.append(
                tuple(
                    ("".join(lines[a:b]), k > 0 and a > spans[k - 1][1])
                    for k, (a, b) in enumerate(spans)
                )
            )
            slots.append((placeholder, len(runs) - 1))
        else:
            decorator = f"{_INDENT}@{_MARK}{n}\n" if what == "@" else ""
            placeholder = f"{decorator}{_INDENT}def {_MARK}{n}():\n{_INDENT * 2}pass\n"
            methods.append("".join(lines[start:end]))
            slots.append((placeholder, methods[-1]))
        parts.append(placeholder)
        at = end
    parts.append("".join(lines[at:]))
    return Plan("".join(parts), tuple(runs), tuple(methods), tuple(slots))


def _taken(cls: ast.ClassDef, lines: list[str]) -> list[Taken]:
    """What `plan` takes out of the class `cls`: each method ("@" when decorated, else "def"),
    and each run of plain statements but its first ("run", and the lines of each), standing alone
    on their lines and holding no `#` (no comment), only blank lines between those of a run."""
    taken: list[Taken] = []
    after = -1  # the index in the body of the statement taken last
    for i, stmt in enumerate(cls.body):
        if stmt.end_lineno is None or not _alone(stmt, lines):
            continue
        start, end = stmt.lineno - 1, stmt.end_lineno
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and _method(stmt):
            if stmt.decorator_list:
                start = stmt.decorator_list[0].lineno - 1
            decorated = bool(stmt.decorator_list)
            if "#" not in "".join(lines[start:end]) and lines[start].startswith(
                f"{_INDENT}@" if decorated else _INDENT
            ):
                taken.append((start, end, "@" if decorated else "def", []))
            continue
        if i == 0 or not _plain(stmt) or "#" in "".join(lines[start:end]):
            continue
        if after == i - 1 and not any(line.strip() for line in lines[taken[-1][1] : start]):
            taken[-1] = (taken[-1][0], end, "run", [*taken[-1][3], (start, end)])
        else:
            taken.append((start, end, "run", [(start, end)]))
        after = i
    return taken


def _alone(stmt: ast.stmt, lines: list[str]) -> bool:
    """Whether `stmt` (a statement of the class body) stands alone on its lines, indented by
    `_INDENT` (nothing else on its first or last line)."""
    assert stmt.end_lineno is not None
    first, last = lines[stmt.lineno - 1], lines[stmt.end_lineno - 1]
    return (
        stmt.col_offset == len(_INDENT)
        and first.startswith(_INDENT)
        and not first[len(_INDENT)].isspace()
        and last.endswith("\n")
        and not last[_utf8_col(last, stmt.end_col_offset or 0) :].strip()
    )


def _method(stmt: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A method black lays out the same in any class body: no `...` alone for a body (black puts
    it on the `def` line, and the line after a stub `def` may lose its blank line), and no class
    or function inside (the last line of the method is never a `def`)."""
    if (
        len(stmt.body) == 1
        and isinstance(stmt.body[0], ast.Expr)
        and isinstance(stmt.body[0].value, ast.Constant)
        and stmt.body[0].value.value is Ellipsis
    ):
        return False
    return not any(
        isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        for inner in stmt.body
        for node in ast.walk(inner)
    )


METHODS = 8  # methods per class of a batch


def format_methods(
    methods: Sequence[str], black: Callable[[list[str]], list[str] | None]
) -> list[str] | None:
    """Black's output of each method (`Plan.methods`) in a class body, formatted at once,
    `METHODS` to a class, each followed by a separator statement (`_MARK<n>`): black puts one
    blank line before the separator (a `def` ended) and one after it (a `def` follows). None
    when the output cannot be cut back into methods."""
    groups = [
        list(range(n, min(n + METHODS, len(methods)))) for n in range(0, len(methods), METHODS)
    ]
    bodies = ["".join(f"\n{methods[n]}\n{_INDENT}{_MARK}{n}\n" for n in group) for group in groups]
    formatted = _in_classes(bodies, black, gap="")
    if formatted is None:
        return None
    out: list[str] = [""] * len(methods)
    for group, rest in zip(groups, formatted):
        for n in group:
            piece, found, rest = rest.partition(f"\n{_INDENT}{_MARK}{n}\n")
            if not found or not piece.startswith("\n") or not piece.endswith("\n"):
                return None
            out[n] = piece[1:]
        if rest:
            return None
    return out if all(_PLAIN_START.match(o) and not o.endswith("\n\n") for o in out) else None


def _in_classes(
    bodies: Sequence[str], black: Callable[[list[str]], list[str] | None], *, gap: str = "\n"
) -> list[str] | None:
    """Black's output of each of `bodies` (class-body text), all formatted at once, each in a
    class of its own (`class _MARK<k>:`, `pass`, then `gap`), with that head cut off; None when
    black fails or a class does not come back starting with its head."""
    heads = [f"class {_MARK}{k}:\n{_INDENT}pass\n{gap}" for k in range(len(bodies))]
    formatted = black([head + body + "\n\n" for head, body in zip(heads, bodies)]) if bodies else []
    if formatted is None or len(formatted) != len(bodies):
        return None
    if not all(text.startswith(head) for head, text in zip(heads, formatted)):
        return None
    return [text[len(head) :] for head, text in zip(heads, formatted)]


def _long(statement: str) -> bool:
    """Whether a line of `statement` is longer than black's line length: black splits it, adding
    or removing tokens its second pass depends on (the rest seldom do: kept in other classes)."""
    return any(len(line) > LINE_LENGTH for line in statement.splitlines())


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
    """Black's output of the skeleton with each placeholder replaced by black's output of what
    it stands for (`formatted`: of each statement and method), one blank line before each
    statement of a run that had one or more (black's most inside a block); None unless each
    placeholder is found exactly once, in order."""
    out: list[str] = []
    rest = skeleton_formatted
    if skeleton_formatted.count(_MARK) != sum(p.count(_MARK) for p, _ in plan.slots):
        return None  # the block holds no `_MARK`: each placeholder is there once, or one is not
    for placeholder, what in plan.slots:
        before, found, rest = rest.partition(f"\n{placeholder}")
        if not found:
            return None
        texts = plan.runs[what] if isinstance(what, int) else ((what, False),)
        if any(s not in formatted for s, _ in texts):
            return None
        out += [before, "\n", *("\n" * blank + formatted[s] for s, blank in texts)]
    out.append(rest)
    return "".join(out)


def format_statements(
    statements: Sequence[str],
    black: Callable[[list[str]], list[str] | None],
    fixed: set[str],
) -> list[str] | None:
    """Black's output of each statement (planned assignments and strings) in a class body.

    A statement whose `shape` is in `fixed` (black left a statement of that shape as it was) is its
    own output. Of the others, one of each shape (and each without one) is formatted first: the
    shapes black left alone join `fixed`, and their other statements need no black; the rest are
    formatted then. `black(blocks)` is black's output of each of the top-level blocks `blocks`
    (`black.format_str` of their join, cut back). None when an output cannot be cut back."""
    shapes = [shape(s) for s in statements]
    out: list[str | None] = [
        s if (k is not None and k in fixed) or lone_string(s) else None
        for s, k in zip(statements, shapes)
    ]
    first: list[int] = []
    later: list[int] = []
    seen: set[str] = set()
    for n, k in enumerate(shapes):
        if out[n] is None:
            (later if k is not None and k in seen else first).append(n)
            if k is not None:
                seen.add(k)
    for batch in (first, later):
        todo = [n for n in batch if out[n] is None]
        made = _formatted([statements[n] for n in todo], black) if todo else []
        if made is None:
            return None
        for n, text in zip(todo, made):
            out[n] = text
            k = shapes[n]
            if k is not None and text == statements[n]:
                fixed.add(k)
        for n in later:
            k = shapes[n]
            if out[n] is None and k is not None and k in fixed:
                out[n] = statements[n]
    done = [o for o in out if o is not None]
    return done if len(done) == len(out) else None


# Statements per class of a batch: black decides its second pass class by class, and a statement
# with a line too long for black (`_long`) is the kind whose split adds tokens that pass looks at.
GROUP, LONG_GROUP = 64, 2


def _formatted(
    statements: Sequence[str], black: Callable[[list[str]], list[str] | None]
) -> list[str] | None:
    """Black's output of each statement, formatted at once, a few to a class (`GROUP`), one blank
    line apart: black keeps exactly one there and puts none inside a statement but where one of
    its strings holds one (such a statement is a class alone)."""
    groups: list[list[int]] = []
    size = 0
    for long, n in sorted((_long(s), n) for n, s in enumerate(statements)):
        if "\n\n" in statements[n] or not groups or len(groups[-1]) >= size:
            groups.append([])
            size = 1 if "\n\n" in statements[n] else LONG_GROUP if long else GROUP
        groups[-1].append(n)
    formatted = _in_classes(["\n".join(statements[n] for n in group) for group in groups], black)
    if formatted is None:
        return None
    out: list[str] = [""] * len(statements)
    for group, text in zip(groups, formatted):
        pieces = text.split("\n\n") if len(group) > 1 else [text]
        ends = [p.endswith("\n") for p in pieces]
        if len(pieces) != len(group) or ends != [False] * (len(group) - 1) + [True]:
            return None
        for n, piece in zip(group, pieces):
            out[n] = piece if piece.endswith("\n") else piece + "\n"
    return out if all(_PLAIN_START.match(o) for o in out) else None


# A string's text (no quote, backslash or line break), or a name.
_SHAPE_TOKEN = re.compile(r'"([^"\\\n]*)"|(?<![A-Za-z0-9_])[A-Za-z_][A-Za-z0-9_]*')
_SHAPE_KEPT = frozenset(keyword.kwlist) | {"_", "case", "match", "type"}  # soft keywords too
_PRINTABLE = re.compile(r"[ -~]*\n\Z")  # one line of printable ASCII, its line break


def lone_string(statement: str) -> bool:
    """Whether `statement` (not a body's first) is one triple-double-quoted string alone, without
    prefix, backslash or trailing space: black's output of it is the same text.

    Such a line is no docstring (not first), its quotes and prefix are black's already, and it
    holds no bracket to split at: black puts it out as it stands, however long, on however many
    lines (black.linegen: `normalize_string_quotes` leaves `\"\"\"` alone; `rhs` finds no
    bracket)."""
    text = statement[len(_INDENT) : -1]
    return (
        statement.startswith(f'{_INDENT}"""')
        and statement.endswith('"""\n')
        and len(text) >= 6
        and '"""' not in text[3:-3]
        and "\\" not in text
    )


def shape(statement: str) -> str | None:
    (
        """The statement with each name that is not a keyword made `N` and each string's text `S` (an
    empty one kept: `"""
        """` is one token, `"S""S""S"` three), if it is one line of printable
    ASCII that fits black's line length, with no backslash, single quote, `#`, `;`, `**` or string
    prefix (else None).

    Black lays out such a line as it stands, each token apart as its syntax tree says (the tree and
    its layout depend on the tokens' kinds and the keywords, not on which name or what text a
    string holds: black reads no name's value but keywords', and leaves a double-quoted string
    without backslash or single quote as it is). So black leaves a statement unchanged exactly
    when it leaves another of the same shape unchanged."""
    )
    if len(statement) > LINE_LENGTH + 1 or not _PRINTABLE.match(statement):
        return None
    if any(c in statement for c in "\\'#;") or "**" in statement:
        return None
    parts, at = [], 0
    for m in _SHAPE_TOKEN.finditer(statement):
        parts.append(statement[at : m.start()])
        if m[1] is not None:
            parts.append('"S"' if m[1] else '""')
        elif statement.startswith('"', m.end()):
            return None  # a prefixed string (b"", f"", r""...): another kind of token
        else:
            parts.append(m[0] if m[0] in _SHAPE_KEPT else "N")
        at = m.end()
    parts.append(statement[at:])
    return "".join(parts)
