"""Hostile specs are refused at load in one line `file:line: yaml.path: message`, exit 2, before
anything is written; or generate valid Python by a rename rule (see docs/spec-language.md)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from codegen.cli import main
from codegen.pipeline import generate
from codegen.write import read_tree

from .conftest import MINI, TEMPLATES, black_left_out, paths

LEAVING_THE_ORIGIN = [
    "https://elsewhere/steal/{+model}",
    "http:elsewhere.example/x",
    "evil:v1beta/{+model}",
    "//elsewhere/x",
    "/v1beta/{+model}",
    "\\\\elsewhere\\x",
    "v1beta\\..\\x",
    "v1beta/../../elsewhere",
    "v1beta/./{+model}",
    "v1beta/{+model}/..",
    "..:generateContent",
    "v1beta/%2e%2e/x",
    "v1beta/%2F%2Felsewhere",
    "user@elsewhere/v1beta",
    "v1beta/{+model}?key=1",
    "v1beta/{+model}#x",
    "v1beta//{+model}",
    "v1beta/{+model}/",
    "{+model}:generateContent",
    "v1beta/\u2025/x",
    "v1beta/\uff0e\uff0e/x",
    "v1beta/x\x00y",
    "v1beta/x\x1b[31m",
    "v1beta/x\u202e",
]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out") / "generated"
    generate(paths(MINI, out))
    return out


def _refused(spec: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    before = read_tree(out)
    for command in ("generate", "check"):
        argv = [command, "--spec", str(spec), "--templates", str(TEMPLATES), "--out", str(out)]
        code = main(argv)
        err = capsys.readouterr().err
        assert code == 2, err
        assert "Traceback" not in err
    assert read_tree(out) == before
    (line,) = err.splitlines()
    return line


@pytest.mark.parametrize("path", LEAVING_THE_ORIGIN)
def test_a_path_that_leaves_the_origin_is_refused_at_load(
    spec_copy: Callable[[], Path], out: Path, capsys: pytest.CaptureFixture[str], path: str
) -> None:
    spec = spec_copy()
    service = (spec / "service.yaml").read_text()
    quoted = '"' + path.encode("unicode_escape").decode().replace('"', '\\"') + '"'
    edited = service.replace(
        "http: POST v1beta/{+model}:generateContent", f"http: {quoted[0]}POST {quoted[1:]}", 1
    )
    assert edited != service
    (spec / "service.yaml").write_text(edited)
    line = _refused(spec, out, capsys)
    assert re.match(
        r"^\S*service\.yaml:17: resources\.models\.methods\.generateContent\.http: "
        r"the path must stay on the service's origin",
        line,
    ), line
    assert "\x1b" not in line and "\u202e" not in line and "\x00" not in line


@pytest.mark.parametrize("path", ["v1beta/files:register", "v1alpha/x_y-z.~1/a.b:c", "v1/.well"])
def test_paths_on_the_origin_still_load(spec_copy: Callable[[], Path], path: str) -> None:
    from codegen.spec.loader import load_spec

    spec = spec_copy()
    service = (spec / "service.yaml").read_text()
    (spec / "service.yaml").write_text(service.replace("GET v1beta/models", f"GET {path}", 1))
    method = load_spec(spec).resources["models"].method("list")
    assert method is not None and method.path == path


# -- names that would shadow pydantic, the client, keywords or builtins: renamed by a rule --------

import keyword  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

import pydantic  # noqa: E402

from codegen import naming  # noqa: E402

PYDANTIC_NAMES = sorted(n for n in dir(pydantic.BaseModel) if not n.startswith("_"))


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(p.title() for p in rest)


RESOURCE_NAMES = sorted(
    {k for k in keyword.kwlist + keyword.softkwlist if k.isidentifier() and k.isalpha()}
    | {"list", "print", "object", "type", "httpx", "os", "timeout", "client", "self", "cls"}
    | {"notGiven", "stream", "request", "paginate", "close", "withOptions", "maxRetries"}
    | {"apiKey", "baseUrl", "types", "lib", "asyncClient", "syncApiClient", "mapping", "any"}
)


# The tests of `hostile_out` on one xdist worker: it is made once per worker that runs one of them.
_ON_ONE_WORKER = pytest.mark.xdist_group("hostile-out")


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini spec plus a type whose fields are named like pydantic's attributes and resources
    named like keywords, builtins and the client's own names, generated once."""
    import shutil

    root = tmp_path_factory.mktemp("hostile")
    spec = root / "spec"
    shutil.copytree(MINI, spec)
    fields = "".join(f"      {_camel(n)}: string\n" for n in [*PYDANTIC_NAMES, "fields", "to_dict"])
    content = (spec / "content.yaml").read_text()
    (spec / "content.yaml").write_text(
        content.replace("types:\n", f"types:\n  Shadowy:\n    fields:\n{fields}", 1)
    )
    resources = "".join(
        f"  {name}:\n    methods:\n      get:\n        http: GET v1beta/{{+name}}\n"
        "        params:\n          name: {in: path, type: string}\n        response: Shadowy\n"
        for name in RESOURCE_NAMES
    )
    service = (spec / "service.yaml").read_text()
    (spec / "service.yaml").write_text(
        service.replace("resources:\n", "resources:\n" + resources, 1)
    )
    out = root / "out"
    with black_left_out():  # the tests import and run it: black's layout is not what they look at
        generate(paths(spec, out))
    return out


def _run(out: Path, code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@_ON_ONE_WORKER
def test_fields_named_like_pydantic_attributes_neither_warn_nor_shadow(hostile_out: Path) -> None:
    names = [*PYDANTIC_NAMES, "fields", "to_dict"]
    wire = {_camel(n): f"v-{i}" for i, n in enumerate(names)}
    out = _run(
        hostile_out,
        f"""
import json, warnings
from gemini_client import types
m = types.Shadowy.model_validate({wire!r})
assert m.model_dump(by_alias=True, exclude_none=True) == {wire!r}
assert json.loads(m.model_dump_json(by_alias=True, exclude_none=True)) == {wire!r}
assert callable(types.Shadowy.model_validate) and callable(m.model_copy) and callable(m.to_dict)
print(m.json_, m.model_config_, m.copy_)
""",
    )
    assert out.split() == [wire["json"], wire["modelConfig"], wire["copy"]]


@_ON_ONE_WORKER
def test_resources_named_like_keywords_builtins_and_the_clients_names(hostile_out: Path) -> None:
    attrs = {n: naming.resource_attr(n) for n in RESOURCE_NAMES}
    out = _run(
        hostile_out,
        f"""
import importlib, pkgutil, typing
import gemini_client
from gemini_client import _client, _core
from gemini_client.resources import __path__ as where
for m in pkgutil.iter_modules(where):
    importlib.import_module("gemini_client.resources." + m.name)
assert _client.Timeout is _core.Timeout
assert issubclass(gemini_client.Client, _client.Client)
assert issubclass(gemini_client.AsyncClient, _client.AsyncClient)
for cls in (_client.Client, _client.AsyncClient):
    hints = typing.get_type_hints(cls.__init__, vars(_client))
    assert hints["timeout"] == _core.Timeout, hints["timeout"]
with gemini_client.Client(api_key="k") as c:
    for wire, attr in {attrs!r}.items():
        assert type(getattr(c, attr)).__module__.startswith("gemini_client.resources."), (wire, attr)
    assert callable(c.close) and callable(c.with_options) and callable(c.request)
print("ok")
""",
    )
    assert out.strip() == "ok"
    # the rule, as a reviewer reads it
    assert naming.resource_class("timeout") == "TimeoutResource"
    assert naming.resource_class("client") == "ClientResource"
    assert naming.resource_class("none") == "NoneResource"
    assert naming.resource_module("class") == "class_"
    assert naming.resource_attr("global") == "global_"


def test_the_reserved_names_cover_what_the_generated_client_holds() -> None:
    """The lists in codegen/naming.py against the real generated package: a new attribute of the
    client or of pydantic's BaseModel, or a new name in the client's modules, fails here."""
    import re

    import gemini_client
    from gemini_client import _client

    for cls in (gemini_client.Client, gemini_client.AsyncClient):
        own = {a for a in dir(cls) if not a.startswith("_")}
        resources = {
            n for n in own if isinstance(getattr(cls, n), __import__("functools").cached_property)
        }
        assert own - resources <= naming._RESOURCE_ATTR_RESERVED, own - resources
    module_names = {n for n in vars(_client) if n[:1].isupper()}
    for template in ("_client.py.jinja", "resources/resource.py.jinja"):
        text = (TEMPLATES / "package" / template).read_text()
        imported = re.findall(
            r"^\s+([A-Z][A-Za-z_]+),$|import .*?\b([A-Z][A-Za-z_]+)\b", text, re.M
        )
        module_names |= {a or b for a, b in imported}
    # a resource class is PascalCase without `_` (`pascal` drops them), so `API_KEY_ENV` is safe
    module_names = {n for n in module_names if "_" not in n} - {"Async"}
    assert module_names <= naming._CLIENT_SCOPE_RESERVED, (
        module_names - naming._CLIENT_SCOPE_RESERVED
    )


# -- refusals: one line, exit 2, nothing written --------------------------------------------------


def _only_service(spec: Path) -> None:
    for p in spec.glob("*.yaml"):
        if p.name != "service.yaml":
            p.unlink()
    text = (spec / "service.yaml").read_text()
    (spec / "service.yaml").write_text(text[: text.index("resources:")])


def _nested(depth: int) -> Callable[[Path], None]:
    def edit(spec: Path) -> None:
        content = (spec / "content.yaml").read_text()
        expr = "list[" * depth + "string" + "]" * depth
        (spec / "content.yaml").write_text(
            content.replace("types:\n", f"types:\n  Deep:\n    fields:\n      x: '{expr}'\n", 1)
        )

    return edit


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (_only_service, r"service\.yaml:\d+: types: the spec defines no types"),
        (_nested(9), r"content\.yaml:4: types\.Deep\.fields\.x: a type nested more than 8 levels"),
        (_nested(100), r"content\.yaml:4: types\.Deep\.fields\.x: a type nested more than 8"),
        (_nested(100_000), r"content\.yaml:4: types\.Deep\.fields\.x: a type nested more than 8"),
    ],
    ids=["only service.yaml", "lists 9 deep", "lists 100 deep", "lists 100000 deep"],
)
def test_refused_in_one_line(
    spec_copy: Callable[[], Path],
    out: Path,
    capsys: pytest.CaptureFixture[str],
    edit: Callable[[Path], None],
    expected: str,
) -> None:
    spec = spec_copy()
    edit(spec)
    line = _refused(spec, out, capsys)
    assert re.search(expected, line), line


def test_lists_8_deep_generate_valid_python(spec_copy: Callable[[], Path], tmp_path: Path) -> None:
    spec = spec_copy()
    _nested(8)(spec)
    generate(paths(spec, tmp_path / "out"))
    code = "from gemini_client import types; print(types.Deep(x=[[[[[[[['a']]]]]]]]).x)"
    assert _run(tmp_path / "out", code).strip() == "[[[[[[[['a']]]]]]]]"


@pytest.mark.parametrize("templates", ["templatez", "templates/package", "empty", "file"])
def test_a_templates_directory_without_the_templates_exits_2(
    tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str], templates: str
) -> None:
    where = {"empty": tmp_path, "file": TEMPLATES / "package" / "py.typed"}.get(
        templates, TEMPLATES.parent / templates
    )
    before = read_tree(out)
    for command in ("generate", "check"):
        code = main([command, "--spec", str(MINI), "--templates", str(where), "--out", str(out)])
        (line,) = capsys.readouterr().err.splitlines()
        assert code == 2 and "not a templates directory" in line, line
    assert read_tree(out) == before
