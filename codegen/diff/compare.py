"""Compare two loaded specs as the public surface of the generated package they produce.

Everything is keyed by its Python name (`client.models.generate_content(..., seed=)`,
`gemini_client.types.Candidate.finish_reason`), so YAML key order, file order and which file a
type is written in never make a change. Each change is classified by one rule of the registry
(`codegen.compare.rules.DIFF`) and worded by its template.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import cast

from .. import naming
from ..spec.model import (
    EnumType,
    Field,
    Location,
    Method,
    ObjectType,
    Resource,
    Spec,
    TypeDef,
    TypeRef,
)
from ..compare.match import TypeMatch, by_endpoint, endpoint, rename_ref
from ..compare.rules import DIFF as RULES
from ..compare.rules import DIFF_LEVELS as LEVELS
from ..compare.rules import DiffLevel as Level
from .sources import Side

PACKAGE = "gemini_client"


@dataclass(frozen=True)
class Change:
    rule: str
    symbol: str  # the Python symbol affected
    message: str
    base: (
        str | None
    )  # "spec/content.yaml:42" on the base side, when the node (or its parent) is there
    head: str | None
    override: Level | None = None  # the repository's level for this rule (codegen/diff/levels.py)

    @property
    def level(self) -> Level:
        return self.override or cast(Level, RULES[self.rule].level)

    @property
    def fingerprint(self) -> str:
        """Stable across runs and line moves: the rule and the symbol."""
        return hashlib.sha256(f"{self.rule}\0{self.symbol}".encode()).hexdigest()[:16]

    def sort_key(self) -> tuple[int, str, str, str, str, str]:
        return (
            LEVELS.index(self.level),
            self.symbol,
            self.rule,
            self.message,
            self.base or "",
            self.head or "",
        )


def diff(base: Side, head: Side, levels: Mapping[str, str] | None = None) -> list[Change]:
    """Every change from `base` to `head`, sorted: breaking first, then by symbol and rule.

    `levels` moves rules to another level, or to `off` (not reported), by rule id."""
    changes = _Differ(base, head).run()
    if levels:
        changes = [
            replace(c, override=levels[c.rule]) if c.rule in levels else c  # type: ignore[arg-type]
            for c in changes
            if levels.get(c.rule) != "off"
        ]
    return sorted(changes, key=Change.sort_key)


# -- helpers ---------------------------------------------------------------------------------

# Primitive type changes that every old value still fits and that keep the Python type.
_WIDENINGS = frozenset(
    {("int32", "int64"), ("uint32", "uint64"), ("uint32", "int64"), ("float", "double")}
)


def _widened(old: TypeRef, new: TypeRef) -> bool:
    """True when `new` accepts every value of `old` and is not the same type."""
    if old == new or old.kind != new.kind:
        return False
    if old.kind == "primitive":
        return (old.name, new.name) in _WIDENINGS
    if old.kind in ("list", "map") and old.item is not None and new.item is not None:
        return _widened(old.item, new.item)
    return False


def _quote(text: str, limit: int = 80) -> str:
    """A description as shown in a message: one line, shortened, quoted; `(none)` when empty."""
    one = " ".join(text.split())
    if not one:
        return "(none)"
    if len(one) > limit:
        one = one[: limit - 1].rstrip() + "…"
    return '"' + one + '"'


def _sub(loc: Location, key: str, spec: Spec) -> Location:
    """The location of a key under a node (`...generateContent.http`), else the node's."""
    return spec.locations.get(f"{loc.path}.{key}", loc) if loc.path else loc


def _sub_at(loc: Location, spec: Spec, key: str) -> Location:
    return _sub(loc, key, spec)


def _method_symbol(attr: str, name: str) -> str:
    return f"client.{attr}.{name}()"


def reachable(spec: Spec) -> tuple[set[str], set[str]]:
    """The types reachable from requests (bodies, parameters) and from responses (results,
    long-running results and metadata). A type can be in both. Output-only fields do not make a
    type part of a request."""

    def walk(roots: Iterable[str | None], in_request: bool) -> set[str]:
        seen: set[str] = set()
        todo = [r for r in roots if r]
        while todo:
            name = todo.pop()
            if name in seen or name not in spec.types:
                continue
            seen.add(name)
            t = spec.types[name]
            if isinstance(t, ObjectType):
                for f in t.fields:
                    if in_request and f.output_only:
                        continue
                    target = f.type.named()
                    if target is not None:
                        todo.append(target)
        return seen

    methods = [m for _, r in spec.all_resources() for m in r.methods]
    request_roots: list[str | None] = [m.request for m in methods]
    request_roots += [p.type.named() for m in methods for p in m.parameters]
    response_roots: list[str | None] = [m.response for m in methods]
    response_roots += [
        x
        for m in methods
        if m.long_running
        for x in (m.long_running.response, m.long_running.metadata)
    ]
    return walk(request_roots, True), walk(response_roots, False)


@dataclass(frozen=True)
class Kwarg:
    """One keyword argument of a generated method, as `render.view.method_view` makes it."""

    name: str  # Python
    wire: str
    where: str  # path | query | body
    type: TypeRef
    required: bool
    prefix: str
    deprecated: bool
    description: str
    loc: Location


def kwargs(m: Method, spec: Spec) -> dict[str, Kwarg]:
    """Path and query parameters, then the request body's fields that are not filled from the
    path and not output-only: the same keyword arguments `render.view.method_view` generates."""
    out: dict[str, Kwarg] = {}
    for p in m.parameters:
        t = TypeRef("list", item=p.type) if p.repeated else p.type
        out[naming.param_name(p.name)] = Kwarg(
            naming.param_name(p.name),
            p.name,
            p.location,
            t,
            p.required,
            p.prefix,
            p.deprecated,
            p.description,
            p.loc,
        )
    path_names = {p.name for p in m.parameters if p.location == "path"}
    request = spec.types.get(m.request or "")
    if isinstance(request, ObjectType):
        for f in request.fields:
            if f.name in path_names or f.output_only:
                continue
            out.setdefault(
                naming.param_name(f.name),
                Kwarg(
                    naming.param_name(f.name),
                    f.name,
                    "body",
                    f.type,
                    f.required and m.http_method != "PATCH",  # as the view: a PATCH sends changes
                    "",
                    f.deprecated,
                    f.description,
                    f.loc,
                ),
            )
    return out


def _pagination(m: Method) -> str:
    p = m.pagination
    return (
        "none"
        if p is None
        else f"items={p.items}, page_token={p.page_token}, next_page_token={p.next_page_token}"
    )


def _stream_request(m: Method) -> str:
    """How a call asks for a stream: `?alt=sse`, or a field set to true."""
    return f"{m.stream_flag}=true" if m.stream_flag else "?alt=sse"


def _long_running(m: Method) -> str:
    lr = m.long_running
    return "none" if lr is None else f"response={lr.response}, metadata={lr.metadata or 'none'}"


# -- the comparison ----------------------------------------------------------------------------


class _Differ:
    def __init__(self, base: Side, head: Side) -> None:
        self.base, self.head = base, head
        self.old, self.new = base.spec, head.spec
        req_b, resp_b = reachable(self.old)
        req_h, resp_h = reachable(self.new)
        self.request_side = req_b | req_h
        self.response_side = resp_b | resp_h
        self.renames = TypeMatch(self.old, self.new).by_shape()  # types that only changed name
        self.changes: list[Change] = []

    def ren(self, name: str | None) -> str | None:
        """A base-side type name in the head's names (a renamed type is the same type)."""
        return self.renames.get(name, name) if name is not None else None

    def ren_ref(self, ref: TypeRef) -> TypeRef:
        return rename_ref(ref, lambda n: self.renames.get(n, n))

    def add(
        self,
        rule: str,
        symbol: str,
        at_base: Location | None,
        at_head: Location | None,
        /,
        **fields: str,
    ) -> None:
        message = RULES[rule].format(**fields)
        self.changes.append(
            Change(rule, symbol, message, self.base.where(at_base), self.head.where(at_head))
        )

    def in_request(self, type_name: str) -> bool:
        """Request side, or reachable from nothing at all (then judged strictly)."""
        return type_name in self.request_side or type_name not in self.response_side

    def run(self) -> list[Change]:
        self.service()
        self.resources()
        self.types()
        return self.changes

    # -- service -------------------------------------------------------------------------------

    def service(self) -> None:
        a, b = self.old.service, self.new.service
        sym = f"{PACKAGE}.Client"
        la = functools.partial(_sub_at, a.loc, self.old)
        lb = functools.partial(_sub_at, b.loc, self.new)
        if a.base_url != b.base_url:
            self.add(
                "service-base-url-changed",
                sym,
                la("base_url"),
                lb("base_url"),
                old=a.base_url,
                new=b.base_url,
            )
        if a.version != b.version:
            self.add(
                "service-version-changed",
                sym,
                la("version"),
                lb("version"),
                old=a.version,
                new=b.version,
            )
        if a.auth_header != b.auth_header:
            self.add(
                "service-auth-header-changed",
                sym,
                la("auth"),
                lb("auth"),
                old=a.auth_header,
                new=b.auth_header,
            )
        for name in sorted(set(a.api_key_env) - set(b.api_key_env)):
            self.add("service-api-key-env-removed", sym, la("auth"), lb("auth"), name=name)
        for name in sorted(set(b.api_key_env) - set(a.api_key_env)):
            self.add("service-api-key-env-added", sym, la("auth"), lb("auth"), name=name)
        common_a = [e for e in a.api_key_env if e in b.api_key_env]
        common_b = [e for e in b.api_key_env if e in a.api_key_env]
        if common_a != common_b:
            self.add(
                "service-api-key-env-reordered",
                sym,
                la("auth"),
                lb("auth"),
                old=", ".join(common_a),
                new=", ".join(common_b),
            )
        for what, old, new in (
            ("title", a.title, b.title),
            ("description", a.description, b.description),
        ):
            if old != new:
                self.add(
                    "service-description-changed",
                    sym,
                    la(what),
                    lb(what),
                    what=what,
                    old=_quote(old),
                    new=_quote(new),
                )

    # -- resources and methods -------------------------------------------------------------------

    def resources(self) -> None:
        old, new = _attrs(self.old), _attrs(self.new)
        for attr in sorted(old.keys() | new.keys()):
            a, b = old.get(attr), new.get(attr)
            sym = f"client.{attr}"
            parent = attr.rpartition(".")[0]
            if b is None:
                assert a is not None
                if (
                    not parent or parent in new
                ):  # a removed resource is reported once, not its nested ones
                    self.add(
                        "resource-removed",
                        sym,
                        a.loc,
                        new[parent].loc if parent else None,
                        count=str(_count(a)),
                    )
            elif a is None:
                if not parent or parent in old:
                    self.add(
                        "resource-added",
                        sym,
                        old[parent].loc if parent else None,
                        b.loc,
                        count=str(_count(b)),
                    )
            else:
                if a.description != b.description:
                    self.add(
                        "resource-description-changed",
                        sym,
                        _sub(a.loc, "description", self.old),
                        _sub(b.loc, "description", self.new),
                        old=_quote(a.description),
                        new=_quote(b.description),
                    )
                self.methods(attr, a, b)

    def methods(self, attr: str, ra: Resource, rb: Resource) -> None:
        old = {naming.method_name(m.name): m for m in ra.methods}
        new = {naming.method_name(m.name): m for m in rb.methods}
        # A rename is a removal and an addition of the same endpoint: report it once.
        gone = {n: m for n, m in old.items() if n not in new}
        fresh = {n: m for n, m in new.items() if n not in old}
        renamed = by_endpoint(gone, fresh)
        for name in sorted(gone):
            m = old[name]
            if name in renamed:
                self.add(
                    "method-renamed",
                    _method_symbol(attr, name),
                    m.loc,
                    new[renamed[name]].loc,
                    old=f"{name}()",
                    new=f"{renamed[name]}()",
                    http=f"{m.http_method} {m.path}",
                )
            else:
                self.add(
                    "method-removed",
                    _method_symbol(attr, name),
                    m.loc,
                    rb.loc,
                    http=f"{m.http_method} {m.path}",
                )
        for name in sorted(set(fresh) - set(renamed.values())):
            m = new[name]
            self.add(
                "method-added",
                _method_symbol(attr, name),
                ra.loc,
                m.loc,
                http=f"{m.http_method} {m.path}",
            )
        for name in sorted(old.keys() & new.keys()):
            self.method(attr, name, old[name], new[name])

    def method(self, attr: str, name: str, a: Method, b: Method) -> None:
        sym = f"client.{attr}.{name}()"
        la = functools.partial(_sub_at, a.loc, self.old)
        lb = functools.partial(_sub_at, b.loc, self.new)
        if a.http_method != b.http_method:
            self.add(
                "method-http-method-changed",
                sym,
                la("http"),
                lb("http"),
                old=a.http_method,
                new=b.http_method,
            )
        if endpoint(a)[1] != endpoint(b)[1]:
            self.add("method-path-changed", sym, la("http"), lb("http"), old=a.path, new=b.path)
        if self.ren(a.response) != b.response:
            self.add(
                "method-response-type-changed",
                sym,
                la("response"),
                lb("response"),
                old=str(a.response),
                new=str(b.response),
            )
        if self.ren(a.request) != b.request:
            self.add(
                "method-request-type-changed",
                sym,
                la("request"),
                lb("request"),
                old=a.request or "none",
                new=b.request or "none",
            )
        response = str(b.response)
        if a.streaming != b.streaming:
            rule = "method-streaming-added" if b.streaming else "method-streaming-removed"
            self.add(rule, sym, la("streaming"), lb("streaming"), response=response)
        if a.pagination != b.pagination:
            if a.pagination is None:
                self.add(
                    "method-pagination-added",
                    sym,
                    la("paginated"),
                    lb("paginated"),
                    new=_pagination(b),
                    response=response,
                )
            elif b.pagination is None:
                self.add(
                    "method-pagination-removed",
                    sym,
                    la("paginated"),
                    lb("paginated"),
                    response=response,
                )
            else:
                self.add(
                    "method-pagination-changed",
                    sym,
                    la("paginated"),
                    lb("paginated"),
                    old=_pagination(a),
                    new=_pagination(b),
                )
        a_lr = a.long_running and replace(
            a.long_running,
            response=self.ren(a.long_running.response) or "",
            metadata=self.ren(a.long_running.metadata),
        )
        if a_lr != b.long_running:
            if a.long_running is None:
                self.add(
                    "method-long-running-added",
                    sym,
                    la("long_running"),
                    lb("long_running"),
                    new=_long_running(b),
                    response=response,
                )
            elif b.long_running is None:
                self.add(
                    "method-long-running-removed",
                    sym,
                    la("long_running"),
                    lb("long_running"),
                    response=response,
                )
            else:
                self.add(
                    "method-long-running-changed",
                    sym,
                    la("long_running"),
                    lb("long_running"),
                    old=_long_running(a),
                    new=_long_running(b),
                )
        if a.upload != b.upload:
            self.add(
                "method-upload-added" if b.upload else "method-upload-removed",
                sym,
                la("upload"),
                lb("upload"),
            )
        if a.stream_flag != b.stream_flag:
            self.add(
                "method-stream-flag-changed",
                sym,
                la("stream_flag"),
                lb("stream_flag"),
                old=_stream_request(a),
                new=_stream_request(b),
            )
        if a.download != b.download:
            self.add(
                "method-download-added" if b.download else "method-download-removed",
                sym,
                la("download"),
                lb("download"),
            )
        if a.deprecated != b.deprecated:
            if b.deprecated:
                self.add("method-deprecated", sym, la("deprecated"), lb("deprecated"))
            else:
                self.add("deprecation-withdrawn", sym, la("deprecated"), b.loc, what="method")
        if a.description != b.description:
            self.add(
                "method-description-changed",
                sym,
                la("description"),
                lb("description"),
                old=_quote(a.description),
                new=_quote(b.description),
            )
        self.kwargs(attr, name, a, b)

    def kwargs(self, attr: str, method: str, ma: Method, mb: Method) -> None:
        old, new = kwargs(ma, self.old), kwargs(mb, self.new)
        for name in sorted(old.keys() | new.keys()):
            a, b = old.get(name), new.get(name)
            sym = f"client.{attr}.{method}(..., {name}=)"
            if b is None:
                assert a is not None
                self.add(
                    "parameter-removed", sym, a.loc, mb.loc, name=name, where=a.where, wire=a.wire
                )
                continue
            if a is None:
                rule = "new-required-parameter" if b.required else "new-optional-parameter"
                self.add(
                    rule,
                    sym,
                    ma.loc,
                    b.loc,
                    name=name,
                    where=b.where,
                    wire=b.wire,
                    type=str(b.type),
                )
                continue
            self.kwarg(sym, name, a, b)

    def kwarg(self, sym: str, name: str, a: Kwarg, b: Kwarg) -> None:
        la = functools.partial(_sub_at, a.loc, self.old)
        lb = functools.partial(_sub_at, b.loc, self.new)
        if a.required != b.required:
            rule = "parameter-became-required" if b.required else "parameter-became-optional"
            self.add(rule, sym, la("required"), lb("required"), name=name)
        if self.ren_ref(a.type) != b.type:
            rule = (
                "parameter-type-widened" if _widened(a.type, b.type) else "parameter-type-changed"
            )
            self.add(rule, sym, la("type"), lb("type"), name=name, old=str(a.type), new=str(b.type))
        if a.prefix != b.prefix and a.where == b.where == "path":
            self.add(
                "parameter-prefix-changed",
                sym,
                la("prefix"),
                lb("prefix"),
                name=name,
                old=a.prefix or "(none)",
                new=b.prefix or "(none)",
            )
        if (a.where, a.wire) != (b.where, b.wire):
            self.add(
                "parameter-wire-changed",
                sym,
                a.loc,
                b.loc,
                name=name,
                old=f"{a.where} {a.wire}",
                new=f"{b.where} {b.wire}",
            )
        # A body field's deprecation and description are reported once, on the type's field.
        if b.where != "body" and a.where != "body":
            if a.deprecated != b.deprecated:
                if b.deprecated:
                    self.add(
                        "parameter-deprecated", sym, la("deprecated"), lb("deprecated"), name=name
                    )
                else:
                    self.add(
                        "deprecation-withdrawn",
                        sym,
                        la("deprecated"),
                        b.loc,
                        what=f"keyword argument {name}=",
                    )
            if a.description != b.description:
                self.add(
                    "parameter-description-changed",
                    sym,
                    la("description"),
                    lb("description"),
                    name=name,
                    old=_quote(a.description),
                    new=_quote(b.description),
                )

    # -- types -----------------------------------------------------------------------------------

    def types(self) -> None:
        # The package exports every type under its spec name (a colliding one is only renamed
        # inside types/_models.py), so the spec name is the symbol users import.
        renamed = dict(self.renames)
        old = dict(self.old.types)
        new = dict(self.new.types)
        for cls in sorted(old.keys() | new.keys()):
            a, b = old.get(cls), new.get(cls)
            sym = f"{PACKAGE}.types.{cls}"
            if cls in renamed:
                assert a is not None
                to = renamed[cls]
                b = new[to]
                self.add("type-renamed", sym, a.loc, b.loc, kind=_kind(a), old=cls, new=to)
                self.typedef(f"{PACKAGE}.types.{to}", a, b)
            elif cls in renamed.values():
                continue  # compared under its old name above
            elif b is None:
                assert a is not None
                self.add("type-removed", sym, a.loc, None, kind=_kind(a))
            elif a is None:
                self.add("type-added", sym, None, b.loc, kind=_kind(b))
            elif _kind(a) != _kind(b):
                self.add("type-kind-changed", sym, a.loc, b.loc, old=_kind(a), new=_kind(b))
            else:
                self.typedef(sym, a, b)

    def typedef(self, sym: str, a: TypeDef, b: TypeDef) -> None:
        if a is b:  # one definition on both sides (the loader keeps an unchanged file's): no change
            return  # in it, and each type it names is on both sides, so none of them was renamed
        if a.deprecated != b.deprecated:
            if b.deprecated:
                self.add(
                    "type-deprecated",
                    sym,
                    _sub(a.loc, "deprecated", self.old),
                    _sub(b.loc, "deprecated", self.new),
                )
            else:
                self.add(
                    "deprecation-withdrawn",
                    sym,
                    _sub(a.loc, "deprecated", self.old),
                    b.loc,
                    what="type",
                )
        if a.description != b.description:
            self.add(
                "type-description-changed",
                sym,
                _sub(a.loc, "description", self.old),
                _sub(b.loc, "description", self.new),
                old=_quote(a.description),
                new=_quote(b.description),
            )
        if isinstance(a, ObjectType) and isinstance(b, ObjectType):
            self.fields(sym, a, b)
        elif isinstance(a, EnumType) and isinstance(b, EnumType):
            self.enum_values(sym, a, b)

    def fields(self, sym: str, ta: ObjectType, tb: ObjectType) -> None:
        old = {naming.field_name(f.name): f for f in ta.fields}
        new = {naming.field_name(f.name): f for f in tb.fields}
        request = self.in_request(ta.name) or self.in_request(tb.name)
        for name in sorted(old.keys() | new.keys()):
            a, b = old.get(name), new.get(name)
            fsym = f"{sym}.{name}"
            if b is None:
                assert a is not None
                self.add("field-removed", fsym, a.loc, tb.loc, wire=a.name, type=str(a.type))
            elif a is None:
                rule = (
                    "new-required-request-field"
                    if b.required and request and not b.output_only
                    else "field-added"
                )
                self.add(rule, fsym, ta.loc, b.loc, wire=b.name, type=str(b.type))
            else:
                self.field(fsym, a, b, request)

    def field(self, sym: str, a: Field, b: Field, request: bool) -> None:
        la = functools.partial(_sub_at, a.loc, self.old)
        lb = functools.partial(_sub_at, b.loc, self.new)
        if a.name != b.name:
            self.add("field-wire-name-changed", sym, a.loc, b.loc, old=a.name, new=b.name)
        if self.ren_ref(a.type) != b.type:
            rule = "field-type-widened" if _widened(a.type, b.type) else "field-type-changed"
            self.add(rule, sym, la("type"), lb("type"), old=str(a.type), new=str(b.type))
        writable = request and not a.output_only and not b.output_only
        if a.required != b.required:
            if b.required:
                rule = (
                    "request-field-became-required"
                    if writable
                    else "response-field-became-required"
                )
            else:
                rule = (
                    "request-field-became-optional"
                    if writable
                    else "response-field-became-optional"
                )
            self.add(rule, sym, la("required"), lb("required"))
        if a.output_only != b.output_only:
            if b.output_only and request:
                self.add(
                    "request-field-became-output-only", sym, la("output_only"), lb("output_only")
                )
            else:
                self.add(
                    "field-output-only-changed",
                    sym,
                    la("output_only"),
                    lb("output_only"),
                    old=str(a.output_only).lower(),
                    new=str(b.output_only).lower(),
                )
        if a.deprecated != b.deprecated:
            if b.deprecated:
                self.add("field-deprecated", sym, la("deprecated"), lb("deprecated"))
            else:
                self.add("deprecation-withdrawn", sym, la("deprecated"), b.loc, what="field")
        if a.description != b.description:
            self.add(
                "field-description-changed",
                sym,
                la("description"),
                lb("description"),
                old=_quote(a.description),
                new=_quote(b.description),
            )

    def enum_values(self, sym: str, ta: EnumType, tb: EnumType) -> None:
        old = {naming.enum_member(v.name): v for v in ta.values}
        new = {naming.enum_member(v.name): v for v in tb.values}
        request = self.in_request(ta.name) or self.in_request(tb.name)
        for name in sorted(old.keys() | new.keys()):
            a, b = old.get(name), new.get(name)
            vsym = f"{sym}.{name}"
            if b is None:
                assert a is not None
                rule = "request-enum-value-removed" if request else "response-enum-value-removed"
                self.add(rule, vsym, a.loc, tb.loc)
            elif a is None:
                # Received (or reachable from nothing: judged strictly): an exhaustive match meets it.
                names = {ta.name, tb.name}
                received = bool(names & self.response_side) or not names & self.request_side
                rule = "response-enum-value-added" if received else "request-enum-value-added"
                self.add(rule, vsym, ta.loc, b.loc)
            else:
                if a.deprecated != b.deprecated:
                    if b.deprecated:
                        self.add("enum-value-deprecated", vsym, a.loc, b.loc)
                    else:
                        self.add("deprecation-withdrawn", vsym, a.loc, b.loc, what="enum value")
                if a.description != b.description:
                    self.add(
                        "enum-value-description-changed",
                        vsym,
                        a.loc,
                        b.loc,
                        old=_quote(a.description),
                        new=_quote(b.description),
                    )


def _attrs(spec: Spec) -> dict[str, Resource]:
    """Every resource by its attribute path on the client: `tuned_models.permissions`."""
    return {
        ".".join(naming.resource_attr(p) for p in path.split(".")): r
        for path, r in spec.all_resources()
    }


def _count(r: Resource) -> int:
    """The methods of a resource and of everything nested in it."""
    return sum(len(x.methods) for _, x in r.walk())


def _kind(t: TypeDef) -> str:
    return "enum" if isinstance(t, EnumType) else "object"
