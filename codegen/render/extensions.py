"""The hand-written parts of `types/` the generator builds on, found by name.

- `templates/package/types/_bases.py`: a class `XBase` becomes the base class of the generated type
  `X` (helpers such as `Part.from_text` or `GenerateContentResponse.text`); every other request
  body type inherits `RequestModel` (which checks request dicts' keys), the rest the core
  `BaseModel`. A base may not define a name that is one of the type's fields, and the base of a
  request body type must derive from `RequestModel`. A base deriving `Generic[P, ...]` makes `X`
  generic in the same parameters (`GenerateContentResponse[T]`: what `.parsed` holds).
- `templates/package/types/_inputs.py`: an alias `XUnion` (`XListUnion`) is what a request accepts
  where the spec says `X` (`list[X]`), e.g. `ContentListUnion` lets `contents="Hello"` through;
  elsewhere a request accepts `X | XDict`. An alias `<Type><Field>Union` is what the one field
  accepts (`GenerateContentRequestCachedContentUnion`: a cache's name or the `CachedContent`).

An extension of a type the spec lacks is left out (a reduced spec, as in the generator's tests);
the helpers' own tests (tests/helpers/) fail if the real spec loses a type they extend.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from .. import naming
from ..spec.errors import Problem, SpecError
from ..spec.model import Location, ObjectType, Spec
from .view import field_union

BASES_FILE = "package/types/_bases.py"
INPUTS_FILE = "package/types/_inputs.py"
REQUEST_BASE = "RequestModel"
SHORT_FORMS_BASE = "ShortForms"  # its types convert the short forms (`ContentUnion`, `ToolUnion`)


@dataclass(frozen=True)
class Extensions:
    bases: dict[str, str]  # Python class name of a type -> its hand-written base (else BaseModel)
    unions: frozenset[str]  # the `XUnion` / `XListUnion` aliases of `_inputs.py`
    short_forms: frozenset[str] = frozenset()  # class names of the types converting short forms
    generic: dict[str, tuple[str, ...]] = field(default_factory=dict)  # class -> type parameters


def _module(template_dir: Path, rel: str) -> tuple[str, ast.Module]:
    path = template_dir / rel
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return f"templates/{rel}", ast.parse(text, filename=str(path))


def _class_members(node: ast.ClassDef) -> set[str]:
    names: set[str] = set()
    for item in node.body:
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(item.name)
        elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            names.add(item.target.id)
        elif isinstance(item, ast.Assign):
            names.update(t.id for t in item.targets if isinstance(t, ast.Name))
    return names


def _type_parameters(node: ast.ClassDef) -> tuple[str, ...]:
    """`("T",)` for a class deriving `Generic[T]`, else `()`."""
    for b in node.bases:
        if (
            isinstance(b, ast.Subscript)
            and isinstance(b.value, ast.Name)
            and b.value.id == "Generic"
        ):
            items = b.slice.elts if isinstance(b.slice, ast.Tuple) else [b.slice]
            return tuple(i.id for i in items if isinstance(i, ast.Name))
    return ()


def load_extensions(spec: Spec, template_dir: Path) -> Extensions:
    """The bases and input aliases the templates define, checked against the spec."""
    objects = {naming.type_name(t.name): t for t in spec.objects()}
    problems: list[Problem] = []
    # A base's members, its own and those of the hand-written classes it derives from.
    file, tree = _module(template_dir, BASES_FILE)
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}

    def ancestry(name: str, seen: frozenset[str] = frozenset()) -> list[ast.ClassDef]:
        """The class and the hand-written classes it derives from."""
        node = classes.get(name)
        if node is None or name in seen:
            return []
        found = [node]
        for b in node.bases:
            if isinstance(b, ast.Name):
                found += ancestry(b.id, seen | {name})
        return found

    requests = {
        naming.type_name(m.request)
        for _, r in spec.all_resources()
        for m in r.methods
        if m.request and isinstance(spec.types.get(m.request), ObjectType)
    }

    bases: dict[str, str] = {}
    generic: dict[str, tuple[str, ...]] = {}
    short_forms: set[str] = set(requests)
    for name, node in classes.items():
        if not name.endswith("Base") or name.startswith("_"):
            continue
        owner = objects.get(name[: -len("Base")])
        if owner is None:
            continue
        where = Location(file, node.lineno, name)
        line = ancestry(name)
        members = {m for c in line for m in _class_members(c) if not m.startswith("_")}
        fields = {naming.field_name(f.name) for f in owner.fields}
        if naming.type_name(owner.name) in requests and REQUEST_BASE not in {c.name for c in line}:
            problems.append(
                Problem(where, f"{owner.name} is a request body: derive {name} from {REQUEST_BASE}")
            )
        for clash in sorted(fields & members):
            problems.append(
                Problem(where, f"defines `{clash}`, a field of {owner.name}: rename the helper")
            )
        bases[naming.type_name(owner.name)] = name
        if SHORT_FORMS_BASE in {c.name for c in line}:
            short_forms.add(naming.type_name(owner.name))
        if _type_parameters(node):
            generic[naming.type_name(owner.name)] = _type_parameters(node)
    for cls in requests:
        bases.setdefault(cls, REQUEST_BASE)

    file, tree = _module(template_dir, INPUTS_FILE)
    fields = {field_union(t.name, f.name) for t in objects.values() for f in t.fields}
    unions: set[str] = set()
    for stmt in tree.body:
        target = (
            stmt.target
            if isinstance(stmt, ast.AnnAssign)
            else stmt.targets[0]
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
            else None
        )
        if not isinstance(target, ast.Name) or not target.id.endswith("Union"):
            continue
        if target.id.removesuffix("Union").removesuffix("List") in objects or target.id in fields:
            unions.add(target.id)

    # The names the generated types module imports or defines next to the spec's own types.
    helpers = {REQUEST_BASE, *bases.values(), *unions}
    helpers |= {f"{name}Dict" for name in objects}
    for t in spec.types.values():
        if naming.type_name(t.name) in helpers:
            problems.append(
                Problem(
                    t.loc, f"the type name {t.name} is taken by a hand-written or generated helper"
                )
            )
    if problems:
        raise SpecError(problems)
    return Extensions(
        bases=bases,
        unions=frozenset(unions),
        short_forms=frozenset(short_forms),
        generic=generic,
    )
