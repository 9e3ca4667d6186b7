"""The sync transport's own connection pool (``_core._pool.Pool``), shared by threads, on a
loopback server.

As the async pool (test_pool.py): each request holds one connection until its response is closed;
at most ``max_connections`` threads do, the others wait in the order they came for no longer than
their pool timeout (cut to the call's deadline by the client). Every way a request can end (an
answer, a reset, garbage, a refused connection, a thread giving up its wait) gives its slot back,
and the work per request does not grow with the connections the pool holds or the threads waiting.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import httpcore
import httpx
import pytest

from gemini_client._core import APITimeoutError, DeadlineTransport
from gemini_client._core._pool import _Book, _Slots
from support.faults import (
    MAX_WAIT,
    Conn,
    Fault,
    FaultServer,
    close_after,
    kept_alive,
    reset_after,
    response,
)
from support.server import tcp_listener
from support.work import Work, counted

from .fakeapi import KEY, Client
from .test_pool import CONTENTS, FAILED_EXCHANGES, OK, _together

T = TypeVar("T")


def _client(max_connections: int, keep: int | None = None, pool: float = MAX_WAIT) -> httpx.Client:
    limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=keep)
    return httpx.Client(
        transport=DeadlineTransport(limits=limits), timeout=httpx.Timeout(MAX_WAIT, pool=pool)
    )


def _held(gate: threading.Event, then: bytes = OK) -> Fault:
    """Answer ``then`` (keeping the connection) once the test sets ``gate``: a request that holds
    its connection for as long as the test needs, and then ends well."""

    async def fault(conn: Conn) -> None:
        for _ in range(int(MAX_WAIT / 0.01)):
            if gate.is_set():
                break
            await asyncio.sleep(0.01)
        await conn.send(then)
        conn.keep_alive = True

    return fault


def _in_threads(calls: list[Callable[[], T]]) -> list[T]:
    """Every call at once, each in a thread of its own; their results in order."""
    with ThreadPoolExecutor(len(calls)) as threads:
        return list(threads.map(lambda call: call(), calls))


def _requested(faults: FaultServer, count: int) -> None:
    for _ in range(int(MAX_WAIT / 0.01)):
        if len(faults.requests) >= count:
            return
        threading.Event().wait(0.01)
    raise AssertionError(f"the server read {len(faults.requests)} requests, not {count}")


def test_threads_beyond_max_connections_wait_and_reuse_the_connections(
    faults: FaultServer,
) -> None:
    faults.add(*[kept_alive(OK)] * 12)
    with _client(2) as client:
        answers = _in_threads(
            [lambda i=i: client.get(f"{faults.url}/{i}").status_code for i in range(12)]
        )
    assert answers == [200] * 12
    assert faults.connections == 2
    assert {r.connection for r in faults.requests} == {1, 2}


def _summed(works: list[Work]) -> Work:
    total = Work()
    for work in works:
        total.total += work.total
        total.by_function += work.by_function
    return total


def test_work_per_request_does_not_grow_with_waiting_threads_or_idle_connections(
    faults: FaultServer,
) -> None:
    """httpcore 1.x's ``ConnectionPool`` looks at every connection (and for every idle one at all
    of them again, and for every queued request at all of them once more) each time a request
    enters or leaves: with it swapped in (httpcore 1.0.9), one request on 30 idle connections
    calls ``has_expired`` 60 times, and a burst of 40 threads on them 2,400 times (``is_idle``
    ~72,000 times). This pool looks at one or two connections per request, however many threads
    wait."""
    faults.add(*[_together(faults, 30)] * 30, *[kept_alive(OK)] * 41)
    with _client(30) as client:

        def get(i: int) -> Callable[[], tuple[httpx.Response, Work]]:
            return lambda: counted(lambda: client.get(f"{faults.url}/{i}"))

        _in_threads([get(i) for i in range(30)])  # 30 connections open at once, then idle
        _, one = get(30)()
        answers, works = zip(*_in_threads([get(i) for i in range(40)]))
    burst = _summed(list(works))
    assert [a.status_code for a in answers] == [200] * 40
    assert one.calls("httpcore/_sync/connection.py", "has_expired") <= 2
    assert burst.calls("httpcore/_sync/connection.py", "has_expired") <= 2 * 40
    assert burst.calls("httpcore/_sync/connection.py", "is_idle") <= 40
    assert faults.connections == 30  # every later request reused one of them


def test_the_pool_timeout_bounds_the_wait_for_a_connection(faults: FaultServer) -> None:
    gate = threading.Event()
    faults.add(_held(gate), kept_alive(OK))
    with _client(1, pool=0.2) as client, ThreadPoolExecutor(1) as thread:
        holder = thread.submit(client.get, f"{faults.url}/held")
        _requested(faults, 1)
        with pytest.raises(httpx.PoolTimeout):
            client.get(f"{faults.url}/waits")
        gate.set()
        assert holder.result().status_code == 200
        assert client.get(f"{faults.url}/after").status_code == 200  # the slot came back
    assert [r.path for r in faults.requests] == ["/held", "/after"]
    assert [r.connection for r in faults.requests] == [1, 1]


def test_the_calls_deadline_bounds_the_wait_for_a_connection(faults: FaultServer) -> None:
    """A call queued behind a held one ends at its deadline (APITimeoutError), retries included,
    and its place in the queue is given up."""
    gate = threading.Event()
    faults.add(_held(gate), kept_alive(OK))
    http = _client(1)
    with (
        Client(api_key=KEY, base_url=faults.url, http_client=http, timeout=0.5) as c,
        ThreadPoolExecutor(1) as thread,
    ):
        holder = thread.submit(http.get, f"{faults.url}/held")
        _requested(faults, 1)
        with pytest.raises(APITimeoutError, match="deadline"):
            c.models.generate_content(model="m", contents=CONTENTS)
        gate.set()
        assert holder.result().status_code == 200
        assert c.models.generate_content(model="m", contents=CONTENTS).text == "ok"
    http.close()
    assert len(faults.requests) == 2


def test_a_thread_that_gives_up_its_wait_leaves_its_place_and_the_slot_goes_to_the_next(
    faults: FaultServer,
) -> None:
    gate = threading.Event()
    faults.add(_held(gate), kept_alive(OK), kept_alive(OK))
    with _client(1) as client, ThreadPoolExecutor(2) as threads:
        holder = threads.submit(client.get, f"{faults.url}/held")
        _requested(faults, 1)
        quitter = threads.submit(
            client.get, f"{faults.url}/quits", timeout=httpx.Timeout(1, pool=0.2)
        )
        with pytest.raises(httpx.PoolTimeout):
            quitter.result()
        waiter = threads.submit(client.get, f"{faults.url}/second")
        gate.set()
        assert holder.result().status_code == 200
        assert waiter.result().status_code == 200
        assert client.get(f"{faults.url}/third").status_code == 200
    assert [r.path for r in faults.requests] == ["/held", "/second", "/third"]
    assert {r.connection for r in faults.requests} == {1}


def test_waiting_threads_get_the_slot_in_the_order_they_came() -> None:
    slots = _Slots(1)
    assert slots.acquire(0)
    order: list[int] = []

    def wait(i: int) -> None:
        assert slots.acquire(MAX_WAIT)
        order.append(i)
        slots.release()

    with ThreadPoolExecutor(5) as threads:
        for i in range(5):
            threads.submit(wait, i)
            for _ in range(int(MAX_WAIT / 0.01)):  # the thread queued before the next comes
                if len(slots._waiters) > i:
                    break
                threading.Event().wait(0.01)
        slots.release()
    assert order == [0, 1, 2, 3, 4]
    assert slots.acquire(0)  # every slot came back
    assert not slots.acquire(0)


def test_a_pool_timeout_longer_than_a_thread_can_wait_is_no_error() -> None:
    slots = _Slots(1)
    assert slots.acquire(0)
    with ThreadPoolExecutor(1) as thread:
        waits = thread.submit(slots.acquire, 1e300)
        for _ in range(int(MAX_WAIT / 0.01)):
            if slots._waiters or waits.done():
                break
            threading.Event().wait(0.01)
        slots.release()
        assert waits.result() is True


def test_a_slot_handed_over_as_the_wait_ends_is_not_lost() -> None:
    """A waiter that gives up after ``release`` handed it the slot keeps it (and gives it back
    when done), rather than leaving it with nobody."""
    slots = _Slots(1)
    assert slots.acquire(0)
    slots._waiters.append(waiter := threading.Lock())  # as acquire queues a thread
    waiter.acquire()
    slots.release()  # handed to that waiter
    assert not slots._leave(waiter)  # so it cannot leave: the slot is its own
    slots.release()
    assert slots.acquire(0)


class _Stub:
    """A connection as the book sees it: its state, and no socket."""

    def __init__(self, *, idle: bool = True, expired: bool = False) -> None:
        self.idle = idle
        self.expired = expired

    def is_closed(self) -> bool:
        return False

    def is_idle(self) -> bool:
        return self.idle

    def is_available(self) -> bool:
        return self.idle

    def has_expired(self) -> bool:
        return self.expired


ORIGIN = httpcore.Origin(b"http", b"127.0.0.1", 80)


def test_a_connection_given_back_with_an_exchange_on_it_is_closed_not_pooled() -> None:
    """httpcore leaves a connection idle or closed after each exchange, however it ended; one in
    any other state (given back before its request was sent, or by a caller of the pool that did
    not finish) must be closed rather than handed to another request."""
    book = _Book(size=2, keep=2)
    busy, _ = book.take(ORIGIN, lambda _: _Stub(idle=False))
    assert book.give_back(ORIGIN, busy) == [busy]
    assert not book.open
    assert book.take(ORIGIN, lambda _: _Stub())[0] is not busy


def test_each_request_closes_the_longest_idle_connection_once_it_expired() -> None:
    """Without a scan of them all: expired connections do not pile up behind the newest."""
    book = _Book(size=None, keep=None)
    old, middle, new = (book.take(ORIGIN, lambda _: _Stub())[0] for _ in range(3))
    for connection in (old, middle, new):
        assert book.give_back(ORIGIN, connection) == []
    old.expired = True
    assert book.take(ORIGIN, lambda _: _Stub()) == (new, [old])
    assert book.open == {middle, new}


@FAILED_EXCHANGES
def test_a_failed_exchange_gives_back_its_slot_and_its_connection_is_not_reused(
    faults: FaultServer, fault: Callable[[], Fault], error: type[Exception]
) -> None:
    faults.add(fault(), fault(), kept_alive(OK), kept_alive(OK))
    with _client(1, pool=0.5) as client:
        for _ in range(2):
            with pytest.raises(error):
                client.get(f"{faults.url}/fails")
        for _ in range(2):
            assert client.get(f"{faults.url}/ok").status_code == 200
    assert [r.connection for r in faults.requests] == [1, 2, 3, 3]


def test_a_refused_connection_gives_back_its_slot() -> None:
    with tcp_listener() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with _client(1, pool=0.5) as client:
        for _ in range(3):
            with pytest.raises(httpx.ConnectError):
                client.get(f"http://127.0.0.1:{port}/")


def test_an_abandoned_body_read_in_part_is_closed_not_pooled(faults: FaultServer) -> None:
    big = response(200, b"x" * 300_000, keep_alive=True)
    faults.add(kept_alive(big), kept_alive(OK))
    with _client(1, pool=0.5) as client:
        with client.stream("GET", f"{faults.url}/big") as answer:
            for _ in answer.iter_raw():
                break
        assert client.get(f"{faults.url}/next").status_code == 200
    assert [r.connection for r in faults.requests] == [1, 2]


def test_at_most_max_keepalive_connections_stay_idle(faults: FaultServer) -> None:
    faults.add(*[_together(faults, 4)] * 4, *[_together(faults, 8)] * 4)
    with _client(4, keep=1) as client:
        for _ in range(2):
            answers = _in_threads(
                [lambda i=i: client.get(f"{faults.url}/{i}").status_code for i in range(4)]
            )
            assert answers == [200] * 4
    # 4 connections for the first four; of them 1 kept, so 3 more for the next four
    assert faults.connections == 7


def test_closing_the_client_closes_its_connections(faults: FaultServer) -> None:
    """Idle ones at once; one in use too (its thread then fails or ends, and nothing is pooled
    after the close)."""
    gate = threading.Event()
    faults.add(kept_alive(OK), _held(gate), kept_alive(OK))
    client = _client(2)
    transport = client._transport
    assert isinstance(transport, DeadlineTransport)
    with ThreadPoolExecutor(1) as thread:
        assert client.get(f"{faults.url}/idle").status_code == 200
        held = thread.submit(client.get, f"{faults.url}/held")
        _requested(faults, 2)
        client.close()
        gate.set()
        try:
            held.result()
        except httpx.TransportError:
            pass
    assert transport._pool._book.open == set()
    assert transport._pool._book.drain() == []


def test_a_full_pool_of_idle_connections_to_another_origin_makes_room(
    faults: FaultServer,
) -> None:
    faults.add(kept_alive(OK), kept_alive(OK))
    with FaultServer() as other:
        other.add(kept_alive(OK))
        with _client(1, pool=0.5) as client:
            assert client.get(f"{faults.url}/a").status_code == 200
            assert client.get(f"{other.url}/b").status_code == 200  # closes a's
            assert client.get(f"{faults.url}/a").status_code == 200  # a new one
        assert other.connections == 1
    assert [r.connection for r in faults.requests] == [1, 2]


def test_expired_idle_connections_are_closed_not_reused(faults: FaultServer) -> None:
    faults.add(*[kept_alive(OK)] * 3)
    limits = httpx.Limits(max_connections=1, keepalive_expiry=-1)  # expired as soon as idle
    with httpx.Client(transport=DeadlineTransport(limits=limits)) as client:
        for _ in range(3):
            assert client.get(f"{faults.url}/x").status_code == 200
    assert [r.connection for r in faults.requests] == [1, 2, 3]


def test_only_http_and_https_are_sent() -> None:
    transport = DeadlineTransport()
    with pytest.raises(httpx.UnsupportedProtocol):
        transport.handle_request(httpx.Request("GET", "ftp://127.0.0.1/x"))
    transport.close()


def test_a_connection_closed_by_the_server_while_idle_is_not_reused(faults: FaultServer) -> None:
    """The stale keep-alive case: the server answered with keep-alive, then hung up; the next
    request notices (``has_expired`` sees the socket readable) and opens a new connection."""
    faults.add(close_after(response(200, b"{}", keep_alive=True)), kept_alive(OK))
    with _client(1) as client:
        assert client.get(f"{faults.url}/first").status_code == 200
        for _ in range(int(MAX_WAIT / 0.01)):  # until the server's close has arrived
            idle = list(client._transport._pool._book.open)  # type: ignore[attr-defined]
            if not idle or idle[0].has_expired():
                break
            threading.Event().wait(0.01)
        assert client.get(f"{faults.url}/second").status_code == 200
    assert [r.connection for r in faults.requests] == [1, 2]


def test_many_threads_through_every_kind_of_failure_leave_the_pool_whole(
    faults: FaultServer,
) -> None:
    """48 threads on 4 connections (2 kept alive), their answers a mix of good ones, resets,
    truncations, garbage, hang-ups and bodies left half read: afterwards every slot is free, the
    book holds only idle connections within the keep-alive limit, and 4 requests can again hold
    4 connections at once."""
    cut = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"
    big = response(200, b"x" * 300_000, keep_alive=True)
    mix = [
        kept_alive(OK),
        reset_after(cut, pause=0),
        close_after(cut),
        close_after(b"garbage\r\n\r\n"),
        close_after(b""),
        kept_alive(big),
    ]
    faults.add(*(mix * 8))
    client = _client(4, keep=2)
    transport = client._transport
    assert isinstance(transport, DeadlineTransport)

    def call(i: int) -> Callable[[], str]:
        def run() -> str:
            try:
                with client.stream("GET", f"{faults.url}/{i}") as answer:
                    for _ in answer.iter_raw():
                        break
                    return str(answer.status_code)
            except httpx.TransportError as err:
                return type(err).__name__

        return run

    outcomes = _in_threads([call(i) for i in range(48)])
    assert outcomes.count("200") >= 16  # the good ones and the big ones at least
    assert set(outcomes) <= {"200", "ReadError", "RemoteProtocolError"}
    pool = transport._pool
    assert pool._slots._free == 4 and not pool._slots._waiters
    assert len(pool._book.open) == pool._book._idle_count <= 2
    faults.reset()
    faults.add(*[_together(faults, 4)] * 4)
    assert _in_threads([lambda: client.get(f"{faults.url}/x").status_code] * 4) == [200] * 4
    assert len({r.connection for r in faults.requests}) == 4  # four held at the same time
    client.close()
    assert not pool._book.open
