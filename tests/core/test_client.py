"""The sync client against a real loopback server: parsing, errors, retries, options, secrecy."""

from __future__ import annotations

import email.utils
import logging
import socket
import time

import httpx
import pytest

from gemini_client._core import (
    APIConnectionError,
    APIResponse,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    GeminiError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    make_status_error,
)
from support.server import LoopbackServer, Reply, error_body

from .fakeapi import GENERATE, KEY, Client, GenerateContentResponse, reply

CONTENTS = [{"role": "user", "parts": [{"text": "hi"}]}]
RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo"


def generate(client: Client, **kwargs: object) -> GenerateContentResponse:
    return client.models.generate_content("gemini-test", contents=CONTENTS, **kwargs)  # type: ignore[arg-type]


def test_success_parses_and_sends_key_in_header(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=reply("hello")))
    result = generate(client, generation_config={"maxOutputTokens": 5})
    assert isinstance(result, GenerateContentResponse)
    assert result.text == "hello" and result.response_id == "r1"
    (request,) = server.requests
    assert request.method == "POST"
    assert request.headers["x-goog-api-key"] == KEY
    assert "key" not in request.query
    assert request.json() == {
        "contents": [{"role": "user", "parts": [{"text": "hi"}]}],
        "generationConfig": {"maxOutputTokens": 5},
    }


def test_body_accepts_snake_case_and_models(client: Client, server: LoopbackServer) -> None:
    from .fakeapi import Content, GenerationConfig, Part

    server.add(GENERATE, Reply(json=reply("ok")))
    client.models.generate_content(
        "models/gemini-test",
        contents=[
            Content(
                role="user", parts=[Part(inline_data={"mimeType": "text/plain", "data": "aGk="})]
            )
        ],
        generation_config=GenerationConfig(max_output_tokens=3),
    )
    assert server.requests[0].json() == {
        "contents": [
            {"role": "user", "parts": [{"inlineData": {"mimeType": "text/plain", "data": "aGk="}}]}
        ],
        "generationConfig": {"maxOutputTokens": 3},
    }


ERRORS = [
    (400, "INVALID_ARGUMENT", BadRequestError),
    (401, "UNAUTHENTICATED", AuthenticationError),
    (403, "PERMISSION_DENIED", PermissionDeniedError),
    (404, "NOT_FOUND", NotFoundError),
    (409, "ALREADY_EXISTS", ConflictError),
    (422, "UNPROCESSABLE", UnprocessableEntityError),
    (429, "RESOURCE_EXHAUSTED", RateLimitError),
    (500, "INTERNAL", InternalServerError),
    (503, "UNAVAILABLE", InternalServerError),
    (418, "TEAPOT", APIStatusError),
]


@pytest.mark.parametrize(("code", "status", "cls"), ERRORS)
def test_error_status_maps_to_typed_error(
    client: Client, server: LoopbackServer, code: int, status: str, cls: type[APIStatusError]
) -> None:
    details = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "X"}]
    server.add(
        GENERATE, *[Reply(code, error_body(code, status, "Something\nwent wrong", details))] * 3
    )
    with pytest.raises(cls) as info:
        generate(client)
    err = info.value
    assert type(err) is cls and isinstance(err, GeminiError)
    assert (err.status_code, err.status, err.message, err.details) == (
        code,
        status,
        "Something\nwent wrong",
        details,
    )
    assert err.response is not None and err.response.status_code == code
    assert err.body == error_body(code, status, "Something\nwent wrong", details)
    assert str(err) == f"{code} {status}: Something went wrong (POST {server.url}{GENERATE})"


def test_error_body_not_json(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(404, body=b"<html>Not Found</html>", content_type="text/html"))
    with pytest.raises(NotFoundError) as info:
        generate(client)
    assert info.value.status is None and info.value.details == []
    assert info.value.body == "<html>Not Found</html>"
    assert str(info.value).startswith("404: <html>Not Found</html> (POST ")


@pytest.mark.parametrize(
    "body", [b"", b"[]", b'{"error": "bad thing"}', b'{"error": {"code": "x"}}']
)
def test_make_status_error_tolerates_other_shapes(body: bytes) -> None:
    response = httpx.Response(400, content=body, request=httpx.Request("GET", "https://h/v1beta/x"))
    err = make_status_error(response)
    assert isinstance(err, BadRequestError) and err.status_code == 400
    assert "\n" not in str(err)


def test_429_retry_after_then_success(
    client: Client, server: LoopbackServer, sleeps: list[float]
) -> None:
    server.add(
        GENERATE,
        Reply(429, error_body(429, "RESOURCE_EXHAUSTED"), headers={"retry-after": "3"}),
        Reply(json=reply("ok")),
    )
    assert generate(client).text == "ok"
    assert sleeps == [3.0] and len(server.requests) == 2


def test_retry_after_ms_and_http_date(
    client: Client, server: LoopbackServer, sleeps: list[float]
) -> None:
    date = email.utils.formatdate(time.time() + 20, usegmt=True)
    server.add(
        GENERATE,
        Reply(503, error_body(503, "UNAVAILABLE"), headers={"retry-after-ms": "250"}),
        Reply(503, error_body(503, "UNAVAILABLE"), headers={"retry-after": date}),
        Reply(json=reply("ok")),
    )
    assert generate(client).text == "ok"
    assert sleeps[0] == 0.25 and 17 < sleeps[1] <= 20


def test_retry_info_delay_honoured_and_capped(
    client: Client, server: LoopbackServer, sleeps: list[float]
) -> None:
    server.add(
        GENERATE,
        Reply(
            429,
            error_body(
                429, "RESOURCE_EXHAUSTED", details=[{"@type": RETRY_INFO, "retryDelay": "1.5s"}]
            ),
        ),
        Reply(
            429,
            error_body(
                429, "RESOURCE_EXHAUSTED", details=[{"@type": RETRY_INFO, "retryDelay": "30s"}]
            ),
        ),
        Reply(json=reply("ok")),
    )
    assert generate(client).text == "ok"
    assert sleeps == [1.5, 30.0]


def test_500_then_success_uses_backoff(
    client: Client, server: LoopbackServer, sleeps: list[float]
) -> None:
    server.add(
        GENERATE, Reply(500, error_body(500, "INTERNAL")), Reply(502, {}), Reply(json=reply("ok"))
    )
    assert generate(client).text == "ok"
    assert len(sleeps) == 2
    assert 0.375 <= sleeps[0] <= 0.5 and 0.75 <= sleeps[1] <= 1.0


def test_max_retries_zero_disables_retries(
    client: Client, server: LoopbackServer, sleeps: list[float]
) -> None:
    server.add(GENERATE, Reply(503, error_body(503, "UNAVAILABLE")), Reply(json=reply("ok")))
    with pytest.raises(InternalServerError):
        generate(client.with_options(max_retries=0))
    assert sleeps == [] and len(server.requests) == 1


def test_retries_exhausted_raises_last_error(
    client: Client, server: LoopbackServer, sleeps: list[float]
) -> None:
    server.add(
        GENERATE, *[Reply(429, error_body(429, "RESOURCE_EXHAUSTED", f"try {i}")) for i in range(3)]
    )
    with pytest.raises(RateLimitError, match="try 2"):
        generate(client)
    assert len(sleeps) == 2 and len(server.requests) == 3


def test_400_is_not_retried(client: Client, server: LoopbackServer, sleeps: list[float]) -> None:
    server.add(GENERATE, Reply(400, error_body(400, "INVALID_ARGUMENT")), Reply(json=reply("ok")))
    with pytest.raises(BadRequestError):
        generate(client)
    assert sleeps == [] and len(server.requests) == 1


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_connection_refused_retries_then_raises(sleeps: list[float]) -> None:
    with Client(api_key=KEY, base_url=f"http://127.0.0.1:{_closed_port()}") as client:
        client._sleep = sleeps.append
        with pytest.raises(APIConnectionError) as info:
            generate(client)
    assert not isinstance(info.value, APITimeoutError)
    assert info.value.request is not None
    assert len(sleeps) == 2 and "ConnectError" in str(info.value)


def test_timeout_raises_api_timeout_error(
    client: Client, server: LoopbackServer, sleeps: list[float]
) -> None:
    # A read timeout of a POST is not retried: the server may have processed it.
    server.add(GENERATE, Reply(json=reply("late"), delay=1.0))
    with pytest.raises(APITimeoutError, match="ReadTimeout"):
        generate(client, timeout=httpx.Timeout(0.1))
    assert len(server.requests) == 1 and sleeps == []
    # ...unless the caller asks for it.
    server.add(GENERATE, Reply(json=reply("late"), delay=1.0), Reply(json=reply("ok")))
    assert (
        generate(client.with_options(retry_after_send=True), timeout=httpx.Timeout(0.2)).text
        == "ok"
    )
    assert len(sleeps) == 1


def test_invalid_success_body(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(body=b"not json"), Reply(json={"candidates": "nope"}))
    with pytest.raises(APIResponseValidationError) as info:
        generate(client)
    assert info.value.status_code == 200 and info.value.body == "not json"
    with pytest.raises(APIResponseValidationError, match="GenerateContentResponse"):
        generate(client)


def test_extra_headers_query_body_and_timeout(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=reply("ok")))
    generate(
        client,
        extra_headers={"x-custom": "1"},
        extra_query={"foo": "bar", "skip": None},
        extra_body={"cachedContent": "cachedContents/c1"},
        timeout=5.0,
    )
    (request,) = server.requests
    assert request.headers["x-custom"] == "1"
    assert request.query == {"foo": ["bar"]}
    assert request.json()["cachedContent"] == "cachedContents/c1"


def test_default_headers_and_with_options(client: Client, server: LoopbackServer) -> None:
    other = client.with_options(default_headers={"x-app": "demo"}, max_retries=5, timeout=3.0)
    assert type(other) is Client and other.max_retries == 5 and other.timeout == 3.0
    assert other._client is client._client  # the connection pool is shared
    assert other.models._client is other
    server.add(GENERATE, Reply(json=reply("ok")))
    generate(other)
    assert server.requests[0].headers["x-app"] == "demo"
    assert server.requests[0].headers["x-goog-api-key"] == KEY


def test_raw_response(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=reply("raw"), headers={"x-request-id": "abc"}))
    raw = client.models.with_raw_response.generate_content("gemini-test", contents=CONTENTS)
    assert isinstance(raw, APIResponse)
    assert raw.status_code == 200 and raw.headers["x-request-id"] == "abc"
    assert raw.request.url.path == GENERATE
    parsed = raw.parse()
    assert parsed.text == "raw" and raw.parse() is parsed
    assert "x-gemini-client-raw-response" not in server.requests[0].headers


def test_path_param_and_build_body() -> None:
    from gemini_client._core import NOT_GIVEN, build_body, path_param, strip_not_given

    from .fakeapi import GenerateContentRequest

    assert (
        path_param("gemini-2.5-flash", name="model", prefix="models/") == "models/gemini-2.5-flash"
    )
    assert (
        path_param("tunedModels/my model", name="model", prefix="models/")
        == "tunedModels/my%20model"
    )
    with pytest.raises(ValueError, match="^model: "):
        path_param("", name="model")
    body = build_body(
        GenerateContentRequest,
        {
            "contents": [{"parts": [{"inline_data": {"mime_type": "x"}}]}],
            "generation_config": NOT_GIVEN,
        },
    )
    assert body == {"contents": [{"parts": [{"inlineData": {"mime_type": "x"}}]}]}
    assert strip_not_given({"a": 1, "b": None, "c": NOT_GIVEN}) == {"a": 1}


def test_key_never_leaks(
    server: LoopbackServer, caplog: pytest.LogCaptureFixture, sleeps: list[float]
) -> None:
    caplog.set_level(logging.DEBUG)
    client = Client(api_key=KEY, base_url=server.url)
    client._sleep = sleeps.append
    assert (
        KEY not in repr(client)
        and repr(client) == f"Client(base_url='{server.url}/', max_retries=2)"
    )
    server.add(
        GENERATE,
        Reply(500, error_body(500, "INTERNAL", f"bad key {KEY}")),
        Reply(400, error_body(400, "INVALID_ARGUMENT", f"API key not valid: {KEY}")),
        Reply(json=reply("ok")),
    )
    with pytest.raises(BadRequestError) as info:
        generate(client)
    generate(client)
    messages = [str(info.value), info.value.message, repr(info.value)]
    # No logger at all (ours, httpx, httpcore) sees the key when it travels in the header.
    assert caplog.records and any(r.name == "gemini_client" for r in caplog.records)
    messages += [r.getMessage() for r in caplog.records]

    # A caller's own `key=` query parameter is redacted from our messages and log lines
    # (httpx's own INFO line prints the URL as sent; that logger is not ours).
    caplog.clear()
    server.add(
        GENERATE,
        Reply(503, error_body(503, "UNAVAILABLE")),
        Reply(404, error_body(404, "NOT_FOUND")),
    )
    with pytest.raises(NotFoundError) as found:
        generate(client, extra_query={"key": KEY})
    assert "?key=REDACTED" in str(found.value)
    with Client(api_key=KEY, base_url=f"http://127.0.0.1:{_closed_port()}", max_retries=0) as dead:
        with pytest.raises(APIConnectionError) as conn:
            generate(dead, extra_query={"key": KEY})
    messages += [str(found.value), found.value.message, str(conn.value), repr(conn.value)]
    messages += [r.getMessage() for r in caplog.records if r.name == "gemini_client"]
    for text in messages:
        assert KEY not in text, text
    client.close()
