"""Helpers for the spec diff tests: copies of the real spec/ to edit, and the CLI run in-process.

Most tests edit one or two files of the real spec and diff it against the original. A copy keeps
the original bytes of every file its edit left alone, and the nth copy of a name in a test is at the
same path in every test of a worker: the spec loader keeps the files it parsed by name and
content, so only the edited files are parsed again (and the YAML each edit starts from is parsed
once per worker)."""

from __future__ import annotations

import json
import pickle
import shutil
from collections import Counter
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
        self._read = {p.name: _pickled(p.read_bytes()) for p in sorted(root.glob("*.yaml"))}
        self.files: dict[str, dict[str, Any]] = {
            name: pickle.loads(data) for name, data in self._read.items()
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
        """Each file added or changed since it was read written as YAML; each one gone removed."""
        for p in self.root.glob("*.yaml"):
            if p.name not in self.files:
                p.unlink()
        for name, data in self.files.items():
            if self._read.get(name) == pickle.dumps(data):  # the same data in the same order
                continue
            (self.root / name).write_text(
                yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True),
                encoding="utf-8",
            )


# A YAML file's bytes -> its data, pickled (a copy to edit is `pickle.loads` of it).
_PICKLED: dict[bytes, bytes] = {}


def _pickled(data: bytes) -> bytes:
    if data not in _PICKLED:
        _PICKLED[data] = pickle.dumps(yaml.load(data.decode("utf-8"), Loader=_Loader) or {})
    return _PICKLED[data]


@pytest.fixture(scope="session")
def _copies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("diff-specs")


@pytest.fixture
def spec_copy(_copies: Path) -> Callable[[str], Path]:
    """A fresh copy of the real spec/ at <worker's directory>/<name>[-n]/spec (the nth of that
    name in this test), made again for each test."""
    given: Counter[str] = Counter()

    def make(name: str = "head") -> Path:
        given[name] += 1
        folder = _copies / (name if given[name] == 1 else f"{name}-{given[name]}")
        shutil.rmtree(folder, ignore_errors=True)
        out = folder / "spec"
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
