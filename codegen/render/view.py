"""The intermediate model templates see: names already Python, text already safe, types already
annotations. Templates never touch the raw spec."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import naming
from ..spec.model import EnumType, Method, ObjectType, Resource, Spec, TypeRef
from .text import docstring_body

_PY_PRIMITIVES = {
    "string": "str",
    "boolean": "bool",
    "int32": "int",
    "uint32": "int",
    "int64": "int",
    "uint64": "int",
    "float": "float",
    "double": "float",
    "bytes": "str",
    "timestamp": "str",
    "duration": "str",
    "fieldmask": "str",
    "object": "dict[str, Any]",
    "any": "Any",
}


@dataclass(frozen=True)
class Kwarg:
    name: str  # Python keyword
    wire: str  # name on the wire
    annotation: str
    required: bool
    where: str  # "path" | "query" | "body"
    prefix: str = ""  # path only


@dataclass(frozen=True)
class MethodView:
    name: str
    doc: str
    http_method: str
    path_fstring: str  # the body of an f-string, placeholders already Python expressions
    kwargs: tuple[Kwarg, ...]
    request_type: str | None
    response_type: str
    kind: str  # "plain" | "stream" | "paginate"
    items: str = ""  # paginate: Python attribute holding the items
    item_type: str = ""
    page_token: str = ""
    next_page_token: str = ""

    @property
    def required_kwargs(self) -> tuple[Kwarg, ...]:
        return tuple(k for k in self.kwargs if k.required)

    @property
    def optional_kwargs(self) -> tuple[Kwarg, ...]:
        return tuple(k for k in self.kwargs if not k.required)

    def by_place(self, where: str) -> tuple[Kwarg, ...]:
        return tuple(k for k in self.kwargs if k.where == where)


@dataclass(frozen=True)
class ResourceView:
    wire: str
    attr: str  # client attribute
    cls: str  # sync class; async is "Async" + cls
    module: str  # resources/<module>.py
    doc: str
    methods: tuple[MethodView, ...]


@dataclass(frozen=True)
class PackageView:
    title: str
    doc: str
    base_url: str
    version: str
    auth_header: str
    api_key_env: tuple[str, ...]
    resources: tuple[ResourceView, ...]
    type_names: tuple[str, ...]
    dict_names: tuple[str, ...] = ()  # the TypedDict of every object type (types/_dicts.py)
    union_names: tuple[str, ...] = ()  # the hand-written input aliases (types/_inputs.py)


def annotation(
    ref: TypeRef,
    spec: Spec,
    *,
    accept_dicts: bool,
    unions: frozenset[str] = frozenset(),
    prefix: str = "types.",
) -> str:
    """The Python annotation of a value of this type.

    With `accept_dicts` (request inputs) an object type `X` also accepts its `XDict`, or is the
    hand-written `XUnion` (`XListUnion` for `list[X]`) when `types/_inputs.py` defines one; an enum
    also accepts its string.
    """
    if ref.kind == "primitive":
        return _PY_PRIMITIVES[ref.name]
    if ref.kind == "named":
        name = naming.type_name(ref.name)
        if not accept_dicts:
            return prefix + name
        if isinstance(spec.types.get(ref.name), EnumType):
            return f"{prefix}{name} | str"
        if f"{name}Union" in unions:
            return f"{prefix}{name}Union"
        return f"{prefix}{name} | {prefix}{name}Dict"
    assert ref.item is not None
    if ref.kind == "list" and ref.item.kind == "named" and accept_dicts:
        alias = f"{naming.type_name(ref.item.name)}ListUnion"
        if alias in unions:
            return prefix + alias
    inner = annotation(ref.item, spec, accept_dicts=accept_dicts, unions=unions, prefix=prefix)
    return f"Sequence[{inner}]" if ref.kind == "list" else f"Mapping[str, {inner}]"


def _path_fstring(path: str) -> str:
    def sub(m: re.Match[str]) -> str:
        return "{" + naming.param_name(m.group(2)) + "}"

    return re.sub(r"\{(\+?)([A-Za-z][A-Za-z0-9_]*)\}", sub, path)


def method_view(m: Method, spec: Spec, unions: frozenset[str] = frozenset()) -> MethodView:
    kwargs = [
        Kwarg(
            naming.param_name(p.name),
            p.name,
            annotation(
                p.type if not p.repeated else TypeRef("list", item=p.type),
                spec,
                accept_dicts=True,
                unions=unions,
            ),
            p.required,
            p.location,
            p.prefix,
        )
        for p in m.parameters
    ]
    path_names = {p.name for p in m.parameters if p.location == "path"}
    request = spec.types.get(m.request or "")
    if isinstance(request, ObjectType):
        kwargs += [
            Kwarg(
                naming.param_name(f.name),
                f.name,
                annotation(f.type, spec, accept_dicts=True, unions=unions),
                f.required,
                "body",
            )
            for f in request.fields
            if f.name not in path_names and not f.output_only
        ]
    # Path parameters first, then required ones, each group in spec order.
    order = {"path": 0, "query": 1, "body": 1}
    kwargs.sort(key=lambda k: (order[k.where], not k.required))
    assert m.response is not None, "validated: every generated method has a response type"
    kind, extra = "plain", {}
    if m.streaming:
        kind = "stream"
    elif m.pagination is not None:
        kind = "paginate"
        response = spec.types[m.response]
        assert isinstance(response, ObjectType)
        items = response.field(m.pagination.items)
        assert items is not None and items.type.item is not None
        extra = dict(
            items=naming.field_name(items.name),
            item_type=annotation(items.type.item, spec, accept_dicts=False),
            page_token=m.pagination.page_token,
            next_page_token=m.pagination.next_page_token,
        )
    return MethodView(
        name=naming.method_name(m.name),
        doc=docstring_body(m.description),
        http_method=m.http_method,
        path_fstring=_path_fstring(m.path),
        kwargs=tuple(kwargs),
        request_type=(
            f"types.{naming.type_name(request.name)}" if isinstance(request, ObjectType) else None
        ),
        response_type=f"types.{naming.type_name(m.response)}",
        kind=kind,
        **extra,
    )


def resource_view(r: Resource, spec: Spec, unions: frozenset[str] = frozenset()) -> ResourceView:
    return ResourceView(
        wire=r.name,
        attr=naming.resource_attr(r.name),
        cls=naming.resource_class(r.name),
        module=naming.snake(r.name),
        doc=docstring_body(r.description) or f"The `{r.name}` resource.",
        methods=tuple(method_view(m, spec, unions) for m in r.methods),
    )


def package_view(spec: Spec, unions: frozenset[str] = frozenset()) -> PackageView:
    s = spec.service
    return PackageView(
        title=docstring_body(s.title or s.name),
        doc=docstring_body(s.description),
        base_url=s.base_url,
        version=s.version,
        auth_header=s.auth_header,
        api_key_env=s.api_key_env,
        resources=tuple(
            resource_view(spec.resources[n], spec, unions) for n in sorted(spec.resources)
        ),
        type_names=tuple(sorted(naming.type_name(n) for n in spec.types)),
        dict_names=tuple(sorted(f"{naming.type_name(t.name)}Dict" for t in spec.objects())),
        union_names=tuple(sorted(unions)),
    )
