"""``with_raw_response``: the HTTP status and headers, and the typed result through ``parse()``."""

from __future__ import annotations

from typing import Any

import pytest

import gemini_client
from gemini_client import AsyncClient, Client, types
from support.server import LoopbackServer, Reply, sse

from .bodies import (
    COUNT,
    COUNT_TOKENS,
    GEMINI_25_FLASH,
    GENERATE,
    MODEL,
    RESPONSE_ID,
    STREAM,
    generate_response,
    stream_chunks,
)

PROMPT: list[Any] = [{"parts": [{"text": "Explain how AI works"}]}]
HEADERS = {"x-goog-request-id": "req-8b3c", "server-timing": "gfet4t7; dur=2311"}
MARKER = "x-gemini-client-raw-response"


def test_generate_content(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=generate_response(), headers=HEADERS))
    raw = client.models.with_raw_response.generate_content(model=MODEL, contents=PROMPT)
    assert isinstance(raw, gemini_client.APIResponse)
    assert raw.status_code == 200
    assert raw.headers["x-goog-request-id"] == "req-8b3c"
    assert raw.headers["content-type"] == "application/json"
    assert raw.request.method == "POST" and raw.request.url.path == GENERATE
    resp = raw.parse()
    assert type(resp) is types.GenerateContentResponse and resp.response_id == RESPONSE_ID
    assert raw.parse() is resp  # parsed once
    assert repr(raw) == "<APIResponse [200 OK]>"
    (request,) = server.requests
    assert MARKER not in request.headers  # the internal marker never reaches the wire
    assert request.json() == {"contents": PROMPT}


def test_raw_response_after_a_retry(
    client: Client, server: LoopbackServer, sleeps: list[float]
) -> None:
    server.add(
        GENERATE,
        Reply(503, {"error": {"code": 503, "message": "overloaded", "status": "UNAVAILABLE"}}),
        Reply(json=generate_response(), headers=HEADERS),
    )
    raw = client.models.with_raw_response.generate_content(model=MODEL, contents=PROMPT)
    assert raw.status_code == 200 and len(server.requests) == 2 and len(sleeps) == 1


def test_get_count_and_stream(client: Client, server: LoopbackServer) -> None:
    server.add(f"/v1beta/models/{MODEL}", Reply(json=GEMINI_25_FLASH, headers=HEADERS))
    server.add(COUNT, Reply(json=COUNT_TOKENS))
    server.add(STREAM, Reply(chunks=[sse(*stream_chunks(4))], headers=HEADERS))
    got = client.models.with_raw_response.get(name=MODEL)
    assert got.headers["x-goog-request-id"] == "req-8b3c"
    assert got.parse().display_name == "Gemini 2.5 Flash"
    counted = client.models.with_raw_response.count_tokens(model=MODEL, contents=PROMPT)
    assert counted.parse().total_tokens == 31
    raw = client.models.with_raw_response.stream_generate_content(model=MODEL, contents=PROMPT)
    assert raw.status_code == 200 and raw.headers["content-type"].startswith("text/event-stream")
    with raw.parse() as stream:
        assert len([c for c in stream if c.response_id == RESPONSE_ID]) == 4


def test_errors_still_raise(client: Client, server: LoopbackServer) -> None:
    server.add(
        GENERATE, Reply(404, {"error": {"code": 404, "message": "x", "status": "NOT_FOUND"}})
    )
    with pytest.raises(gemini_client.NotFoundError):
        client.models.with_raw_response.generate_content(model=MODEL, contents=PROMPT)


@pytest.mark.asyncio
async def test_async_raw_response(aclient: AsyncClient, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=generate_response(), headers=HEADERS))
    server.add(STREAM, Reply(chunks=[sse(*stream_chunks(3))], headers=HEADERS))
    raw = await aclient.models.with_raw_response.generate_content(model=MODEL, contents=PROMPT)
    assert raw.status_code == 200 and raw.headers["x-goog-request-id"] == "req-8b3c"
    resp = raw.parse()
    assert type(resp) is types.GenerateContentResponse and resp.model_version == MODEL
    sraw = await aclient.models.with_raw_response.stream_generate_content(
        model=MODEL, contents=PROMPT
    )
    async with sraw.parse() as stream:
        assert len([c async for c in stream]) == 3
    assert MARKER not in server.requests[0].headers
