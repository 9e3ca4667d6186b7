"""Untrusted text from the spec never changes the structure of the generated code.

Hostile descriptions (quotes, triple quotes, backslashes, newlines, \\r, U+2028, Jinja syntax) are put
everywhere a description can go; the generated modules must parse and hold exactly the expected
definitions. Hostile names are rejected with a clean error, never rendered."""

from __future__ import annotations

import ast
import pickle
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from codegen.format import format_files
from codegen.render.package import render_package
from codegen.render.text import one_line
from codegen.spec.errors import SpecError
from codegen.spec.loader import load_spec

from .conftest import MINI, TEMPLATES

NASTY = [
    '"',
    "'",
    '"""',
    "'''",
    "\\",
    "\n",
    "\r",
    "\u2028",
    "\u2029",
    "\x00",
    "\x1b[31m",
    "{{ 7*7 }}",
    "{% if %}",
    "#",
    "):\n    import os\n",
    "\\N{",
    "\t",
    "\u202e",  # bidi override
    "\u2066",  # bidi isolate
    "\x85",  # NEL: a line break to str.splitlines
    "\x0c",
    "\ufeff",
    "\\x41\\u0041",
]
hostile_text = st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=8)), max_size=8).map(
    "".join
)


def _definitions(source: str) -> dict[str, list[str]]:
    """Top-level classes with the names they define (methods, fields, members); top-level functions."""
    tree = ast.parse(source)
    out: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            names = []
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    names.append(item.name)
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    names.append(item.target.id)
                elif isinstance(item, ast.Assign):
                    names += [t.id for t in item.targets if isinstance(t, ast.Name)]
            out[node.name] = names
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out[node.name] = []
    return out


_OPTIONS = ("extra_headers", "extra_query", "extra_body", "timeout")


def _words(doc: str | None) -> str | None:
    return " ".join(doc.split()) if doc is not None else None


def _args_section(doc: str) -> dict[str, str]:
    """`Args:` entries of a (cleaned) docstring: name -> its text, words joined by single spaces."""
    lines = doc.split("\nArgs:\n", 1)[1].splitlines()
    entries: dict[str, list[str]] = {}
    for line in lines:
        if line.startswith("    ") and not line.startswith("     "):
            name, _, rest = line[4:].partition(": ")
            entries[name] = [rest]
        else:
            assert line.startswith("        ") or not line.strip(), repr(line)
            entries[list(entries)[-1]].append(line)
    return {k: " ".join(" ".join(v).split()) for k, v in entries.items()}


def _render(spec_dir: Path) -> dict[str, str]:
    return format_files(render_package(load_spec(spec_dir), TEMPLATES)[0])


_BASELINE: dict[str, dict[str, list[str]]] = {}


def _baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[str]]]:
    """The definitions of the modules of `_mini_data()` as written (its own descriptions)."""
    if not _BASELINE:
        spec = tmp_path_factory.mktemp("spec") / "spec"
        _write(_mini_data(), spec)
        _BASELINE.update(
            {p: _definitions(s) for p, s in _render(spec).items() if p.endswith(".py")}
        )
    return _BASELINE


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, as the spec loader's
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_MINI: dict[str, bytes] = {}

# What of the mini spec the hostile text is not put in again: each holds descriptions exactly
# where something the test keeps holds them, rendered by the same code (a method's docstring and
# `Args:` entries are one `method_docstring` for every kind of method; a resource's docstring one
# `resource_view` at any depth). Every kind of method (plain, streamed, paginated, long-running,
# empty, upload, download), a nested resource, every parameter place, every field form and the
# enum stay. The text put in these again was a fifth of what black formatted in each example
# and reached no rendering path the rest do not.
SAME_PATHS = {
    "resources": (
        "models.get",  # a plain method with a path parameter: models.generateContent
        "tunedModels.patch",  # a plain method with a body and query parameter: generateContent,
        # tunedModels.create (its fieldmask type changes the annotation, not the entry)
        "tunedModels.permissions.list",  # paginated: models.list
        "tunedModels.operations",  # a nested resource (permissions) and long-running method
        "files",  # a resource of one paginated method: models.list
    ),
    "types": ("ListOperationsResponse", "ListPermissionsResponse", "ListFilesResponse"),
}


def _mini_data() -> dict[str, Any]:
    """The mini spec's files as data to edit, less `SAME_PATHS`: parsed once, a fresh copy each
    time."""
    if not _MINI:
        dropped = []
        for f in sorted(MINI.glob("*.yaml")):
            data = yaml.load(f.read_text(), Loader=_LOADER)
            dropped += [n for n in SAME_PATHS["types"] if data.get("types", {}).pop(n, None)]
            dropped += [p for p in SAME_PATHS["resources"] if _drop(data, p.split("."))]
            _MINI[f.name] = pickle.dumps(data)
        assert sorted(dropped) == sorted(sum(SAME_PATHS.values(), ())), dropped  # each in mini
    return {name: pickle.loads(data) for name, data in _MINI.items()}


def _drop(data: dict[str, Any], path: list[str]) -> bool:
    """Take the resource or method at `path` (`resource[.child...][.method]`) out of a file's data."""
    node = data
    for part in path[:-1]:
        node = (node.get("resources") or {}).get(part)
        if node is None:
            return False
    return any((node.get(key) or {}).pop(path[-1], None) for key in ("resources", "methods"))


def _write(files: dict[str, Any], spec: Path) -> None:
    spec.mkdir(parents=True)
    for name, data in files.items():
        (spec / name).write_text(
            yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True)
        )


def _set_all_descriptions(data: object, text: str) -> None:
    """Put `text` as the description of every type, field, enum value, resource, method and param."""
    if isinstance(data, dict):
        for key, value in list(data.items()):
            if key == "description":
                data[key] = text
            elif isinstance(value, str) and key not in (
                "type",
                "http",
                "in",
                "prefix",
                "request",
                "response",
                "name",
                "base_url",
                "version",
                "header",
                "title",
                "items",
            ):
                data[key] = {"description": text} if key.isupper() else value
            else:
                _set_all_descriptions(value, text)
        for key in ("fields", "enum", "methods", "params"):
            for name, value in (data.get(key) or {}).items():
                if isinstance(value, str) and key == "fields":
                    data[key][name] = {"type": value, "description": text}
                elif isinstance(value, dict):
                    value["description"] = text


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=hostile_text)
@example(text="".join(NASTY))
@example(text='\n"')
@example(text="\x1e")
@example(text="first\n\n    indented: not an entry\n* a list item " + "long " * 40 + "\\")
def test_hostile_descriptions_never_change_code_structure(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    baseline = _baseline(tmp_path_factory)
    spec = tmp_path_factory.mktemp("spec") / "spec"
    files = _mini_data()
    for data in files.values():
        _set_all_descriptions(data, text)
    _write(files, spec)
    rendered = _render(spec)
    for path, source in rendered.items():  # nothing hidden: no control, format or bidi character
        hidden = {ch for ch in set(source) if ch != "\n" and not ch.isprintable() and ch != " "}
        assert not hidden, (path, hidden)
    for path, defs in baseline.items():
        assert _definitions(rendered[path]) == defs, path
    # The text did reach the code, intact but for being folded onto one line.
    for path, cls, fallback in (
        ("gemini_client/resources/models.py", "Models", "The `models` resource."),
        ("gemini_client/types/_models.py", "Content", None),
    ):
        node = next(
            n
            for n in ast.parse(rendered[path]).body
            if isinstance(n, ast.ClassDef) and n.name == cls
        )
        doc = ast.get_docstring(node, clean=False)
        # Lines and paragraphs are kept (wrapped, indented): compare the words.
        assert _words(doc) == (one_line(text) or fallback), (path, text)
    # Every keyword argument of a method has its `Args:` entry, holding the text.
    method = next(
        n
        for n in ast.walk(ast.parse(rendered["gemini_client/resources/models.py"]))
        if isinstance(n, ast.FunctionDef) and n.name == "generate_content"
    )
    entries = _args_section(ast.get_docstring(method, clean=True) or "")
    kwargs = [a.arg for a in method.args.kwonlyargs]
    assert list(entries) == [k for k in kwargs if k not in _OPTIONS] + [", ".join(_OPTIONS)]
    for name in ("contents", "temperature"):
        if name in entries:
            assert entries[name] == (one_line(text) or f"`{name}` of the request."), (name, text)
    # An enum member's description is the string right after the member.
    enum = next(
        n
        for n in ast.parse(rendered["gemini_client/types/_models.py"]).body
        if isinstance(n, ast.ClassDef) and n.name == "FinishReason"
    )
    after_stop = [
        b
        for a, b in zip(enum.body, enum.body[1:])
        if isinstance(a, ast.Assign) and a.targets[0].id == "STOP"
    ]  # type: ignore[attr-defined]
    member_doc = (
        _words(after_stop[0].value.value)
        if after_stop and isinstance(after_stop[0], ast.Expr)
        else ""
    )  # type: ignore[attr-defined]
    assert member_doc == one_line(text), text


@pytest.mark.parametrize(
    "name", ['Evil"Name', "Evil\nName", "Evil{{x}}", "import os", "Evil\u2028Name", "__class__"]
)
def test_hostile_type_and_field_names_are_rejected(tmp_path: Path, name: str) -> None:
    spec = tmp_path / "spec"
    shutil.copytree(MINI, spec)
    data = yaml.safe_load((spec / "content.yaml").read_text())
    data["types"][name] = {"fields": {name: "string"}}
    (spec / "content.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    with pytest.raises(SpecError) as info:
        load_spec(spec)
    assert "invalid type name" in str(info.value)
