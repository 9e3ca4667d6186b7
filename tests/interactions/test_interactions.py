"""`client.interactions`: create/get/cancel/delete and their SSE streams, over a loopback server."""

from __future__ import annotations

import json
from typing import Any

import pytest

import gemini_client
from gemini_client import AsyncClient, Client, types
from support.server import LoopbackServer, Reply, error_body, iter_pieces, sse

from .bodies import ID, INTERACTIONS, KEY, MODEL, events, interaction

ONE = f"{INTERACTIONS}/{ID}"


def check_interaction(got: types.Interaction) -> None:
    assert type(got) is types.Interaction
    assert got.id == ID and got.status is types.InteractionStatus.completed
    assert got.output_text == "Sunny in Paris."
    assert got.steps is not None and len(got.steps) == 5
    kinds = [s.type for s in got.steps]
    assert kinds == [
        types.InteractionStepType.user_input,
        types.InteractionStepType.thought,
        types.InteractionStepType.function_call,
        types.InteractionStepType.function_result,
        types.InteractionStepType.model_output,
    ]
    call = got.steps[2]
    assert (
        call.name == "get_weather" and call.arguments == {"city": "Paris"} and call.id == "call-1"
    )
    assert got.steps[3].call_id == "call-1" and got.steps[3].result == "sunny"
    output = got.steps[4].content
    assert output is not None and type(output[0]) is types.InteractionContent
    assert output[0].text == "Sunny in Paris."
    assert output[0].annotations and output[0].annotations[0].url == "https://x.example"
    assert got.usage is not None and got.usage.total_tokens == 42
    assert got.usage.input_tokens_by_modality is not None
    assert got.usage.input_tokens_by_modality[0].modality is types.InteractionModality.text


def test_create_sends_snake_case_body_and_returns_a_typed_interaction(
    client: Client, server: LoopbackServer
) -> None:
    server.add(INTERACTIONS, Reply(json=interaction()))
    got = client.interactions.create(
        model=MODEL,
        input="Weather in Paris?",
        system_instruction="Be brief.",
        tools=[
            {
                "type": "function",
                "name": "get_weather",
                "description": "The weather of a city.",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
            },
            types.InteractionTool(type="google_search"),
        ],
        generation_config={"temperature": 0.2, "max_output_tokens": 64, "thinking_level": "low"},
        previous_interaction_id="v1_previous",
        store=False,
    )
    check_interaction(got)
    (request,) = server.requests
    assert request.method == "POST" and request.path == INTERACTIONS and request.query == {}
    assert request.headers["x-goog-api-key"] == KEY
    assert request.headers.get("accept") != "text/event-stream"
    assert request.json() == {
        "model": MODEL,
        "input": "Weather in Paris?",
        "system_instruction": "Be brief.",
        "tools": [
            {
                "type": "function",
                "name": "get_weather",
                "description": "The weather of a city.",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
            },
            {"type": "google_search"},
        ],
        "generation_config": {"temperature": 0.2, "max_output_tokens": 64, "thinking_level": "low"},
        "previous_interaction_id": "v1_previous",
        "store": False,
    }


@pytest.mark.parametrize(
    "value",
    [
        "plain text",
        {"type": "text", "text": "one content"},
        [
            {"type": "text", "text": "a"},
            {"type": "image", "uri": "files/x", "mime_type": "image/png"},
        ],
        [{"type": "user_input", "content": [{"type": "text", "text": "hi"}]}],
        [{"type": "function_result", "call_id": "c", "name": "f", "result": {"ok": True}}],
    ],
    ids=["string", "content", "contents", "steps", "function-result"],
)
def test_every_input_shape_is_sent_as_given(
    client: Client, server: LoopbackServer, value: Any
) -> None:
    server.add(INTERACTIONS, Reply(json=interaction()))
    client.interactions.create(model=MODEL, input=value)
    assert server.requests[0].json() == {"model": MODEL, "input": value}


def test_agent_interaction_in_the_background(client: Client, server: LoopbackServer) -> None:
    server.add(INTERACTIONS, Reply(json={"id": ID, "status": "in_progress", "agent": "deep-r"}))
    got = client.interactions.create(
        agent="deep-r", input="Research X", background=True, agent_config={"type": "deep-research"}
    )
    assert got.status is types.InteractionStatus.in_progress and got.steps is None
    assert server.requests[0].json() == {
        "agent": "deep-r",
        "input": "Research X",
        "background": True,
        "agent_config": {"type": "deep-research"},
    }


def test_unknown_kinds_statuses_and_fields_are_kept(client: Client, server: LoopbackServer) -> None:
    body = interaction(status="hibernating", brand_new={"a": 1})
    body["steps"].append({"type": "hologram_call", "id": "h", "beam": [1, 2]})
    body["steps"][4]["content"].append({"type": "smell", "odour": "roses"})
    server.add(INTERACTIONS, Reply(json=body))
    got = client.interactions.create(model=MODEL, input="x")
    assert got.status is not None and got.status.value == "hibernating"
    assert got.model_extra == {"brand_new": {"a": 1}}
    assert got.steps is not None
    new = got.steps[5]
    assert new.type is not None and new.type.value == "hologram_call"
    assert new.id == "h" and new.model_extra == {"beam": [1, 2]}
    smell = got.steps[4].content
    assert (
        smell is not None
        and smell[1].type == "smell"
        and smell[1].model_extra == {"odour": "roses"}
    )
    assert got.output_text == "Sunny in Paris."


def test_a_misspelt_tool_field_is_refused_before_sending(
    client: Client, server: LoopbackServer
) -> None:
    with pytest.raises(gemini_client.ArgumentError, match="tools\\[0\\]"):
        client.interactions.create(
            model=MODEL, input="x", tools=[{"type": "function", "nmae": "f"}]
        )
    assert server.requests == []


def test_get_cancel_delete(client: Client, server: LoopbackServer) -> None:
    server.add(ONE, Reply(json=interaction()), Reply(json={}))
    server.add(f"{ONE}/cancel", Reply(json=interaction(status="cancelled")))
    check_interaction(client.interactions.get(id=ID, include_input=True))
    cancelled = client.interactions.cancel(id=ID)
    assert cancelled.status is types.InteractionStatus.cancelled
    assert client.interactions.delete(id=ID) is None
    get, cancel, delete = server.requests
    assert (get.method, get.path, get.query) == ("GET", ONE, {"include_input": ["true"]})
    assert (cancel.method, cancel.path, cancel.query) == ("POST", f"{ONE}/cancel", {})
    assert (delete.method, delete.path, delete.body) == ("DELETE", ONE, b"")


@pytest.mark.parametrize("bad", ["", "..", "a/../b", "a//b"])
def test_a_hostile_id_is_refused_before_sending(
    client: Client, server: LoopbackServer, bad: str
) -> None:
    with pytest.raises(gemini_client.ArgumentError):
        client.interactions.get(id=bad)
    assert server.requests == []


def test_an_id_with_reserved_characters_is_percent_encoded(
    client: Client, server: LoopbackServer
) -> None:
    server.add(f"{INTERACTIONS}/a b%3Fc%23d", Reply(json={}))  # the server decodes only %20
    client.interactions.delete(id="a b?c#d")
    (request,) = server.requests
    assert request.path == f"{INTERACTIONS}/a b%3Fc%23d" and request.query == {}


def test_errors_are_typed_and_keep_no_key(client: Client, server: LoopbackServer) -> None:
    server.add(ONE, Reply(404, error_body(404, "NOT_FOUND", f"no interaction {ID}")))
    with pytest.raises(gemini_client.NotFoundError) as info:
        client.interactions.get(id=ID)
    assert info.value.status_code == 404 and ID in str(info.value)
    assert KEY not in str(info.value) and KEY not in repr(info.value)


def check_events(got: list[types.InteractionEvent], n_text: int) -> None:
    assert all(type(e) is types.InteractionEvent for e in got)
    kinds = [e.event_type for e in got]
    assert kinds == ["interaction.created", "step.start"] + ["step.delta"] * n_text + [
        "step.stop",
        "interaction.completed",
    ]
    text = "".join(e.delta.text or "" for e in got if e.delta is not None)
    assert text == "".join(f"w{i} " for i in range(n_text))
    assert got[0].interaction is not None and got[0].interaction.id == ID
    assert got[1].step is not None and got[1].step.type is types.InteractionStepType.model_output
    assert got[-2].step_usage is not None and got[-2].step_usage.total_tokens == 7
    last = got[-1].interaction
    assert last is not None and last.status is types.InteractionStatus.completed


def check_stream_request(server: LoopbackServer, body: Any) -> None:
    (request,) = server.requests
    assert request.method == "POST" and request.path == INTERACTIONS
    assert request.query == {}  # no ?alt=sse: the body asks for the stream
    assert request.headers["accept"] == "text/event-stream"
    assert request.json() == body


def test_create_stream_sends_stream_true_and_yields_typed_events(
    client: Client, server: LoopbackServer
) -> None:
    server.add(INTERACTIONS, Reply(chunks=[sse(e) for e in events(20)] + [b"data: [DONE]\n\n"]))
    with client.interactions.create_stream(model=MODEL, input="Tell a story") as stream:
        assert isinstance(stream, gemini_client.Stream)
        got = list(stream)
    check_events(got, 20)
    assert stream.response.is_closed
    check_stream_request(server, {"model": MODEL, "input": "Tell a story", "stream": True})


@pytest.mark.parametrize("size", [1, 7, 300])
def test_stream_split_anywhere(client: Client, server: LoopbackServer, size: int) -> None:
    body = sse(*events(5), crlf=True) + b"data: [DONE]\r\n\r\n"
    server.add(INTERACTIONS, Reply(chunks=list(iter_pieces(body, size))))
    check_events(list(client.interactions.create_stream(model=MODEL, input="x")), 5)


def test_stream_with_named_events_and_unknown_kinds(client: Client, server: LoopbackServer) -> None:
    named = b"".join(
        f"event: {e['event_type']}\nid: {e['event_id']}\ndata: {json.dumps(e)}\n\n".encode()
        for e in events(2)
    )
    odd = {"event_type": "step.teleport", "index": 9, "delta": {"type": "smell", "odour": "x"}}
    server.add(INTERACTIONS, Reply(chunks=[named, sse(odd)]))
    got = list(client.interactions.create_stream(model=MODEL, input="x"))
    check_events(got[:-1], 2)
    assert got[-1].event_type == "step.teleport" and got[-1].delta is not None
    assert got[-1].delta.model_extra == {"odour": "x"}


def test_the_caller_may_not_turn_the_stream_flag_off_silently(
    client: Client, server: LoopbackServer
) -> None:
    server.add(INTERACTIONS, Reply(chunks=[sse(*events(1))]))
    list(client.interactions.create_stream(model=MODEL, input="x", extra_body={"store": False}))
    assert server.requests[0].json() == {
        "model": MODEL,
        "input": "x",
        "stream": True,
        "store": False,
    }


def test_stream_cut_mid_event_raises(client: Client, server: LoopbackServer) -> None:
    body = sse(*events(3))
    server.add(INTERACTIONS, Reply(chunks=[body[: len(body) - 20]], abort=True))
    seen: list[types.InteractionEvent] = []
    with pytest.raises(gemini_client.APIConnectionError):
        for event in client.interactions.create_stream(model=MODEL, input="x"):
            seen.append(event)
    assert 0 < len(seen) < len(events(3))


def test_stream_error_status_and_error_event(client: Client, server: LoopbackServer) -> None:
    server.add(
        INTERACTIONS,
        Reply(429, error_body(429, "RESOURCE_EXHAUSTED", "slow down")),
        Reply(
            chunks=[
                sse(events(1)[0]),
                b"event: error\ndata: "
                + json.dumps(error_body(500, "INTERNAL", "boom")).encode()
                + b"\n\n",
            ]
        ),
    )
    with pytest.raises(gemini_client.RateLimitError):
        client.interactions.create_stream(model=MODEL, input="x")
    stream = client.interactions.create_stream(model=MODEL, input="x")
    assert next(stream).event_type == "interaction.created"
    with pytest.raises(gemini_client.APIStatusError, match="boom"):
        next(stream)


def test_stream_that_is_not_sse_is_refused(client: Client, server: LoopbackServer) -> None:
    server.add(INTERACTIONS, Reply(json=interaction()))
    with pytest.raises(gemini_client.APIResponseValidationError, match="text/event-stream"):
        list(client.interactions.create_stream(model=MODEL, input="x"))


def test_get_stream_resumes_after_an_event(client: Client, server: LoopbackServer) -> None:
    server.add(ONE, Reply(chunks=[sse(*events(4)[3:])]))
    got = list(client.interactions.get_stream(id=ID, last_event_id="d0"))
    assert [e.event_id for e in got] == ["d1", "d2", "d3", "e2", "e3"]
    (request,) = server.requests
    assert request.method == "GET" and request.path == ONE and request.body == b""
    assert request.query == {"last_event_id": ["d0"], "stream": ["true"]}
    assert request.headers["accept"] == "text/event-stream"


def test_raw_response(client: Client, server: LoopbackServer) -> None:
    server.add(INTERACTIONS, Reply(json=interaction(), headers={"x-request-id": "r1"}))
    raw = client.interactions.with_raw_response.create(model=MODEL, input="x")
    assert raw.headers["x-request-id"] == "r1"
    check_interaction(raw.parse())


@pytest.mark.asyncio
async def test_async_create_get_cancel_delete(aclient: AsyncClient, server: LoopbackServer) -> None:
    server.add(INTERACTIONS, Reply(json=interaction()))
    server.add(ONE, Reply(json=interaction()), Reply(json={}))
    server.add(f"{ONE}/cancel", Reply(json=interaction(status="cancelled")))
    check_interaction(await aclient.interactions.create(model=MODEL, input="x"))
    check_interaction(await aclient.interactions.get(id=ID))
    cancelled = await aclient.interactions.cancel(id=ID)
    assert cancelled.status is types.InteractionStatus.cancelled
    assert await aclient.interactions.delete(id=ID) is None
    assert [r.method for r in server.requests] == ["POST", "GET", "POST", "DELETE"]


@pytest.mark.asyncio
async def test_async_streams(aclient: AsyncClient, server: LoopbackServer) -> None:
    server.add(INTERACTIONS, Reply(chunks=[sse(e) for e in events(10)] + [b"data: [DONE]\n\n"]))
    server.add(ONE, Reply(chunks=[sse(*events(2))]))
    stream = await aclient.interactions.create_stream(model=MODEL, input="x")
    assert isinstance(stream, gemini_client.AsyncStream)
    check_events([e async for e in stream], 10)
    again = await aclient.interactions.get_stream(id=ID, include_input=False)
    check_events([e async for e in again], 2)
    create, get = server.requests
    assert create.json() == {"model": MODEL, "input": "x", "stream": True} and create.query == {}
    assert get.query == {"include_input": ["false"], "stream": ["true"]}


@pytest.mark.parametrize("error_first", [False, True], ids=["event-type-first", "error-first"])
def test_an_error_event_is_a_typed_event_whatever_its_key_order(
    client: Client, server: LoopbackServer, error_first: bool
) -> None:
    error = {"code": "overloaded", "message": "try later"}
    event = (
        {"error": error, "event_type": "error", "event_id": "x"}
        if error_first
        else {"event_type": "error", "event_id": "x", "error": error}
    )
    server.add(INTERACTIONS, Reply(chunks=[sse(events(1)[0], event)]))
    got = list(client.interactions.create_stream(model=MODEL, input="x"))
    assert [e.event_type for e in got] == ["interaction.created", "error"]
    assert got[1].error is not None and got[1].error.message == "try later"
    assert got[1].error.code == "overloaded"


def test_typed_steps_and_contents_go_back_as_input(client: Client, server: LoopbackServer) -> None:
    body = interaction()
    body["steps"].append({"type": "hologram_call", "id": "h", "beam": [1, 2]})
    server.add(INTERACTIONS, Reply(json=body), Reply(json=interaction()))
    first = client.interactions.create(model=MODEL, input="x")
    assert first.steps is not None
    reply = types.InteractionStep(type="function_result", call_id="call-1", result={"ok": None})
    client.interactions.create(model=MODEL, input=[*first.steps, reply])
    sent = server.requests[1].json()["input"]
    assert sent[:-1] == body["steps"]  # as received, unknown kind and field included
    assert sent[-1] == {"type": "function_result", "call_id": "call-1", "result": {"ok": None}}
