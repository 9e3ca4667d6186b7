"""Fixtures for the generated client's end-to-end tests.

One ``LoopbackServer`` per test module (started on first use, reset before each test) and clients
built exactly as users build them, except that ``_sleep`` records the retry delays instead of
sleeping.
"""

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
def sleeps() -> list[float]:
    """The delays the client asked to sleep before retrying (it does not really sleep)."""
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
