"""The generator itself type-checks (`mypy --strict codegen`, as `make lint` runs it: the same options
share mypy's cache in .mypy_cache; other options would make each run check everything again)."""

from __future__ import annotations

import subprocess
import sys

from .conftest import REPO


def test_codegen_passes_mypy() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "codegen"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout + result.stderr
