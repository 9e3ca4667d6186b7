"""What bootstrap leaves out because the spec language cannot say it, with a warning for each.

The loader refuses some shapes Google's documents use: a method with no response type, a
parameter whose name the spec language cannot spell (`filter.name`), an enum value that is not
an identifier (`image/png`), resources nested deeper than the loader reads. Bootstrap writes a
spec without them, each named in a warning for a person to read, rather than a spec its own
loader refuses. An enum with such a value becomes a plain `string` on the fields that use it (the
values stay readable: the API's strings pass through); the other shapes are left out.
"""

from __future__ import annotations

from dataclasses import replace

from codegen import naming
from codegen.spec.loader import MAX_RESOURCE_DEPTH
from codegen.spec.model import Location, ObjectType, Resource, Spec, TypeRef

from .normalise import NormaliseWarning


def _warn(out: list[NormaliseWarning], where: str, message: str) -> None:
    out.append(NormaliseWarning(Location("<discovery>", 0, where), message))


def _strip(ref: TypeRef, gone: set[str]) -> TypeRef:
    if ref.kind in ("list", "map") and ref.item is not None:
        return replace(ref, item=_strip(ref.item, gone))
    if ref.kind == "named" and ref.name in gone:
        return TypeRef("primitive", "string")
    return ref


def fit(spec: Spec) -> tuple[Spec, list[NormaliseWarning]]:
    """The spec without what the loader would refuse, and a warning for each thing left out."""
    warnings: list[NormaliseWarning] = []
    gone = {
        t.name for t in spec.enums() if any(not naming.ENUM_VALUE.match(v.name) for v in t.values)
    }
    for name in sorted(gone):
        _warn(
            warnings,
            spec.types[name].loc.path,
            f"enum {name} has a value the spec language cannot spell; its fields are plain strings",
        )
    types = {}
    for name, t in spec.types.items():
        if name in gone:
            continue
        if isinstance(t, ObjectType):
            t = replace(t, fields=tuple(replace(f, type=_strip(f.type, gone)) for f in t.fields))
        types[name] = t

    def resource(r: Resource, path: str, depth: int) -> Resource:
        methods = []
        for m in r.methods:
            where = f"{path}.{m.name}"
            if m.response is None and not m.download:
                _warn(warnings, m.loc.path, f"method {where} has no response type; left out")
                continue
            params = []
            for p in m.parameters:
                if naming.WIRE_NAME.match(p.name):
                    params.append(replace(p, type=_strip(p.type, gone)))
                elif p.required:
                    break
                else:
                    _warn(
                        warnings,
                        p.loc.path,
                        f"parameter {p.name!r} of {where} cannot be spelled; left out",
                    )
            else:
                methods.append(replace(m, parameters=tuple(params)))
                continue
            _warn(
                warnings,
                m.loc.path,
                f"method {where} needs a parameter that cannot be spelled; left out",
            )
        kids = []
        for c in r.resources:
            if depth + 1 > MAX_RESOURCE_DEPTH:
                _warn(
                    warnings, c.loc.path, f"resource {path}.{c.name} is nested too deep; left out"
                )
            else:
                kids.append(resource(c, f"{path}.{c.name}", depth + 1))
        return replace(r, methods=tuple(methods), resources=tuple(kids))

    resources = {n: resource(r, n, 1) for n, r in spec.resources.items()}
    return replace(spec, types=types, resources=resources), warnings
