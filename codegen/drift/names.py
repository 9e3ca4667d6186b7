"""Which spec type stands for which Discovery type, and the name a new one gets when the spec
already holds its Discovery name.

A spec type stands for the Discovery type of its own name, unless it says otherwise with
`discovery: GoogleName` (the explicit key wins over a same-named type without one).

The collision rule, chosen once and recorded by `discovery:` on the new type, so that it never
changes from run to run and never grows a number: Google's `Name` becomes `NameObject` (an
object type) or `NameEnum` (an enum) when the spec holds `Name` for something else; when that is
taken too there is no readable name, and the type is left for a person.
"""

from __future__ import annotations

from collections.abc import Iterable

from codegen.spec.model import EnumType, Spec, TypeDef


def discovery_names(spec: Spec) -> dict[str, str]:
    """Discovery type name -> the spec type that stands for it."""
    out = {name: name for name, t in spec.types.items() if not t.discovery}
    out.update({t.discovery: name for name, t in spec.types.items() if t.discovery})
    return out


def google_name(t: TypeDef) -> str:
    """The Discovery name a spec type stands for."""
    return t.discovery or t.name


def collision_name(name: str, t: TypeDef, taken: set[str]) -> str | None:
    """The spec name for Google's new type `name` when the spec holds `name`; None if none is free."""
    if name not in taken:
        return name
    candidate = name + ("Enum" if isinstance(t, EnumType) else "Object")
    return None if candidate in taken else candidate


def shared_enum_values(pairs: Iterable[tuple[str, str]], api: Spec) -> dict[str, frozenset[str]]:
    """Spec enum -> the values of every API enum it stands for, when it stands for several.

    The spec may share one enum among fields that Discovery types with separate inline enums
    (`HarmCategory` on `SafetySetting.category` and `SafetyRating.category`). When Google adds a
    value to only some of them, sync adds it to the shared enum; the others then lack it, which is
    no reason to say the spec has a value the API lacks: the API has it, on another field."""
    by_spec: dict[str, list[str]] = {}
    for s, a in pairs:
        if isinstance(api.types.get(a), EnumType):
            by_spec.setdefault(s, []).append(a)
    out: dict[str, frozenset[str]] = {}
    for s, names in by_spec.items():
        if len(names) > 1:
            out[s] = frozenset(
                v.name
                for a in names
                for v in api.types[a].values  # type: ignore[union-attr]
            )
    return out
