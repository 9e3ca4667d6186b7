"""The shared fixtures of the end-to-end tests (client, core, helpers, interactions, live), loaded
for the whole suite by the root conftest's `pytest_plugins`: one `LoopbackServer` per session (per
xdist worker), reset before each test (a directory with a server of its own overrides `server`),
one `FaultServer` (support.faults) the same way, and the one `mypy --strict` run over the typed
programs the tests name (support.mypy_run)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support import mypy_run
from support.faults import FaultServer
from support.server import LoopbackServer


@pytest.fixture(scope="session")
def _module_server() -> Iterator[LoopbackServer]:
    server = LoopbackServer().start()
    yield server
    server.stop()


@pytest.fixture
def server(_module_server: LoopbackServer) -> LoopbackServer:
    """The session's loopback server, its routes and records cleared."""
    _module_server.reset()
    return _module_server


@pytest.fixture(scope="session")
def _fault_server() -> Iterator[FaultServer]:
    with FaultServer() as server:
        yield server


@pytest.fixture
def faults(_fault_server: FaultServer) -> FaultServer:
    """The session's fault server (support.faults), its scripted answers and records cleared."""
    _fault_server.reset()
    return _fault_server


@pytest.fixture(scope="session")
def mypy_strict(tmp_path_factory: pytest.TempPathFactory) -> mypy_run.MypyReport:
    """mypy --strict's report on every typed program named by the collected test modules, run
    once per session (the tests that use it share an xdist_group: one worker, one run)."""
    return mypy_run.run(tmp_path_factory.mktemp("typed-programs"))
