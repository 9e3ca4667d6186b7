"""YAML read with a line number on every node, and duplicate keys caught rather than overwritten."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import Problem, SpecError
from .model import Location

# libyaml's parser when PyYAML was built with it (3x faster on the whole spec); same nodes and marks.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
    """Parse one file; syntax errors and duplicate keys come back as problems."""
    problems: list[Problem] = []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(Location(shown_as, 0, ""), f"cannot read: {exc}")]
    loader = _LOADER(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        reason = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        return None, [Problem(Location(shown_as, line, ""), f"YAML syntax error: {reason}")]
    except yaml.YAMLError as exc:
        return None, [Problem(Location(shown_as, 0, ""), f"YAML error: {exc}")]
    finally:
        loader.dispose()
    if root is None:
        return None, []

    def convert(node: yaml.Node, path: str) -> Node:
        loc = Location(shown_as, node.start_mark.line + 1, path)
        if isinstance(node, yaml.MappingNode):
            out = Node(loc, "mapping")
            for key_node, value_node in node.value:
                key = loader.construct_object(key_node, deep=True)
                key_s = str(key)
                child_path = f"{path}.{key_s}" if path else key_s
                if key_s in out.items:
                    first = out.items[key_s].loc.line
                    problems.append(
                        Problem(
                            Location(shown_as, key_node.start_mark.line + 1, child_path),
                            f"duplicate {_noun(path)} '{key_s}' (first defined at line {first})",
                        )
                    )
                    continue
                child = convert(value_node, child_path)
                # A key's line is where the key is written, even when its value starts below.
                child.loc = Location(shown_as, key_node.start_mark.line + 1, child_path)
                out.items[key_s] = child
            return out
        if isinstance(node, yaml.SequenceNode):
            return Node(
                loc, "sequence", seq=[convert(n, f"{path}[{i}]") for i, n in enumerate(node.value)]
            )
        return Node(loc, "scalar", value=loader.construct_object(node, deep=True))

    try:
        tree = convert(root, "")
    except yaml.YAMLError as exc:  # e.g. an unhashable or invalid tagged scalar
        raise SpecError([Problem(Location(shown_as, 0, ""), f"YAML error: {exc}")]) from None
    return tree, problems


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
