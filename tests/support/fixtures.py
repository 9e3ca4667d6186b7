"""The loopback-server fixtures of the end-to-end tests (client, helpers, interactions), loaded
for the whole suite by the root conftest's `pytest_plugins`: one `LoopbackServer` per session (per
xdist worker), reset before each test. A directory with a server of its own overrides `server`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

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
