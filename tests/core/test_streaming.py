"""Server-sent event streams: chunking, separators, early exit, errors and broken connections."""

from __future__ import annotations

import pytest

from gemini_client._core import (
    APIConnectionError,
    APIResponse,
    APIResponseValidationError,
    InternalServerError,
    RateLimitError,
    Stream,
)
from support.server import (
    LoopbackServer,
    RawSocketServer,
    Reply,
    error_body,
    http_chunk,
    iter_pieces,
    sse,
    sse_response_head,
)

from .fakeapi import KEY, STREAM, Client, FinishReason, GenerateContentResponse, reply

CONTENTS = [{"role": "user", "parts": [{"text": "hi"}]}]


def stream(client: Client, **kwargs: object) -> Stream[GenerateContentResponse]:
    return client.models.stream_generate_content("gemini-test", contents=CONTENTS, **kwargs)  # type: ignore[arg-type]


def events(n: int) -> list[dict[str, object]]:
    return [reply(f"t{i} ") for i in range(n - 1)] + [reply("end", finishReason="STOP")]


def test_many_chunks_in_separate_writes(client: Client, server: LoopbackServer) -> None:
    server.add(STREAM, Reply(chunks=[sse(e) for e in events(50)]))
    with stream(client) as chunks:
        assert chunks.response.headers["content-type"].startswith("text/event-stream")
        texts = [c.text for c in chunks]
    assert texts == [f"t{i} " for i in range(49)] + ["end"]
    assert chunks.response.is_closed
    (request,) = server.requests
    assert request.query["alt"] == ["sse"] and request.headers["x-goog-api-key"] == KEY


@pytest.mark.parametrize("size", [1, 7, 64])
def test_crlf_and_events_split_across_writes(
    client: Client, server: LoopbackServer, size: int
) -> None:
    body = sse(*events(5), crlf=True)
    server.add(STREAM, Reply(chunks=list(iter_pieces(body, size)), chunk_delay=0.0005))
    chunks = list(stream(client))
    assert [c.text for c in chunks] == ["t0 ", "t1 ", "t2 ", "t3 ", "end"]
    assert chunks[-1].candidates and chunks[-1].candidates[0].finish_reason is FinishReason.STOP


def test_split_writes_exactly_on_the_wire() -> None:
    body = sse(*events(3), crlf=True)
    pieces = [sse_response_head()] + [http_chunk(p) for p in iter_pieces(body, 5)] + [b"0\r\n\r\n"]
    with (
        RawSocketServer(pieces, delay=0.002) as raw,
        Client(api_key=KEY, base_url=raw.url) as client,
    ):
        assert [c.text for c in stream(client)] == ["t0 ", "t1 ", "end"]


def test_plain_iteration_closes_when_exhausted(client: Client, server: LoopbackServer) -> None:
    server.add(STREAM, Reply(chunks=[sse(*events(3))]))
    chunks = stream(client)
    assert len(list(chunks)) == 3
    assert chunks.response.is_closed


def test_early_break_closes_the_connection(client: Client, server: LoopbackServer) -> None:
    server.add(STREAM, Reply(chunks=[sse(e) for e in events(200)], chunk_delay=0.01))
    chunks = stream(client)
    for i, _ in enumerate(chunks):
        if i == 2:
            break
    assert chunks.response.is_closed
    assert server.requests[0].finished.wait(5)
    assert not server.requests[0].completed


def test_context_manager_closes_unread_stream(client: Client, server: LoopbackServer) -> None:
    server.add(STREAM, Reply(chunks=[sse(e) for e in events(200)], chunk_delay=0.01))
    with stream(client) as chunks:
        assert next(chunks).text == "t0 "
    assert chunks.response.is_closed
    assert server.requests[0].finished.wait(5) and not server.requests[0].completed


def test_error_event_raises_status_error(client: Client, server: LoopbackServer) -> None:
    body = sse(reply("a"), error_body(503, "UNAVAILABLE", "The model is overloaded."))
    server.add(STREAM, Reply(chunks=[body]))
    seen = []
    with pytest.raises(InternalServerError) as info:
        for chunk in stream(client):
            seen.append(chunk.text)
    assert seen == ["a"]
    assert info.value.status_code == 503 and info.value.status == "UNAVAILABLE"
    assert info.value.message == "The model is overloaded."
    assert info.value.response is not None and info.value.response.is_closed


def test_status_error_before_first_byte_is_retried(
    client: Client, server: LoopbackServer, sleeps: list[float]
) -> None:
    server.add(
        STREAM,
        Reply(429, error_body(429, "RESOURCE_EXHAUSTED"), headers={"retry-after": "2"}),
        Reply(chunks=[sse(*events(2))]),
    )
    assert [c.text for c in stream(client)] == ["t0 ", "end"]
    assert sleeps == [2.0]
    server.add(STREAM, *[Reply(429, error_body(429, "RESOURCE_EXHAUSTED"))] * 3)
    with pytest.raises(RateLimitError):
        stream(client)


def test_connection_dropped_mid_stream(
    client: Client, server: LoopbackServer, sleeps: list[float]
) -> None:
    server.add(STREAM, Reply(chunks=[sse(e) for e in events(3)], abort=True))
    seen = []
    with pytest.raises(APIConnectionError, match="stream interrupted after 3 chunks") as info:
        for chunk in stream(client):
            seen.append(chunk)
    assert len(seen) == 3 and sleeps == []  # never retried once data was yielded
    assert len(server.requests) == 1
    assert "\n" not in str(info.value)


def test_connection_reset_mid_stream() -> None:
    body = sse(*events(2))
    pieces = [sse_response_head(), http_chunk(body), http_chunk(b'data: {"candi')]
    with (
        RawSocketServer(pieces, reset=True) as raw,
        Client(api_key=KEY, base_url=raw.url) as client,
    ):
        seen = []
        with pytest.raises(APIConnectionError, match="stream interrupted after 2 chunks"):
            for chunk in stream(client):
                seen.append(chunk)
        assert len(seen) == 2


def test_invalid_chunk_and_wrong_content_type(client: Client, server: LoopbackServer) -> None:
    server.add(STREAM, Reply(chunks=[sse(reply("a"), "not json")]))
    with pytest.raises(APIResponseValidationError, match="stream chunk 1"):
        list(stream(client))
    server.add(STREAM, Reply(json=reply("a")))
    with pytest.raises(APIResponseValidationError, match="text/event-stream"):
        list(stream(client))


def test_raw_response_of_a_stream(client: Client, server: LoopbackServer) -> None:
    server.add(STREAM, Reply(chunks=[sse(*events(2))], headers={"x-request-id": "s1"}))
    raw = client.models.with_raw_response.stream_generate_content("gemini-test", contents=CONTENTS)
    assert isinstance(raw, APIResponse) and raw.headers["x-request-id"] == "s1"
    with raw.parse() as chunks:
        assert [c.text for c in chunks] == ["t0 ", "end"]


def test_a_long_event_line_parses_in_linear_time() -> None:
    """An 8 MB event (inline image data) arriving in 1 KB reads: each byte is joined once, not
    re-copied with every read (that took minutes)."""
    import time

    from gemini_client._core._streaming import _EventParser

    payload = "x" * (8 * 1024 * 1024)
    body = f'data: {{"text": "{payload}"}}\n\nda'.encode()
    parser = _EventParser()
    start = time.perf_counter()
    events = []
    for i in range(0, len(body), 1024):
        events += parser.feed(body[i : i + 1024])
    assert time.perf_counter() - start < 2.0
    assert events == [("message", f'{{"text": "{payload}"}}')]
    assert parser.inside_event  # the trailing "da" is an unfinished line


_TRICKY_SSE = (
    b'\xef\xbb\xbfdata: {"a": 1}\r\n\r\n'  # a byte-order mark, CRLF
    b'event: error\ndata:{"b": "\xc3\xa9"}\r\ndata:  two spaces\r\r'  # lone CR, 2 data lines
    b": a comment\ndata\n\n"  # a field without a colon
    b"id: 7\nretry: 10\nevent:\ndata: x:y: z\n\n"  # fields the client ignores, colons in data
    b"data:\xff\xfe broken utf-8\n\nevent: only\n\n"  # invalid bytes; an event without data
    b"datum: not data\ndata: last\n\ndata: unfinished"
)


def _reference_events(body: bytes) -> list[tuple[str, str]]:
    """The WHATWG rules, written plainly over the whole body at once."""
    import re

    text = body.decode("utf-8", errors="replace").removeprefix("\ufeff")
    events, data, event = [], [], ""
    for line in re.split(r"\r\n|\r|\n", text)[:-1]:  # the last piece is an unfinished line
        if not line:
            if data or event:
                events.append((event or "message", "\n".join(data)))
            data, event = [], ""
            continue
        name, _, value = line.partition(":")
        if name == "data":
            data.append(value.removeprefix(" "))
        elif name == "event":
            event = value.removeprefix(" ")
    return events


@pytest.mark.parametrize(
    "pieces",
    [
        [
            b'data: {"a": 1}\r\n\r\n',
            b'data:{"b": 2}\n\n',
            b"data:  spaced\r\r",
            b"data: \xc3\xa9\n\n",
        ],
        [b"data: one\r\r", b"\ndata: two\r\n\r", b"\n", b"data:\r\n\r\n", b"data: x\r\r"],
        [b"data: a\n\n", b"data: b\r\ndata: c\r\n\r\n", b": note\n\n", b"data: d\n\n", b"data: e"],
        [
            b"event: e\ndata: f\n\n",
            b"data: g\n\n",
            b"data:  two\r\n\r\n",
            b"data:\n\n",
            b"data: h\n",
            b"\n",
            b"data: i\n\n",
        ],
    ],
    ids=["line-ends", "cr-then-lf", "multi-line", "named"],
)
def test_the_event_parser_reads_one_event_per_read_as_the_whole(pieces: list[bytes]) -> None:
    """Each read holding one whole event (as the API writes them), a read ending between CR and
    LF, events of several lines or named: the events the plain rules give for the whole body."""
    from gemini_client._core._streaming import _EventParser

    parser = _EventParser()
    got = [event for piece in [b"", *pieces] for event in parser.feed(piece)]
    assert got == _reference_events(b"".join(pieces))
    assert len(got) >= 3


@pytest.mark.parametrize("step", [1, 2, 3, 7, 64, len(_TRICKY_SSE)])
def test_the_event_parser_reads_any_split_as_the_whole(step: int) -> None:
    """However the body is cut into reads (between CR and LF, inside a UTF-8 character, inside
    "data:"), the parser yields the events the plain rules give for the whole body."""
    from gemini_client._core._streaming import _EventParser

    expected = _reference_events(_TRICKY_SSE)
    assert ("message", '{"b": "é"}\n two spaces') not in expected  # the event is named "error"
    assert ("error", '{"b": "é"}\n two spaces') in expected and ("message", "last") in expected
    for offset in range(min(step, 5)):
        parser = _EventParser()
        pieces = [_TRICKY_SSE[:offset]] + [
            _TRICKY_SSE[i : i + step] for i in range(offset, len(_TRICKY_SSE), step)
        ]
        got = [event for piece in pieces for event in parser.feed(piece)]
        assert got == expected
        assert parser.inside_event  # "data: unfinished" has no line end
