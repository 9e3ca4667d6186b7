"""Fixtures for the runtime core tests: the core package, a loopback server and clients.

The core is imported as ``gemini_client._core``: the generated package when it is importable,
otherwise (or with ``GEMINI_CORE=template`` in the environment) a throwaway package holding a copy
of ``templates/package/_core``. This happens when the conftest is imported, before the test
modules that import from it are collected.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import shutil
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))


def _ensure_core_importable() -> None:
    if os.environ.get("GEMINI_CORE") != "template":
        try:
            if importlib.util.find_spec("gemini_client._core") is not None:
                return
        except ModuleNotFoundError:
            pass
    tmp = Path(tempfile.mkdtemp(prefix="gemini-core-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    shutil.copytree(ROOT / "templates" / "package" / "_core", tmp / "gemini_client" / "_core")
    (tmp / "gemini_client" / "__init__.py").write_text("")
    sys.path.insert(0, str(tmp))


_ensure_core_importable()

from support.server import LoopbackServer  # noqa: E402

from .fakeapi import KEY, AsyncClient, Client  # noqa: E402


@pytest.fixture(scope="session")
def _loopback() -> Iterator[LoopbackServer]:
    server = LoopbackServer().start()
    yield server
    server.stop()


@pytest.fixture
def server(_loopback: LoopbackServer) -> LoopbackServer:
    _loopback.reset()
    return _loopback


@pytest.fixture
def sleeps() -> list[float]:
    """The delays the client under test asked to sleep (it does not really sleep)."""
    return []


@pytest.fixture
def client(server: LoopbackServer, sleeps: list[float]) -> Iterator[Client]:
    with Client(api_key=KEY, base_url=server.url) as client:
        client._sleep = sleeps.append
        yield client


@pytest_asyncio.fixture
async def aclient(server: LoopbackServer, sleeps: list[float]) -> AsyncIterator[AsyncClient]:
    async def sleep(delay: float) -> None:
        sleeps.append(delay)

    async with AsyncClient(api_key=KEY, base_url=server.url) as client:
        client._sleep = sleep
        yield client
