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

from .conftest import MINI, TEMPLATES, paths

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
