"""Fixtures for the Interactions, MCP and local-token tests: one loopback server per module."""

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
from support.server import LoopbackServer  # noqa: E402

from .bodies import KEY  # noqa: E402


@pytest.fixture
def client(server: LoopbackServer) -> Iterator[Client]:
    with Client(api_key=KEY, base_url=server.url, max_retries=0) as client:
        yield client


@pytest_asyncio.fixture
async def aclient(server: LoopbackServer) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(api_key=KEY, base_url=server.url, max_retries=0) as client:
        yield client
