"""The `TypedDict` form of every object type (`types/_dicts.py`): what mypy checks a request dict
against, so that `{"part": ...}` is an error before it is a bad request; and, by the same rule,
what a typed model's constructor accepts for a field (`constructor_inputs`).

Keys are the Python field names, and the wire (camelCase) names too where they differ, since a
request dict may use either. Output-only fields are left out: a request never sets them.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass

from .. import naming
from ..spec.model import Spec, TypeRef
from .text import deprecated, docstring
from .view import field_annotation, field_union


@dataclass(frozen=True)
class DictKey:
    name: str
    annotation: str
    doc: str


@dataclass(frozen=True)
class TypedDictView:
    name: str
    doc: str
    keys: tuple[DictKey, ...]


def typed_dict_views(spec: Spec, unions: frozenset[str]) -> tuple[TypedDictView, ...]:
    views = []
    for t in sorted(spec.objects(), key=lambda t: t.name):
        keys: list[DictKey] = []
        for f in t.fields:
            if f.output_only:
                continue
            ann = field_annotation(t, f, spec, unions=unions, prefix="")
            py = naming.field_name(f.name)
            text = deprecated(f.description) if f.deprecated else f.description
            keys.append(DictKey(py, ann, docstring(text, 4)))
            if f.name != py and not keyword.iskeyword(f.name):
                keys.append(DictKey(f.name, ann, f"The wire name of `{py}`."))
        name = naming.type_name(t.name)
        views.append(
            TypedDictView(
                f"{name}Dict",
                docstring(f"The dict form of `{name}`. {t.description}", 4),
                tuple(keys),
            )
        )
    return tuple(views)


def _widens(ref: TypeRef) -> bool:
    """Whether a request input of this type is wider than the value read back: an object (its
    dict form), an enum (its string), a time (a `datetime` / `timedelta`), or a list or map of one."""
    if ref.kind == "primitive":
        return ref.name in ("timestamp", "duration")
    if ref.kind == "named":
        return True
    assert ref.item is not None
    return _widens(ref.item)


def constructor_inputs(
    spec: Spec, unions: frozenset[str], short_forms: frozenset[str]
) -> dict[str, dict[str, str]]:
    """Class name -> field wire name -> what the model's constructor accepts for the field, where
    that is wider than what reading the field gives: the field's `TypedDict` annotation, so that
    `X(field=v)` type-checks as `{"field": v}` does. A type-wide short form (`ContentUnion`,
    `ToolUnion`...) only on the types that convert them (`short_forms`: those deriving the
    hand-written `ShortForms`, every request body among them); a one-field alias
    (`GenerationConfigResponseSchemaUnion`) wherever `_inputs.py` defines it."""
    objects = {naming.type_name(t.name) for t in spec.objects()}
    type_wide = frozenset(
        u for u in unions if u.removesuffix("Union").removesuffix("List") in objects
    )
    out: dict[str, dict[str, str]] = {}
    for t in spec.objects():
        cls = naming.type_name(t.name)
        allowed = unions if cls in short_forms else unions - type_wide
        fields = {
            f.name: field_annotation(t, f, spec, unions=allowed, prefix="")
            for f in t.fields
            if not f.output_only and (_widens(f.type) or field_union(t.name, f.name) in allowed)
        }
        if fields:
            out[cls] = fields
    return out
