"""Run one operation with the sync or the async client against the fault server.

Each fault test is written once and parametrized over ``MODES``: an operation is a function of
the client that returns the result (sync) or an awaitable of it (async); ``run`` builds the client,
records the retry sleeps instead of sleeping (unless ``real_sleep``), and measures the time.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from gemini_client._core import SyncAPIClient
from gemini_client._core._deadline import tls_context

from .fakeapi import KEY, AsyncClient, Client

MODES = ["sync", "async"]
CONTENTS = [{"role": "user", "parts": [{"text": "hi"}]}]

Op = Callable[[Any], Any]


@dataclass
class Outcome:
    result: Any = None
    error: BaseException | None = None
    sleeps: list[float] = field(default_factory=list)
    seconds: float = 0.0


def run(mode: str, url: str, op: Op, *, real_sleep: bool = False, **client_kwargs: Any) -> Outcome:
    """``op(client)`` with a fresh client of ``mode``; the error it raised, if any, is returned."""
    outcome = Outcome()
    kwargs = {"api_key": KEY, "base_url": url, **client_kwargs}
    start = time.monotonic()
    try:
        if mode == "sync":
            with Client(**kwargs) as client:
                if not real_sleep:
                    client._sleep = outcome.sleeps.append
                outcome.result = op(client)
        else:

            async def main() -> None:
                async with AsyncClient(**kwargs) as client:
                    if not real_sleep:

                        async def sleep(delay: float) -> None:
                            outcome.sleeps.append(delay)

                        client._sleep = sleep
                    # kept here, not returned: on its way out asyncio.run formats its main task's
                    # repr, result included (Python 3.11), four times the size of a large body
                    outcome.result = await _settle(op(client))

            asyncio.run(main())
    except Exception as err:  # the outcome under test
        outcome.error = err
    outcome.seconds = time.monotonic() - start
    return outcome


def own_http_client(mode: str, **kwargs: Any) -> httpx.Client | httpx.AsyncClient:
    """A caller's own httpx client of ``mode`` (httpx's own transport), built with ``kwargs``. It
    verifies TLS with the context this process already has (``tls_context()``, httpx's default
    one, built once): httpx building its own loads the CA bundle each time, ~50 ms of CPU that
    these plain-HTTP loopback tests never use."""
    cls = httpx.Client if mode == "sync" else httpx.AsyncClient
    return cls(verify=tls_context(), **kwargs)


async def _settle(value: Any) -> Any:
    while inspect.isawaitable(value):
        value = await value
    return value


def generate(**kwargs: Any) -> Op:
    return lambda c: c.models.generate_content("gemini-test", contents=CONTENTS, **kwargs)


def stream_texts(**kwargs: Any) -> Op:
    def op(c: Any) -> Any:
        stream = c.models.stream_generate_content("gemini-test", contents=CONTENTS, **kwargs)
        if isinstance(c, SyncAPIClient):
            return [chunk.text for chunk in stream]

        async def collect() -> list[str]:
            async with await stream as chunks:
                return [chunk.text async for chunk in chunks]

        return collect()

    return op


def list_names(**kwargs: Any) -> Op:
    def op(c: Any) -> Any:
        pager = c.models.list(**kwargs)
        if isinstance(c, SyncAPIClient):
            return [m.name for m in pager]

        async def collect() -> list[str]:
            return [m.name async for m in pager]

        return collect()

    return op


def chain(error: BaseException | None) -> list[BaseException]:
    """``error`` and every exception chained to it (cause and context)."""
    seen: list[BaseException] = []
    while error is not None and error not in seen:
        seen.append(error)
        error = error.__cause__ or error.__context__
    return seen


def leaks(error: BaseException | None, secret: str) -> list[str]:
    """The places ``secret`` shows up in ``error``: its text, repr, body, details, chained errors."""
    found = []
    for i, err in enumerate(chain(error)):
        for label, text in (("str", str(err)), ("repr", repr(err)), ("args", repr(err.args))):
            if secret in text:
                found.append(f"{i}:{label}")
        for attr in ("body", "details", "message"):
            if secret in repr(getattr(err, attr, "")):
                found.append(f"{i}:{attr}")
    return found
