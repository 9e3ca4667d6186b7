"""The API key never shows in a repr, an error message or a log record."""

from __future__ import annotations

import logging
from typing import Any

import pytest

import gemini_client
from gemini_client import AsyncClient, Client
from support.server import LoopbackServer, Reply, sse

from .bodies import ERRORS, GENERATE, KEY, MODEL, STREAM, error, generate_response, stream_chunks

PROMPT: list[Any] = [{"parts": [{"text": "Explain how AI works"}]}]


def echoing(code: int, status: str) -> dict[str, Any]:
    """An error body whose message echoes the key, as a misbehaving proxy might."""
    return error(code, status, f"API key {KEY} not valid (key={KEY}). Please pass a valid API key.")


def assert_clean(err: BaseException) -> None:
    for text in (str(err), repr(err), *(str(a) for a in err.args)):
        assert KEY not in text
    if isinstance(err, gemini_client.APIError):
        assert KEY not in err.message


@pytest.mark.asyncio
async def test_repr_of_clients(server: LoopbackServer) -> None:
    with Client(api_key=KEY, base_url=server.url) as client:
        for obj in (client, client.with_options(max_retries=5), client.models):
            assert KEY not in repr(obj) and KEY not in str(obj)
    async with AsyncClient(api_key=KEY, base_url=server.url) as aclient:
        assert KEY not in repr(aclient) and KEY not in repr(aclient.with_options(timeout=3))


@pytest.mark.parametrize("code", sorted(ERRORS))
def test_status_errors_echoing_the_key(client: Client, server: LoopbackServer, code: int) -> None:
    server.add(GENERATE, Reply(code, echoing(code, ERRORS[code]["error"]["status"])))
    with pytest.raises(gemini_client.APIStatusError) as info:
        client.with_options(max_retries=0).models.generate_content(model=MODEL, contents=PROMPT)
    assert_clean(info.value)
    assert "REDACTED" in info.value.message


def test_key_sent_in_the_query_is_redacted(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(404, ERRORS[404]))
    with pytest.raises(gemini_client.NotFoundError) as info:
        client.models.generate_content(model=MODEL, contents=PROMPT, extra_query={"key": KEY})
    assert server.requests[0].query["key"] == [KEY]  # it was sent ...
    assert_clean(info.value)  # ... but the error's URL does not show it
    assert "key=REDACTED" in str(info.value)


def test_transport_errors(server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=generate_response(), delay=0.5))
    with Client(api_key=KEY, base_url=server.url, timeout=0.1, max_retries=0) as client:
        with pytest.raises(gemini_client.APITimeoutError) as info:
            client.models.generate_content(model=MODEL, contents=PROMPT, extra_query={"key": KEY})
    assert_clean(info.value)


def test_stream_error_event_echoing_the_key(client: Client, server: LoopbackServer) -> None:
    server.add(STREAM, Reply(chunks=[sse(stream_chunks(2)[0], echoing(400, "INVALID_ARGUMENT"))]))
    with pytest.raises(gemini_client.BadRequestError) as info:
        list(client.models.stream_generate_content(model=MODEL, contents=PROMPT))
    assert_clean(info.value)


def test_validation_error_echoing_the_key(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json={"candidates": f"echo {KEY}"}))
    with pytest.raises(gemini_client.APIResponseValidationError) as info:
        client.models.generate_content(model=MODEL, contents=PROMPT)
    assert_clean(info.value)


def test_no_key_in_debug_logs(
    client: Client, server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # the root logger: httpx and httpcore too
    caplog.set_level(logging.DEBUG, logger="gemini_client")
    server.add(
        GENERATE,
        Reply(429, echoing(429, "RESOURCE_EXHAUSTED")),
        Reply(json=generate_response()),
        Reply(500, echoing(500, "INTERNAL")),
        Reply(500, echoing(500, "INTERNAL")),
        Reply(500, echoing(500, "INTERNAL")),
    )
    server.add(STREAM, Reply(chunks=[sse(*stream_chunks(3))]))
    client.models.generate_content(model=MODEL, contents=PROMPT)
    with pytest.raises(gemini_client.InternalServerError):
        client.models.generate_content(model=MODEL, contents=PROMPT)
    list(client.models.stream_generate_content(model=MODEL, contents=PROMPT))
    ours = [r for r in caplog.records if r.name == "gemini_client"]
    assert len(ours) >= 6  # one per response, one per retry
    assert any("retry 1 of 2" in r.getMessage() for r in ours)
    assert {r.name.split(".")[0] for r in caplog.records} >= {"gemini_client", "httpx", "httpcore"}
    for record in caplog.records:
        assert KEY not in record.getMessage()
    assert KEY not in caplog.text


def test_query_key_redacted_in_the_clients_own_log(
    client: Client, server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="gemini_client")
    server.add(GENERATE, Reply(429, ERRORS[429]), Reply(json=generate_response()))
    client.models.generate_content(model=MODEL, contents=PROMPT, extra_query={"key": KEY})
    ours = [r.getMessage() for r in caplog.records if r.name == "gemini_client"]
    assert len(ours) == 3 and all("key=REDACTED" in m and KEY not in m for m in ours)


@pytest.mark.asyncio
async def test_async_errors_and_logs(
    aclient: AsyncClient, server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.add(GENERATE, *[Reply(503, echoing(503, "UNAVAILABLE"))] * 3)
    with pytest.raises(gemini_client.InternalServerError) as info:
        await aclient.models.generate_content(model=MODEL, contents=PROMPT)
    assert_clean(info.value)
    assert KEY not in caplog.text
