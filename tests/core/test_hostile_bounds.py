"""Issue #22, classes 2 and 3: no body exhausts memory or time, and connections are never reused
in a bad state. Sync and async against the loopback fault server; memory measured with
tracemalloc (the bytes Python holds), time with the monotonic clock."""

from __future__ import annotations

import asyncio
import functools
import json
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from gemini_client._core import (
    APIConnectionError,
    APITimeoutError,
    GeminiError,
    RequestOptions,
    ResponseTooLargeError,
    SyncAPIClient,
    async_request_media,
    request_media,
)
from gemini_client.lib._jsonl import iter_jsonl
from support.faults import (
    Conn,
    FaultServer,
    bomb,
    close_after,
    kept_alive,
    response,
    sse_body,
)
from support.server import LoopbackServer, Reply

from .fakeapi import KEY, GENERATE, Client, reply
from .faultkit import CONTENTS, MODES, generate, own_http_client, run, stream_texts

MIB = 1 << 20
SSE_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n"


def ok(text: str = "ok", *, keep_alive: bool = False) -> bytes:
    return response(200, json.dumps(reply(text)).encode(), keep_alive=keep_alive)


def measured(action: Callable[[], Any]) -> tuple[Any, float]:
    """``action()``'s result and the peak of memory Python allocated meanwhile, in MiB (only
    what is allocated after the start is traced: garbage left from before counts for nothing, so
    no collection first, which cost ~70 ms a measure)."""
    tracemalloc.start()
    try:
        result = action()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, peak / MIB


def download(read: str = "read", *, to: Path | None = None) -> Callable[[Any], Any]:
    """An operation that downloads ``files/a`` with ``read()`` or ``write_to(to)``."""

    def op(client: Any) -> Any:
        options = RequestOptions()
        if isinstance(client, SyncAPIClient):
            media = request_media(client, "files/a:download", options=options)
            return media.read() if to is None else media.write_to(to)

        async def go() -> Any:
            media = await async_request_media(client, "files/a:download", options=options)
            return await (media.read() if to is None else media.write_to(to))

        return go()

    return op


# --- 2. memory and time bounded ---------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("encoding", ["gzip", "deflate", "gzip, gzip"])
def test_a_compression_bomb_answer_stops_at_the_cap(
    mode: str, encoding: str, faults: FaultServer
) -> None:
    body = bomb(256 * MIB, "deflate" if encoding == "deflate" else "gzip")
    if encoding == "gzip, gzip":
        body = zlib.compress(body, wbits=31)
    faults.add(close_after(response(200, body, headers=[("Content-Encoding", encoding)])))
    outcome, peak = measured(lambda: run(mode, faults.url, generate(), max_response_size=8 * MIB))
    assert isinstance(outcome.error, ResponseTooLargeError) and outcome.error.limit == 8 * MIB
    assert peak < 24, f"{peak:.1f} MiB held"
    assert outcome.seconds < 5 and len(faults.requests) == 1


def test_the_two_gib_bomb_of_the_issue_stops_at_the_default_cap(faults: FaultServer) -> None:
    body = bomb(2048 * MIB)
    assert len(body) < 2.2 * MIB
    faults.add(close_after(response(200, body, headers=[("Content-Encoding", "gzip")])))
    outcome, peak = measured(lambda: run("sync", faults.url, generate()))
    assert isinstance(outcome.error, ResponseTooLargeError)
    assert peak < 128 + 24, f"{peak:.1f} MiB held"
    assert outcome.seconds < 20


@pytest.mark.parametrize("mode", MODES)
def test_a_plain_answer_over_the_cap_is_refused_from_its_content_length(
    mode: str, faults: FaultServer
) -> None:
    async def huge(conn: Conn) -> None:
        await conn.send(response(200, b"", length=1 << 40)[: -0 or None])
        await conn.wait_for_disconnect(5)

    faults.add(huge)
    outcome = run(mode, faults.url, generate(), max_response_size=MIB)
    assert isinstance(outcome.error, ResponseTooLargeError) and outcome.seconds < 2


@pytest.mark.parametrize("mode", MODES)
def test_a_compression_bomb_stream_stops_at_the_cap(mode: str, faults: FaultServer) -> None:
    head = SSE_HEAD + b"Content-Encoding: gzip\r\n\r\n"
    faults.add(close_after(head + bomb(256 * MIB)))
    outcome, peak = measured(
        lambda: run(mode, faults.url, stream_texts(), max_response_size=4 * MIB)
    )
    assert isinstance(outcome.error, ResponseTooLargeError)
    assert peak < 24, f"{peak:.1f} MiB held"


@functools.cache
def many_small_events() -> bytes:
    """~8 MiB of events gzipped to ~30 kB (built once; one event's text repeated, the same
    bytes as ``sse_body`` of 40,000 of them without encoding each)."""
    return zlib.compress(sse_body(reply("x" * 100)) * 40_000, wbits=31)


@pytest.mark.parametrize("mode", MODES)
def test_a_compressed_stream_of_many_small_events_stops_at_the_cap(
    mode: str, faults: FaultServer
) -> None:
    head = SSE_HEAD + b"Content-Encoding: gzip\r\n\r\n"
    faults.add(close_after(head + many_small_events()))
    outcome = run(mode, faults.url, stream_texts(), max_response_size=MIB)
    assert isinstance(outcome.error, ResponseTooLargeError)


@pytest.mark.parametrize("mode", MODES)
def test_one_huge_plain_event_stops_at_the_cap(mode: str, faults: FaultServer) -> None:
    async def endless(conn: Conn) -> None:
        await conn.send(SSE_HEAD + b"\r\ndata: ")
        for _ in range(64):
            await conn.send(b"x" * (256 * 1024))

    faults.add(endless)
    outcome, peak = measured(lambda: run(mode, faults.url, stream_texts(), max_response_size=MIB))
    assert isinstance(outcome.error, ResponseTooLargeError) and "event" in str(outcome.error)
    assert peak < 12, f"{peak:.1f} MiB held"


@pytest.mark.parametrize("mode", MODES)
def test_a_compression_bomb_download_stops_at_the_cap(
    mode: str, faults: FaultServer, tmp_path: Path
) -> None:
    headers = [("Content-Encoding", "gzip")]
    for to in (None, tmp_path / "media"):
        faults.add(close_after(response(200, bomb(256 * MIB), headers=headers)))
        outcome, peak = measured(
            lambda to=to: run(mode, faults.url, download(to=to), max_response_size=8 * MIB)
        )
        assert isinstance(outcome.error, ResponseTooLargeError)
        assert peak < 24, f"{peak:.1f} MiB held"
    assert (tmp_path / "media").stat().st_size <= 9 * MIB


@pytest.mark.parametrize("mode", MODES)
def test_a_large_plain_body_is_held_once(mode: str, faults: FaultServer) -> None:
    size = 48 * MIB  # a copy of it would be past the bound below by some 30 MiB
    payload = memoryview(b"\x01" * size)

    async def paced(conn: Conn) -> None:  # the server holds one MiB at a time, not a copy
        await conn.send(response(200, b"", length=size, content_type="application/octet-stream"))
        for i in range(0, size, MIB):
            await conn.send(payload[i : i + MIB])

    for op in (download(), lambda c: c._send("GET", "files/a", None, None, RequestOptions())):
        faults.add(paced)
        outcome, peak = measured(lambda op=op: run(mode, faults.url, op, max_response_size=None))
        assert outcome.error is None
        body = outcome.result if isinstance(outcome.result, bytes) else outcome.result.content
        assert len(body) == size
        del outcome, body
        assert peak < size / MIB * 1.3, f"{peak:.1f} MiB held for a {size // MIB} MiB body"


def test_a_48_mib_jsonl_line_is_read_in_linear_time() -> None:
    line = json.dumps({"key": "a", "response": {"text": "x" * (48 * MIB)}}).encode()
    chunks = [line[i : i + 65536] for i in range(0, len(line), 65536)]
    start = time.monotonic()
    (value,) = list(iter_jsonl(chunks + [b"\n"]))
    assert time.monotonic() - start < 3
    assert len(value["response"]["text"]) == 48 * MIB


@pytest.mark.parametrize("depth", [5_000, 100_000])
def test_deeply_nested_jsonl_is_a_typed_error(depth: int) -> None:
    line = b"[" * depth + b"]" * depth
    with pytest.raises(GeminiError, match="line 2 is nested too deep"):
        list(iter_jsonl([b'{"ok": 1}\n', line, b"\n"]))


@pytest.mark.parametrize("mode", MODES)
def test_a_trickled_download_ends_at_the_calls_deadline(mode: str, faults: FaultServer) -> None:
    async def trickle(conn: Conn) -> None:
        await conn.send(response(200, b"", length=1000 * 1024)[: -0 or None])
        for _ in range(1000):
            await conn.send(b"z" * 1024)
            await asyncio.sleep(0.0625)

    faults.add(trickle)
    outcome = run(mode, faults.url, download(), timeout=0.25, max_retries=0)
    assert isinstance(outcome.error, APITimeoutError)
    assert 0.2 < outcome.seconds < 1.5, outcome.seconds


# --- 3. connections never reused in a bad state ------------------------------------------------


INJECTED = response(200, json.dumps(reply("INJECTED")).encode(), keep_alive=True)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("first", ["generate", "download"])
def test_bytes_past_the_content_length_never_answer_the_next_call(
    mode: str, first: str, faults: FaultServer
) -> None:
    body = json.dumps(reply("first")).encode()
    faults.add(kept_alive(response(200, body, keep_alive=True) + INJECTED))
    faults.add(close_after(ok("second")))

    def op(client: Any) -> Any:
        one = generate() if first == "generate" else download()
        two = generate()
        if isinstance(client, SyncAPIClient):
            return one(client), two(client).text

        async def go() -> Any:
            return await one(client), (await two(client)).text

        return go()

    outcome = run(mode, faults.url, op)
    assert outcome.error is None, outcome.error
    assert outcome.result[1] == "second"
    assert [r.connection for r in faults.requests] == [1, 2]


@pytest.mark.parametrize("mode", MODES)
def test_a_clean_keep_alive_connection_is_reused(mode: str, faults: FaultServer) -> None:
    faults.add(kept_alive(ok("first", keep_alive=True)), close_after(ok("second")))

    def op(client: Any) -> Any:
        if isinstance(client, SyncAPIClient):
            return [generate()(client).text for _ in range(2)]

        async def go() -> Any:
            return [(await generate()(client)).text for _ in range(2)]

        return go()

    outcome = run(mode, faults.url, op)
    assert outcome.result == ["first", "second"]
    assert [r.connection for r in faults.requests] == [1, 1]


@pytest.mark.parametrize("mode", MODES)
def test_a_stale_keep_alive_connection_is_retried_even_for_a_post(
    mode: str, faults: FaultServer
) -> None:
    # The server answers once, keeps the connection, then closes it as the next request arrives.
    faults.add(kept_alive(ok("first", keep_alive=True)), close_after(b""), close_after(ok("again")))

    def op(client: Any) -> Any:
        if isinstance(client, SyncAPIClient):
            return [generate()(client).text for _ in range(2)]

        async def go() -> Any:
            return [(await generate()(client)).text for _ in range(2)]

        return go()

    outcome = run(mode, faults.url, op)
    assert outcome.error is None and outcome.result == ["first", "again"]
    assert [r.connection for r in faults.requests] == [1, 1, 2]
    assert outcome.sleeps in ([], [0.0])  # at once: nothing to back off from
    assert [r.method for r in faults.requests] == ["POST"] * 3


@pytest.mark.parametrize("mode", MODES)
def test_a_new_connection_closed_without_an_answer_is_not_retried_for_a_post(
    mode: str, faults: FaultServer
) -> None:
    faults.add(close_after(b""), close_after(ok("twice")))
    outcome = run(mode, faults.url, generate())
    assert isinstance(outcome.error, APIConnectionError)
    assert len(faults.requests) == 1


def test_fifty_threads_share_one_client(server: LoopbackServer) -> None:
    calls = 4  # each thread's first call starts with all the others' (the barrier), then reuses
    server.add(GENERATE, *[Reply(json=reply("t"))] * (50 * calls))
    errors: list[BaseException] = []
    together = threading.Barrier(50)
    with Client(api_key=KEY, base_url=server.url, timeout=20) as client:

        def work() -> None:
            try:
                together.wait(30)
                for _ in range(calls):
                    assert client.models.generate_content("gemini-test", contents=CONTENTS).text
            except BaseException as err:  # collected for the assertion below
                errors.append(err)

        threads = [threading.Thread(target=work) for _ in range(50)]
        start = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        seconds = time.monotonic() - start
    assert errors == []
    assert len(server.requests) == 50 * calls
    assert seconds < 30


def stalled_stream() -> Any:
    async def fault(conn: Conn) -> None:
        await conn.send(SSE_HEAD + b"\r\n" + sse_body(reply("first")))
        await conn.wait_for_disconnect(10)

    return fault


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("started", [False, True])
def test_dropped_streams_give_their_connections_back(
    mode: str, started: bool, faults: FaultServer
) -> None:
    dropped = 12
    faults.add(*[stalled_stream() for _ in range(dropped)], close_after(ok("after")))
    limits = httpx.Limits(max_connections=4)
    pool_wait = httpx.Timeout(5.0, pool=2.0)

    def op(client: Any) -> Any:
        kwargs = {"model": "gemini-test", "contents": CONTENTS, "timeout": pool_wait}
        if isinstance(client, SyncAPIClient):
            for _ in range(dropped):
                stream = client.models.stream_generate_content(**kwargs)
                if started:
                    next(stream)
                del stream
            return client.models.generate_content(**kwargs).text

        async def go() -> Any:
            for _ in range(dropped):
                stream = await client.models.stream_generate_content(**kwargs)
                if started:
                    await stream.__anext__()
                del stream
            return (await client.models.generate_content(**kwargs)).text

        return go()

    http_client = own_http_client(mode, limits=limits)
    with pytest.warns(ResourceWarning, match="unclosed"):
        outcome = run(mode, faults.url, op, http_client=http_client)
    assert outcome.error is None, outcome.error
    assert outcome.result == "after"


@pytest.mark.parametrize("mode", MODES)
def test_dropped_downloads_give_their_connections_back(mode: str, faults: FaultServer) -> None:
    async def stalled(conn: Conn) -> None:
        await conn.send(response(200, b"", length=MIB, content_type="video/mp4") + b"x" * 1024)
        await conn.wait_for_disconnect(10)

    dropped = 10
    faults.add(*[stalled for _ in range(dropped)], close_after(ok("after")))

    def op(client: Any) -> Any:
        options = RequestOptions(timeout=httpx.Timeout(5.0, pool=2.0))
        if isinstance(client, SyncAPIClient):
            for _ in range(dropped):
                media = request_media(client, "files/a:download", options=options)
                del media
            return generate(timeout=httpx.Timeout(5.0, pool=2.0))(client).text

        async def go() -> Any:
            for _ in range(dropped):
                media = await async_request_media(client, "files/a:download", options=options)
                del media
            return (await generate(timeout=httpx.Timeout(5.0, pool=2.0))(client)).text

        return go()

    http_client = own_http_client(mode, limits=httpx.Limits(max_connections=3))
    with pytest.warns(ResourceWarning, match="unclosed"):
        outcome = run(mode, faults.url, op, http_client=http_client)
    assert outcome.error is None and outcome.result == "after"


@pytest.mark.parametrize("mode", MODES)
def test_a_kept_alive_connection_reset_before_any_answer_is_retried(
    mode: str, faults: FaultServer
) -> None:
    async def reset_unanswered(conn: Conn) -> None:
        conn.reset()

    faults.add(kept_alive(ok("first", keep_alive=True)), reset_unanswered, close_after(ok("again")))

    def op(client: Any) -> Any:
        if isinstance(client, SyncAPIClient):
            return [generate()(client).text for _ in range(2)]

        async def go() -> Any:
            return [(await generate()(client)).text for _ in range(2)]

        return go()

    outcome = run(mode, faults.url, op)
    assert outcome.error is None and outcome.result == ["first", "again"]
    assert [r.connection for r in faults.requests] == [1, 1, 2]


@pytest.mark.parametrize("mode", MODES)
def test_a_kept_alive_connection_cut_inside_the_answer_is_not_retried_for_a_post(
    mode: str, faults: FaultServer
) -> None:
    faults.add(kept_alive(ok("first", keep_alive=True)), close_after(b"HTTP/1.1 200 OK\r\nCont"))
    faults.add(close_after(ok("twice")))

    def op(client: Any) -> Any:
        if isinstance(client, SyncAPIClient):
            return [generate()(client).text for _ in range(2)]

        async def go() -> Any:
            return [(await generate()(client)).text for _ in range(2)]

        return go()

    outcome = run(mode, faults.url, op)
    assert isinstance(outcome.error, APIConnectionError)
    assert len(faults.requests) == 2
