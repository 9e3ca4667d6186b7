"""What `gemini_client/api.md`, the API reference, lists: every resource and method (both
signatures, HTTP verb and path, return type, traits) and every type, from the same views the code
is rendered from, so the reference cannot disagree with the client."""

from __future__ import annotations

from dataclasses import dataclass

from .. import naming
from ..discovery.text import first_sentence
from ..spec.model import EnumType, Method, ObjectType, Spec
from ..untrusted import markdown_inert, one_line
from .text import LIMIT
from .view import MethodView, PackageView, ResourceView


def md(text: str, limit: int = 300) -> str:
    """Untrusted spec text as one inert line of markdown (no HTML, links or table breaks)."""
    return markdown_inert(one_line(text, limit=limit))


def md_paragraphs(text: str) -> str:
    """A whole description as inert markdown: each of its lines (a YAML folded paragraph, a list
    item) a paragraph of its own."""
    paragraphs = (md(line, limit=LIMIT) for line in text[:LIMIT].splitlines())
    return "\n\n".join(p for p in paragraphs if p)


def md_summary(text: str) -> str:
    """The first sentence of a description as inert markdown, for a table cell."""
    return md(first_sentence(one_line(text[:LIMIT])), limit=200)


def anchor(type_name: str) -> str:
    return "type-" + type_name.lower()


@dataclass(frozen=True)
class MethodEntry:
    view: MethodView
    http: str  # the spec's own: `POST v1beta/{+model}:generateContent`
    traits: str  # "streaming", "long-running", "paginated", ... or ""
    request: str  # the request type's spec name, or ""
    returns: str  # the spec type a caller finally gets (an operation's response), or ""
    summary: str


@dataclass(frozen=True)
class ResourceEntry:
    view: ResourceView
    methods: tuple[MethodEntry, ...]


@dataclass(frozen=True)
class TypeEntry:
    name: str
    kind: str  # "object" | "enum"
    members: str  # field names or enum values, inert markdown
    summary: str


@dataclass(frozen=True)
class ReferenceView:
    resources: tuple[ResourceEntry, ...]
    types: tuple[TypeEntry, ...]


def _traits(m: Method) -> str:
    out = []
    if m.streaming:
        out.append("streaming (server-sent events)")
    if m.pagination is not None:
        out.append("paginated")
    if m.long_running is not None:
        out.append("long-running")
    if m.upload:
        out.append("upload")
    if m.download:
        out.append("download")
    if m.deprecated:
        out.append("deprecated")
    return ", ".join(out)


def _returns(m: Method, spec: Spec) -> str:
    name = m.long_running.response if m.long_running is not None else m.response
    return name if name in spec.types else ""


def reference_view(spec: Spec, package: PackageView) -> ReferenceView:
    by_path = dict(spec.all_resources())
    resources = []
    for rv in package.all_resources:
        r = by_path[rv.path]
        entries = tuple(
            MethodEntry(
                view=mv,
                http=f"{m.http_method} {m.path}",
                traits=_traits(m),
                request=m.request if m.request in spec.types else "",
                returns=_returns(m, spec),
                summary=md_paragraphs(m.description),
            )
            for mv, m in zip(rv.methods, r.methods, strict=True)
        )
        resources.append(ResourceEntry(rv, entries))
    types = []
    for name in sorted(spec.types):
        t = spec.types[name]
        if isinstance(t, EnumType):
            members = ", ".join(f"`{naming.enum_member(v.name)}`" for v in t.values)
        else:
            assert isinstance(t, ObjectType)
            members = ", ".join(f"`{naming.field_name(f.name)}`" for f in t.fields)
        types.append(
            TypeEntry(
                name=name,
                kind="enum" if isinstance(t, EnumType) else "object",
                members=members,
                summary=md_summary(t.description),
            )
        )
    return ReferenceView(tuple(resources), tuple(types))
