"""`codegen generate` and `codegen check` import only what they use: the up-to-date answer is mostly
interpreter start-up, so the other commands' modules (Discovery, diff, sync, drift, export) and the
tools of a build (black, jinja2, datamodel-code-generator, the spec loader) stay unimported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import MINI, REPO, TEMPLATES

_PROBE = """
import json, sys
from codegen.cli import main
code = main(sys.argv[1:])
print(json.dumps([code, sorted(m for m in sys.modules if m.split(".")[0] in {
    "codegen", "black", "jinja2", "datamodel_code_generator", "pydantic", "yaml", "httpx"})]))
"""
HEAVY = ("black", "jinja2", "datamodel_code_generator", "pydantic", "yaml", "httpx")
OTHER_COMMANDS = (
    "codegen.diff",
    "codegen.drift",
    "codegen.sync",
    "codegen.export",
    "codegen.discovery",
)


def _run(*args: str) -> tuple[int, list[str], str]:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], cwd=REPO, capture_output=True, text=True
    )
    code, modules = json.loads(proc.stdout.splitlines()[-1])
    return code, modules, proc.stdout


@pytest.mark.parametrize("command", ["generate", "check"])
def test_up_to_date_imports_no_build_tool_and_no_other_command(
    command: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    common = ("--spec", str(MINI), "--templates", str(TEMPLATES), "--out", str(out))
    code, modules, _ = _run("generate", *common)
    assert code == 0 and "black" in modules and "codegen.spec.loader" in modules  # a real build
    code, modules, stdout = _run(command, *common)
    assert code == 0 and "up to date" in stdout
    assert [m for m in modules if m.split(".")[0] in HEAVY] == []
    assert [m for m in modules if m.startswith(OTHER_COMMANDS)] == []
    assert "codegen.spec.loader" not in modules and "codegen.format" not in modules


def test_the_help_still_lists_every_command() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "codegen.cli", "--help"], cwd=REPO, capture_output=True, text=True
    )
    assert proc.returncode == 0
    for command in ("generate", "check", "diff", "drift", "sync", "export"):
        assert f"    {command}" in proc.stdout, command


def test_another_command_is_still_parsed_with_its_own_arguments() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "codegen.cli", "diff", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0 and "BASE" in proc.stdout
