"""Structured output: `response_schema=MyModel` on the wire, `resp.parsed` back."""

from __future__ import annotations

import enum
import json
from typing import Any

import pytest
from pydantic import BaseModel

from gemini_client import AsyncClient, Client, types
from gemini_client.lib import StructuredOutputError
from support.server import LoopbackServer

from .replies import GENERATE, MODEL, STREAM, json_text, streamed, text


class Ingredient(BaseModel):
    name: str
    grams: float | None = None


class Recipe(BaseModel):
    title: str
    ingredients: list[Ingredient]
    tags: list[str] = []


class Mood(enum.Enum):
    HAPPY = "happy"
    SAD = "sad"


PANCAKES = {
    "title": "Pancakes",
    "ingredients": [{"name": "flour", "grams": 200}, {"name": "egg"}],
    "tags": ["breakfast"],
}


def test_a_nested_model_is_requested_and_parsed(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, json_text(PANCAKES))
    resp = client.models.generate_content(
        model=MODEL, contents="A pancake recipe", generation_config={"response_schema": Recipe}
    )
    assert isinstance(resp.parsed, Recipe)
    assert resp.parsed.ingredients[0] == Ingredient(name="flour", grams=200)
    config = server.requests[0].json()["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    assert "responseSchema" not in config
    schema = config["responseJsonSchema"]
    assert schema == Recipe.model_json_schema()
    assert schema["$defs"]["Ingredient"]["required"] == ["name"]


@pytest.mark.parametrize(
    ("python_type", "answer", "expected"),
    [
        (list[Recipe], [PANCAKES, PANCAKES], [Recipe.model_validate(PANCAKES)] * 2),
        (Mood, "sad", Mood.SAD),
        (dict[str, int], {"a": 1}, {"a": 1}),
    ],
)
def test_other_python_types(
    client: Client, server: LoopbackServer, python_type: Any, answer: Any, expected: Any
) -> None:
    server.add(GENERATE, json_text(answer))
    resp = client.models.generate_content(
        model=MODEL,
        contents="x",
        generation_config=types.GenerationConfig(response_schema=python_type, temperature=0),
    )
    assert resp.parsed == expected


def test_a_given_mime_type_is_kept(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, json_text("happy"))
    resp = client.models.generate_content(
        model=MODEL,
        contents="x",
        generation_config={"responseSchema": Mood, "response_mime_type": "text/x.enum"},
    )
    assert resp.parsed is Mood.HAPPY
    assert server.requests[0].json()["generationConfig"]["responseMimeType"] == "text/x.enum"


@pytest.mark.parametrize(
    "bad",
    [
        '{"title": "Pancakes"}',
        "Sure! Here is a recipe:",
        '{"title": "x", "ingredients": [{"grams": 1}]}',
    ],
)
def test_an_answer_that_does_not_validate_raises_with_the_text(
    client: Client, server: LoopbackServer, bad: str
) -> None:
    server.add(GENERATE, text(bad))
    with pytest.raises(StructuredOutputError) as info:
        client.models.generate_content(
            model=MODEL, contents="x", generation_config={"response_schema": Recipe}
        )
    assert info.value.text == bad
    assert info.value.response.text == bad
    assert "response_schema" in str(info.value)


def test_a_spec_schema_is_sent_as_it_is_and_not_parsed(
    client: Client, server: LoopbackServer
) -> None:
    server.add(GENERATE, json_text({"a": 1}))
    resp = client.models.generate_content(
        model=MODEL,
        contents="x",
        generation_config={
            "response_mime_type": "application/json",
            "response_schema": {"type": "OBJECT", "properties": {"a": {"type": "INTEGER"}}},
        },
    )
    assert resp.parsed is None and resp.text == '{"a": 1}'
    assert server.requests[0].json()["generationConfig"]["responseSchema"]["type"] == "OBJECT"


def test_a_python_type_inside_a_schema_is_refused(client: Client, server: LoopbackServer) -> None:
    with pytest.raises(ValueError, match="only as generation_config.response_schema"):
        client.models.generate_content(
            model=MODEL,
            contents="x",
            generation_config={"response_schema": {"type": "ARRAY", "items": Recipe}},
        )
    assert server.requests == []


def test_a_chat_parses_each_answer(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, json_text(PANCAKES), json_text({**PANCAKES, "title": "Crepes"}))
    chat = client.chats.create(model=MODEL, generation_config={"response_schema": Recipe})
    assert chat.send_message("one").parsed.title == "Pancakes"
    assert chat.send_message("another").parsed.title == "Crepes"


@pytest.mark.asyncio
async def test_async_parses(aclient: AsyncClient, server: LoopbackServer) -> None:
    server.add(GENERATE, json_text(PANCAKES))
    resp = await aclient.models.generate_content(
        model=MODEL, contents="x", generation_config={"response_schema": Recipe}
    )
    assert resp.parsed == Recipe.model_validate(PANCAKES)


# Stream chunks: google-genai's behaviour, each chunk's own text validated when it validates on
# its own, else None (a piece of the JSON), never an error mid-stream.
WHOLE = json.dumps(PANCAKES)
PIECES = (WHOLE[:10], WHOLE[10:])


def test_stream_chunks_parse_only_when_whole(client: Client, server: LoopbackServer) -> None:
    server.add(STREAM, streamed(*PIECES), streamed(WHOLE), streamed("not json"))
    config = {"response_schema": Recipe}
    with client.models.stream_generate_content(
        model=MODEL, contents="x", generation_config=config
    ) as stream:
        chunks = list(stream)
    assert [c.text for c in chunks] == list(PIECES) and [c.parsed for c in chunks] == [None, None]
    assert Recipe.model_validate_json("".join(c.text or "" for c in chunks)).title == "Pancakes"
    chat = client.chats.create(model=MODEL, generation_config=config)
    [chunk] = chat.send_message_stream("one")
    assert chunk.parsed == Recipe.model_validate(PANCAKES)
    [chunk] = chat.send_message_stream("two")
    assert chunk.text == "not json" and chunk.parsed is None
    assert len(chat.history) == 4


def test_stream_chunks_without_a_schema_are_not_parsed(
    client: Client, server: LoopbackServer
) -> None:
    server.add(STREAM, streamed(WHOLE))
    with client.models.stream_generate_content(model=MODEL, contents="x") as stream:
        assert [c.parsed for c in stream] == [None]


def test_leaving_a_parsed_stream_early_closes_it(client: Client, server: LoopbackServer) -> None:
    server.add(STREAM, streamed(WHOLE, WHOLE))
    config = {"response_schema": Recipe}
    stream = client.models.stream_generate_content(
        model=MODEL, contents="x", generation_config=config
    )
    for chunk in stream:
        assert chunk.parsed == Recipe.model_validate(PANCAKES)
        break
    assert stream.response.is_closed  # as without a schema: leaving the loop closes it


@pytest.mark.asyncio
async def test_async_stream_chunks_parse(aclient: AsyncClient, server: LoopbackServer) -> None:
    server.add(STREAM, streamed(WHOLE), streamed(*PIECES))
    config = {"response_schema": Recipe}
    stream = await aclient.models.stream_generate_content(
        model=MODEL, contents="x", generation_config=config
    )
    async with stream:
        assert [c.parsed async for c in stream] == [Recipe.model_validate(PANCAKES)]
    achat = aclient.chats.create(model=MODEL, generation_config=config)
    assert [c.parsed async for c in await achat.send_message_stream("x")] == [None, None]
