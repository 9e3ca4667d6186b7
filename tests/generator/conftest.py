"""Shared helpers for the generator's tests: paths, a copy of a spec to edit, one-call generation."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from codegen.pipeline import Paths

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "templates"
MINI = REPO / "tests" / "data" / "specs" / "mini"
GOLDEN = REPO / "tests" / "data" / "golden" / "mini"


@pytest.fixture
def spec_copy(tmp_path: Path) -> Callable[[Path], Path]:
    """Copy a spec directory into tmp_path/spec and return it, ready to edit."""

    def copy(src: Path = MINI) -> Path:
        dst = tmp_path / "spec"
        shutil.copytree(src, dst)
        return dst

    return copy


def paths(spec: Path, out: Path) -> Paths:
    return Paths(spec=spec, templates=TEMPLATES, out=out)
