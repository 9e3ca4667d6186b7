"""The generator itself type-checks (`mypy codegen`)."""

from __future__ import annotations

import subprocess
import sys

from .conftest import REPO


def test_codegen_passes_mypy() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "codegen"], capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 0, result.stdout + result.stderr
