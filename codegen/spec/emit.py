"""Spec model -> YAML text in the spec language's own hand-written style.

Style (docs/spec-language.md): block style, two-space indent, one blank line between types and
between methods; keys in the documented order — for a type `description`, `deprecated`, then
`fields`/`enum`; for a field `type`, the flags (`required`, `output_only`, `deprecated`), then
`description`; a field with nothing but a type in short form (`role: string`); defaults are left
out. Order is the model's order (dict and tuple order): a spec normalised from Discovery is in
Discovery's order, with a synthesised enum right after the type that first uses it, so the output
is deterministic. Every scalar goes through PyYAML's own emitter (`yaml.SafeDumper`), which
quotes exactly where YAML needs it (`': '`, leading backticks, `NULL`, `OFF`, ...).

Whole files: `emit_files(spec, type_file=..., resource_file=...)`. Snippets for `--suggest`:
`emit_type`, `emit_field`, `emit_enum_value`, `emit_method`, `emit_resource`, `emit_service`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import yaml
from yaml.representer import SafeRepresenter

from .model import (
    EnumValue,
    Field,
    Method,
    ObjectType,
    Parameter,
    Resource,
    Service,
    Spec,
    TypeDef,
)
from .yamlnodes import LOADER

INDENT = "  "


class _Flow(list):  # type: ignore[type-arg]
    """A list written in flow style: `env: [GEMINI_API_KEY, GOOGLE_API_KEY]`."""


class _Dumper(yaml.SafeDumper):
    pass


def _represent_flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(data), flow_style=True)


# Line breaks YAML knows. PyYAML would write them literally inside plain or single-quoted scalars
# (spreading one description over lines, and losing a lone NEL); double quotes escape them.
_BREAKS = frozenset("\n\r\x85\u2028\u2029")


def _represent_str(dumper: SafeRepresenter, data: str) -> yaml.Node:
    style = '"' if any(ch in _BREAKS for ch in data) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(str, _represent_str)

# A text longer than a line (a description) is written folded (`>-`) over lines of about FOLD
# characters, as people write them; each wrapped line then sits at most ~10 columns deeper.
FOLD = 80


class _Folding(_Dumper):
    """Wraps folded scalars only: plain and quoted ones stay on one line whatever the width."""

    def write_plain(self, text: str, split: bool = True) -> None:
        super().write_plain(text, split=False)

    def write_single_quoted(self, text: str, split: bool = True) -> None:
        super().write_single_quoted(text, split=False)

    def write_double_quoted(self, text: str, split: bool = True) -> None:
        super().write_double_quoted(text, split=False)


def _represent_folded(dumper: SafeRepresenter, data: str) -> yaml.Node:
    if len(data) > FOLD and not any(ch in _BREAKS for ch in data):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=">")
    return _represent_str(dumper, data)


_Folding.add_representer(str, _represent_folded)


def _dump(data: Any, dumper: type[SafeRepresenter], width: int) -> str:
    return str(
        yaml.dump(
            data,
            Dumper=dumper,
            sort_keys=False,
            default_flow_style=False,
            allow_unicode=True,
            width=width,
            indent=2,
        )
    )


def dump(data: Any) -> str:
    """YAML text of plain data (dicts keep their order), block style, a long text folded (`>-`)
    where PyYAML can fold it (else quoted, on one line). Checked: should the folded text not load
    back as the same data, every scalar is written on one line."""
    fast = _fast_dump(data)
    if fast is not None and _reads_back(fast, data):
        return fast
    text = _dump(data, _Folding, FOLD)
    if not _reads_back(text, data):
        text = _dump(data, _Dumper, 1 << 30)
    return text


def _reads_back(text: str, data: Any) -> bool:
    """Whether the spec loader (libyaml's parser) reads `text` back as `data`. It refuses some
    escapes PyYAML writes, such as a lone surrogate's `\\uD800`: that text does not read back."""
    try:
        return bool(yaml.load(text, Loader=LOADER) == data)
    except yaml.YAMLError:
        return False


# -- the same text from libyaml's emitter (4-5x faster) -----------------------------------------
#
# libyaml's emitter is the one PyYAML's pure-Python emitter was ported from: the same scalar
# analysis, styles and folding. Two things differ: it cannot be told to leave plain and quoted
# scalars unwrapped while folding `>-` ones (`_Folding`'s hooks), and it writes a character
# outside the Basic Multilingual Plane raw where PyYAML escapes it in double quotes. So data whose
# text is all in the plane (and has no control characters or line breaks) is emitted by libyaml
# with no width at all, and each folded text, which then sits whole on the line below its `>-`,
# is wrapped here exactly as PyYAML's `Emitter.write_folded` wraps it: at a single space once the
# column is past FOLD. Anything else (a lone scalar, which PyYAML ends with `...`; a flow list; a
# key longer than a line; a text that starts with a space) takes PyYAML's emitter. `dump` reads
# the result back before using it. Byte-identical to PyYAML's output on every bootstrapped history
# revision and on generated mappings of hostile text (tests/discovery/test_emit.py).

_CDumper: type[SafeRepresenter] | None = None
if hasattr(yaml, "CSafeDumper"):

    class _CFolding(yaml.CSafeDumper):
        pass

    _CFolding.add_representer(str, _represent_folded)
    _CDumper = _CFolding

# Characters both emitters write the same way, raw in every scalar style.
_SAME = re.compile("[\\x20-\\x7e\\xa0-\\ud7ff\\ue000-\\ufefe\\uff00-\\ufffd]*")
_HEADER = re.compile(r"(?:^|: )>-$")
_RUNS = re.compile(" +|[^ ]+")


def _folded_texts(data: Any, folded: set[str]) -> bool:
    """Collect the texts that will be folded; False when the data needs PyYAML's emitter."""
    if isinstance(data, dict):
        for key, value in data.items():
            if not isinstance(key, str) or len(key) > FOLD or not _SAME.fullmatch(key):
                return False
            if not _folded_texts(value, folded):
                return False
        return True
    if isinstance(data, str):
        if not _SAME.fullmatch(data):
            return False
        if len(data) > FOLD:
            if data.startswith(" "):
                return False
            folded.add(data)
        return True
    return data is None or isinstance(data, (bool, int))


def _wrap(line: str) -> str:
    """One folded text on one indented line, wrapped as `Emitter.write_folded` wraps it."""
    text = line.lstrip(" ")
    indent = line[: len(line) - len(text)]
    out, column = [indent], len(indent)
    for run in _RUNS.findall(text):
        if run == " " and column > FOLD:
            out.append("\n" + indent)
            column = len(indent)
        else:
            out.append(run)
            column += len(run)
    return "".join(out)


def _fast_dump(data: Any) -> str | None:
    folded: set[str] = set()
    if _CDumper is None or not isinstance(data, dict) or not _folded_texts(data, folded):
        return None
    lines = _dump(data, _CDumper, 1 << 30).split("\n")
    for i in range(1, len(lines)):
        if _HEADER.search(lines[i - 1]) and lines[i].lstrip(" ") in folded:
            lines[i] = _wrap(lines[i])
    return "\n".join(lines)


def _indent(text: str, level: int) -> str:
    pad = INDENT * level
    return "".join(pad + line if line.strip() else line for line in text.splitlines(keepends=True))


# -- data for each node ----------------------------------------------------------------------


def service_data(s: Service, env: Iterable[str] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"name": s.name}
    if s.title:
        data["title"] = s.title
    if s.description:
        data["description"] = s.description
    data["base_url"] = s.base_url
    data["version"] = s.version
    auth: dict[str, Any] = {"header": s.auth_header}
    names = list(env) if env is not None else list(s.api_key_env)
    if names:
        auth["env"] = _Flow(names)
    data["auth"] = auth
    return data


def field_data(f: Field) -> Any:
    data: dict[str, Any] = {"type": str(f.type)}
    if f.required:
        data["required"] = True
    if f.output_only:
        data["output_only"] = True
    if f.deprecated:
        data["deprecated"] = True
    if f.description:
        data["description"] = f.description
    return data["type"] if len(data) == 1 else data


def enum_value_data(v: EnumValue) -> Any:
    if not v.deprecated:
        return v.description
    data: dict[str, Any] = {}
    if v.description:
        data["description"] = v.description
    data["deprecated"] = True
    return data


def type_data(t: TypeDef) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if t.description:
        data["description"] = t.description
    if t.discovery:
        data["discovery"] = t.discovery
    if t.deprecated:
        data["deprecated"] = True
    if isinstance(t, ObjectType):
        data["fields"] = {f.name: field_data(f) for f in t.fields}
    else:
        data["enum"] = {v.name: enum_value_data(v) for v in t.values}
    return data


def param_data(p: Parameter) -> dict[str, Any]:
    data: dict[str, Any] = {"in": p.location, "type": str(p.type)}
    if p.required and p.location != "path":  # path parameters are always required
        data["required"] = True
    if p.repeated:
        data["repeated"] = True
    if p.prefix:
        data["prefix"] = p.prefix
    if p.deprecated:
        data["deprecated"] = True
    if p.description:
        data["description"] = p.description
    return data


def method_data(m: Method) -> dict[str, Any]:
    data: dict[str, Any] = {"http": f"{m.http_method} {m.path}"}
    if m.description:
        data["description"] = m.description
    if m.deprecated:
        data["deprecated"] = True
    if m.parameters:
        data["params"] = {p.name: param_data(p) for p in m.parameters}
    if m.request:
        data["request"] = m.request
    if m.response:
        data["response"] = m.response
    if m.streaming:
        data["streaming"] = True
    if m.stream_flag:
        data["stream_flag"] = m.stream_flag
    if m.pagination is not None:
        pg: dict[str, Any] = {"items": m.pagination.items}
        if m.pagination.page_token != "pageToken":
            pg["page_token"] = m.pagination.page_token
        if m.pagination.next_page_token != "nextPageToken":
            pg["next_page_token"] = m.pagination.next_page_token
        data["paginated"] = pg
    if m.long_running is not None:
        # Discovery never says what an operation holds (""): a free-form object until someone does.
        lr: dict[str, Any] = {"response": m.long_running.response or "object"}
        if m.long_running.metadata:
            lr["metadata"] = m.long_running.metadata
        data["long_running"] = lr
    if m.upload:
        data["upload"] = True
    if m.download:
        data["download"] = True
    return data


# -- snippets --------------------------------------------------------------------------------


def emit_service(s: Service, env: Iterable[str] | None = None) -> str:
    """`service:` and its block; `env` overrides `s.api_key_env`."""
    return dump({"service": service_data(s, env)})


def emit_type(t: TypeDef) -> str:
    """One type, `Name:` at column 0 (indent it under `types:`)."""
    return dump({t.name: type_data(t)})


def emit_field(f: Field) -> str:
    """One field, `name: ...` at column 0 (indent it under a type's `fields:`)."""
    return dump({f.name: field_data(f)})


def emit_enum_value(v: EnumValue) -> str:
    """One enum value, `VALUE: ...` at column 0 (indent it under a type's `enum:`)."""
    return dump({v.name: enum_value_data(v)})


def emit_method(m: Method) -> str:
    """One method, `name:` at column 0 (indent it under a resource's `methods:`)."""
    return dump({m.name: method_data(m)})


def emit_resource(r: Resource) -> str:
    """One resource with its methods and nested resources, `name:` at column 0, methods and
    nested resources separated by blank lines."""
    head = {k: v for k, v in {"description": r.description}.items() if v}
    out = [f"{dump(r.name).splitlines()[0]}:\n"]
    if head:
        out.append(_indent(dump(head), 1))
    if r.methods or not r.resources:
        out.append(f"{INDENT}methods:{' {}' if not r.methods else ''}\n")
        out.append("\n".join(_indent(emit_method(m), 2) for m in r.methods))
    if r.resources:
        if r.methods:
            out.append("\n")
        out.append(f"{INDENT}resources:\n")
        out.append("\n".join(_indent(emit_resource(c), 2) for c in r.resources))
    return "".join(out)


# -- files -----------------------------------------------------------------------------------


def emit_types(types: Iterable[TypeDef]) -> str:
    """`types:` with the given types, blank lines between them."""
    body = "\n".join(_indent(emit_type(t), 1) for t in types)
    return "types:\n" + body


def emit_resources(resources: Iterable[Resource]) -> str:
    body = "\n".join(_indent(emit_resource(r), 1) for r in resources)
    return "resources:\n" + body


def emit_file(
    *,
    service: Service | None = None,
    env: Iterable[str] | None = None,
    types: Iterable[TypeDef] = (),
    resources: Iterable[Resource] = (),
    header: str = "",
) -> str:
    """One spec file: an optional `# header` comment, then `service`, `types`, `resources`."""
    parts: list[str] = []
    if service is not None:
        parts.append(emit_service(service, env))
    type_list = list(types)
    if type_list:
        parts.append(emit_types(type_list))
    resource_list = list(resources)
    if resource_list:
        parts.append(emit_resources(resource_list))
    text = "\n".join(parts)
    if header:
        text = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines()) + "\n" + text
    return text


def emit_files(
    spec: Spec,
    *,
    type_file: Callable[[str], str],
    resource_file: Callable[[str], str],
    service_file: str = "service.yaml",
    env: Iterable[str] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, str]:
    """The spec as {file name: YAML text}; types and resources keep the spec's order in each file.

    Files come back sorted by name (the order the loader reads them in).
    """
    types: dict[str, list[TypeDef]] = {}
    for t in spec.types.values():
        types.setdefault(type_file(t.name), []).append(t)
    resources: dict[str, list[Resource]] = {}
    for r in spec.resources.values():
        resources.setdefault(resource_file(r.name), []).append(r)
    names = sorted({service_file, *types, *resources})
    headers = headers or {}
    return {
        name: emit_file(
            service=spec.service if name == service_file else None,
            env=env,
            types=types.get(name, ()),
            resources=resources.get(name, ()),
            header=headers.get(name, ""),
        )
        for name in names
    }
