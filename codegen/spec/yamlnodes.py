"""YAML read with a line number on every node, and duplicate keys caught rather than overwritten.

The spec language is plain data: anchors and aliases (a 500-byte "billion laughs" file expands to
gigabytes), several documents and deep nesting are refused with the line where they start."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..untrusted import one_line
from .errors import Problem, SpecError
from .files import read_file
from .model import Location

# libyaml's parser when PyYAML was built with it (3x faster on the whole spec); same nodes and marks.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 64  # the spec needs 7; libyaml's composer overflows the C stack near 100,000


@dataclass
class Node:
    """One YAML node: a scalar `value`, or `items` (mapping, in written order) or `seq`."""

    loc: Location
    kind: str  # "scalar" | "mapping" | "sequence"
    value: object = None
    items: dict[str, Node] = field(default_factory=dict)
    seq: list[Node] = field(default_factory=list)

    def describe(self) -> str:
        if self.kind != "scalar":
            return "a " + self.kind
        v = self.value
        return {
            bool: "a boolean",
            int: "a number",
            float: "a number",
            str: "text",
            type(None): "nothing",
        }.get(type(v), type(v).__name__)


def read_yaml(path: Path, shown_as: str) -> tuple[Node | None, list[Problem]]:
    """Parse one file; unreadable files, syntax errors, duplicate keys, anchors and aliases, and
    nesting past MAX_DEPTH come back as problems. The nodes are shared: never change them."""
    try:
        data = read_file(path, shown_as)
    except SpecError as exc:
        return None, list(exc.problems)
    key = (shown_as, data)
    if key in _PARSED:
        _PARSED[key] = found = _PARSED.pop(key)  # now the most recently used
        return found[0], list(found[1])
    tree, problems = _parse(data, shown_as)
    if len(data) <= _PARSED_MAX_BYTES:
        _PARSED[key] = (tree, problems)
        while sum(len(d) for _, d in _PARSED) > _PARSED_MAX_BYTES:
            del _PARSED[next(iter(_PARSED))]  # the least recently used first
    return tree, list(problems)


# The nodes of the files read last, by name and exact content: a process may read the same spec
# files again and again (a test session: the same spec in test after test; a script that syncs,
# drifts and generates in turn), and parsing is most of loading. A file's nodes depend only on its bytes and
# the name it is shown under. At most _PARSED_MAX_BYTES of source (about two copies of the spec:
# more costs more in garbage collection, which walks every node kept, than it saves).
_PARSED: dict[tuple[str, bytes], tuple[Node | None, list[Problem]]] = {}
_PARSED_MAX_BYTES = 1024 * 1024


def _parse(data: bytes, shown_as: str) -> tuple[Node | None, list[Problem]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [
            Problem(Location(shown_as, 0, ""), f"cannot read: not UTF-8 text (byte {exc.start})")
        ]
    loader = LOADER(text)
    try:
        return _Builder(loader, shown_as).run()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        reason = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        return None, [Problem(Location(shown_as, line, ""), f"YAML syntax error: {reason}")]
    except yaml.YAMLError as exc:  # e.g. an invalid tagged scalar
        return None, [Problem(Location(shown_as, 0, ""), f"YAML error: {one_line(str(exc), 200)}")]
    finally:
        loader.dispose()


# Plain (unquoted, untagged) scalar text -> its value, for every file read: what the resolver makes
# of a plain scalar depends on its text alone, and the values are immutable (str, int, float, bool,
# None, dates). Keys and short values repeat across files and loads; at most _PLAIN_KEPT are kept.
_PLAIN: dict[str, object] = {}
_PLAIN_KEPT = 50_000

_SCALAR = yaml.ScalarEvent
_MAPPING_END = yaml.MappingEndEvent
_SEQUENCE_END = yaml.SequenceEndEvent
_DOCUMENT_START = yaml.DocumentStartEvent


class _Refused(Exception):
    """The file uses something the spec language refuses; reading it stops at once."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


@dataclass
class _Open:
    node: Node
    key: str | None = None  # a mapping's key waiting for its value
    key_line: int = 0


class _Builder:
    """Nodes straight from the parser's events, with an explicit stack: linear in the file, never
    recursive, and no alias is ever expanded (there are none)."""

    def __init__(self, loader: Any, shown_as: str) -> None:
        self.loader = loader
        self.shown_as = shown_as
        self.problems: list[Problem] = []
        self.stack: list[_Open] = []
        self.root: Node | None = None

    def run(self) -> tuple[Node | None, list[Problem]]:
        """One pass over the parser's events. A scalar inside a mapping or list, the commonest
        event, is handled inline (what `node` and `attach` do): this loop is most of the cost of
        loading a spec."""
        get_event = self.loader.get_event
        stack = self.stack
        shown_as = self.shown_as
        scalar = self.scalar
        documents = 0
        try:
            while (event := get_event()) is not None:
                kind = type(event)
                if kind is _SCALAR and event.anchor is None and stack:  # node(), inline
                    top = stack[-1]
                    parent = top.node
                    if parent.kind == "sequence":
                        path = f"{parent.loc.path}[{len(parent.seq)}]"
                        line = event.start_mark.line + 1
                        parent.seq.append(
                            Node(Location(shown_as, line, path), "scalar", scalar(event))
                        )
                    elif top.key is None:  # a mapping's key
                        top.key, top.key_line = str(scalar(event)), event.start_mark.line + 1
                    else:  # its value (attach(), inline)
                        key, top.key = top.key, None
                        path = f"{parent.loc.path}.{key}" if parent.loc.path else key
                        node = Node(Location(shown_as, top.key_line, path), "scalar", scalar(event))
                        if key in parent.items:
                            self.duplicate(parent, key, node)
                        else:
                            parent.items[key] = node
                elif kind is _MAPPING_END or kind is _SEQUENCE_END:
                    self.attach(stack.pop().node)
                elif kind is _DOCUMENT_START:
                    documents += 1
                    if documents > 1:
                        self.refuse(
                            event, "a spec file holds one YAML document; found a second '---'"
                        )
                elif isinstance(event, yaml.NodeEvent):
                    self.node(event)
        except _Refused as exc:
            return None, [exc.problem]
        return self.root, self.problems

    def refuse(self, event: Any, message: str) -> None:
        top = self.stack[-1] if self.stack else None
        path = top.node.loc.path if top else ""
        if top is not None and top.key is not None:
            path = f"{path}.{top.key}" if path else top.key
        raise _Refused(Problem(Location(self.shown_as, event.start_mark.line + 1, path), message))

    def node(self, event: Any) -> None:
        if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
            sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
            self.refuse(
                event,
                f"YAML anchors and aliases ('{sign}{one_line(str(event.anchor), 40)}') are not allowed in a spec: write the value out",
            )
        top = self.stack[-1] if self.stack else None
        line = event.start_mark.line + 1
        if top is not None and top.node.kind == "mapping" and top.key is None:
            if not isinstance(event, yaml.ScalarEvent):
                self.refuse(event, "a mapping key must be text, not a mapping or a list")
            top.key, top.key_line = str(self.scalar(event)), line
            return
        if top is None:
            path = ""
        elif top.node.kind == "mapping":
            assert top.key is not None
            path = f"{top.node.loc.path}.{top.key}" if top.node.loc.path else top.key
            # A key's line is where the key is written, even when its value starts below.
            line = top.key_line
        else:
            path = f"{top.node.loc.path}[{len(top.node.seq)}]"
        loc = Location(self.shown_as, line, path)
        if isinstance(event, yaml.ScalarEvent):
            self.attach(Node(loc, "scalar", value=self.scalar(event)))
            return
        if len(self.stack) >= MAX_DEPTH:
            self.refuse(event, f"nested more than {MAX_DEPTH} levels deep")
        kind = "mapping" if isinstance(event, yaml.MappingStartEvent) else "sequence"
        self.stack.append(_Open(Node(loc, kind)))

    def attach(self, node: Node) -> None:
        if not self.stack:
            self.root = node
            return
        top = self.stack[-1]
        if top.node.kind == "sequence":
            top.node.seq.append(node)
            return
        assert top.key is not None
        key, top.key = top.key, None
        if key in top.node.items:
            self.duplicate(top.node, key, node)
            return
        top.node.items[key] = node

    def duplicate(self, parent: Node, key: str, node: Node) -> None:
        first = parent.items[key].loc.line
        noun = _noun(parent.loc.path)
        self.problems.append(
            Problem(node.loc, f"duplicate {noun} '{key}' (first defined at line {first})")
        )

    def scalar(self, event: Any) -> object:
        tag = event.tag
        if tag is None and event.implicit == (False, True):
            # quoted or block, untagged: text as written (the resolver's answer)
            return str(event.value)
        plain = tag is None and event.implicit == (True, False)
        if plain and event.value in _PLAIN:
            return _PLAIN[event.value]  # keys and small values repeat: resolved once
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        node = yaml.ScalarNode(
            tag, event.value, event.start_mark, event.end_mark, style=event.style
        )
        value: object = self.loader.construct_object(node, deep=True)
        if plain:
            if len(_PLAIN) >= _PLAIN_KEPT:
                _PLAIN.clear()
            _PLAIN[event.value] = value
        return value


def _noun(parent_path: str) -> str:
    last = parent_path.rpartition(".")[2]
    return {
        "types": "type",
        "fields": "field",
        "enum": "enum value",
        "methods": "method",
        "params": "parameter",
        "resources": "resource",
    }.get(last, "key")
