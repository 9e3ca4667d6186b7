"""Spec types named like what the generated modules import or use (`Operation`, `Field`, `Any`,
`BaseModel`, builtins...) are importable from `gemini_client.types` under their spec names and
usable in requests and responses; keywords are refused."""

from __future__ import annotations

import importlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from codegen.cli import main
from codegen.pipeline import generate

from support import mypy_run

from .conftest import MINI, TEMPLATES, paths
from .test_reserved_names import _imported

# `Operation` is in the mini spec already (tuning.yaml).
COLLIDING = [
    "Field",
    "Any",
    "BaseModel",
    "Enum",
    "OpenEnum",
    "Optional",
    "Union",
    "List",
    "Dict",
    "Literal",
    "Annotated",
    "ConfigDict",
    "RootModel",
    "Exception",
    "ValueError",
    "Ellipsis",
    "NotImplemented",
    "BaseException",
    "Mapping",
    "Sequence",
    "NotGiven",
    "Stream",
    "SyncPager",
    "RequestOptions",
    "Timeout",
    "Headers",
    "Body",
    "Query",
]


# The helpers layer: lib/ and the hand-written modules of types/ (the short forms, the bases of
# the models) are written against the real spec and type-checked with it (tests/client/
# test_typing.py); a mini spec lacks the types they build on (Tool, FunctionCall...).
HELPERS = "|".join(
    ["lib/", *(f"types/{p.name}" for p in sorted((TEMPLATES / "package" / "types").glob("*.py")))]
)


# Methods and (nested) resources of the mini spec renamed like what the generated class bodies use.
CLASS_BODY_NAMES = [
    ("      operations:\n        methods:\n", "      types:\n        methods:\n"),
    (
        "      create:\n        http: POST v1beta/tunedModels\n",
        "      str:\n        http: POST v1beta/tunedModels\n",
    ),
    (
        "      patch:\n        http: PATCH v1beta/{+name}\n",
        "      cachedProperty:\n        http: PATCH v1beta/{+name}\n",
    ),
    (
        "  files:\n    description: Only a paginated method.\n",
        "  httpx:\n    description: Only a paginated method.\n",
    ),
    ("  media:\n", "  dict:\n"),
]


def _rename_class_body_names(spec_dir: Path) -> None:
    text = (spec_dir / "tuning.yaml").read_text()
    for old, new in CLASS_BODY_NAMES:
        assert old in text
        text = text.replace(old, new, 1)
    (spec_dir / "tuning.yaml").write_text(text)


def _spec(spec_dir: Path) -> None:
    fields = "\n".join(f"      f{i}: {name}" for i, name in enumerate(COLLIDING))
    types = "\n".join(
        f"  {name}:\n    fields:\n      value: string\n      next: {COLLIDING[(i + 1) % len(COLLIDING)]}"
        for i, name in enumerate(COLLIDING)
    )
    (spec_dir / "names.yaml").write_text(
        f"types:\n{types}\n  Holder:\n    fields:\n{fields}\n"
        "resources:\n"
        "  holders:\n"
        "    methods:\n"
        "      create:\n"
        "        http: POST v1beta/holders\n"
        "        request: Holder\n"
        "        response: Operation\n"
        "        long_running: {response: Field, metadata: Any}\n",
        encoding="utf-8",
    )


def _make_named(root: Path) -> Path:
    """The mini spec with the colliding type names and the class-body names (`_spec`,
    `_rename_class_body_names`), generated in `root`."""
    spec = shutil.copytree(MINI, root / "spec")
    _spec(spec)
    _rename_class_body_names(spec)
    generate(paths(spec, root / "out"))
    return root / "out"


# `mypy --strict` on it, the helpers layer left unchecked, as `names_client` in the tests' one mypy
# run (support.mypy_run.package): what it shares with the real package (the libraries) is loaded
# once, in one process.
NAMES = mypy_run.package(
    "names_client",
    _make_named,
    checked=True,
    exclude=f"names_client/({HELPERS.replace('.', '[.]')})",
)


@pytest.fixture(scope="module")
def named(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One package for the tests of names (its generation and its mypy run are the cost), the one
    the mypy run checks."""
    return mypy_run.made(NAMES, tmp_path_factory.mktemp("named"))


# the tests of `named`: on one worker (made once), the one of the one mypy run
_NAMED = pytest.mark.xdist_group("mypy-cache")


@_NAMED
def test_colliding_type_names_import_under_their_spec_names(
    named: Path, mypy_strict: mypy_run.MypyReport
) -> None:
    with _imported(named):  # the generated package, in this process
        types = importlib.import_module("gemini_client.types")
        assert importlib.import_module("gemini_client.resources.holders").Holders
        for name in COLLIDING:
            cls = getattr(types, name)
            assert name in types.__all__, name
            assert cls.model_validate({"value": "v"}).value == "v", name
        h = types.Holder.model_validate(
            {f"f{i}": {"value": str(i), "next": {"value": "n"}} for i in range(len(COLLIDING))}
        )
        for i, name in enumerate(COLLIDING):
            assert isinstance(getattr(h, f"f{i}"), getattr(types, name)), name
        assert types.Operation.__name__ == "Operation" and "Operation" in types.__all__
        # builtins still work inside the generated modules
        assert isinstance(types.Holder.model_json_schema(), dict)
    assert mypy_strict.clean(NAMES, alone=True) == ""


@pytest.mark.parametrize("name", ["None", "True", "False"])
def test_keyword_type_names_are_refused(
    name: str, spec_copy: Callable[[], Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = spec_copy()
    (spec / "kw.yaml").write_text(f"types:\n  {name}:\n    fields: {{}}\n", encoding="utf-8")
    assert main(["generate", "--spec", str(spec), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"types.{name}" in err[0] and "keyword" in err[0]


@_NAMED
def test_methods_and_resources_named_like_what_a_class_body_uses(
    named: Path, mypy_strict: mypy_run.MypyReport
) -> None:
    """A method or (nested) resource named `types`, `str`, `dict`, `cachedProperty`, `httpx`...
    would shadow what the generated class bodies refer to: it gets a trailing `_`, and the
    package still passes mypy --strict."""
    assert mypy_strict.clean(NAMES, alone=True) == ""
    with _imported(named) as pkg, pkg.Client(api_key="k") as c:
        assert callable(c.tuned_models.str_) and callable(c.tuned_models.cached_property_)
        assert c.tuned_models.types_ is c.tuned_models.types_
        assert callable(c.httpx_.list) and callable(c.dict_.upload)
