"""Which spec descriptions `codegen sync` takes from the Discovery document.

Drift leaves prose alone (`codegen.compare.rules.NOT_COMPARED`); sync keeps it current in a step
of its own. Every spec node that stands for a Discovery node (a type matched as drift matches them,
its fields and enum values, a method and its parameters) and has a description is compared with
Discovery's description of it, as the normaliser writes it (`codegen.discovery.text.full`: whole,
one safe line, bounded). What happens then depends on `mode`:

- `extend` (the default): Discovery's text is taken where it *extends* the spec's: the spec holds
  a prefix of it (the first sentence that bootstrap and sync used to keep, or a text cut with
  `...`), whitespace aside. A description written by hand, or one Google has since reworded, is
  left alone: the spec cannot tell which of the two it is.
- `all`: Discovery's text is taken wherever it differs (Google reworded it; also replaces
  descriptions written by hand for a Discovery node: review the diff).
- `keep`: descriptions are never touched.

A node without a description in the spec, a node Discovery does not describe (hand-written parts:
Live, Interactions) and a description Discovery leaves empty are left alone. New nodes that sync
adds carry Discovery's full text anyway.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from codegen.drift.compare import resource_tree
from codegen.spec.emit import dump, enum_value_data
from codegen.spec.model import EnumType, EnumValue, ObjectType, Spec

Mode = Literal["extend", "all", "keep"]
MODES: tuple[Mode, ...] = ("extend", "all", "keep")
_CUT = ("...", "…")


@dataclass(frozen=True)
class Refresh:
    """A description to replace: the YAML path of the key that holds it, and the key's new text
    (at column 0, ending in a newline)."""

    file: str
    key: str
    text: str


def extends(spec_text: str, api_text: str) -> bool:
    """Whether `api_text` is `spec_text` made longer: the spec's text (whitespace folded, a final
    `...` dropped) is a prefix of Discovery's ending at a word's end."""
    s = " ".join(spec_text.split())
    for mark in _CUT:
        if s.endswith(mark):
            s = s[: -len(mark)].rstrip()
    if not s or len(s) >= len(api_text) or not api_text.startswith(s):
        return False
    return not (s[-1].isalnum() and api_text[len(s)].isalnum())


def _wanted(spec_text: str, api_text: str, mode: Mode) -> bool:
    if not spec_text or not api_text or spec_text == api_text or mode == "keep":
        return False
    return mode == "all" or extends(spec_text, api_text)


def _described(
    spec: Spec, api: Spec, pairs: Mapping[str, str]
) -> Iterator[tuple[str, str, str, bool]]:
    """(YAML path of the node, the spec's description, Discovery's, whether it is an enum value)
    for every spec node that stands for a Discovery node, in the spec's order."""
    for name, st in spec.types.items():
        at = api.types.get(pairs.get(name, ""))
        if at is None:
            continue
        yield st.loc.path, st.description, at.description, False
        if isinstance(st, ObjectType) and isinstance(at, ObjectType):
            for f in st.fields:
                af = at.field(f.name)
                if af is not None:
                    yield f.loc.path, f.description, af.description, False
        elif isinstance(st, EnumType) and isinstance(at, EnumType):
            api_values = {v.name: v for v in at.values}
            for v in st.values:
                if v.name in api_values:
                    yield v.loc.path, v.description, api_values[v.name].description, True
    api_tree = resource_tree(api)
    for path, r in resource_tree(spec).items():
        ar = api_tree.get(path)
        if ar is None:
            continue
        for m in r.methods:
            am = ar.method(m.name)
            if am is None:
                continue
            yield m.loc.path, m.description, am.description, False
            for p in m.parameters:
                ap = am.parameter(p.name)
                if ap is not None:
                    yield p.loc.path, p.description, ap.description, False


def refreshes(
    spec: Spec, api: Spec, pairs: Mapping[str, str], mode: Mode = "extend"
) -> list[Refresh]:
    """The descriptions `mode` takes from Discovery (`api`, normalised) into `spec`; `pairs`: the
    API type each spec type stands for, as drift matched them (`codegen.drift.compare.compared`)."""
    out: list[Refresh] = []
    seen: set[str] = set()
    for path, mine, theirs, value in _described(spec, api, pairs):
        if path in seen or not _wanted(mine, theirs, mode):
            continue
        seen.add(path)
        key = f"{path}.description"
        if key in spec.locations:
            text = dump({"description": theirs})
        elif value and path in spec.locations:  # `VALUE: description`
            key = path
            name = path.rpartition(".")[2]
            text = dump({name: enum_value_data(EnumValue(name, theirs))})
        else:
            continue
        out.append(Refresh(spec.locations[key].file, key, text))
    return out
