"""``typed_rest.py`` passes ``mypy --strict``; misuse of the new kinds of method does not."""

from __future__ import annotations

import pytest

from support.mypy_run import MypyReport, program, typed

# the tests of the one mypy run (the mypy_strict fixture): on one xdist worker, which runs it once
pytestmark = pytest.mark.xdist_group("mypy-cache")

REST = typed("tests/client/typed_rest.py")


def test_rest_of_the_api_types_check(mypy_strict: MypyReport) -> None:
    assert mypy_strict.clean(REST) == ""


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


WRONG_REST = program("client_wrong_rest", WRONG)


def test_misuse_is_caught(mypy_strict: MypyReport) -> None:
    lines = mypy_strict.errors(WRONG_REST)
    assert {int(line.split(":")[1]) for line in lines} == {5, 6, 7, 8, 9}, mypy_strict.stdout
