"""`response.text`, `.function_calls` and the `Part` constructors, on real answers."""

from __future__ import annotations

import base64

import pytest

from gemini_client import AsyncClient, Client, types
from support.server import LoopbackServer, Reply

from .replies import GENERATE, MODEL, STREAM, answer, streamed


def test_text_joins_the_first_candidates_text_parts_and_skips_thoughts(
    client: Client, server: LoopbackServer
) -> None:
    server.add(
        GENERATE,
        Reply(
            json=answer(
                {"text": "Let me think...", "thought": True},
                {"text": "Four "},
                {"functionCall": {"name": "noop", "args": {}}},
                {"text": "paws."},
            )
        ),
    )
    resp = client.models.generate_content(model=MODEL, contents="How many paws?")
    assert resp.text == "Four paws."
    assert [c.name for c in resp.function_calls] == ["noop"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"candidates": []},
        {"candidates": [{"finishReason": "SAFETY"}]},
        {"candidates": [{"content": {"role": "model"}}]},
        answer({"functionCall": {"name": "f", "args": {"x": 1}}}),
        answer({"text": "hidden", "thought": True}),
    ],
)
def test_text_is_none_without_answer_text(
    client: Client, server: LoopbackServer, body: dict[str, object]
) -> None:
    server.add(GENERATE, Reply(json=body))
    resp = client.models.generate_content(model=MODEL, contents="hi")
    assert resp.text is None
    assert resp.parsed is None


def test_several_candidates_text_reads_the_first(client: Client, server: LoopbackServer) -> None:
    body = answer({"text": "first"})
    body["candidates"].append({"content": {"role": "model", "parts": [{"text": "second"}]}})
    server.add(GENERATE, Reply(json=body))
    resp = client.models.generate_content(
        model=MODEL, contents="hi", generation_config={"candidate_count": 2}
    )
    assert resp.text == "first"
    assert resp.candidates is not None and resp.candidates[1].content is not None
    assert resp.candidates[1].content.parts is not None
    assert resp.candidates[1].content.parts[0].text == "second"


def test_an_empty_text_part_is_text(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=answer({"text": ""})))
    assert client.models.generate_content(model=MODEL, contents="hi").text == ""


def test_stream_chunks_have_text(client: Client, server: LoopbackServer) -> None:
    server.add(STREAM, streamed("Hel", "lo", "!"))
    with client.models.stream_generate_content(model=MODEL, contents="hi") as stream:
        assert [chunk.text for chunk in stream] == ["Hel", "lo", "!"]


@pytest.mark.asyncio
async def test_async_text_and_stream(aclient: AsyncClient, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=answer({"text": "async"})))
    server.add(STREAM, streamed("a", "b"))
    assert (await aclient.models.generate_content(model=MODEL, contents="hi")).text == "async"
    chunks = [
        c.text
        async for c in await aclient.models.stream_generate_content(model=MODEL, contents="hi")
    ]
    assert chunks == ["a", "b"]


def test_unknown_fields_and_enum_values_in_answers_still_parse(
    client: Client, server: LoopbackServer
) -> None:
    body = answer({"text": "ok", "newPartField": 1}, finish="NEW_REASON", newTopLevel={"x": 1})
    server.add(GENERATE, Reply(json=body))
    resp = client.models.generate_content(model=MODEL, contents="hi")
    assert resp.text == "ok"
    assert resp.model_extra == {"newTopLevel": {"x": 1}}
    assert resp.candidates is not None and resp.candidates[0].finish_reason == "NEW_REASON"


def test_part_constructors_send_the_wire_shapes(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=answer({"text": "ok"})), Reply(json=answer({"text": "ok"})))
    client.models.generate_content(
        model=MODEL,
        contents=[
            types.Part.from_text("Describe:"),
            types.Part.from_bytes(b"\x89PNG\r\n", "image/png"),
            types.Part.from_uri(
                "https://generativelanguage.googleapis.com/v1beta/files/abc", "video/mp4"
            ),
        ],
    )
    client.models.generate_content(
        model=MODEL,
        contents=[
            "What is the weather?",
            types.Part.from_function_call("weather", {"city": "Paris"}),
            types.Part.from_function_response("weather", {"temp": 21}, id="c1"),
        ],
    )
    first, second = (r.json()["contents"] for r in server.requests)
    assert first == [
        {
            "role": "user",
            "parts": [
                {"text": "Describe:"},
                {
                    "inlineData": {
                        "mimeType": "image/png",
                        "data": base64.b64encode(b"\x89PNG\r\n").decode(),
                    }
                },
                {
                    "fileData": {
                        "mimeType": "video/mp4",
                        "fileUri": "https://generativelanguage.googleapis.com/v1beta/files/abc",
                    }
                },
            ],
        }
    ]
    assert second == [
        {"role": "user", "parts": [{"text": "What is the weather?"}]},
        {
            "role": "model",
            "parts": [{"functionCall": {"name": "weather", "args": {"city": "Paris"}}}],
        },
        {
            "role": "user",
            "parts": [
                {"functionResponse": {"id": "c1", "name": "weather", "response": {"temp": 21}}}
            ],
        },
    ]
