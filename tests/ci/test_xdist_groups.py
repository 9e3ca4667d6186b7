"""`make test` runs on two xdist workers with `--dist loadgroup`: the tests of one `xdist_group`
(one mypy run and its cache, one expensive build) must land on one worker. pytest-xdist marks
them by appending `@group` to their node ids, which pytest 9.2 silently ignores: the groups then
split, and a cold mypy run is made twice, at once, on the same cache."""

from __future__ import annotations

import pytest


@pytest.mark.xdist_group("suite-setup")
def test_an_xdist_group_reaches_the_scheduler(request: pytest.FixtureRequest) -> None:
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("not an xdist worker of a --dist loadgroup run")
    assert request.node.nodeid.endswith("@suite-setup"), request.node.nodeid
