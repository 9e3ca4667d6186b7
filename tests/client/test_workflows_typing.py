"""The workflow helpers as a user sees them pass ``mypy --strict``; misuse does not."""

from __future__ import annotations

import pytest

from support.mypy_run import MypyReport, program, typed

# the tests of the one mypy run (the mypy_strict fixture): on one xdist worker, which runs it once
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


WORKFLOWS = typed("tests/client/typed_workflows.py")
WRONG_WORKFLOWS = program("client_wrong_workflows", WRONG)


def test_typed_workflows_pass_mypy_strict(mypy_strict: MypyReport) -> None:
    assert mypy_strict.clean(WORKFLOWS) == ""


def test_wrong_usage_of_the_workflows_is_rejected(mypy_strict: MypyReport) -> None:
    lines = {int(line.split(":")[1]) for line in mypy_strict.errors(WRONG_WORKFLOWS)}
    assert lines == {4, 5, 6, 7, 8}, mypy_strict.stdout
