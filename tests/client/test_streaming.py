"""``stream_generate_content``: typed SSE chunks over real sockets, early close, resets, async."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

import gemini_client
from gemini_client import AsyncClient, Client, types
from support.server import (
    LoopbackServer,
    RawSocketServer,
    Reply,
    http_chunk,
    iter_pieces,
    sse,
    sse_response_head,
)

from .bodies import KEY, MODEL, RESPONSE_ID, STREAM, error, stream_chunks

PROMPT: list[Any] = [{"role": "user", "parts": [{"text": "Write a story about a magic backpack."}]}]


def text(chunk: types.GenerateContentResponse) -> str:
    assert chunk.candidates and chunk.candidates[0].content and chunk.candidates[0].content.parts
    return chunk.candidates[0].content.parts[0].text or ""


def check_chunks(chunks: list[types.GenerateContentResponse], n: int) -> None:
    assert len(chunks) == n
    assert all(type(c) is types.GenerateContentResponse for c in chunks)
    assert [text(c) for c in chunks] == [f"w{i} " for i in range(n)]
    assert {c.response_id for c in chunks} == {RESPONSE_ID}
    assert (
        chunks[-1].candidates and chunks[-1].candidates[0].finish_reason is types.FinishReason.STOP
    )
    assert all(c.candidates and c.candidates[0].finish_reason is None for c in chunks[:-1])
    assert chunks[-1].usage_metadata and chunks[-1].usage_metadata.prompt_tokens_details


def test_fifty_chunks_each_its_own_write(client: Client, server: LoopbackServer) -> None:
    server.add(STREAM, Reply(chunks=[sse(c) for c in stream_chunks(50)]))
    with client.models.stream_generate_content(model=MODEL, contents=PROMPT) as stream:
        assert isinstance(stream, gemini_client.Stream)
        chunks = list(stream)
    check_chunks(chunks, 50)
    assert stream.response.is_closed
    (request,) = server.requests
    assert request.path == STREAM and request.query == {"alt": ["sse"]}
    assert request.headers["x-goog-api-key"] == KEY
    assert request.json() == {"contents": PROMPT}
    assert request.finished.wait(5) and request.completed


@pytest.mark.parametrize("size", [1, 13, 200])
def test_crlf_events_split_across_writes(client: Client, server: LoopbackServer, size: int) -> None:
    body = sse(*stream_chunks(6), crlf=True)
    assert b"\r\n\r\n" in body
    server.add(STREAM, Reply(chunks=list(iter_pieces(body, size))))
    check_chunks(list(client.models.stream_generate_content(model=MODEL, contents=PROMPT)), 6)


def test_split_tcp_writes_exactly_on_the_wire() -> None:
    body = sse(*stream_chunks(5), crlf=True)
    pieces = [sse_response_head()] + [http_chunk(p) for p in iter_pieces(body, 37)] + [b"0\r\n\r\n"]
    with (
        RawSocketServer(pieces, delay=0.001) as raw,
        Client(api_key=KEY, base_url=raw.url) as client,
    ):
        chunks = list(
            client.models.stream_generate_content(model=f"models/{MODEL}", contents=PROMPT)
        )
    check_chunks(chunks, 5)
    request_line = raw.request.split(b"\r\n", 1)[0]
    assert request_line == f"POST {STREAM}?alt=sse HTTP/1.1".encode()


def test_with_block_closes_an_unfinished_stream(client: Client, server: LoopbackServer) -> None:
    server.add(STREAM, Reply(chunks=[sse(c) for c in stream_chunks(200)], chunk_delay=0.005))
    with client.models.stream_generate_content(model=MODEL, contents=PROMPT) as stream:
        first = [text(next(stream)) for _ in range(3)]
    assert first == ["w0 ", "w1 ", "w2 "]
    assert stream.response.is_closed
    (request,) = server.requests
    assert request.finished.wait(5) and not request.completed


def test_breaking_a_for_loop_closes_the_stream(client: Client, server: LoopbackServer) -> None:
    server.add(STREAM, Reply(chunks=[sse(c) for c in stream_chunks(200)], chunk_delay=0.005))
    stream = client.models.stream_generate_content(model=MODEL, contents=PROMPT)
    for i, _ in enumerate(stream):
        if i == 1:
            break
    assert stream.response.is_closed
    assert server.requests[0].finished.wait(5) and not server.requests[0].completed


def test_connection_reset_mid_stream_raises_connection_error() -> None:
    body = sse(*stream_chunks(3)[:2])
    pieces = [sse_response_head(), http_chunk(body), http_chunk(b'data: {"candidates": [{"cont')]
    seen: list[types.GenerateContentResponse] = []
    with (
        RawSocketServer(pieces, reset=True) as raw,
        Client(api_key=KEY, base_url=raw.url) as client,
    ):
        with pytest.raises(gemini_client.APIConnectionError) as info:
            for chunk in client.models.stream_generate_content(model=MODEL, contents=PROMPT):
                seen.append(chunk)
    assert [text(c) for c in seen] == ["w0 ", "w1 "]
    assert "stream interrupted after 2 chunks" in str(info.value)
    assert "\n" not in str(info.value) and KEY not in str(info.value)
    assert not isinstance(info.value, gemini_client.APITimeoutError)


def test_error_event_in_the_stream(client: Client, server: LoopbackServer) -> None:
    overloaded = error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.")
    server.add(STREAM, Reply(chunks=[sse(stream_chunks(3)[0]), sse(overloaded)]))
    seen = []
    with pytest.raises(gemini_client.InternalServerError) as info:
        for chunk in client.models.stream_generate_content(model=MODEL, contents=PROMPT):
            seen.append(chunk)
    assert len(seen) == 1
    assert info.value.status_code == 503 and info.value.status == "UNAVAILABLE"


def test_status_error_before_the_stream_is_retried(
    client: Client, server: LoopbackServer, sleeps: list[float]
) -> None:
    server.add(
        STREAM,
        Reply(
            503, error(503, "UNAVAILABLE", "The model is overloaded."), headers={"retry-after": "1"}
        ),
        Reply(chunks=[sse(*stream_chunks(3))]),
    )
    check_chunks(list(client.models.stream_generate_content(model=MODEL, contents=PROMPT)), 3)
    assert sleeps == [1.0] and len(server.requests) == 2


@pytest.mark.asyncio
async def test_async_stream(aclient: AsyncClient, server: LoopbackServer) -> None:
    server.add(STREAM, Reply(chunks=list(iter_pieces(sse(*stream_chunks(20), crlf=True), 50))))
    stream = await aclient.models.stream_generate_content(model=MODEL, contents=PROMPT)
    assert isinstance(stream, gemini_client.AsyncStream)
    async with stream:
        chunks = [chunk async for chunk in stream]
    check_chunks(chunks, 20)
    assert stream.response.is_closed
    assert server.requests[0].query == {"alt": ["sse"]}
    assert json.loads(server.requests[0].body) == {"contents": PROMPT}


@pytest.mark.asyncio
async def test_async_stream_closed_early(aclient: AsyncClient, server: LoopbackServer) -> None:
    server.add(STREAM, Reply(chunks=[sse(c) for c in stream_chunks(200)], chunk_delay=0.005))
    async with await aclient.models.stream_generate_content(model=MODEL, contents=PROMPT) as stream:
        assert text(await stream.__anext__()) == "w0 "
    assert stream.response.is_closed
    assert await asyncio.to_thread(server.requests[0].finished.wait, 5)
    assert not server.requests[0].completed


@pytest.mark.asyncio
async def test_async_connection_reset_mid_stream() -> None:
    pieces = [sse_response_head(), http_chunk(sse(stream_chunks(2)[0])), http_chunk(b"data: {")]
    with RawSocketServer(pieces, reset=True) as raw:
        async with AsyncClient(api_key=KEY, base_url=raw.url) as client:
            seen = []
            with pytest.raises(gemini_client.APIConnectionError, match="after 1 chunks"):
                async for chunk in await client.models.stream_generate_content(
                    model=MODEL, contents=PROMPT
                ):
                    seen.append(chunk)
    assert len(seen) == 1
