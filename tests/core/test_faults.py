"""The core against a server that misbehaves at the byte level, sync and async (issue #11).

Every failure must be a typed ``GeminiError``, never show the key, end within the call's total
deadline, and be retried only when the request cannot have been processed.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import httpx
import pytest

from gemini_client._core import _base_client
from gemini_client._core._constants import INITIAL_RETRY_DELAY
from gemini_client._core import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    ArgumentError,
    BadRequestError,
    DeadlineWarning,
    GeminiError,
    InternalServerError,
    RateLimitError,
)
from support.faults import (
    FaultServer,
    close_after,
    corrupt_gzip,
    json_response,
    reset_after,
    response,
    silence,
    sse_body,
    sse_stream,
    trickle,
    wrong_length,
)
from support.server import error_body

from .fakeapi import KEY, reply
from .faultkit import MODES, generate, leaks, list_names, own_http_client, run, stream_texts

RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo"

pytestmark = pytest.mark.parametrize("mode", MODES)


def ok(text: str = "ok") -> bytes:
    return response(200, json.dumps(reply(text)).encode())


# --- 1. secrets -------------------------------------------------------------------------------


def test_key_with_surrounding_whitespace_is_stripped(mode: str, faults: FaultServer) -> None:
    faults.add(close_after(ok()))
    outcome = run(mode, faults.url, generate(), api_key=f"  {KEY}\n")
    assert outcome.error is None
    assert faults.requests[0].headers["x-goog-api-key"] == KEY


@pytest.mark.parametrize("bad", ["\x00", "\n", "\x7f", "é", "\u2028"])
def test_key_with_a_control_character_is_rejected_without_showing_it(
    mode: str, faults: FaultServer, bad: str
) -> None:
    key = KEY[:10] + bad + KEY[10:]
    outcome = run(mode, faults.url, generate(), api_key=key)
    assert isinstance(outcome.error, ArgumentError) and isinstance(outcome.error, ValueError)
    assert "api_key" in str(outcome.error)
    assert not leaks(outcome.error, KEY[:10]) and not leaks(outcome.error, KEY[10:])
    assert faults.requests == []


def test_a_header_h11_refuses_is_not_retried_and_never_shows_the_key(
    mode: str, faults: FaultServer
) -> None:
    outcome = run(mode, faults.url, generate(extra_headers={"x-echo": KEY + "\n"}))
    assert isinstance(outcome.error, APIConnectionError)
    assert outcome.sleeps == [] and faults.requests == []
    assert leaks(outcome.error, KEY) == []
    assert outcome.error.__cause__ is not None  # a sanitized copy: the reason stays readable
    assert "REDACTED" in str(outcome.error)


def test_key_echoed_by_the_server_in_any_form_is_redacted(mode: str, faults: FaultServer) -> None:
    forms = [KEY, quote(KEY, safe=""), repr(KEY.encode()), json.dumps(KEY)]
    body = error_body(
        400,
        "INVALID_ARGUMENT",
        f"API key {KEY} not valid ({forms[1]}, {forms[2]})",
        details=[{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "metadata": {KEY: KEY}}],
    )
    faults.add(json_response(400, body))
    outcome = run(mode, faults.url, generate())
    assert isinstance(outcome.error, BadRequestError)
    assert leaks(outcome.error, KEY) == []
    assert "REDACTED" in outcome.error.message
    assert outcome.error.details[0]["metadata"] == {"REDACTED": "REDACTED"}


def test_key_echoed_in_a_stream_error_event_is_redacted(mode: str, faults: FaultServer) -> None:
    event = error_body(500, "INTERNAL", f"bad key {KEY}")
    faults.add(sse_stream(sse_body(reply("a"), event)))
    outcome = run(mode, faults.url, stream_texts())
    assert isinstance(outcome.error, InternalServerError)
    assert leaks(outcome.error, KEY) == []


def test_key_echoed_in_an_invalid_chunk_is_redacted(mode: str, faults: FaultServer) -> None:
    faults.add(sse_stream(sse_body({"candidates": f"echo {KEY}"})))
    outcome = run(mode, faults.url, stream_texts())
    assert isinstance(outcome.error, APIResponseValidationError)
    assert leaks(outcome.error, KEY) == []


def test_key_echoed_in_an_invalid_body_is_redacted(mode: str, faults: FaultServer) -> None:
    faults.add(json_response(200, {"candidates": f"echo {KEY}"}))
    outcome = run(mode, faults.url, generate())
    assert isinstance(outcome.error, APIResponseValidationError)
    assert leaks(outcome.error, KEY) == []


# --- 2. retry hints longer than the cap or the time left ------------------------------------


def test_retry_after_longer_than_the_cap_raises_at_once(mode: str, faults: FaultServer) -> None:
    body = json.dumps(error_body(429, "RESOURCE_EXHAUSTED")).encode()
    faults.add(close_after(response(429, body, headers=[("Retry-After", "3600")])))
    outcome = run(mode, faults.url, generate(), real_sleep=True)
    assert isinstance(outcome.error, RateLimitError)
    assert outcome.error.retry_after == 3600
    assert len(faults.requests) == 1 and outcome.seconds < 3


def test_retry_info_longer_than_the_time_left_raises_at_once(
    mode: str, faults: FaultServer
) -> None:
    details = [{"@type": RETRY_INFO, "retryDelay": "20s"}]
    faults.add(json_response(429, error_body(429, "RESOURCE_EXHAUSTED", details=details)))
    outcome = run(mode, faults.url, generate(timeout=5), real_sleep=True)
    assert isinstance(outcome.error, RateLimitError) and outcome.error.retry_after == 20
    assert len(faults.requests) == 1 and outcome.seconds < 3


class _ShortestJitter:
    """The backoff's random draw at its top: each delay is 3/4 of the nominal one."""

    @staticmethod
    def random() -> float:
        return 1.0


def test_retries_and_their_sleeps_stay_within_the_deadline(
    mode: str, faults: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The backoff scaled down 4x (first delay 0.125 s, not 0.5 s: the same doubling, the same
    # check against the time left, a quarter of the wait). Delays of 0.094 and 0.19 s fit in the
    # 0.45 s deadline, 0.375 s does not: three attempts, then the server's error, with ~170 ms to
    # spare before the deadline for the third attempt. With a random jitter, a delay that ends a
    # few milliseconds before the deadline leaves the third attempt no time: a timeout instead of
    # the server's error.
    monkeypatch.setattr(_base_client, "random", _ShortestJitter)
    monkeypatch.setattr(_base_client, "INITIAL_RETRY_DELAY", INITIAL_RETRY_DELAY / 4)
    faults.add(*[json_response(503, error_body(503, "UNAVAILABLE"))] * 5)
    outcome = run(mode, faults.url, generate(timeout=0.45), real_sleep=True, max_retries=10)
    assert isinstance(outcome.error, InternalServerError)
    assert outcome.seconds < 1.3  # 2.9 s of backoff without the deadline
    assert len(faults.requests) == 3


# --- 3. a total deadline, whatever the server's pace ------------------------------------------


def test_trickled_body_ends_at_the_deadline(mode: str, faults: FaultServer) -> None:
    data = ok("x" * 50)
    faults.add(trickle(data, interval=0.04, head=data.index(b"\r\n\r\n") + 4))  # ~6 s in all
    outcome = run(mode, faults.url, generate(), timeout=0.25)
    assert isinstance(outcome.error, APITimeoutError), outcome.error
    assert "deadline" in str(outcome.error)
    assert 0.2 < outcome.seconds < 2.0 and len(faults.requests) == 1


def test_deadline_holds_with_your_own_http_client(mode: str, faults: FaultServer) -> None:
    data = ok("x" * 50)
    faults.add(trickle(data, interval=0.05, head=data.index(b"\r\n\r\n") + 4))  # ~7 s in all
    http_client = own_http_client(mode)
    with pytest.warns(DeadlineWarning):  # httpx's own transport: held between body reads
        outcome = run(mode, faults.url, generate(), timeout=0.2, http_client=http_client)
    assert isinstance(outcome.error, APITimeoutError), outcome.error
    assert outcome.seconds < 1.9


def test_trickled_headers_end_at_the_deadline(mode: str, faults: FaultServer) -> None:
    faults.add(trickle(ok(), interval=0.05))  # ~12 s in all
    outcome = run(mode, faults.url, generate(timeout=0.2))
    assert isinstance(outcome.error, APITimeoutError)
    assert 0.15 < outcome.seconds < 1.9


def test_trickled_stream_ends_at_the_deadline(mode: str, faults: FaultServer) -> None:
    body = sse_body(*[reply(f"t{i}") for i in range(40)])
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
    faults.add(trickle(head + body, interval=0.02, head=len(head)))
    outcome = run(mode, faults.url, stream_texts(timeout=0.2))
    assert isinstance(outcome.error, APITimeoutError), outcome.error
    assert "deadline" in str(outcome.error)
    assert 0.15 < outcome.seconds < 1.9


def test_silence_ends_at_the_deadline(mode: str, faults: FaultServer) -> None:
    faults.add(silence(5))
    outcome = run(mode, faults.url, generate(), timeout=0.15)
    assert isinstance(outcome.error, APITimeoutError)
    assert 0.1 < outcome.seconds < 2.0 and len(faults.requests) == 1


def test_per_call_timeout_overrides_the_client(mode: str, faults: FaultServer) -> None:
    faults.add(silence(5))
    outcome = run(mode, faults.url, generate(timeout=0.1), timeout=30)
    assert isinstance(outcome.error, APITimeoutError) and outcome.seconds < 2.5


# --- 4. retry only what cannot have been processed --------------------------------------------


def test_read_timeout_of_a_post_is_not_retried(mode: str, faults: FaultServer) -> None:
    faults.add(silence(5), close_after(ok()))
    outcome = run(mode, faults.url, generate(timeout=httpx.Timeout(0.2)))
    assert isinstance(outcome.error, APITimeoutError)
    assert len(faults.requests) == 1 and outcome.sleeps == []


def test_read_timeout_of_a_post_is_retried_when_asked(mode: str, faults: FaultServer) -> None:
    faults.add(silence(5), close_after(ok("second")))
    op = generate(timeout=httpx.Timeout(0.2))
    outcome = run(mode, faults.url, op, retry_after_send=True)
    assert outcome.error is None and outcome.result.text == "second"
    assert len(faults.requests) == 2


def test_reset_after_a_post_was_sent_is_not_retried(mode: str, faults: FaultServer) -> None:
    faults.add(reset_after(b""), close_after(ok()))
    outcome = run(mode, faults.url, generate())
    assert isinstance(outcome.error, APIConnectionError)
    assert len(faults.requests) == 1


def test_read_timeout_of_a_get_is_retried(mode: str, faults: FaultServer) -> None:
    page = {"models": [{"name": "models/a"}]}
    faults.add(silence(5), json_response(200, page))
    outcome = run(mode, faults.url, list_names(timeout=httpx.Timeout(0.2)))
    assert outcome.error is None and outcome.result == ["models/a"]
    assert len(faults.requests) == 2 and len(outcome.sleeps) == 1


def test_server_errors_are_retried(mode: str, faults: FaultServer) -> None:
    faults.add(
        json_response(503, error_body(503, "UNAVAILABLE")),
        json_response(408, {}),
        close_after(ok()),
    )
    outcome = run(mode, faults.url, generate())
    assert outcome.error is None and len(faults.requests) == 3


def test_default_timeout_suits_long_generations(mode: str, faults: FaultServer) -> None:
    from gemini_client._core import DEFAULT_TIMEOUT

    assert DEFAULT_TIMEOUT >= 600


# --- 5. raw exceptions become typed errors ----------------------------------------------------


def test_corrupt_gzip_body(mode: str, faults: FaultServer) -> None:
    faults.add(corrupt_gzip(200))
    outcome = run(mode, faults.url, generate())
    assert isinstance(outcome.error, APIResponseValidationError), outcome.error
    assert "decoded" in str(outcome.error) and len(faults.requests) == 1


def test_corrupt_gzip_error_body(mode: str, faults: FaultServer) -> None:
    faults.add(corrupt_gzip(400))
    outcome = run(mode, faults.url, generate())
    assert isinstance(outcome.error, APIResponseValidationError)
    assert outcome.error.status_code == 400


def test_corrupt_gzip_stream(mode: str, faults: FaultServer) -> None:
    faults.add(corrupt_gzip(200, content_type="text/event-stream"))
    outcome = run(mode, faults.url, stream_texts())
    assert isinstance(outcome.error, APIResponseValidationError)


def test_truncated_error_event(mode: str, faults: FaultServer) -> None:
    faults.add(sse_stream(sse_body(reply("a"), '{"error": {"code": 500, "mess')))
    outcome = run(mode, faults.url, stream_texts())
    assert isinstance(outcome.error, APIResponseValidationError)
    assert "not valid JSON" in str(outcome.error)


def test_deeply_nested_error_body(mode: str, faults: FaultServer) -> None:
    body = b'{"error": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"
    faults.add(close_after(response(400, body)))
    outcome = run(mode, faults.url, generate())
    assert isinstance(outcome.error, BadRequestError)
    assert len(str(outcome.error)) < 2000


def test_deeply_nested_success_body(mode: str, faults: FaultServer) -> None:
    body = b'{"candidates": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"
    faults.add(close_after(response(200, body)))
    outcome = run(mode, faults.url, generate())
    assert isinstance(outcome.error, APIResponseValidationError)


def test_bad_arguments_raise_one_value_error_naming_the_path(
    mode: str, faults: FaultServer
) -> None:
    outcome = run(mode, faults.url, lambda c: c.models.generate_content("m", contents="text"))
    assert isinstance(outcome.error, ArgumentError) and isinstance(outcome.error, ValueError)
    assert str(outcome.error).startswith("contents: ")
    bad = [{"parts": [{"text": "a"}, {"text": {"no": 1}}]}]
    outcome = run(mode, faults.url, lambda c: c.models.generate_content("m", contents=bad))
    assert isinstance(outcome.error, ArgumentError)
    assert str(outcome.error).startswith("contents[0].parts[1].text: ")
    assert faults.requests == []


# --- 8. streams that end wrongly --------------------------------------------------------------


def test_stream_cut_mid_event_is_an_error(mode: str, faults: FaultServer) -> None:
    body = sse_body(reply("a"), reply("b"))
    faults.add(sse_stream(body, cut=len(body) - 10))
    outcome = run(mode, faults.url, stream_texts())
    assert isinstance(outcome.error, APIConnectionError)
    assert "middle of an event, after 1 chunks" in str(outcome.error)


def test_stream_reset_mid_event_is_an_error(mode: str, faults: FaultServer) -> None:
    body = sse_body(reply("a"), reply("b"))
    faults.add(sse_stream(body, cut=len(body) - 10, reset=True))
    outcome = run(mode, faults.url, stream_texts())
    assert isinstance(outcome.error, APIConnectionError)


def test_complete_close_delimited_stream(mode: str, faults: FaultServer) -> None:
    faults.add(sse_stream(sse_body(reply("a"), reply("b"), crlf=False)))
    outcome = run(mode, faults.url, stream_texts())
    assert outcome.result == ["a", "b"]


def test_error_event_raises_the_typed_error(mode: str, faults: FaultServer) -> None:
    event = ("error", {"code": 503, "status": "UNAVAILABLE", "message": "overloaded"})
    faults.add(sse_stream(sse_body(reply("a"), event)))
    outcome = run(mode, faults.url, stream_texts())
    assert isinstance(outcome.error, InternalServerError)
    assert outcome.error.status == "UNAVAILABLE" and "overloaded" in str(outcome.error)


def test_byte_order_mark_before_the_first_event(mode: str, faults: FaultServer) -> None:
    faults.add(sse_stream(sse_body(reply("a"), reply("b"), bom=True)))
    outcome = run(mode, faults.url, stream_texts())
    assert outcome.result == ["a", "b"]


def test_events_split_at_every_byte(mode: str, faults: FaultServer) -> None:
    body = sse_body(reply("é"), reply("b"), bom=True)
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
    faults.add(trickle(head + body, interval=0.001, head=len(head)))
    outcome = run(mode, faults.url, stream_texts())
    assert outcome.result == ["é", "b"]


def test_a_body_shorter_than_its_content_length(mode: str, faults: FaultServer) -> None:
    faults.add(wrong_length(json.dumps(reply("a")).encode(), claimed=10_000))
    outcome = run(mode, faults.url, generate())
    assert isinstance(outcome.error, APIConnectionError)
    assert len(faults.requests) == 1  # the POST was sent: not retried


def test_only_part_of_the_head(mode: str, faults: FaultServer) -> None:
    faults.add(close_after(b"HTTP/1.1 200 OK\r\nContent-Ty"))
    outcome = run(mode, faults.url, generate())
    assert isinstance(outcome.error, APIConnectionError)


# --- 10. bounded messages ---------------------------------------------------------------------


def test_huge_error_message_is_bounded(mode: str, faults: FaultServer) -> None:
    message = "x" * 5_000_000
    faults.add(json_response(400, error_body(400, "INVALID_ARGUMENT", message)))
    outcome = run(mode, faults.url, generate())
    assert isinstance(outcome.error, BadRequestError)
    assert len(str(outcome.error)) < 2000 and "more characters" in str(outcome.error)
    assert isinstance(outcome.error.body, dict)
    assert outcome.error.body["error"]["message"] == message


def test_huge_non_json_error_body_is_bounded(mode: str, faults: FaultServer) -> None:
    faults.add(close_after(response(502, b"<html>" + b"y" * 1_000_000, content_type="text/html")))
    outcome = run(mode, faults.url, generate(), max_retries=0)
    assert isinstance(outcome.error, APIStatusError) and len(str(outcome.error)) < 2000


def test_every_failure_is_a_gemini_error(mode: str, faults: FaultServer) -> None:
    faults.add(close_after(b"garbage\r\n\r\n"))
    outcome = run(mode, faults.url, generate())
    assert isinstance(outcome.error, GeminiError)
