"""The call's total deadline on httpx's public interfaces (issue #19.6), sync and async.

The client's own httpx clients send through ``DeadlineTransport``, which clamps every socket
operation to the time left; any other transport gets per-phase timeouts cut to the time left and
a deadline check after every body read, and a ``DeadlineWarning`` saying what it cannot hold.
"""

from __future__ import annotations

import asyncio
import json
import time
import warnings
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from gemini_client._core import (
    APIConnectionError,
    APITimeoutError,
    AsyncDeadlineTransport,
    DeadlineTransport,
    DeadlineWarning,
)
from support.faults import FaultServer, response, silence, trickle

from .fakeapi import reply
from .faultkit import MODES, generate, run, stream_texts

pytestmark = pytest.mark.parametrize("mode", MODES)

URL = "http://api.test"


def ok(text: str = "ok") -> bytes:
    return response(200, json.dumps(reply(text)).encode())


def _own(mode: str) -> httpx.Client | httpx.AsyncClient:
    if mode == "sync":
        return httpx.Client(transport=DeadlineTransport())
    return httpx.AsyncClient(transport=AsyncDeadlineTransport())


# --- a transport of the caller's that cannot clamp socket operations -------------------------


class _Trickling(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body of ``parts`` byte strings, ``interval`` seconds apart, sync or async."""

    def __init__(self, parts: list[bytes], interval: float) -> None:
        self.parts, self.interval = parts, interval

    def __iter__(self) -> Iterator[bytes]:
        for part in self.parts:
            time.sleep(self.interval)
            yield part

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for part in self.parts:
            await asyncio.sleep(self.interval)
            yield part


class _CustomTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """A transport that is not httpx's (as a caller might write): a valid answer whose body
    trickles in ``parts`` that each arrive well within any read timeout."""

    def __init__(self, parts: list[bytes], interval: float) -> None:
        self.parts, self.interval, self.requests = parts, interval, 0

    def _answer(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        stream = _Trickling(self.parts, self.interval)
        return httpx.Response(200, headers={"content-type": "application/json"}, stream=stream)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._answer(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return self._answer(request)


def _json_parts(text: str, size: int) -> list[bytes]:
    body = json.dumps(reply(text)).encode()
    return [body[i : i + size] for i in range(0, len(body), size)]


def _custom_client(mode: str, transport: _CustomTransport) -> httpx.Client | httpx.AsyncClient:
    if mode == "sync":
        return httpx.Client(transport=transport)
    return httpx.AsyncClient(transport=transport)


def test_a_custom_transport_is_held_between_reads_and_warns(mode: str) -> None:
    transport = _CustomTransport(_json_parts("x" * 200, 4), interval=0.025)  # ~70 parts, ~1.7 s
    with pytest.warns(DeadlineWarning, match="does not clamp each socket operation"):
        outcome = run(
            mode, URL, generate(), timeout=0.15, http_client=_custom_client(mode, transport)
        )
    assert isinstance(outcome.error, APITimeoutError), outcome.error
    assert "deadline" in str(outcome.error)
    assert 0.12 < outcome.seconds < 0.75 and transport.requests == 1


def test_a_custom_transport_within_the_deadline_answers(mode: str) -> None:
    transport = _CustomTransport(_json_parts("fine", 8), interval=0.001)
    with pytest.warns(DeadlineWarning):
        outcome = run(mode, URL, generate(), timeout=5, http_client=_custom_client(mode, transport))
    assert outcome.error is None, outcome.error
    assert outcome.result.text == "fine"


def test_the_warning_comes_once_per_http_client(mode: str) -> None:
    transport = _CustomTransport(_json_parts("a", 64), interval=0)
    http_client = _custom_client(mode, transport)

    def twice(c: Any) -> Any:
        if mode == "sync":
            return [generate()(c).text for _ in range(2)]

        async def both() -> list[str]:
            return [(await generate()(c)).text for _ in range(2)]

        return both()

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        outcome = run(mode, URL, twice, http_client=http_client)
    assert outcome.result == ["a", "a"]
    assert [w.category for w in seen] == [DeadlineWarning]


def test_no_warning_without_a_deadline(mode: str) -> None:
    transport = _CustomTransport(_json_parts("a", 64), interval=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        outcome = run(
            mode, URL, generate(), timeout=None, http_client=_custom_client(mode, transport)
        )
    assert outcome.error is None, outcome.error


# --- the deadline transport in a caller's own httpx client -----------------------------------


def test_the_deadline_transport_holds_trickled_headers_without_a_warning(
    mode: str, faults: FaultServer
) -> None:
    faults.add(trickle(ok(), interval=0.05))  # ~9 s in all
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        outcome = run(mode, faults.url, generate(), timeout=0.2, http_client=_own(mode))
    assert isinstance(outcome.error, APITimeoutError), outcome.error
    assert 0.15 < outcome.seconds < 1.4 and len(faults.requests) == 1


def test_the_deadline_transport_holds_a_trickled_stream(mode: str, faults: FaultServer) -> None:
    from support.faults import sse_body

    body = sse_body(*[reply(f"t{i}") for i in range(40)])
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
    faults.add(trickle(head + body, interval=0.02, head=len(head)))
    outcome = run(mode, faults.url, stream_texts(timeout=0.2), http_client=_own(mode))
    assert isinstance(outcome.error, APITimeoutError), outcome.error
    assert 0.15 < outcome.seconds < 1.4


def test_the_deadline_transport_answers_and_reuses_its_connection(
    mode: str, faults: FaultServer
) -> None:
    from support.faults import json_response

    faults.add(json_response(200, reply("one")), json_response(200, reply("two")))

    def both(c: Any) -> Any:
        if mode == "sync":
            return [generate()(c).text for _ in range(2)]

        async def run_both() -> list[str]:
            return [(await generate()(c)).text for _ in range(2)]

        return run_both()

    outcome = run(mode, faults.url, both, http_client=_own(mode))
    assert outcome.result == ["one", "two"], outcome.error


def test_the_deadline_transport_maps_errors_to_httpx(mode: str, faults: FaultServer) -> None:
    faults.add(silence(5))
    outcome = run(mode, faults.url, generate(), timeout=0.1, http_client=_own(mode))
    assert isinstance(outcome.error, APITimeoutError)
    assert isinstance(outcome.error.__cause__, httpx.TimeoutException)
    refused = run(mode, "http://127.0.0.1:1/", generate(), max_retries=0, http_client=_own(mode))
    assert isinstance(refused.error, APIConnectionError)
    assert isinstance(refused.error.__cause__, httpx.ConnectError)


def test_the_clients_own_http_client_sends_through_the_deadline_transport(mode: str) -> None:
    from .fakeapi import AsyncClient, Client

    if mode == "sync":
        with Client(api_key="k", base_url=URL) as client:
            assert isinstance(client._client._transport, DeadlineTransport)
    else:

        async def main() -> None:
            async with AsyncClient(api_key="k", base_url=URL) as client:
                assert isinstance(client._httpx()._transport, AsyncDeadlineTransport)

        asyncio.run(main())
