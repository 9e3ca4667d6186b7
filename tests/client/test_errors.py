"""Error statuses become typed errors; retries honour Retry-After and RetryInfo; timeouts."""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest

import gemini_client
from gemini_client import AsyncClient, Client
from support.server import LoopbackServer, Reply

from .bodies import API_KEY_INVALID, ERRORS, GENERATE, KEY, MODEL, generate_response, quota_exceeded

PROMPT: list[Any] = [{"parts": [{"text": "Explain how AI works"}]}]

EXPECTED: dict[int, tuple[type[gemini_client.APIStatusError], str]] = {
    400: (gemini_client.BadRequestError, "INVALID_ARGUMENT"),
    401: (gemini_client.AuthenticationError, "UNAUTHENTICATED"),
    403: (gemini_client.PermissionDeniedError, "PERMISSION_DENIED"),
    404: (gemini_client.NotFoundError, "NOT_FOUND"),
    429: (gemini_client.RateLimitError, "RESOURCE_EXHAUSTED"),
    500: (gemini_client.InternalServerError, "INTERNAL"),
}


def generate(client: Client) -> gemini_client.types.GenerateContentResponse:
    return client.models.generate_content(model=MODEL, contents=PROMPT)


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_status_becomes_typed_error(client: Client, server: LoopbackServer, code: int) -> None:
    cls, status = EXPECTED[code]
    server.add(GENERATE, Reply(code, ERRORS[code]))
    with pytest.raises(cls) as info:
        generate(client.with_options(max_retries=0))
    err = info.value
    assert isinstance(err, gemini_client.APIStatusError) and isinstance(err, gemini_client.APIError)
    assert isinstance(err, gemini_client.GeminiError)
    assert err.status_code == code and err.status == status
    assert err.message == ERRORS[code]["error"]["message"]
    assert err.details == ERRORS[code]["error"].get("details", [])
    assert err.body == ERRORS[code]
    assert err.response.status_code == code
    line = str(err)
    assert "\n" not in line
    assert line.startswith(f"{code} {status}: ")
    assert line.endswith(f"(POST {server.url}{GENERATE})")
    assert " ".join(err.message.split()) in line
    assert KEY not in line and KEY not in repr(err)
    assert len(server.requests) == 1


def test_invalid_api_key(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(400, API_KEY_INVALID))
    with pytest.raises(gemini_client.BadRequestError) as info:
        generate(client)
    assert info.value.details[0]["reason"] == "API_KEY_INVALID"
    assert len(server.requests) == 1  # 400 is not retried


def test_non_json_error_from_a_proxy(client: Client, server: LoopbackServer) -> None:
    page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    server.add(GENERATE, *[Reply(502, body=page, content_type="text/html")] * 3)
    with pytest.raises(gemini_client.InternalServerError) as info:
        generate(client)
    assert info.value.status_code == 502 and info.value.status is None
    assert "502 Bad Gateway" in info.value.message and "\n" not in str(info.value)
    assert len(server.requests) == 3


def test_retry_after_then_success(
    client: Client, server: LoopbackServer, sleeps: list[float]
) -> None:
    server.add(
        GENERATE,
        Reply(429, quota_exceeded(retry_delay=None), headers={"Retry-After": "7"}),
        Reply(json=generate_response()),
    )
    resp = generate(client)
    assert resp.response_id is not None
    assert sleeps == [7.0]
    assert len(server.requests) == 2
    assert server.requests[0].json() == server.requests[1].json() == {"contents": PROMPT}
    assert server.requests[1].headers["x-goog-api-key"] == KEY


def test_retry_info_delay_is_honoured(
    client: Client, server: LoopbackServer, sleeps: list[float]
) -> None:
    server.add(GENERATE, Reply(429, quota_exceeded("17s")), Reply(json=generate_response()))
    generate(client)
    assert sleeps == [17.0] and len(server.requests) == 2


def test_retry_info_fractional_delay(
    client: Client, server: LoopbackServer, sleeps: list[float]
) -> None:
    server.add(GENERATE, Reply(429, quota_exceeded("0.25s")), Reply(json=generate_response()))
    generate(client)
    assert sleeps == [0.25]


def test_retries_exhausted_with_backoff(
    client: Client, server: LoopbackServer, sleeps: list[float]
) -> None:
    server.add(GENERATE, *[Reply(500, ERRORS[500])] * 3)
    with pytest.raises(gemini_client.InternalServerError):
        generate(client)
    assert len(server.requests) == 3  # max_retries=2 by default
    assert len(sleeps) == 2
    assert 0.375 <= sleeps[0] <= 0.5 and 0.75 <= sleeps[1] <= 1.0  # exponential, with jitter


def no_sleep(delay: float) -> None:
    pytest.fail(f"max_retries=0 must not sleep (asked {delay}s)")


def test_max_retries_zero(server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(429, quota_exceeded("1s")), Reply(json=generate_response()))
    with Client(api_key=KEY, base_url=server.url, max_retries=0) as client:
        client._sleep = no_sleep
        with pytest.raises(gemini_client.RateLimitError) as info:
            generate(client)
    assert info.value.status == "RESOURCE_EXHAUSTED"
    assert len(server.requests) == 1


def test_client_timeout(server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=generate_response(), delay=0.6))
    with Client(api_key=KEY, base_url=server.url, timeout=0.1, max_retries=0) as client:
        start = time.monotonic()
        with pytest.raises(gemini_client.APITimeoutError) as info:
            generate(client)
        elapsed = time.monotonic() - start
    assert 0.075 < elapsed < 0.55
    assert isinstance(info.value, gemini_client.APIConnectionError)
    assert "\n" not in str(info.value) and KEY not in str(info.value)


def test_per_call_timeout_is_the_whole_call(
    client: Client, server: LoopbackServer, sleeps: list[float]
) -> None:
    server.add(GENERATE, *[Reply(json=generate_response(), delay=0.6)] * 3)
    with pytest.raises(gemini_client.APITimeoutError, match="deadline"):
        client.models.generate_content(model=MODEL, contents=PROMPT, timeout=0.1)
    assert len(server.requests) == 1 and sleeps == []


def test_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with Client(api_key=KEY, base_url=f"http://127.0.0.1:{port}", max_retries=1) as client:
        delays: list[float] = []
        client._sleep = delays.append
        with pytest.raises(gemini_client.APIConnectionError) as info:
            generate(client)
    assert not isinstance(info.value, gemini_client.APITimeoutError)
    assert len(delays) == 1 and KEY not in str(info.value)


@pytest.mark.asyncio
async def test_async_errors_and_retry(
    aclient: AsyncClient, server: LoopbackServer, sleeps: list[float]
) -> None:
    server.add(
        GENERATE,
        Reply(429, quota_exceeded("3s")),
        Reply(json=generate_response()),
        Reply(404, ERRORS[404]),
    )
    resp = await aclient.models.generate_content(model=MODEL, contents=PROMPT)
    assert resp.model_version == MODEL and sleeps == [3.0]
    with pytest.raises(gemini_client.NotFoundError) as info:
        await aclient.models.generate_content(model=MODEL, contents=PROMPT)
    assert info.value.status == "NOT_FOUND" and info.value.status_code == 404
    assert len(server.requests) == 3


@pytest.mark.asyncio
async def test_async_timeout(server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=generate_response(), delay=0.6))
    async with AsyncClient(api_key=KEY, base_url=server.url, timeout=0.1, max_retries=0) as client:
        with pytest.raises(gemini_client.APITimeoutError):
            await client.models.generate_content(model=MODEL, contents=PROMPT)
