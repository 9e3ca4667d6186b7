"""The generator itself type-checks (`mypy --strict codegen`, as `make lint` runs it), in the tests'
one mypy cache (support.mypy_run): what it shares with the other runs (the standard library,
pydantic...) is analysed once."""

from __future__ import annotations

import subprocess

import pytest

from support import mypy_run

from .conftest import REPO


@pytest.mark.xdist_group("mypy-cache")  # support.mypy_run's cache
def test_codegen_passes_mypy() -> None:
    result = subprocess.run(mypy_run.command("codegen"), capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
