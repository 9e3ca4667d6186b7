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
