"""The async transport's own connection pool (``_core._pool.AsyncPool``) on a loopback server.

Each request holds one connection until its response is closed; at most ``max_connections`` do,
the others wait in order for no longer than their pool timeout (cut to the call's deadline by the
client). Every way a request can end (an answer, a reset, a stall cut by a timeout, a
cancellation, a refused connection) gives its slot back, and the work per request does not grow
with the connections the pool holds.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import httpx
import pytest

from gemini_client._core import APITimeoutError, AsyncDeadlineTransport
from support.faults import (
    MAX_WAIT,
    Conn,
    Fault,
    FaultServer,
    close_after,
    kept_alive,
    reset_after,
    response,
    silence,
)
from support.server import tcp_listener
from support.work import counted

from .fakeapi import KEY, AsyncClient, reply

OK = response(200, json.dumps(reply("ok")).encode(), keep_alive=True)
CONTENTS = [{"role": "user", "parts": [{"text": "hi"}]}]


def _client(
    max_connections: int, keep: int | None = None, pool: float = MAX_WAIT
) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=keep)
    return httpx.AsyncClient(
        transport=AsyncDeadlineTransport(limits=limits), timeout=httpx.Timeout(MAX_WAIT, pool=pool)
    )


def _together(server: FaultServer, count: int, then: bytes = OK) -> Fault:
    """Answer ``then`` once ``count`` requests have arrived (each on a connection of its own, as
    none is answered before): proves that many were sent at the same time."""

    async def fault(conn: Conn) -> None:
        for _ in range(int(MAX_WAIT / 0.01)):
            if len(server.requests) >= count:
                break
            await asyncio.sleep(0.01)
        await conn.send(then)
        conn.keep_alive = True

    return fault


@pytest.mark.asyncio
async def test_requests_beyond_max_connections_wait_and_reuse_the_connections(
    faults: FaultServer,
) -> None:
    faults.add(*[kept_alive(OK)] * 12)
    async with _client(2) as client:
        answers = await asyncio.gather(*(client.get(f"{faults.url}/{i}") for i in range(12)))
    assert [a.status_code for a in answers] == [200] * 12
    assert faults.connections == 2
    assert {r.connection for r in faults.requests} == {1, 2}


def test_work_per_request_does_not_grow_with_waiting_requests_or_idle_connections(
    faults: FaultServer,
) -> None:
    """httpcore 1.x's pool looks at every connection (and for every idle one at all of them
    again) each time a request enters or leaves, and hands one idle connection to several waiting
    requests that then go round again; this pool looks at one or two connections per request."""
    faults.add(*[_together(faults, 30)] * 30, *[kept_alive(OK)] * 41)
    loop = asyncio.new_event_loop()
    client = _client(30)

    async def many(count: int) -> list[httpx.Response]:
        return await asyncio.gather(*(client.get(f"{faults.url}/{i}") for i in range(count)))

    try:
        loop.run_until_complete(many(30))  # 30 connections open at once, then idle
        _, one = counted(lambda: loop.run_until_complete(many(1)))
        answers, burst = counted(lambda: loop.run_until_complete(many(40)))
    finally:
        loop.run_until_complete(client.aclose())
        loop.close()
    assert [a.status_code for a in answers] == [200] * 40
    assert one.calls("httpcore/_async/connection.py", "has_expired") <= 2
    assert burst.calls("httpcore/_async/connection.py", "has_expired") <= 2 * 40
    assert burst.calls("httpcore/_async/connection.py", "is_idle") <= 40
    assert faults.connections == 30  # every later request reused one of them


@pytest.mark.asyncio
async def test_the_pool_timeout_bounds_the_wait_for_a_connection(faults: FaultServer) -> None:
    faults.add(silence(), kept_alive(OK))
    async with _client(1, pool=0.2) as client:
        stalled = asyncio.ensure_future(client.get(f"{faults.url}/stalled"))
        while not faults.requests:
            await asyncio.sleep(0.01)
        with pytest.raises(httpx.PoolTimeout):
            await client.get(f"{faults.url}/waits")
        stalled.cancel()
        with pytest.raises(asyncio.CancelledError):
            await stalled
        assert (await client.get(f"{faults.url}/after")).status_code == 200  # the slot came back
    assert [r.path for r in faults.requests] == ["/stalled", "/after"]


async def _stalled(
    client: httpx.AsyncClient, faults: FaultServer
) -> asyncio.Future[httpx.Response]:
    """A request the server reads and never answers, holding the pool's one connection."""
    stalled = asyncio.ensure_future(client.get(f"{faults.url}/stalled"))
    for _ in range(int(MAX_WAIT / 0.01)):
        if faults.requests:
            break
        await asyncio.sleep(0.01)
    return stalled


@pytest.mark.asyncio
async def test_the_calls_deadline_bounds_the_wait_for_a_connection(faults: FaultServer) -> None:
    """A call queued behind a stalled one ends at its deadline (APITimeoutError), retries
    included, and its place in the queue is given up."""
    faults.add(silence(), kept_alive(OK))
    http = _client(1)
    async with AsyncClient(api_key=KEY, base_url=faults.url, http_client=http, timeout=0.5) as c:
        stalled = await _stalled(http, faults)
        with pytest.raises(APITimeoutError, match="deadline"):
            await c.models.generate_content(model="m", contents=CONTENTS)
        stalled.cancel()
        with pytest.raises(asyncio.CancelledError):
            await stalled
        answer = await c.models.generate_content(model="m", contents=CONTENTS)
        assert answer.text == "ok"
    await http.aclose()


@pytest.mark.asyncio
async def test_a_cancelled_waiter_leaves_its_place_and_the_slot_goes_to_the_next(
    faults: FaultServer,
) -> None:
    faults.add(silence(), kept_alive(OK), kept_alive(OK))
    async with _client(1) as client:
        stalled = await _stalled(client, faults)
        first = asyncio.ensure_future(client.get(f"{faults.url}/first"))
        second = asyncio.ensure_future(client.get(f"{faults.url}/second"))
        await asyncio.sleep(0)
        first.cancel()
        stalled.cancel()
        for task in (first, stalled):
            with pytest.raises(asyncio.CancelledError):
                await task
        assert (await second).status_code == 200
        assert (await client.get(f"{faults.url}/third")).status_code == 200
    assert [r.path for r in faults.requests] == ["/stalled", "/second", "/third"]


# A failed exchange and the error it ends in (the sync pool's tests use them too).
FAILED_EXCHANGES = pytest.mark.parametrize(
    "fault, error",
    [
        (lambda: reset_after(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"), httpx.ReadError),
        (
            lambda: close_after(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"),
            httpx.RemoteProtocolError,
        ),
        (lambda: close_after(b"not http at all\r\n\r\n"), httpx.RemoteProtocolError),
        (lambda: close_after(b""), httpx.RemoteProtocolError),
    ],
    ids=["reset-mid-body", "closed-mid-body", "garbage", "closed-unanswered"],
)


@pytest.mark.asyncio
@FAILED_EXCHANGES
async def test_a_failed_exchange_gives_back_its_slot_and_its_connection_is_not_reused(
    faults: FaultServer, fault: Callable[[], Fault], error: type[Exception]
) -> None:
    faults.add(fault(), fault(), kept_alive(OK), kept_alive(OK))
    async with _client(1, pool=0.5) as client:
        for _ in range(2):
            with pytest.raises(error):
                await client.get(f"{faults.url}/fails")
        for _ in range(2):
            assert (await client.get(f"{faults.url}/ok")).status_code == 200
    assert [r.connection for r in faults.requests] == [1, 2, 3, 3]


@pytest.mark.asyncio
async def test_a_refused_connection_gives_back_its_slot() -> None:
    with tcp_listener() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with _client(1, pool=0.5) as client:
        for _ in range(3):
            with pytest.raises(httpx.ConnectError):
                await client.get(f"http://127.0.0.1:{port}/")


@pytest.mark.asyncio
async def test_an_abandoned_body_read_in_part_is_closed_not_pooled(faults: FaultServer) -> None:
    big = response(200, b"x" * 300_000, keep_alive=True)
    faults.add(kept_alive(big), kept_alive(OK))
    async with _client(1, pool=0.5) as client:
        async with client.stream("GET", f"{faults.url}/big") as answer:
            async for _ in answer.aiter_raw():
                break
        assert (await client.get(f"{faults.url}/next")).status_code == 200
    assert [r.connection for r in faults.requests] == [1, 2]


@pytest.mark.asyncio
async def test_at_most_max_keepalive_connections_stay_idle(faults: FaultServer) -> None:
    faults.add(*[_together(faults, 4)] * 4, *[_together(faults, 8)] * 4)
    async with _client(4, keep=1) as client:
        for _ in range(2):
            answers = await asyncio.gather(*(client.get(f"{faults.url}/{i}") for i in range(4)))
            assert [a.status_code for a in answers] == [200] * 4
    # 4 connections for the first four; of them 1 kept, so 3 more for the next four
    assert faults.connections == 7


@pytest.mark.asyncio
async def test_closing_the_client_closes_connections_in_use_and_idle(faults: FaultServer) -> None:
    faults.add(kept_alive(OK), silence())
    client = _client(2)
    assert (await client.get(f"{faults.url}/idle")).status_code == 200
    stalled = asyncio.ensure_future(client.get(f"{faults.url}/stalled"))
    while len(faults.requests) < 2:
        await asyncio.sleep(0.01)
    await client.aclose()
    with pytest.raises(httpx.TransportError):
        await stalled


@pytest.mark.asyncio
async def test_a_full_pool_of_idle_connections_to_another_origin_makes_room(
    faults: FaultServer,
) -> None:
    faults.add(kept_alive(OK), kept_alive(OK))
    with FaultServer() as other:
        other.add(kept_alive(OK))
        async with _client(1, pool=0.5) as client:
            assert (await client.get(f"{faults.url}/a")).status_code == 200
            assert (await client.get(f"{other.url}/b")).status_code == 200  # closes a's
            assert (await client.get(f"{faults.url}/a")).status_code == 200  # a new one
        assert other.connections == 1
    assert [r.connection for r in faults.requests] == [1, 2]


@pytest.mark.asyncio
async def test_expired_idle_connections_are_closed_not_reused(faults: FaultServer) -> None:
    faults.add(*[kept_alive(OK)] * 3)
    limits = httpx.Limits(max_connections=1, keepalive_expiry=-1)  # expired as soon as idle
    async with httpx.AsyncClient(transport=AsyncDeadlineTransport(limits=limits)) as client:
        for _ in range(3):
            assert (await client.get(f"{faults.url}/x")).status_code == 200
    assert [r.connection for r in faults.requests] == [1, 2, 3]


@pytest.mark.asyncio
async def test_only_http_and_https_are_sent() -> None:
    transport = AsyncDeadlineTransport()
    with pytest.raises(httpx.UnsupportedProtocol):
        await transport.handle_async_request(httpx.Request("GET", "ftp://127.0.0.1/x"))
    await transport.aclose()
