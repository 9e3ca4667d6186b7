"""Fixtures for the Live API tests: one scripted WebSocket server per module, and clients."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))

from gemini_client import AsyncClient, Client  # noqa: E402

from .wsserver import LiveServer  # noqa: E402

KEY = "AIzaSyD-live-e2e-secret-0123456789abcdef"
"""A fake API key shaped like a real one; no test may find it in a message, an error or a log."""
MODEL = "gemini-live-2.5-flash-preview"


@pytest.fixture(scope="module")
def _module_server() -> Iterator[LiveServer]:
    server = LiveServer().start()
    yield server
    server.stop()


@pytest.fixture
def live_server(_module_server: LiveServer) -> Iterator[LiveServer]:
    _module_server.reset()
    yield _module_server
    _module_server.check()


@pytest.fixture
def client(live_server: LiveServer) -> Iterator[Client]:
    with Client(api_key=KEY, base_url=live_server.url) as client:
        yield client


@pytest_asyncio.fixture
async def aclient(live_server: LiveServer) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(api_key=KEY, base_url=live_server.url) as client:
        yield client
