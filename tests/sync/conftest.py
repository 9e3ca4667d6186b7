"""Fixtures for `codegen sync`: a copy of the real spec to edit, pinned documents to mutate, the CLI in-process."""

from __future__ import annotations

import json
import pickle
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from codegen.cli import main
from support.shared_loads import shared_loads

REPO = Path(__file__).resolve().parents[2]
SPEC_DIR = (
    REPO / "tests" / "data" / "specs" / "v20260529"
)  # the spec as it was at 20260529 (spec/ has moved on)
NEW = REPO / "tests" / "data" / "generativelanguage.v1beta.20260529.json"

Doc = dict[str, Any]


@pytest.fixture(autouse=True)
def _shared_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sync test runs the commands a few times on the same spec and document (sync, drift, a
    second sync): each spec content and document is loaded once per worker (`support.shared_loads`)."""
    shared_loads(monkeypatch)


@pytest.fixture
def spec_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp_path/spec, a copy of the real spec; the working directory is tmp_path, as in a checkout."""
    shutil.copytree(SPEC_DIR, tmp_path / "spec")
    monkeypatch.chdir(tmp_path)
    return Path("spec")


@pytest.fixture(scope="session")
def _doc() -> bytes:
    """The 20260529 document, pickled: unpickling makes a fresh copy several times faster than
    `copy.deepcopy` of the parsed document (JSON data: the same dicts, lists and scalars)."""
    return pickle.dumps(dict(json.loads(NEW.read_text(encoding="utf-8"))))


@pytest.fixture
def doc(_doc: bytes) -> Doc:
    """A deep copy of the 20260529 document, free to mutate."""
    doc: Doc = pickle.loads(_doc)
    return doc


def write_doc(doc: Doc, path: Path = Path("discovery.json")) -> str:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    def run(*argv: str) -> Run:
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def snapshot(spec_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(spec_dir.glob("*.yaml"))}


def only_inserted(before: str, after: str) -> list[str]:
    """The lines `after` has beyond `before`, asserting that every line of `before` is still there,
    in order and unchanged (comments, blank lines and formatting included)."""
    old, new = before.splitlines(), after.splitlines()
    added, i = [], 0
    for line in new:
        if i < len(old) and line == old[i]:
            i += 1
        else:
            added.append(line)
    assert i == len(old), f"line {i + 1} of the original is gone or changed: {old[i]!r}"
    return added
