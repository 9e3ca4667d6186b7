"""The async client: twins of the main sync cases."""

from __future__ import annotations

import asyncio
import socket

import pytest

from gemini_client._core import (
    APIConnectionError,
    APIResponse,
    APITimeoutError,
    AsyncStream,
    InternalServerError,
    NotFoundError,
    RateLimitError,
)
from support.server import (
    LoopbackServer,
    RawSocketServer,
    Reply,
    error_body,
    http_chunk,
    sse,
    sse_response_head,
)

from .fakeapi import GENERATE, KEY, STREAM, AsyncClient, reply

pytestmark = pytest.mark.asyncio

CONTENTS = [{"role": "user", "parts": [{"text": "hi"}]}]
RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo"


def events(n: int) -> list[dict[str, object]]:
    return [reply(f"t{i} ") for i in range(n - 1)] + [reply("end", finishReason="STOP")]


async def test_success(aclient: AsyncClient, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=reply("hello")))
    result = await aclient.models.generate_content("gemini-test", contents=CONTENTS)
    assert result.text == "hello"
    assert server.requests[0].headers["x-goog-api-key"] == KEY
    assert KEY not in repr(aclient)


async def test_error_status(aclient: AsyncClient, server: LoopbackServer) -> None:
    server.add(
        "/v1beta/models/x:generateContent",
        Reply(404, error_body(404, "NOT_FOUND", "models/x is not found")),
    )
    with pytest.raises(NotFoundError) as info:
        await aclient.models.generate_content("x", contents=CONTENTS)
    assert (info.value.status_code, info.value.status) == (404, "NOT_FOUND")
    assert (
        str(info.value)
        == f"404 NOT_FOUND: models/x is not found (POST {server.url}/v1beta/models/x:generateContent)"
    )


async def test_retries(aclient: AsyncClient, server: LoopbackServer, sleeps: list[float]) -> None:
    server.add(
        GENERATE,
        Reply(429, error_body(429, "RESOURCE_EXHAUSTED"), headers={"retry-after": "3"}),
        Reply(
            429,
            error_body(
                429, "RESOURCE_EXHAUSTED", details=[{"@type": RETRY_INFO, "retryDelay": "2s"}]
            ),
        ),
        Reply(json=reply("ok")),
    )
    assert (await aclient.models.generate_content("gemini-test", contents=CONTENTS)).text == "ok"
    assert sleeps == [3.0, 2.0]
    server.add(GENERATE, *[Reply(500, error_body(500, "INTERNAL"))] * 3)
    with pytest.raises(InternalServerError):
        await aclient.models.generate_content("gemini-test", contents=CONTENTS)
    assert len(sleeps) == 4
    server.add(GENERATE, Reply(503, error_body(503, "UNAVAILABLE")))
    with pytest.raises(InternalServerError):
        await aclient.with_options(max_retries=0).models.generate_content(
            "gemini-test", contents=CONTENTS
        )
    assert len(sleeps) == 4


async def test_connection_refused_and_timeout(aclient: AsyncClient, server: LoopbackServer) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with AsyncClient(api_key=KEY, base_url=f"http://127.0.0.1:{port}", max_retries=0) as dead:
        with pytest.raises(APIConnectionError):
            await dead.models.generate_content("gemini-test", contents=CONTENTS)
    server.add(GENERATE, Reply(json=reply("late"), delay=1.0))
    with pytest.raises(APITimeoutError):
        await aclient.with_options(max_retries=0).models.generate_content(
            "gemini-test", contents=CONTENTS, timeout=0.1
        )


async def test_extra_options_and_raw_response(aclient: AsyncClient, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=reply("raw"), headers={"x-request-id": "a1"}))
    raw = await aclient.models.with_raw_response.generate_content(
        "gemini-test",
        contents=CONTENTS,
        extra_headers={"x-h": "1"},
        extra_query={"q": 1},
        extra_body={"b": True},
    )
    assert (
        isinstance(raw, APIResponse)
        and raw.status_code == 200
        and raw.headers["x-request-id"] == "a1"
    )
    assert raw.parse().text == "raw"
    (request,) = server.requests
    assert (
        request.headers["x-h"] == "1"
        and request.query == {"q": ["1"]}
        and request.json()["b"] is True
    )


async def test_stream(aclient: AsyncClient, server: LoopbackServer) -> None:
    server.add(STREAM, Reply(chunks=[sse(e, crlf=True) for e in events(30)]))
    async with await aclient.models.stream_generate_content(
        "gemini-test", contents=CONTENTS
    ) as chunks:
        assert isinstance(chunks, AsyncStream)
        texts = [c.text async for c in chunks]
    assert len(texts) == 30 and texts[-1] == "end"
    assert chunks.response.is_closed


async def test_stream_plain_iteration_and_early_break(
    aclient: AsyncClient, server: LoopbackServer
) -> None:
    server.add(
        STREAM,
        Reply(chunks=[sse(*events(3))]),
        Reply(chunks=[sse(e) for e in events(200)], chunk_delay=0.01),
    )
    chunks = await aclient.models.stream_generate_content("gemini-test", contents=CONTENTS)
    assert len([c async for c in chunks]) == 3 and chunks.response.is_closed
    chunks = await aclient.models.stream_generate_content("gemini-test", contents=CONTENTS)
    async for i, _ in _aenumerate(chunks):
        if i == 2:
            break
    async with chunks:  # prompt close; plain `break` closes when the loop finalises the generator
        pass
    assert chunks.response.is_closed
    assert await asyncio.to_thread(server.requests[1].finished.wait, 5)
    assert not server.requests[1].completed


async def _aenumerate(stream: AsyncStream[object]):  # type: ignore[no-untyped-def]
    i = 0
    async for item in stream:
        yield i, item
        i += 1


async def test_stream_error_event_and_drop(aclient: AsyncClient, server: LoopbackServer) -> None:
    server.add(
        STREAM, Reply(chunks=[sse(reply("a"), error_body(429, "RESOURCE_EXHAUSTED", "slow down"))])
    )
    with pytest.raises(RateLimitError, match="slow down"):
        async for _ in await aclient.models.stream_generate_content(
            "gemini-test", contents=CONTENTS
        ):
            pass
    server.add(STREAM, Reply(chunks=[sse(e) for e in events(4)], abort=True))
    with pytest.raises(APIConnectionError, match="stream interrupted after 4 chunks"):
        async for _ in await aclient.models.stream_generate_content(
            "gemini-test", contents=CONTENTS
        ):
            pass


async def test_stream_connection_reset() -> None:
    pieces = [sse_response_head(), http_chunk(sse(reply("a"))), http_chunk(b"data: {")]
    with RawSocketServer(pieces, reset=True) as raw:
        async with AsyncClient(api_key=KEY, base_url=raw.url) as client:
            with pytest.raises(APIConnectionError, match="stream interrupted after 1 chunks"):
                async for _ in await client.models.stream_generate_content(
                    "gemini-test", contents=CONTENTS
                ):
                    pass
