"""Hand-written types the Discovery document now describes: Discovery's definition wins.

A spec type is hand-written when a `spec_only` rule of drift-ignore.yaml names it (by name or by
pattern: `BidiGenerateContent*`). When drift pairs it with a Discovery type of the same kind
(through its uses, else by name), `codegen sync` adopts it:

- its definition becomes Discovery's (fields or values, types, flags, descriptions, in Discovery's
  order), under the spec's own name, so every reference in every file keeps working; an object
  Google names otherwise records Google's name with `discovery:`;
- what only the hand-written definition has (a field or enum value Discovery lacks) is kept, after
  Google's, and listed for a person: keep it with a `spec_only` rule naming it, or delete it. A
  hand-written description stays only where Discovery has none;
- it is written where sync writes a type Discovery adds (its topic file, else next to the first
  thing Discovery says uses it), and leaves the hand-written file; a type nothing in Discovery
  uses and no topic names is replaced where it is;
- the `spec_only` rules stop naming it: a rule naming only it goes, a pattern naming other types
  too is replaced by the names it still covers.

A hand-written type whose name Discovery uses for a type of another kind (an enum the spec wrote,
an object Google added) is not the same type: it stays, and so does its rule; Google's type gets
the collision name (`SourceObject`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase

from codegen.drift.findings import Finding, Suggestion
from codegen.drift.ignore import Rule, Rules
from codegen.spec.model import EnumType, ObjectType, Spec, TypeDef, TypeRef

KIND = "type-missing"  # adoptions travel through sync as new types: placed and settled alike


@dataclass(frozen=True)
class Adoption:
    name: str  # the spec's name, kept
    google: str  # Discovery's name
    old: TypeDef  # the hand-written definition
    new: TypeDef  # Discovery's, in the spec's names, with what only the hand-written one had
    kept: tuple[str, ...]  # fields or enum values only the hand-written definition has
    rules: tuple[Rule, ...]  # the spec_only rules naming it
    finding: Finding  # what sync places and settles

    @property
    def kept_paths(self) -> tuple[str, ...]:
        part = "fields" if isinstance(self.old, ObjectType) else "enum"
        return tuple(f"types.{self.name}.{part}.{k}" for k in self.kept)


def names(rule: Rule, name: str) -> bool:
    """Whether a `spec_only` rule names a type (or resource) `name` itself."""
    if rule.section != "spec_only" or rule.pattern.count(".") != name.count("."):
        return False
    return fnmatchcase(name, rule.pattern) if rule.wild else name == rule.pattern


def _merged(name: str, google: str, old: TypeDef, new: TypeDef) -> tuple[TypeDef, tuple[str, ...]]:
    """Discovery's definition `new` (in spec names) under `name`, with what only `old` has after it."""
    description = new.description or old.description
    if isinstance(old, ObjectType) and isinstance(new, ObjectType):
        hand = {f.name: f for f in old.fields}
        fields = [
            f
            if f.description or f.name not in hand
            else replace(f, description=hand[f.name].description)
            for f in new.fields
        ]
        extra = [f for f in old.fields if new.field(f.name) is None]
        discovery = old.discovery or (google if google != name else "")
        merged: TypeDef = replace(
            new,
            name=name,
            fields=tuple(fields + extra),
            description=description,
            discovery=discovery,
            loc=old.loc,
        )
        return merged, tuple(f.name for f in extra)
    assert isinstance(old, EnumType) and isinstance(new, EnumType)
    hand_values = {v.name: v for v in old.values}
    values = [
        v
        if v.description or v.name not in hand_values
        else replace(v, description=hand_values[v.name].description)
        for v in new.values
    ]
    extra_values = [v for v in old.values if v.name not in {x.name for x in new.values}]
    merged = replace(
        new,
        name=name,
        values=tuple(values + extra_values),
        description=description,
        discovery=old.discovery,  # Discovery's enum names are made up: matched through uses
        loc=old.loc,
    )
    return merged, tuple(v.name for v in extra_values)


def _users(api: Spec, google: str, spec_name: Callable[[str], str]) -> tuple[str, ...]:
    """What uses Discovery type `google`, in the spec's names: types, and `resource.method`."""
    out: set[str] = set()
    for t in api.objects():
        if t.name != google and any(_leaf(f.type) == google for f in t.fields):
            out.add(spec_name(t.name))
    for path, r in api.all_resources():
        for m in r.methods:
            refs = [m.request, m.response, *(_leaf(p.type) for p in m.parameters)]
            if google in refs:
                out.add(f"{path}.{m.name}")
    return tuple(sorted(out))


def _leaf(ref: TypeRef) -> str | None:
    return ref.named()


def adoptions(
    spec: Spec,
    api: Spec,
    rules: Rules,
    paired: dict[str, str],
    in_spec_names: Callable[[TypeDef], TypeDef],
    type_file: Callable[[str], str | None],
) -> list[Adoption]:
    """The hand-written spec types Discovery now describes, in the spec's order. `paired`: spec
    type -> the API type drift paired it with; `type_file(name)`: the topic file of a type, if
    any (a type with neither a topic nor a user in Discovery is replaced where it is)."""
    spec_only = rules.section("spec_only")
    first_spec: dict[str, str] = {}
    for s, a in paired.items():
        first_spec.setdefault(a, s)

    def spec_name(a: str) -> str:
        return first_spec.get(a) or in_spec_names(api.types[a]).name

    naming = _naming(spec_only)
    out = []
    for name, old in spec.types.items():
        google = paired.get(name)
        if google is None or first_spec.get(google) != name or not naming(name):
            continue
        api_type = api.types[google]
        if isinstance(old, EnumType) != isinstance(api_type, EnumType):
            continue  # the same name for another kind of thing: not the same type
        new, kept = _merged(name, google, old, in_spec_names(api_type))
        kind = "enum" if isinstance(old, EnumType) else "type"
        aka = "" if google == name else f" (the API calls it {google})"
        finding = Finding(
            KIND,
            name,
            f"the API now describes {kind} {name}{aka}, written by hand in {old.loc.file}: "
            "Discovery's definition replaces it",
            old.loc.file_line if old.loc.line > 0 else None,
            api_type.loc.path or None,
            via=tuple(u for u in _users(api, google, spec_name) if u != name),
            suggestion=Suggestion(type_file(name) or old.loc.file, "types", new),
        )
        out.append(Adoption(name, google, old, new, kept, naming(name), finding))
    return out


def _naming(spec_only: tuple[Rule, ...]) -> Callable[[str], tuple[Rule, ...]]:
    """`name` -> the rules of `spec_only` that name it (`names`), in their order: a rule without
    wildcards is looked up, not tried against each of the spec's types."""
    exact: dict[str, list[int]] = {}
    wild: list[int] = []
    for i, r in enumerate(spec_only):
        if r.wild:
            wild.append(i)
        else:
            exact.setdefault(r.pattern, []).append(i)

    def naming(name: str) -> tuple[Rule, ...]:
        found = exact.get(name, []) + [i for i in wild if names(spec_only[i], name)]
        return tuple(spec_only[i] for i in sorted(found))

    return naming


def inside(spec: Spec, name: str) -> set[str]:
    """The `file:line` of every key of type `name`'s block."""
    prefix = f"types.{name}"
    return {
        loc.file_line
        for path, loc in spec.locations.items()
        if loc.line > 0 and (path == prefix or path.startswith(prefix + "."))
    }


def settled_by(
    findings: list[Finding], adopted: list[Adoption], spec: Spec
) -> tuple[list[Finding], dict[int, Adoption]]:
    """The findings adoption leaves (those inside an adopted type are Discovery's definition now,
    except what only the hand-written one has: those stay, for a person), and which of those are
    such kept parts (by id, with their adoption)."""
    lines: dict[str, Adoption] = {}
    kept_lines: dict[str, Adoption] = {}
    for a in adopted:
        for line in inside(spec, a.name):
            lines[line] = a
        for path in a.kept_paths:
            at = spec.locations.get(path)
            if at is not None and at.line > 0:
                kept_lines[at.file_line] = a
    out: list[Finding] = []
    kept: dict[int, Adoption] = {}
    for f in findings:
        loc = f.spec_location
        if loc is not None and loc in kept_lines and f.kind in ("field-gone", "enum-value-gone"):
            kept[id(f)] = kept_lines[loc]
            out.append(f)
        elif loc is None or loc not in lines:
            out.append(f)
    return out, kept
