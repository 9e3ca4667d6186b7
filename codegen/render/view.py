"""The intermediate model templates see: names already Python, text already safe, types already
annotations. Templates never touch the raw spec."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .. import naming
from ..spec.model import EnumType, Field, Method, ObjectType, Resource, Spec, TypeRef
from .text import deprecated as mark_deprecated
from .text import LIMIT, description_lines, docstring, docstring_body, escape

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

# What a request takes for a time: a Python value or the wire's string (the core's
# WireTimestamp/WireDuration write it as the wire's string). Modules using these import
# `datetime as _dt`.
_TIME_INPUTS = {
    "timestamp": "_dt.datetime | str",
    "duration": "_dt.timedelta | float | str",
}


@dataclass(frozen=True)
class Kwarg:
    name: str  # Python keyword
    wire: str  # name on the wire
    annotation: str
    required: bool
    where: str  # "path" | "query" | "body"
    prefix: str = ""  # path only
    fieldmask: bool = False  # query only: a list of names is joined with ","
    description: str = ""  # the spec's, untrusted: only through `text`
    deprecated: bool = False


@dataclass(frozen=True)
class MethodView:
    name: str
    doc: str  # the docstring's inside, safe and indented for a method (`method_docstring`)
    http_method: str
    path_fstring: str  # the body of an f-string, placeholders already Python expressions
    kwargs: tuple[Kwarg, ...]
    request_type: str | None
    response_type: str  # the return annotation's type ("None" for empty, the item for operations)
    kind: str  # "plain" | "stream" | "paginate" | "operation" | "empty" | "download"
    upload: bool = False  # the body may be sent with bytes (`media=`) to the upload path
    stream_flag: str = ""  # stream: the body field / query parameter set to true, not `?alt=sse`
    api_version: str = ""  # pinned: the path's version when it is not the service's
    metadata_type: str = ""  # operation: the metadata class ("dict" when free-form)
    response_cls: str = ""  # operation: the class the response is parsed into
    items: str = ""  # paginate: Python attribute holding the items
    item_type: str = ""
    page_token: str = ""
    next_page_token: str = ""
    deprecated: str = ""  # the warning's message when the spec deprecates the method

    @property
    def deprecated_kwargs(self) -> tuple[Kwarg, ...]:
        return tuple(k for k in self.kwargs if k.deprecated)

    @property
    def required_kwargs(self) -> tuple[Kwarg, ...]:
        return tuple(k for k in self.kwargs if k.required)

    @property
    def optional_kwargs(self) -> tuple[Kwarg, ...]:
        return tuple(k for k in self.kwargs if not k.required)

    def by_place(self, where: str) -> tuple[Kwarg, ...]:
        return tuple(k for k in self.kwargs if k.where == where)

    @property
    def options_type(self) -> str:
        """The `TypedDict` of the method's optional keyword arguments (for `Unpack` in lib/)."""
        return "".join(w[:1].upper() + w[1:] for w in self.name.split("_")) + "Options"


@dataclass(frozen=True)
class ResourceView:
    path: str  # dotted: tunedModels.permissions
    attr: str  # attribute on the client or the parent resource
    cls: str  # sync class; async is "Async" + cls
    module: str  # resources/<module>.py
    doc: str
    methods: tuple[MethodView, ...]
    children: tuple[ResourceView, ...] = ()

    @property
    def access(self) -> str:
        """How a caller reaches it: `client.tuned_models.permissions`."""
        return "client." + ".".join(naming.resource_attr(p) for p in self.path.split("."))

    @property
    def has_raw(self) -> bool:
        """Whether any method has a raw-response twin (pagers expose each page already)."""
        return any(m.kind != "paginate" for m in self.methods)

    def walk(self) -> tuple[ResourceView, ...]:
        return (self,) + tuple(r for c in self.children for r in c.walk())


@dataclass(frozen=True)
class TypeExport:
    name: str  # the spec name: `gemini_client.types.<name>`
    internal: str  # the class name inside types/_models.py


@dataclass(frozen=True)
class PackageView:
    title: str
    doc: str
    base_url: str
    version: str
    auth_header: str
    api_key_env: tuple[str, ...]
    resources: tuple[ResourceView, ...]  # top-level
    types: tuple[TypeExport, ...]
    dict_names: tuple[str, ...] = ()  # the TypedDict of every object type (types/_dicts.py)
    union_names: tuple[str, ...] = ()  # the hand-written input aliases (types/_inputs.py)

    @property
    def all_resources(self) -> tuple[ResourceView, ...]:
        return tuple(r for top in self.resources for r in top.walk())


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
        if accept_dicts and ref.name in _TIME_INPUTS:
            return _TIME_INPUTS[ref.name]
        return _PY_PRIMITIVES[ref.name]
    if ref.kind == "named":
        name = naming.type_name(ref.name)  # the class inside types/_models.py
        # `types` exports a class under its spec name; inside the types package (no prefix) it
        # goes by its name in `_models`.
        cls = prefix + ref.name if prefix else name
        if not accept_dicts:
            return cls
        if isinstance(spec.types.get(ref.name), EnumType):
            return f"{cls} | str"
        if f"{name}Union" in unions:
            return f"{prefix}{name}Union"
        return f"{cls} | {prefix}{name}Dict"
    assert ref.item is not None
    if ref.kind == "list" and ref.item.kind == "named" and accept_dicts:
        alias = f"{naming.type_name(ref.item.name)}ListUnion"
        if alias in unions:
            return prefix + alias
    inner = annotation(ref.item, spec, accept_dicts=accept_dicts, unions=unions, prefix=prefix)
    return f"Sequence[{inner}]" if ref.kind == "list" else f"Mapping[str, {inner}]"


def field_union(owner: str, field: str) -> str:
    """The name of the hand-written alias for one field of a type: `GenerateContentRequest`'s
    `cachedContent` -> `GenerateContentRequestCachedContentUnion`."""
    return f"{naming.type_name(owner)}{field[:1].upper()}{field[1:]}Union"


def field_annotation(
    owner: ObjectType, f: Field, spec: Spec, *, unions: frozenset[str], prefix: str = "types."
) -> str:
    """The annotation of the request input `owner.f`: its own alias when `types/_inputs.py`
    defines one (`field_union`), else that of its type."""
    alias = field_union(owner.name, f.name)
    if alias in unions:
        return prefix + alias
    return annotation(f.type, spec, accept_dicts=True, unions=unions, prefix=prefix)


_VERSION_SEGMENT = re.compile(r"^(v[0-9]+[a-z0-9]*)/")


def _pinned_version(path: str, spec: Spec) -> str:
    """The version a method is pinned to: its path's leading version when it is not the
    service's (`POST v1alpha/auth_tokens` in a v1beta spec), else "" (the client's)."""
    m = _VERSION_SEGMENT.match(path)
    return m.group(1) if m and m.group(1) != spec.service.version else ""


def _path_fstring(path: str) -> str:
    """The path under the API version, placeholders as Python expressions: the spec's leading
    version segment (`v1beta/`) is dropped, the client joins the version it is configured with."""

    def sub(m: re.Match[str]) -> str:
        return "{" + naming.param_name(m.group(2)) + "}"

    path = _VERSION_SEGMENT.sub("", path)
    return re.sub(r"\{(\+?)([A-Za-z][A-Za-z0-9_]*)\}", sub, path)


def _returns_nothing(name: str | None, spec: Spec) -> bool:
    """An object type without fields as a response (`Empty`): the method returns None."""
    t = spec.types.get(name or "")
    return isinstance(t, ObjectType) and not t.fields


def _operation_cls(name: str | None, spec: Spec) -> str:
    if name is None or name not in spec.types:
        return "dict"
    return f"types.{name}"


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
            p.type == TypeRef("primitive", "fieldmask") and not p.repeated,
            p.description,
            p.deprecated,
        )
        for p in m.parameters
    ]
    kwargs = [replace(k, annotation="str | Sequence[str]") if k.fieldmask else k for k in kwargs]
    path_names = {p.name for p in m.parameters if p.location == "path"}
    request = spec.types.get(m.request or "")
    if isinstance(request, ObjectType):
        kwargs += [
            Kwarg(
                naming.param_name(f.name),
                f.name,
                field_annotation(request, f, spec, unions=unions),
                f.required and m.http_method != "PATCH",  # a PATCH sends only what changes
                "body",
                description=f.description,
                deprecated=f.deprecated,
            )
            for f in request.fields
            if f.name not in path_names and not f.output_only
        ]
    # Path parameters first, then required ones, each group in spec order.
    order = {"path": 0, "query": 1, "body": 1}
    kwargs.sort(key=lambda k: (order[k.where], not k.required))
    kind, extra = "plain", {}
    response_type = f"types.{m.response}" if m.response else "None"
    if m.streaming:
        kind = "stream"
    elif m.download:
        kind = "download"
    elif m.long_running is not None:
        kind = "operation"
        response_cls = _operation_cls(m.long_running.response, spec)
        response_type = "dict[str, Any]" if response_cls == "dict" else response_cls
        extra = dict(
            response_cls=response_cls,
            metadata_type=_operation_cls(m.long_running.metadata, spec),
        )
    elif m.pagination is not None:
        kind = "paginate"
        assert m.response is not None, "validated: a paginated method has a response type"
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
    elif _returns_nothing(m.response, spec):
        kind, response_type = "empty", "None"
    name = naming.method_name(m.name)
    return MethodView(
        name=name,
        doc=method_docstring(m, kwargs),
        deprecated=f"{name}() is deprecated by the API: see its docstring" if m.deprecated else "",
        http_method=m.http_method,
        path_fstring=_path_fstring(m.path),
        kwargs=tuple(kwargs),
        request_type=(f"types.{request.name}" if isinstance(request, ObjectType) else None),
        response_type=response_type,
        kind=kind,
        upload=m.upload,
        stream_flag=m.stream_flag,
        api_version=_pinned_version(m.path, spec),
        **extra,
    )


_METHOD_INDENT = 8
_UPLOAD = (
    "With `media`, the bytes are sent with the request to the upload path (`media_type` is their"
    " MIME type); without it only the metadata is sent."
)
_OPTIONS = (
    "extra_headers, extra_query, extra_body, timeout: Per call: headers, query parameters and body"
    " fields added to the request, and the timeout (seconds or an `httpx.Timeout`)."
)


def _arg(name: str, text: str) -> list[str]:
    """One entry of an `Args:` section: `name: text`, continuation lines indented once more (so
    every line is wrapped to the width left after that deeper indent)."""
    raw = text[:LIMIT].splitlines()
    while raw and not description_lines(raw[0]):  # the entry starts on the name's line
        raw.pop(0)
    lines = description_lines(f"{name}: " + "\n".join(raw).lstrip(), 100 - _METHOD_INDENT - 8)
    return ["    " + lines[0]] + ["        " + line if line else "" for line in lines[1:]]


def method_docstring(m: Method, kwargs: list[Kwarg]) -> str:
    """The inside of a method's docstring: the spec's description in full (else the HTTP call),
    then `Args:`, one entry per keyword argument from the spec's description of the parameter or
    request field. Safe: escaped, indented for a method body."""
    text = m.description if description_lines(m.description) else f"`{m.http_method} {m.path}`"
    head = description_lines(mark_deprecated(text) if m.deprecated else text, 100 - 11)
    if m.upload:
        head += [""] + description_lines(_UPLOAD, 100 - _METHOD_INDENT)
    args = ["", "Args:"]
    for k in kwargs:
        text = k.description if description_lines(k.description) else f"`{k.wire}` of the request."
        args += _arg(k.name, mark_deprecated(text) if k.deprecated else text)
    if m.upload:
        args += _arg("media", "The bytes to upload.") + _arg("media_type", "Their MIME type.")
    args += _arg(*_OPTIONS.split(": ", 1))
    lines = head + args
    pad = " " * _METHOD_INDENT
    return escape(
        "\n".join(lines[:1] + [pad + line if line else "" for line in lines[1:]]) + "\n" + pad
    )


def resource_view(
    r: Resource, spec: Spec, unions: frozenset[str] = frozenset(), path: str = ""
) -> ResourceView:
    path = f"{path}.{r.name}" if path else r.name
    return ResourceView(
        path=path,
        attr=naming.resource_attr(r.name),
        cls=naming.resource_class(path),
        module=naming.resource_module(path),
        doc=docstring(r.description, 4) or f"The `{path}` resource.",
        methods=tuple(method_view(m, spec, unions) for m in r.methods),
        children=tuple(resource_view(c, spec, unions, path) for c in r.resources),
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
        types=tuple(TypeExport(n, naming.type_name(n)) for n in sorted(spec.types)),
        dict_names=tuple(sorted(f"{naming.type_name(t.name)}Dict" for t in spec.objects())),
        union_names=tuple(sorted(unions)),
    )
