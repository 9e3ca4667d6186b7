"""The workflows a team copies hold a write token: zizmor audits them (issue #22.6).

zizmor is pinned in the dev dependencies; the test skips only where it is not installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = [ROOT / ".github" / "workflows", ROOT / "action.yml"]
USES = re.compile(r"^\s*-?\s*uses:\s*(\S+)(.*)$", re.MULTILINE)


def _zizmor() -> str:
    found = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or shutil.which("zizmor")
    if found is None:
        pytest.skip("zizmor is not installed (pip install -e '.[dev]')")
    return found


@pytest.mark.parametrize("persona", ["regular", "auditor"])
def test_zizmor_finds_nothing_offline(persona: str) -> None:
    config = ROOT / ".github" / "zizmor.yml"
    command = [_zizmor(), "--offline", "--persona", persona, "--config", str(config)]
    result = subprocess.run(
        [*command, "--format", "plain", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


def test_every_action_is_pinned_to_a_commit_with_its_tag_in_a_comment() -> None:
    files = [*WORKFLOWS[0].glob("*.yml"), WORKFLOWS[1]]
    refs = [(f.name, m[1], m[2]) for f in files for m in USES.finditer(f.read_text())]
    remote = [r for r in refs if not r[1].startswith(("./", "docker://"))]
    assert remote, "the workflows use actions"
    for name, ref, comment in remote:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), f"{name}: {ref} is not pinned"
        assert re.search(r"#\s*v\d", comment), f"{name}: {ref} has no tag comment"


def test_checkouts_do_not_persist_the_token() -> None:
    for path in WORKFLOWS[0].glob("*.yml"):
        text = path.read_text()
        for match in re.finditer(r"uses: actions/checkout@.*\n((?:\s{8,}.*\n)*)", text):
            assert "persist-credentials: false" in match[1], f"{path.name}: checkout persists it"
