"""Helpers for the spec diff tests: copies of the real spec/ to edit, and the CLI run in-process."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from codegen.cli import main

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class SpecFiles:
    """A spec directory as parsed YAML, one mapping per file, edited in place and written back."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, dict[str, Any]] = {
            p.name: yaml.load(p.read_text(encoding="utf-8"), Loader=_Loader) or {}
            for p in sorted(root.glob("*.yaml"))
        }

    def type(self, name: str) -> dict[str, Any]:
        for data in self.files.values():
            if name in (data.get("types") or {}):
                found: dict[str, Any] = data["types"][name]
                return found
        raise KeyError(name)

    def file_of_type(self, name: str) -> str:
        return next(f for f, d in self.files.items() if name in (d.get("types") or {}))

    def fields(self, type_name: str) -> dict[str, Any]:
        fields: dict[str, Any] = self.type(type_name)["fields"]
        return fields

    def field(self, type_name: str, field: str) -> dict[str, Any]:
        f = self.fields(type_name)[field]
        if isinstance(f, str):  # short form
            f = self.fields(type_name)[field] = {"type": f}
        out: dict[str, Any] = f
        return out

    def resource(self, name: str) -> dict[str, Any]:
        for data in self.files.values():
            if name in (data.get("resources") or {}):
                found: dict[str, Any] = data["resources"][name]
                return found
        raise KeyError(name)

    def method(self, resource: str, name: str) -> dict[str, Any]:
        found: dict[str, Any] = self.resource(resource)["methods"][name]
        return found

    def service(self) -> dict[str, Any]:
        return next(d["service"] for d in self.files.values() if "service" in d)

    def write(self) -> None:
        for p in self.root.glob("*.yaml"):
            p.unlink()
        for name, data in self.files.items():
            (self.root / name).write_text(
                yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True),
                encoding="utf-8",
            )


@pytest.fixture
def spec_copy(tmp_path: Path) -> Callable[[str], Path]:
    """A fresh copy of the real spec/ under tmp_path/<name>/spec."""

    def make(name: str = "head") -> Path:
        out = tmp_path / name / "spec"
        shutil.copytree(SPEC, out)
        return out

    return make


@pytest.fixture
def edited(spec_copy: Callable[[str], Path]) -> Callable[[Callable[[SpecFiles], None]], Path]:
    """A copy of the real spec with `edit` applied to its parsed YAML."""

    def make(edit: Callable[[SpecFiles], None]) -> Path:
        root = spec_copy("head")
        files = SpecFiles(root)
        edit(files)
        files.write()
        return root

    return make


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> dict[str, Any]:
        doc: dict[str, Any] = json.loads(self.out)
        return doc


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Iterator[Callable[..., Run]]:
    def run(*argv: str) -> Run:
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    yield run
