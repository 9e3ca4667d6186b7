"""Deprecations reach the user, and every field's alias is its wire name.

One package is generated from a spec that deprecates a method, a query parameter, a request field,
a response field and an enum value, with wire names the camelCase rule does not give (`gcsURI`,
`snake_wire`); it is called against a real loopback server, and type-checked as a user would."""

from __future__ import annotations

import asyncio
import inspect
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from codegen import naming
from codegen.pipeline import Paths, build
from codegen.spec.loader import load_spec

from .conftest import REPO, TEMPLATES
from .test_reserved_names import _imported

sys.path.insert(0, str(REPO / "tests"))
from support import mypy_run  # noqa: E402
from support.server import LoopbackServer, Reply  # noqa: E402

# One worker for the module: its mypy run uses support.mypy_run's cache, and the package it
# generates once (module fixtures) is not made again on the other worker.
pytestmark = pytest.mark.xdist_group("mypy-cache")

FIELDS = {
    "inlineData": "string",
    "gcsURI": "string",
    "snake_wire": "string",
    "from": "string",
    "copy": "string",
    "h264Config": "string",
    "oldField": {"type": "string", "deprecated": True, "description": "Use inlineData."},
    "state": "State",
}
SPEC = {
    "service": {
        "name": "dep",
        "base_url": "https://example.invalid",
        "version": "v1beta",
        "auth": {"header": "x-goog-api-key", "env": ["DEP_API_KEY"]},
    },
    "types": {
        "State": {
            "enum": {"ACTIVE": "In use.", "GONE": {"description": "Old.", "deprecated": True}}
        },
        "Thing": {"fields": FIELDS},
        "EchoRequest": {
            "fields": {"text": "string", "legacy": {"type": "string", "deprecated": True}}
        },
    },
    "resources": {
        "things": {
            "methods": {
                "echo": {
                    "http": "POST v1beta/things:echo",
                    "params": {"oldParam": {"in": "query", "type": "string", "deprecated": True}},
                    "request": "EchoRequest",
                    "response": "Thing",
                },
                "old": {
                    "http": "GET v1beta/things:old",
                    "response": "Thing",
                    "deprecated": True,
                    "description": "Superseded by echo.",
                },
            }
        }
    },
}
THING = {
    "inlineData": "a",
    "gcsURI": "b",
    "snake_wire": "c",
    "from": "d",
    "copy": "e",
    "h264Config": "f",
    "oldField": "g",
    "state": "GONE",
}


def _generate(root: Path) -> Path:
    (root / "spec").mkdir()
    (root / "spec" / "spec.yaml").write_text(yaml.safe_dump(SPEC, sort_keys=False))
    for rel, data in build(
        Paths(spec=root / "spec", templates=TEMPLATES, out=root / "out")
    ).items():
        (root / "out" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "out" / rel).write_bytes(data)
    return root / "out"


# The package as `dep_client` in the tests' one mypy run (support.mypy_run.package), imported by
# the user's program `USER` (below).
DEP = mypy_run.package("dep_client", _generate, checked=False)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return mypy_run.made(DEP, tmp_path_factory.mktemp("deprecation"))


@pytest.fixture(scope="module")
def pkg(generated: Path) -> Iterator[ModuleType]:
    with _imported(generated) as module:
        yield module


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackServer]:
    s = LoopbackServer().start()
    yield s
    s.stop()


def _deprecations(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)]


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_a_deprecated_method_warns_at_the_callers_line(
    pkg: ModuleType, server: LoopbackServer, is_async: bool
) -> None:
    server.reset()
    server.add("/v1beta/things:old", Reply(json=THING))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if is_async:

            async def call() -> Any:
                async with pkg.AsyncClient(api_key="k", base_url=server.url) as c:
                    return await c.things.old()

            thing = asyncio.run(call())
        else:
            with pkg.Client(api_key="k", base_url=server.url) as c:
                thing = c.things.old()
    assert thing.inline_data == "a" and len(server.requests) == 1
    assert _deprecations(caught) == ["old() is deprecated by the API: see its docstring"]
    assert caught[0].filename == __file__
    assert "Deprecated by the API. Superseded by echo." in _doc(pkg)


def _doc(pkg: ModuleType) -> str:
    from importlib import import_module

    return import_module(f"{pkg.__name__}.resources.things").Things.old.__doc__ or ""


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_a_deprecated_argument_warns_only_when_passed(
    pkg: ModuleType, server: LoopbackServer, is_async: bool
) -> None:
    async def acall(**kwargs: Any) -> Any:
        async with pkg.AsyncClient(api_key="k", base_url=server.url) as c:
            return await c.things.echo(**kwargs)

    def call(**kwargs: Any) -> Any:
        if is_async:
            return asyncio.run(acall(**kwargs))
        with pkg.Client(api_key="k", base_url=server.url) as c:
            return c.things.echo(**kwargs)

    server.reset()
    server.add("/v1beta/things:echo", Reply(json=THING), Reply(json=THING))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call(text="hi")
    assert _deprecations(caught) == []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call(text="hi", old_param="p", legacy="l")
    assert sorted(_deprecations(caught)) == [
        "echo(legacy=...) is deprecated by the API",
        "echo(old_param=...) is deprecated by the API",
    ]
    assert {w.filename for w in caught} == {__file__}
    sent = server.requests[-1]
    assert sent.query == {"oldParam": ["p"]} and sent.json() == {"text": "hi", "legacy": "l"}


def test_a_deprecated_field_warns_when_read_not_when_parsed_dumped_or_shown(
    pkg: ModuleType,
) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        thing = pkg.types.Thing.model_validate(THING)
        assert thing.to_dict() == THING
        assert thing == pkg.types.Thing.model_validate_json(thing.to_json())
        repr(thing), str(thing), thing.model_copy(), thing.model_dump()
        assert thing.state == "GONE"  # a deprecated enum value still parses, no warning
    assert _deprecations(caught) == []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert thing.old_field == "g"
    assert _deprecations(caught) == ["old_field is deprecated by the API"]
    assert '"""Deprecated by the API. Old."""' in inspect.getsource(pkg.types.State)


def test_every_field_has_its_wire_name_as_alias(pkg: ModuleType) -> None:
    spec = load_spec(_spec_dir(pkg))
    for t in spec.objects():
        cls = getattr(pkg.types, t.name)
        for f in t.fields:
            info = cls.model_fields[naming.field_name(f.name)]
            assert (info.validation_alias, info.serialization_alias) == (f.name, f.name), f.name
    given = {k: v for k, v in THING.items() if k not in ("oldField", "state")}
    by_python = pkg.types.Thing(**{naming.field_name(k): v for k, v in given.items()})
    assert by_python.to_dict() == given
    assert pkg.types.Thing.model_validate(given) == by_python
    assert pkg.types.Thing.model_validate(by_python.model_dump()).to_dict() == by_python.to_dict()


def test_every_field_of_the_real_client_has_its_wire_name_as_alias() -> None:
    spec = load_spec(REPO / "spec")
    with _imported(REPO / "generated") as real:
        classes = {t.name: getattr(real.types, t.name) for t in spec.objects()}
    for t in spec.objects():
        fields = classes[t.name].model_fields
        for f in t.fields:
            info = fields[naming.field_name(f.name)]
            assert (info.validation_alias, info.serialization_alias) == (f.name, f.name), (
                t.name,
                f.name,
            )


def _spec_dir(pkg: ModuleType) -> Path:
    return Path(pkg.__file__ or "").parents[2] / "spec"


USER = mypy_run.program(
    "deprecation_user",
    """# mypy: enable-error-code="deprecated"
from dep_client import Client
client = Client(api_key="k")
client.things.echo(text="x")
client.things.old()
""",
)


def test_mypy_reports_the_use_of_a_deprecated_method(mypy_strict: mypy_run.MypyReport) -> None:
    """The user's program imports the package as `dep_client`; the error code enabled for its file
    alone (its inline configuration): an option on the command line would be one every cached
    module depends on."""
    errors = mypy_strict.errors(USER)
    assert len(errors) == 1 and f"{USER}:5:" in errors[0] and "[deprecated]" in errors[0], (
        mypy_strict.stdout
    )
