"""tests/conftest.py's `_rewrite_share`: an xdist worker writes its share of the rewritten test
modules before collecting, in the files pytest itself reads back."""

from __future__ import annotations

import os
import types
from pathlib import Path

import pytest
from _pytest.assertion import rewrite

from conftest import _rewrite_share


def _written(source: Path) -> types.CodeType | None:
    pyc = rewrite.get_cache_dir(source) / (source.name[:-3] + rewrite.PYC_TAIL)
    return rewrite._read_pyc(source, pyc)


@pytest.mark.parametrize("workerid", ["gw0", "gw1"])
def test_a_worker_writes_its_share_and_leaves_the_rest(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workerid: str
) -> None:
    modules = [tmp_path / f"test_{n}.py" for n in "abcd"] + [tmp_path / "sub" / "test_e.py"]
    for module in modules:
        module.parent.mkdir(exist_ok=True)
        module.write_text("def test_it():\n    x = 1\n    assert x == 2\n")
    (tmp_path / "helper.py").write_text("assert True\n")
    config = request.config
    monkeypatch.setattr(
        config, "workerinput", {"workerid": workerid, "workercount": 2}, raising=False
    )
    monkeypatch.setattr(config, "args", [os.path.relpath(tmp_path / "sub" / "..", os.getcwd())])

    _rewrite_share(config)

    share = sorted(modules)[int(workerid[2:]) :: 2]
    for module in modules:
        code = _written(module)
        assert (code is not None) == (module in share), module
        if code is not None:  # the asserts are pytest's rewritten ones, not plain byte code
            assert "@pytest_ar" in code.co_names
            assert code.co_filename == str(module)  # as pytest's own, whatever path was given
    assert not (tmp_path / "__pycache__" / f"helper{rewrite.PYC_TAIL}").exists()


def test_the_controller_and_a_plain_run_write_nothing(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "test_a.py").write_text("def test_it():\n    assert 1\n")
    monkeypatch.delattr(request.config, "workerinput", raising=False)
    monkeypatch.setattr(request.config, "args", [str(tmp_path)])
    _rewrite_share(request.config)
    assert not (tmp_path / "__pycache__").exists()
