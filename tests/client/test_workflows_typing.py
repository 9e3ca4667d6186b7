"""The workflow helpers as a user sees them pass ``mypy --strict``; misuse does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_typing import mypy

# mypy shares one cache dir across these modules: run them on one xdist worker, one at a time.
pytestmark = pytest.mark.xdist_group("mypy-cache")

WRONG = """\
from gemini_client import Client

client = Client(api_key="k")
client.files.upload(fiel="a.pdf")
client.caches.update("c", ttl=[5])
client.batches.results(42)
client.models.generate_images(model="m", prompt="p", number_of_imgs=2)
client.models.generate_content(model="m", contents=[], temprature=0.2)
"""


def test_typed_workflows_pass_mypy_strict() -> None:
    result = mypy("tests/client/typed_workflows.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_wrong_usage_of_the_workflows_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "wrong_workflows.py"
    path.write_text(WRONG)
    result = mypy(path)
    lines = {int(line.split(":")[1]) for line in result.stdout.splitlines() if ": error:" in line}
    assert lines == {4, 5, 6, 7, 8}, result.stdout
