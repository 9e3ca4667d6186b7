"""Insert YAML blocks into spec files by line, leaving every other byte as it was.

Why lines and not a round-trip YAML library (ruamel.yaml): the spec is written in one known style
(block mappings, two-space indent: `codegen/spec/emit.py` writes it, people follow it), and the
loader already knows the line of every key. Inserting `emit.py`'s text at the end of the right
block keeps comments, key order, quoting and blank lines of everything else byte for byte, which a
round trip through a YAML library does not promise (it re-wraps long lines, moves comments, changes
quotes), and it adds no dependency. The result is checked by loading it again before anything is
written (`codegen.sync.command`).

An `Insert` names the YAML path of the container (`types.FinishReason.enum`,
`resources.tunedModels.resources`, `types`), the node's text at column 0, and optionally a sibling
whose block it follows (a new type right after its first user). A container that does not exist
yet (`params:` of a method, `resources:` of a resource, `types:` of a file) is created, in the
spec language's key order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Where a key goes among its siblings, by what the parent is (emit.py's order).
_ORDER: dict[str, tuple[str, ...]] = {
    "file": ("service", "types", "resources"),
    "resource": ("description", "methods", "resources"),
    "method": ("http", "description", "deprecated", "params", "request", "response"),
    "type": ("description", "discovery", "deprecated", "fields", "enum"),
}
_FLOW_EMPTY = re.compile(r"^(\s*\S[^#]*?:)\s*\{\}\s*(#.*)?$")


class EditError(Exception):
    """The file is not in a shape sync can edit by line (say, a flow-style mapping)."""


@dataclass(frozen=True)
class Insert:
    key: str  # YAML path of the container
    text: str  # the node, at column 0, ending in a newline
    spaced: bool = False  # a blank line before it (types, methods, resources)
    after: str | None = None  # YAML path of a sibling to follow; else the container's end


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_blank(line: str) -> bool:
    return not line.strip()


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def block_end(lines: list[str], start: int) -> int:
    """The index just after the last line of the block whose key is on line `start` (0-based).
    Comments deeper than the key belong to it; comments at its level belong to what follows."""
    indent = _indent_of(lines[start])
    last = start
    for j in range(start + 1, len(lines)):
        line = lines[j]
        if _is_blank(line):
            continue
        if _is_comment(line):
            if _indent_of(line) > indent:
                last = j
            continue
        if _indent_of(line) <= indent:
            break
        last = j
    return last + 1


def child_indent(lines: list[str], start: int) -> int | None:
    """The indentation of the first child of the key on line `start`, if it has children."""
    indent = _indent_of(lines[start])
    for j in range(start + 1, len(lines)):
        if _is_blank(lines[j]) or _is_comment(lines[j]):
            continue
        return _indent_of(lines[j]) if _indent_of(lines[j]) > indent else None
    return None


def indent(text: str, by: int) -> str:
    pad = " " * by
    return "".join(pad + line if line.strip() else line for line in text.splitlines(keepends=True))


class SpecFile:
    """One spec file's text and the lines of its keys, collecting inserts, applied at once."""

    def __init__(self, text: str, lines_of: dict[str, int]) -> None:
        self.lines = text.splitlines(keepends=True)
        if self.lines and not self.lines[-1].endswith("\n"):
            self.lines[-1] += "\n"
        self.at = dict(lines_of)  # YAML path -> 0-based line; top-level keys found in the text
        for i, line in enumerate(self.lines):
            m = re.match(r"^([A-Za-z_]+):", line)
            if m:
                self.at.setdefault(m.group(1), i)
        self.pending: list[tuple[int, int, str]] = []  # (position, sequence, text)
        self.created: dict[str, tuple[int, list[str]]] = {}  # new container -> (position, children)
        self.removed: list[tuple[int, int]] = []  # line ranges to drop

    def remove(self, key: str, *, comments: bool = True) -> bool:
        """Drop the block of `key` (with the comment lines right above it, unless `comments` is
        False, and one blank line); False when the file has no such key."""
        if key not in self.at:
            return False
        start = self.at[key]
        end = block_end(self.lines, start)
        while comments and start > 0 and _is_comment(self.lines[start - 1]):
            start -= 1
        if (
            start > 0
            and _is_blank(self.lines[start - 1])
            and (end >= len(self.lines) or _is_blank(self.lines[end]))
        ):
            start -= 1  # the blank line that separated it goes with it
        self.removed.append((start, end))
        parent = key.rpartition(".")[0]
        if parent in self.at and self._emptied(parent):
            self.remove(parent)  # `resources:` with nothing left under it goes too
        return True

    def replace(self, key: str, text: str) -> bool:
        """Put `text` (at column 0) where the block of `key` is, at its indentation, leaving the
        lines around it as they are; False when the file has no such key."""
        if key not in self.at:
            return False
        start = self.at[key]
        self.removed.append((start, block_end(self.lines, start)))
        self.pending.append((start, len(self.pending), indent(text, _indent_of(self.lines[start]))))
        return True

    def _emptied(self, key: str) -> bool:
        i = self.at[key]
        gone = {j for a, b in self.removed for j in range(a, b)}
        return all(
            j in gone or _is_blank(self.lines[j]) or _is_comment(self.lines[j])
            for j in range(i + 1, block_end(self.lines, i))
        )

    def _check_block_style(self, i: int) -> None:
        line = self.lines[i]
        m = _FLOW_EMPTY.match(line.rstrip("\n"))
        if m:  # `methods: {}`: becomes `methods:` with children below
            self.lines[i] = m.group(1) + (" " + m.group(2) if m.group(2) else "") + "\n"
            return
        value = line.split(":", 1)[1].split(" #", 1)[0].strip() if ":" in line else ""
        if value:
            raise EditError(
                f"line {i + 1}: {line.strip()[:60]!r} is not a block mapping; write it in block style"
            )

    def add(self, ins: Insert) -> None:
        seq = len(self.pending)
        if ins.key in self.at:
            i = self.at[ins.key]
            self._check_block_style(i)
            kid = child_indent(self.lines, i)
            by = kid if kid is not None else _indent_of(self.lines[i]) + 2
            if ins.after is not None and ins.after in self.at:
                pos = block_end(self.lines, self.at[ins.after])
            else:
                pos = block_end(self.lines, i)
            spaced = ins.spaced and (kid is not None or ins.after is not None)
            self.pending.append((pos, seq, ("\n" if spaced else "") + indent(ins.text, by)))
            return
        # The container does not exist yet: one new key for all its children.
        if ins.key not in self.created:
            self.created[ins.key] = (self._new_key_position(ins.key), [])
        self.created[ins.key][1].append(
            ("\n" if ins.spaced and self.created[ins.key][1] else "") + ins.text
        )

    def _new_key_position(self, key: str) -> int:
        parent, _, name = key.rpartition(".")
        kind = _kind(parent)
        order = _ORDER[kind]
        later = order[order.index(name) + 1 :] if name in order else ()
        for sibling in later:
            path = f"{parent}.{sibling}" if parent else sibling
            if path in self.at:
                pos = self.at[path]
                while (
                    pos > 0
                    and _is_comment(self.lines[pos - 1])
                    and (_indent_of(self.lines[pos - 1]) == _indent_of(self.lines[pos]))
                ):
                    pos -= 1  # a comment above the sibling stays with it
                return pos
        if not parent:
            return len(self.lines)
        if parent not in self.at:
            raise EditError(f"no {parent} to add {name} to")
        return block_end(self.lines, self.at[parent])

    def text(self) -> str:
        lines = list(self.lines)
        pending = list(self.pending)
        for key, (pos, children) in self.created.items():
            parent, _, name = key.rpartition(".")
            if parent:
                pi = self.at[parent]
                kid = child_indent(lines, pi)
                by = kid if kid is not None else _indent_of(lines[pi]) + 2
                block = indent(f"{name}:\n" + indent("".join(children), 2), by)
                if name == "resources":
                    block = (
                        "\n" + block
                    )  # nested resources follow a blank line, as emit.py writes them
            else:
                block = f"{name}:\n" + indent("".join(children), 2)
                block = ("\n" if pos > 0 and not _is_blank(lines[pos - 1]) else "") + block
                if pos < len(lines):
                    block += "\n"
            # After what extends the block that ends here: a new container starts a new block.
            pending.append((pos, 1 << 30, block))
        for start, end in self.removed:
            for i in range(start, end):
                lines[i] = ""  # positions of the inserts stay valid
        for pos, _, block in sorted(pending, key=lambda p: (p[0], p[1]), reverse=True):
            lines[pos:pos] = [block]
        return "".join(lines)


def _kind(parent: str) -> str:
    if not parent:
        return "file"
    parts = parent.split(".")
    if parts[0] == "types":
        return "type"
    return "method" if len(parts) >= 2 and parts[-2] == "methods" else "resource"
