"""Documents and specs the checker cannot use: exit 2 and one clear line, never a traceback."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from codegen.cli import main

from .conftest import NEW, SPEC_DIR

Doc = dict[str, Any]


def _text(s: str) -> Callable[[Doc], str]:
    return lambda doc: s


def _doc(mutate: Callable[[Doc], object]) -> Callable[[Doc], str]:
    def make(doc: Doc) -> str:
        mutate(doc)
        return json.dumps(doc)

    return make


def _ref_cycle(doc: Doc) -> None:
    doc["schemas"]["Alias"] = {"id": "Alias", "$ref": "Alias2"}
    doc["schemas"]["Alias2"] = {"$ref": "Alias"}


def _weird_properties(doc: Doc) -> None:
    doc["schemas"]["Candidate"]["properties"] = ["not", "a", "mapping"]


CASES: list[tuple[str, Callable[[Doc], str], str]] = [
    ("empty", _text(""), "empty file"),
    ("blank", _text("  \n\n"), "empty file"),
    ("truncated", lambda doc: json.dumps(doc)[:5000], "truncated JSON"),
    ("not-json", _text("<html>502 Bad Gateway</html>"), "invalid JSON"),
    ("array", _text("[1, 2, 3]"), "expected a JSON object, found a JSON array"),
    ("string", _text('"hello"'), "found a JSON string"),
    ("not-discovery", _text('{"openapi": "3.0.0"}'), "not a Discovery document"),
    ("other-api", _doc(lambda d: d.update(name="drive")), "another API: 'drive'"),
    ("wrong-version", _doc(lambda d: d.update(version="v1")), "'v1', expected 'v1beta'"),
    ("no-schemas", _doc(lambda d: d.pop("schemas")), "no 'schemas'"),
    ("schemas-not-object", _doc(lambda d: d.update(schemas=[])), "'schemas' must be a JSON object"),
    ("ref-cycle", _doc(_ref_cycle), "$ref cycle: Alias -> Alias2 -> Alias"),
    ("weird-content", _doc(_weird_properties), "cannot make sense of the document"),
]


@pytest.mark.parametrize(("make", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_document(
    tmp_path: Path,
    new_doc: Doc,
    capsys: pytest.CaptureFixture[str],
    make: Callable[[Doc], str],
    message: str,
) -> None:
    path = tmp_path / "discovery.json"
    path.write_text(make(new_doc), encoding="utf-8")
    code = main(["drift", "--discovery", str(path), "--spec", str(SPEC_DIR)])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert message in lines[0] and str(path) in lines[0]
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_bytes(b"\xff\xfe{\x00"), "not UTF-8"),
    ],
    ids=["missing", "directory", "binary"],
)
def test_unreadable_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    setup: Callable[[Path], object],
    message: str,
) -> None:
    path = tmp_path / "d.json"
    setup(path)
    assert main(["drift", "--discovery", str(path), "--spec", str(SPEC_DIR)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


def test_a_self_containing_type_is_not_a_cycle(new_doc: Doc, tmp_path: Path) -> None:
    """Schema.items: Schema is an ordinary recursive type (the real document has it)."""
    assert new_doc["schemas"]["Schema"]["properties"]["items"]["$ref"] == "Schema"
    path = tmp_path / "d.json"
    path.write_text(json.dumps(new_doc), encoding="utf-8")
    assert main(["drift", "--discovery", str(path), "--spec", str(SPEC_DIR)]) == 0


def test_missing_spec_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["drift", "--discovery", str(NEW), "--spec", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "spec directory not found" in err[0]


def test_document_of_another_version_than_the_spec(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    spec_dir = tmp_path / "spec"
    shutil.copytree(SPEC_DIR, spec_dir)
    svc = spec_dir / "service.yaml"
    svc.write_text(
        svc.read_text(encoding="utf-8").replace("version: v1beta", "version: v1"), encoding="utf-8"
    )
    assert main(["drift", "--discovery", str(NEW), "--spec", str(spec_dir)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert (
        len(err) == 1
        and "Discovery document of generativelanguage 'v1beta', expected 'v1'" in err[0]
    )
