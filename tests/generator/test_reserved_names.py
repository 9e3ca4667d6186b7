"""No field or parameter name can change what a generated method does.

Keyword arguments share one namespace with the names a method body reads. The body reads only
names in `naming.METHOD_RESERVED` (which a keyword argument never takes) and names no keyword
argument can have (starting with `_` or an uppercase letter); a method generated from hostile names
sends exactly the request its arguments say, against a real loopback server."""

from __future__ import annotations

import ast
import asyncio
import builtins
import importlib
import importlib.util
import keyword
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from codegen import naming
from codegen.pipeline import Paths, build

from .conftest import GOLDEN, REPO, TEMPLATES, black_left_out

sys.path.insert(0, str(REPO / "tests"))
from support.server import LoopbackServer, Reply  # noqa: E402

RESOURCE_MODULES = sorted(
    (REPO / "generated" / "gemini_client" / "resources").glob("[!_]*.py")
) + sorted((GOLDEN / "gemini_client" / "resources").glob("[!_]*.py"))


def _could_be_a_kwarg(name: str) -> bool:
    """Whether some wire name becomes the keyword argument `name`."""
    return (
        bool(name)
        and not name.startswith("_")
        and name == name.lower()
        and naming.WIRE_NAME.match(name) is not None
    )


def _free_names(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Names the body reads that it does not bind itself (its arguments included)."""
    args = fn.args
    bound = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
    read = set()
    for node in ast.walk(ast.Module(body=fn.body, type_ignores=[])):
        if isinstance(node, ast.Name):
            (bound.add if isinstance(node.ctx, ast.Store) else read.add)(node.id)
    return read - bound


@pytest.mark.parametrize(
    "module", RESOURCE_MODULES, ids=lambda p: f"{p.parent.parent.parent.name}/{p.name}"
)
def test_method_bodies_read_only_names_no_kwarg_can_take(module: Path) -> None:
    tree = ast.parse(module.read_text())
    # API methods: the ones whose keyword arguments come from the spec
    functions = [
        n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]
    methods = [fn for fn in functions if fn.args.kwonlyargs]
    if not methods:  # a resource holding only nested ones (`fileSearchStores.upload`): properties
        assert functions and all(
            any(isinstance(d, ast.Name) and d.id == "cached_property" for d in fn.decorator_list)
            for fn in functions
        ), f"{module.name} has functions that are neither API methods nor nested resources"
    for fn in methods:
        exposed = {
            n for n in _free_names(fn) if _could_be_a_kwarg(n) and n not in naming.METHOD_RESERVED
        }
        assert not exposed, (
            f"{module.name}: {fn.name}() reads {sorted(exposed)}, which a field could shadow"
        )
    for wire in naming.METHOD_RESERVED:
        assert naming.param_name(wire) != wire


# -- generated from hostile names, called against the loopback server ------------------------------


def _body_identifiers() -> set[str]:
    tree = ast.parse((GOLDEN / "gemini_client" / "resources" / "models.py").read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.update(n for n in (node.name, node.asname) if n)
        elif isinstance(node, ast.keyword) and node.arg:
            names.add(node.arg)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
    return names


ISSUE_NAMES = [
    "types",
    "buildBody",
    "NOT_GIVEN",
    "options",
    "body",
    "path",
    "self",
    "cls",
    "extraHeaders",
    "timeout",
]
POOL = sorted(
    n
    for n in _body_identifiers()
    | set(keyword.kwlist)
    | set(keyword.softkwlist)
    | set(dir(builtins))
    | set(ISSUE_NAMES)
    if naming.WIRE_NAME.match(n)
)

# Wire names: the first is the path parameter, the second a query parameter, the rest body fields.
names_strategy = st.lists(
    st.sampled_from(POOL), min_size=2, max_size=14, unique_by=(naming.param_name, naming.field_name)
)


def _spec(names: list[str]) -> dict[str, Any]:
    path, query, fields = names[0], names[1], names[2:]
    return {
        "service": {
            "name": "hostile",
            "base_url": "https://example.invalid",
            "version": "v1beta",
            "auth": {"header": "x-goog-api-key", "env": ["HOSTILE_API_KEY"]},
        },
        "types": {
            "EchoRequest": {"fields": {f: "string" for f in fields}},
            "EchoResponse": {"fields": {"ok": "string"}},
        },
        "resources": {
            "things": {
                "methods": {
                    "echo": {
                        "http": f"POST v1beta/{{+{path}}}:echo",
                        "params": {
                            path: {"in": "path", "type": "string", "prefix": "things/"},
                            query: {"in": "query", "type": "string"},
                        },
                        "request": "EchoRequest",
                        "response": "EchoResponse",
                    }
                }
            }
        },
    }


@contextmanager
def _imported(root: Path) -> Iterator[ModuleType]:
    """`gemini_client` imported from `root`, the process's own one put back afterwards."""
    saved = {
        k: v
        for k, v in sys.modules.items()
        if k == "gemini_client" or k.startswith("gemini_client.")
    }
    for k in saved:
        del sys.modules[k]
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("gemini_client")
    finally:
        sys.path.remove(str(root))
        for k in [k for k in sys.modules if k == "gemini_client" or k.startswith("gemini_client.")]:
            del sys.modules[k]
        sys.modules.update(saved)


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where each example's package is written over the one before (`_write`)."""
    return tmp_path_factory.mktemp("hostile-out")


def _write(out: Path, files: Mapping[str, bytes]) -> None:
    """`files` as the tree under `out`. A file whose bytes are unchanged is left as it is, with the
    byte code Python compiled from it (the runtime is the same in every package: it is compiled
    once); a changed, new or removed module loses its byte code, which its size and time stamp
    could otherwise still seem to match."""
    had = {
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    for rel in had - files.keys():
        _forget_byte_code(out / rel)
        (out / rel).unlink()
    for rel, data in files.items():
        path = out / rel
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        _forget_byte_code(path)
    importlib.invalidate_caches()


def _forget_byte_code(path: Path) -> None:
    if path.suffix == ".py":
        Path(importlib.util.cache_from_source(str(path))).unlink(missing_ok=True)


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackServer]:
    s = LoopbackServer().start()
    yield s
    s.stop()


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@example(
    names=[
        "self",
        "types",
        "buildBody",
        "NOT_GIVEN",
        "options",
        "body",
        "path",
        "cls",
        "extraHeaders",
        "timeout",
        "pathParam",
        "stripNotGiven",
    ]
)
@example(
    names=[
        "timeout",
        "self",
        "extra_body",
        "types",
        "build_body",
        "str",
        "dict",
        "None",
        "class",
        "cast_to",
    ]
)
@given(names=names_strategy)
def test_hostile_field_names_do_not_change_the_request(
    names: list[str],
    server: LoopbackServer,
    hostile_out: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = tmp_path_factory.mktemp("hostile")
    spec_dir = root / "spec"
    spec_dir.mkdir()
    (spec_dir / "spec.yaml").write_text(yaml.safe_dump(_spec(names), sort_keys=False))
    with black_left_out():  # imported and called, never read: black's layout is not under test
        files = build(Paths(spec=spec_dir, templates=TEMPLATES, out=root / "out"))
    _write(hostile_out, files)

    kwargs = {naming.param_name(n): f"value-{i}" for i, n in enumerate(names)}
    expected_body = {n: f"value-{i}" for i, n in enumerate(names) if i >= 2}
    with _imported(hostile_out) as pkg:
        for is_async in (False, True):
            server.reset()
            server.add("/v1beta/things/value-0:echo", Reply(json={"ok": "yes"}))
            if is_async:

                async def call() -> Any:
                    async with pkg.AsyncClient(
                        api_key="k", base_url=server.url, max_retries=0
                    ) as c:
                        return await c.things.echo(**kwargs)

                result = asyncio.run(call())
            else:
                with pkg.Client(api_key="k", base_url=server.url, max_retries=0) as c:
                    result = c.things.echo(**kwargs)
            assert result.ok == "yes"
            (request,) = server.requests
            assert request.method == "POST"
            assert request.path == "/v1beta/things/value-0:echo"
            assert request.query == {names[1]: ["value-1"]}
            assert request.json() == expected_body
            assert re.fullmatch(r"k", request.headers["x-goog-api-key"])
