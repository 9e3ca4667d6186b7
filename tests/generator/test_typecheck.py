"""The generator itself type-checks (`mypy --strict codegen`, as `make lint` runs it), in the tests'
one mypy run (support.mypy_run, the ``mypy_strict`` fixture): what it shares with the client's
programs (the standard library, pydantic, yaml...) is loaded and analysed once, in one process."""

from __future__ import annotations

import pytest

from support.mypy_run import MypyReport, typed

CODEGEN = typed("codegen/")


@pytest.mark.xdist_group("mypy-cache")  # the tests of the one mypy run: on one worker, run once
def test_codegen_passes_mypy(mypy_strict: MypyReport) -> None:
    assert mypy_strict.clean(CODEGEN, alone=True) == ""
