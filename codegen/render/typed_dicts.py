"""The `TypedDict` form of every object type (`types/_dicts.py`): what mypy checks a request dict
against, so that `{"part": ...}` is an error before it is a bad request.

Keys are the Python field names, and the wire (camelCase) names too where they differ, since a
request dict may use either. Output-only fields are left out: a request never sets them.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass

from .. import naming
from ..spec.model import Spec
from .text import deprecated, docstring
from .view import field_annotation


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
