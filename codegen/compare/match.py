"""Which node of one spec is which node of the other: the one place renames are detected.

Names alone do not pair two specs' types: Discovery gives inline enums made-up names, and a type
renamed between two spec revisions keeps its structure. `TypeMatch` holds the pairs (base type,
head type) of one comparison and the renames among them, found two ways:

- through uses (`link`, `same_ref`; drift): the types met at the same place on both sides (a
  method's request, a field's type) are the same type, whatever their names. An object whose head
  name is the name *another* base type stands for (its own, or its `discovery:` name) is a changed
  type, not a rename; an enum is matched whatever its name, and never reported renamed
  (Discovery's enum names are made up).
- by structure (`by_shape`; diff): a type gone from the base and a type new in the head with the
  same fields and field types (renames inside applied) or the same enum values, each the only
  partner of the other.

Methods are renamed when one gone and one new method have the same endpoint (`by_endpoint`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace

from codegen.drift.names import discovery_names, google_name
from codegen.spec.model import EnumType, Method, ObjectType, Spec, TypeDef, TypeRef


def rename_ref(ref: TypeRef, name: Callable[[str], str]) -> TypeRef:
    """`ref` with every named type it reaches renamed by `name`: `ref` itself when `name` renames
    none of them (most of a comparison's types: a new frozen copy each cost more than comparing)."""
    if ref.kind == "named":
        renamed = name(ref.name)
        return ref if renamed == ref.name else replace(ref, name=renamed)
    if ref.item is not None:
        item = rename_ref(ref.item, name)
        return ref if item is ref.item else replace(ref, item=item)
    return ref


class TypeMatch:
    """The pairs (base type, head type) of one comparison, in the order they were found."""

    def __init__(self, base: Spec, head: Spec) -> None:
        self.base, self.head = base, head
        self.pairs: dict[tuple[str, str], None] = {}
        self.base_to_head: dict[str, str] = {}  # the first head type paired with each base type
        self.head_to_base: dict[str, str] = {}
        self.renamed: dict[tuple[str, str], None] = {}  # pairs that are one type under two names
        self.sites: dict[tuple[str, str], list[str]] = {}  # enum pairs: the fields they were met at
        self.queue: list[tuple[str, str]] = []  # new pairs whose insides are still to compare
        # Head name -> the base type standing for it: its own name, or the one its `discovery:` says.
        self.stands_for = discovery_names(base)

    def pair(self, b: str, h: str) -> None:
        if (b, h) not in self.pairs:
            self.pairs[(b, h)] = None
            self.queue.append((b, h))
            self.head_to_base.setdefault(h, b)
            self.base_to_head.setdefault(b, h)

    def in_base_names(self, ref: TypeRef) -> TypeRef:
        """A head type expression in the base's names, where paired."""
        return rename_ref(ref, lambda n: self.head_to_base.get(n, n))

    # -- through uses ----------------------------------------------------------------------------

    def link(self, b: str, h: str, site: str | None) -> bool:
        """Pair base type `b` with head type `h`, met at field `site`; False when they differ."""
        bt, ht = self.base.types.get(b), self.head.types.get(h)
        if bt is None or ht is None:  # a dangling name: the validator's / normaliser's business
            return bt is None and ht is None
        if isinstance(bt, EnumType) != isinstance(ht, EnumType):
            return False
        if isinstance(bt, ObjectType) and h != google_name(bt):
            other = self.stands_for.get(h)
            if other is not None and other != b:
                return False  # the head uses another type the base knows
            self.renamed.setdefault((b, h), None)
        if isinstance(bt, EnumType) and site is not None:
            self.sites.setdefault((b, h), []).append(site)
        self.pair(b, h)
        return True

    def same_ref(self, b: TypeRef, h: TypeRef, site: str | None) -> bool:
        """Whether two type expressions are the same, pairing the named types they reach."""
        if b.kind != h.kind:
            bl, hl = b.named(), h.named()
            if bl is not None and hl is not None:
                self.link(bl, hl, site)  # keep comparing what is inside (list[X] -> X, say)
            return False
        if b.kind in ("list", "map"):
            assert b.item is not None and h.item is not None
            return self.same_ref(b.item, h.item, site)
        if b.kind == "primitive":
            return b.name == h.name
        return self.link(b.name, h.name, site)

    # -- by structure ----------------------------------------------------------------------------

    def by_shape(self) -> dict[str, str]:
        """Pair (and return) the types that only changed their name, inner types first, until
        nothing more matches. Types both sides name alike are paired by name."""
        old, new = self.base, self.head
        gone = [n for n in old.types if n not in new.types]
        fresh = [n for n in new.types if n not in old.types]
        found: dict[str, str] = {}
        changed = True
        while changed:
            changed = False
            taken = set(found.values())
            shapes = {n: _shape(new.types[n], {}) for n in fresh if n not in taken}
            for o in gone:
                if o in found:
                    continue
                shape = _shape(old.types[o], found)
                if not shape[1]:
                    continue  # an empty type matches anything: never a rename
                matches = [n for n, sh in shapes.items() if sh == shape]
                rivals = [
                    g for g in gone if g not in found and _shape(old.types[g], found) == shape
                ]
                if len(matches) == 1 and len(rivals) == 1:
                    found[o] = matches[0]
                    changed = True
                    break
        for o, n in found.items():
            self.renamed.setdefault((o, n), None)
            self.pair(o, n)
        return found


def _shape(t: TypeDef, names: Mapping[str, str]) -> tuple[str, frozenset[tuple[str, str]]]:
    """What a type is, without its name or text: its fields and their types, or its values."""
    if isinstance(t, EnumType):
        return "enum", frozenset((v.name, "") for v in t.values)
    return "object", frozenset(
        (f.name, str(rename_ref(f.type, lambda n: names.get(n, n)))) for f in t.fields
    )


_PLACEHOLDER = re.compile(r"\{(\+?)[A-Za-z][A-Za-z0-9_]*\}")


def endpoint(m: Method) -> tuple[str, str]:
    """The HTTP method and path, placeholder names dropped: renaming `{+model}` moves nothing."""
    return m.http_method, _PLACEHOLDER.sub(lambda g: "{" + g.group(1) + "}", m.path)


def by_endpoint(gone: Mapping[str, Method], fresh: Mapping[str, Method]) -> dict[str, str]:
    """Methods that only changed their name: a gone and a new method of the same endpoint, the new
    one the only new method there (taken by the first gone one, in name order)."""
    at: dict[tuple[str, str], list[str]] = {}
    for name in sorted(fresh):
        at.setdefault(endpoint(fresh[name]), []).append(name)
    found: dict[str, str] = {}
    for name in sorted(gone):
        match = at.get(endpoint(gone[name]), [])
        if len(match) == 1 and match[0] not in found.values():
            found[name] = match[0]
    return found
