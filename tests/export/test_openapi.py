"""`codegen export openapi`: a valid OpenAPI 3.1 document that holds every method, parameter, type,
enum value and trait of the spec, the same bytes every time, and one-line refusals."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from codegen.cli import main
from codegen.export.openapi import export_openapi
from codegen.spec.loader import load_spec
from codegen.spec.model import EnumType, ObjectType, Spec

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "spec"
MINI = REPO / "tests" / "data" / "specs" / "mini"


@pytest.fixture(scope="module")
def spec() -> Spec:
    return load_spec(SPEC)


@pytest.fixture(scope="module")
def doc(spec: Spec) -> dict[str, Any]:
    return export_openapi(spec)


def operations(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every operation by its id; a flagged stream (`x-gemini-stream-variant`) by its own id too."""
    ops = {op["operationId"]: op for item in doc["paths"].values() for op in item.values()}
    for op in list(ops.values()):
        if variant := op.get("x-gemini-stream-variant"):
            ops[variant["operationId"]] = {
                **op,
                "x-gemini-path": variant["x-gemini-path"],
                "variant": variant,
            }
    return ops


# openapi-spec-validator (~0.5 s of CPU to import) is imported by the tests that validate, on one
# worker (their xdist_group), not when the module is collected on every worker.
@pytest.mark.xdist_group("openapi-spec-validator")
@pytest.mark.parametrize("spec_dir", [SPEC, MINI], ids=["spec", "mini"])
def test_the_export_is_valid_openapi_3_1(spec_dir: Path) -> None:
    from openapi_spec_validator import validate

    d = export_openapi(load_spec(spec_dir))
    assert d["openapi"] == "3.1.0"
    validate(d)  # raises on any violation of the OpenAPI 3.1 schema and its rules


def test_every_method_and_parameter_is_an_operation(spec: Spec, doc: dict[str, Any]) -> None:
    ops = operations(doc)
    methods = {f"{rp}.{m.name}": m for rp, r in spec.all_resources() for m in r.methods}
    assert sorted(ops) == sorted(methods)
    for op_id, m in methods.items():
        op = ops[op_id]
        params = {(p["name"], p["in"]): p for p in op.get("parameters", [])}
        for p in m.parameters:
            got = params[(p.name, p.location)]
            if not got.get("x-gemini-stream-only"):
                assert got["required"] is (p.location == "path" or p.required), (op_id, p.name)
            assert (got["schema"].get("type") == "array") is p.repeated, (op_id, p.name)
        assert op["x-gemini-path"] == f"{m.http_method} {m.path}"
        assert ("requestBody" in op) is (m.request is not None), op_id
        if "variant" in op:  # a stream asked for by a flag: its twin's operation, streaming too
            assert m.stream_flag == op["variant"]["flag"]
            assert "text/event-stream" in op["responses"]["200"]["content"]
            continue
        assert op.get("x-gemini-streaming", False) is m.streaming
        assert op.get("x-gemini-upload", False) is m.upload
        assert op.get("x-gemini-download", False) is m.download
        assert op.get("deprecated", False) is m.deprecated
        lro = op.get("x-gemini-long-running")
        if m.long_running is None:
            assert lro is None, op_id
        else:
            assert lro == {
                "response": m.long_running.response,
                **({"metadata": m.long_running.metadata} if m.long_running.metadata else {}),
            }, op_id
        if m.pagination is not None:
            assert op["x-gemini-pagination"]["items"] == m.pagination.items
        ok = op["responses"]["200"]["content"]
        if m.streaming:
            assert list(ok) == ["text/event-stream"]
        if m.response in spec.types and not m.download:
            assert next(iter(ok.values()))["schema"] == {
                "$ref": f"#/components/schemas/{m.response}"
            }


def test_every_path_placeholder_is_a_declared_path_parameter(doc: dict[str, Any]) -> None:
    import re

    for path, item in doc["paths"].items():
        names = set(re.findall(r"\{([^}]+)\}", path))
        for verb, op in item.items():
            declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert names == declared, (verb, path)


def test_every_type_field_and_enum_value_is_a_schema(spec: Spec, doc: dict[str, Any]) -> None:
    schemas = doc["components"]["schemas"]
    for name, t in spec.types.items():
        s = schemas[name]
        if isinstance(t, EnumType):
            assert s["enum"] == [v.name for v in t.values]
            assert s.get("x-gemini-deprecated-values", []) == [
                v.name for v in t.values if v.deprecated
            ]
        else:
            assert isinstance(t, ObjectType)
            assert list(s["properties"]) == [f.name for f in t.fields]
            assert s.get("required", []) == [f.name for f in t.fields if f.required]
            for f in t.fields:
                assert s["properties"][f.name].get("readOnly", False) is f.output_only


def test_the_api_key_header_is_the_security_scheme(spec: Spec, doc: dict[str, Any]) -> None:
    assert doc["components"]["securitySchemes"]["apiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": spec.service.auth_header,
    }
    assert doc["servers"] == [{"url": spec.service.base_url}]


def test_the_cli_writes_the_same_bytes_every_time(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert main(["export", "openapi", "--spec", str(SPEC), "--out", str(a)]) == 0
    assert main(["export", "openapi", "--spec", str(SPEC), "--out", str(b)]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert json.loads(a.read_text()) == export_openapi(load_spec(SPEC))


def test_yaml_output_and_stdout(tmp_path: Path) -> None:
    out = tmp_path / "openapi.yaml"
    assert main(["export", "openapi", "--spec", str(MINI), "--out", str(out)]) == 0
    assert yaml.safe_load(out.read_text()) == export_openapi(load_spec(MINI))
    run = subprocess.run(
        [sys.executable, "-m", "codegen.cli", "export", "openapi", "--spec", str(MINI)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == export_openapi(load_spec(MINI))


@pytest.mark.xdist_group("openapi-spec-validator")
def test_hostile_text_stays_data(tmp_path: Path) -> None:
    from openapi_spec_validator import validate

    spec = tmp_path / "spec"
    shutil.copytree(MINI, spec)
    content = spec / "content.yaml"
    hostile = '"}, "paths": {"/evil": {}}, "x": "\u202e ${{ secrets }} </script> \\'
    text = content.read_text()
    assert "description:" in text
    content.write_text(text.replace("description:", f"description: {json.dumps(hostile)} #", 1))
    out = tmp_path / "o.json"
    assert main(["export", "openapi", "--spec", str(spec), "--out", str(out)]) == 0
    d = json.loads(out.read_text())
    assert "/evil" not in d["paths"]
    assert d["components"]["schemas"]["Content"]["description"] == hostile  # data, word for word
    validate(d)


def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec"
    shutil.copytree(MINI, spec)
    (spec / "content.yaml").write_text("types:\n  Broken: [\n")
    out = tmp_path / "o.json"
    out.write_text("old")
    assert main(["export", "openapi", "--spec", str(spec), "--out", str(out)]) == 2
    assert out.read_text() == "old"  # nothing written
    err = capsys.readouterr().err.strip().splitlines()
    assert err and all("content.yaml" in line for line in err)
    assert main(["export", "openapi", "--spec", str(MINI), "--out", str(tmp_path)]) == 2
    assert "is a directory" in capsys.readouterr().err
