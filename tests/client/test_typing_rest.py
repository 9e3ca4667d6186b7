"""``typed_rest.py`` passes ``mypy --strict``; misuse of the new kinds of method does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_typing import mypy

# mypy shares one cache dir across these modules: run them on one xdist worker, one at a time.
pytestmark = pytest.mark.xdist_group("mypy-cache")


def test_rest_of_the_api_types_check() -> None:
    result = mypy("tests/client/typed_rest.py")
    assert result.returncode == 0, result.stdout + result.stderr


WRONG = """\
from gemini_client import Client, types

client = Client(api_key="k")
op = client.models.batch_generate_content(model="m", batch={})
out: types.Model = op.wait()
client.cached_contents.patch(name="c", model="m", update_mask=3)
client.media.upload(media="text")
n: int = client.files.delete(name="f")
client.tuned_models.permissions.create(parent="t")
"""


def test_misuse_is_caught(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.py"
    wrong.write_text(WRONG)
    result = mypy(wrong)
    lines = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert {int(line.split(":")[1]) for line in lines} == {5, 6, 7, 8, 9}, result.stdout
