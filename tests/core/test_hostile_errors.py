"""Issue #22, classes 1 and 4: the key never leaves its origin, and errors read the way Google
sends them. Sync and async against the loopback fault server."""

from __future__ import annotations

import base64
import json
import logging
import random
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from gemini_client._core import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    ArgumentError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestOptions,
    SyncAPIClient,
)
from support.faults import (
    FaultServer,
    close_after,
    corrupt_gzip,
    json_response,
    response,
    sse_body,
    sse_stream,
    trickle,
)

from .fakeapi import KEY, GenerateContentResponse, reply
from .faultkit import MODES, generate, leaks, own_http_client, run, stream_texts

GENERATE = "/v1beta/models/gemini-test:generateContent"


@pytest.fixture(scope="module")
def _elsewhere() -> Iterator[FaultServer]:
    with FaultServer() as server:
        yield server


@pytest.fixture
def elsewhere(_elsewhere: FaultServer) -> FaultServer:
    """A second fault server, another origin than `faults`."""
    _elsewhere.reset()
    return _elsewhere


def ok(text: str = "ok") -> bytes:
    return response(200, json.dumps(reply(text)).encode())


def redirect(status: int, location: str) -> Any:
    return close_after(response(status, b"", headers=[("Location", location)]))


def following(mode: str) -> httpx.Client | httpx.AsyncClient:
    """A caller's own httpx client that follows redirects."""
    return own_http_client(mode, follow_redirects=True)


# --- 1. the key stays on the origin of base_url ---------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_to_another_origin_does_not_carry_the_key(
    mode: str, status: int, faults: FaultServer, elsewhere: FaultServer
) -> None:
    faults.add(redirect(status, elsewhere.url + GENERATE))
    elsewhere.add(close_after(ok("there")))
    outcome = run(mode, faults.url, generate(), http_client=following(mode))
    assert outcome.error is None and outcome.result.text == "there"
    assert faults.requests[0].headers["x-goog-api-key"] == KEY
    (stolen,) = elsewhere.requests
    assert "x-goog-api-key" not in stolen.headers
    assert KEY not in stolen.raw_head.decode("latin-1") + stolen.target


@pytest.mark.parametrize("mode", MODES)
def test_a_redirect_chain_that_comes_back_home_does_not_regain_the_key(
    mode: str, faults: FaultServer, elsewhere: FaultServer
) -> None:
    home_host = faults.url.replace("127.0.0.1", "localhost")  # same server, another origin
    faults.add(redirect(307, home_host + GENERATE), close_after(ok("home")))
    outcome = run(mode, faults.url, generate(), http_client=following(mode))
    assert outcome.error is None and outcome.result.text == "home"
    assert "x-goog-api-key" in faults.requests[0].headers
    assert "x-goog-api-key" not in faults.requests[1].headers


@pytest.mark.parametrize("mode", MODES)
def test_a_redirect_on_the_same_origin_keeps_the_key(mode: str, faults: FaultServer) -> None:
    faults.add(redirect(308, faults.url + "/v1beta/models/other:generateContent"))
    faults.add(close_after(ok("moved")))
    outcome = run(mode, faults.url, generate(), http_client=following(mode))
    assert outcome.result.text == "moved"
    assert [r.headers.get("x-goog-api-key") for r in faults.requests] == [KEY, KEY]


@pytest.mark.parametrize("mode", MODES)
def test_a_redirect_loop_is_a_typed_error(mode: str, faults: FaultServer) -> None:
    faults.add(*[redirect(307, faults.url + GENERATE) for _ in range(30)])
    outcome = run(mode, faults.url, generate(), http_client=following(mode))
    assert isinstance(outcome.error, APIConnectionError)
    assert "redirect" in str(outcome.error)
    assert 20 <= len(faults.requests) <= 22 and outcome.sleeps == []
    assert leaks(outcome.error, KEY) == []


@pytest.mark.parametrize("mode", MODES)
def test_without_following_a_redirect_is_a_status_error(mode: str, faults: FaultServer) -> None:
    faults.add(redirect(307, "http://elsewhere.invalid/x"))
    outcome = run(mode, faults.url, generate())
    assert type(outcome.error) is APIStatusError and outcome.error.status_code == 307


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "path",
    [
        "{elsewhere}/v1beta/steal",
        "https://elsewhere.invalid/steal/{{name}}",
        "http://127.0.0.1:1/x",
        "//elsewhere.invalid/x",
        "HTTPS://elsewhere.invalid/x",
    ],
)
def test_a_path_that_leaves_the_origin_is_refused_before_sending(
    mode: str, path: str, faults: FaultServer, elsewhere: FaultServer
) -> None:
    target = path.format(elsewhere=elsewhere.url)

    def op(client: Any) -> Any:
        return client.request(
            "GET", target, cast_to=GenerateContentResponse, options=RequestOptions()
        )

    outcome = run(mode, faults.url, op)
    assert isinstance(outcome.error, ArgumentError)
    assert faults.requests == [] and elsewhere.requests == []


def echoes(key: str) -> list[str]:
    """The key as servers echo it: percent-encoded (every character, any case, twice), base64 in
    both alphabets at every alignment inside longer data, padded or not, hex, escapes."""
    data = key.encode()
    forms = [
        "".join(f"%{b:02X}" for b in data),
        "".join(f"%{b:02x}" for b in data),
        "".join(f"%{b:02X}" if i % 2 else f"%{b:02x}" for i, b in enumerate(data)),
        "".join(f"%25{b:02X}" for b in data),
        data.hex(),
        data.hex().upper(),
        "".join(f"\\u{b:04x}" for b in data),
        "".join(f"&#{b};" for b in data),
        "".join(f"&#x{b:X};" for b in data),
    ]
    for before in range(4):
        for after in range(3):
            blob = b"\x07" * before + data + b"\xfe" * after
            std = base64.b64encode(blob).decode()
            forms += [std, std.rstrip("="), base64.urlsafe_b64encode(blob).decode().rstrip("=")]
    return forms


def revealed(text: str, key: str) -> list[str]:
    """The echo forms still recognisable in ``text`` (a form with 4 characters cut at each end,
    which no redaction boundary excuses)."""
    return [form for form in echoes(key) if form in text or form[4:-4] in text]


@pytest.mark.parametrize("mode", MODES)
def test_the_key_echoed_in_any_encoding_is_redacted(
    mode: str, faults: FaultServer, caplog: pytest.LogCaptureFixture
) -> None:
    forms = echoes(KEY)
    message = " | ".join(forms)
    detail = {"@type": "x", "echo": forms, "nested": {random.choice(forms): forms}}
    body = {
        "error": {"code": 503, "message": message, "status": "UNAVAILABLE", "details": [detail]}
    }
    faults.add(
        json_response(503, body),
        json_response(400, {**body, "error": {**body["error"], "code": 400}}),
    )
    with caplog.at_level(logging.DEBUG, logger="gemini_client"):
        outcome = run(mode, faults.url, generate())
    error = outcome.error
    assert isinstance(error, BadRequestError)
    for text in (str(error), repr(error), repr(error.body), repr(error.details), error.message):
        assert revealed(text, KEY) == []
    assert revealed(caplog.text, KEY) == []
    assert "REDACTED" in str(error)


# --- 4. errors read the way Google sends them -----------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_an_error_body_sent_as_an_array(mode: str, faults: FaultServer) -> None:
    error = {"code": 404, "message": "models/x is not found", "status": "NOT_FOUND"}
    faults.add(json_response(404, [{"error": error}]))
    outcome = run(mode, faults.url, generate())
    assert isinstance(outcome.error, NotFoundError)
    assert outcome.error.status == "NOT_FOUND" and "models/x is not found" in str(outcome.error)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("error", "cls", "code"),
    [
        ({"code": 400, "message": "bad", "status": "INVALID_ARGUMENT"}, BadRequestError, 400),
        ({"code": "403", "message": "no"}, PermissionDeniedError, 403),
        ({"status": "NOT_FOUND", "message": "gone"}, NotFoundError, 404),
        ({"code": "NOT_FOUND", "message": "gone"}, NotFoundError, 404),
        ({"code": 5, "message": "rpc code"}, NotFoundError, 404),
        ({"status": 3, "message": "rpc number"}, BadRequestError, 400),
    ],
)
def test_a_2xx_that_is_only_an_error_raises_it(
    mode: str, faults: FaultServer, error: dict[str, Any], cls: type, code: int
) -> None:
    faults.add(json_response(200, {"error": error}))
    outcome = run(mode, faults.url, generate())
    assert type(outcome.error) is cls and outcome.error.status_code == code
    assert len(faults.requests) == 1


@pytest.mark.parametrize("mode", MODES)
def test_a_2xx_error_naming_a_retryable_status_is_retried(mode: str, faults: FaultServer) -> None:
    faults.add(json_response(200, [{"error": {"status": "UNAVAILABLE", "message": "later"}}]))
    faults.add(close_after(ok("second")))
    outcome = run(mode, faults.url, generate())
    assert outcome.error is None and outcome.result.text == "second"
    assert len(outcome.sleeps) == 1


@pytest.mark.parametrize("mode", MODES)
def test_an_answer_with_an_error_field_among_others_is_an_answer(
    mode: str, faults: FaultServer
) -> None:
    body = {**reply("fine"), "error": {"code": 400}}  # not only an error: kept as an answer
    faults.add(json_response(200, body))
    outcome = run(mode, faults.url, generate())
    assert outcome.error is None and outcome.result.text == "fine"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("event", "cls", "status"),
    [
        (("error", {"code": "429", "message": "slow down"}), RateLimitError, None),
        (
            ("error", {"code": "RESOURCE_EXHAUSTED", "message": "q"}),
            RateLimitError,
            "RESOURCE_EXHAUSTED",
        ),
        (("error", {"status": "NOT_FOUND", "message": "gone"}), NotFoundError, "NOT_FOUND"),
        ({"error": {"status": "UNAVAILABLE", "message": "x"}}, InternalServerError, "UNAVAILABLE"),
        ({"error": {"code": 8, "message": "rpc"}}, RateLimitError, "RESOURCE_EXHAUSTED"),
        ([{"error": {"code": 400, "message": "arr"}}], BadRequestError, None),
    ],
)
def test_a_stream_error_event_gets_the_class_its_status_names(
    mode: str, faults: FaultServer, event: Any, cls: type, status: str | None
) -> None:
    faults.add(sse_stream(sse_body(reply("a"), event)))
    outcome = run(mode, faults.url, stream_texts())
    assert type(outcome.error) is cls
    assert outcome.error.status == status


@pytest.mark.parametrize("mode", MODES)
def test_an_enum_sent_as_its_number_is_kept(mode: str, faults: FaultServer) -> None:
    body = reply("a")
    body["candidates"][0]["finishReason"] = 1
    faults.add(json_response(200, body))
    outcome = run(mode, faults.url, generate())
    assert outcome.error is None
    reason = outcome.result.candidates[0].finish_reason
    assert reason.value == "1" and reason == "1" and reason.name == "1"
    assert outcome.result.to_dict()["candidates"][0]["finishReason"] == "1"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "value",
    [
        "Fri, 31 Dec 99999 23:59:59 GMT",
        "Mon, 01 Jan 0001 00:00:00 GMT",
        "Tue, 99 Foo 2026 99:99:99 GMT",
        "1e999",
        "-1e999",
        "nan",
        "99999999999999999999999",
        "Wed, 21 Oct 2015 07:28:00 +9999",
    ],
)
def test_an_absurd_retry_after_is_never_a_crash(mode: str, faults: FaultServer, value: str) -> None:
    faults.add(close_after(response(429, b"{}", headers=[("Retry-After", value)])))
    faults.add(close_after(ok("after")))
    outcome = run(mode, faults.url, generate())
    assert outcome.error is None or isinstance(outcome.error, RateLimitError)
    assert all(0 <= s <= 60 for s in outcome.sleeps)


@pytest.mark.parametrize("mode", MODES)
def test_a_corrupt_gzip_download_is_a_typed_error(mode: str, faults: FaultServer) -> None:
    from gemini_client._core import async_request_media, request_media

    faults.add(corrupt_gzip(content_type="application/octet-stream"))

    def op(client: Any) -> Any:
        options = RequestOptions()
        if isinstance(client, SyncAPIClient):
            return request_media(client, "files/a:download", options=options).read()

        async def read() -> bytes:
            media = await async_request_media(client, "files/a:download", options=options)
            return await media.read()

        return read()

    outcome = run(mode, faults.url, op)
    assert isinstance(outcome.error, APIResponseValidationError)
    assert "decoded" in str(outcome.error)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("ending", [b"\r", b"\n", b"\r\n"])
def test_events_separated_by_any_line_ending(mode: str, faults: FaultServer, ending: bytes) -> None:
    body = b"".join(
        b"data: " + json.dumps(reply(t)).encode() + ending + ending for t in ("a", "b", "c")
    )
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
    faults.add(trickle(head + body, interval=0.0005, head=len(head)))
    outcome = run(mode, faults.url, stream_texts())
    assert outcome.error is None and outcome.result == ["a", "b", "c"]


@pytest.mark.parametrize("mode", MODES)
def test_a_lone_cr_at_the_end_of_a_write_ends_the_event_at_once(
    mode: str, faults: FaultServer
) -> None:
    body = b"data: " + json.dumps(reply("a")).encode() + b"\r\r"
    faults.add(sse_stream(body))
    outcome = run(mode, faults.url, stream_texts())
    assert outcome.error is None and outcome.result == ["a"]


@pytest.mark.parametrize(
    "text",
    [
        "hello world, " * 80_000,
        "a%20b&amp;c\\n " * 80_000,
        "%41" * 330_000,
        base64.b64encode(random.Random(1).randbytes(750_000)).decode(),
    ],
    ids=["prose", "escapes", "one-escaped-run", "base64"],
)
def test_redaction_of_a_megabyte_is_linear(text: str) -> None:
    import time

    from gemini_client._core._exceptions import redact, secret_forms

    forms = secret_forms(KEY)
    start = time.process_time()
    assert redact(text, forms) == text
    assert time.process_time() - start < 2.0
    assert redact(text + echoes(KEY)[0] + text, forms).count("REDACTED") == 1
