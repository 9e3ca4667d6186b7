"""A user's program written against the helpers, as a google-genai user would write it.

Not a test module: ``test_typing.py`` checks it with ``mypy --strict`` and runs it against the
loopback server. Each ``assert_type`` pins what the user's editor sees.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from typing_extensions import assert_type

from gemini_client import AsyncClient, Client, types
from gemini_client.lib import AsyncChat, Chat

MODEL = "gemini-2.5-flash"


class City(BaseModel):
    name: str
    population: int


def get_weather(city: str) -> dict[str, Any]:
    """The weather in a city."""
    return {"city": city, "temp": 21}


def everyday(client: Client) -> list[str | None]:
    resp = client.models.generate_content(model=MODEL, contents="Hello")
    assert_type(resp.text, str | None)
    assert_type(resp.function_calls, list[types.FunctionCall])
    mixed = client.models.generate_content(
        model=MODEL,
        contents=[
            "Describe this image",
            types.Part.from_bytes(b"\x89PNG", "image/png"),
            {"text": "in one line"},
            {"role": "model", "parts": [{"text": "A cat."}]},
            types.Content(role="user", parts=[types.Part.from_text("Shorter?")]),
        ],
        system_instruction="Be brief.",
        generation_config={"temperature": 0.2, "max_output_tokens": 64, "topK": 3},
        safety_settings=[{"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_ONLY_HIGH"}],
        tools=[get_weather, {"google_search": {}}],
    )
    structured = client.models.generate_content(
        model=MODEL, contents="Largest city?", generation_config={"response_schema": City}
    )
    assert_type(structured.parsed, Any)
    tokens = client.models.count_tokens(model=MODEL, contents="Hello")
    assert_type(tokens, types.CountTokensResponse)
    assert_type(types.Part.from_text("x"), types.Part)
    assert_type(types.Part.from_function_response("f", {"ok": True}, id="1"), types.Part)
    assert_type(types.FunctionDeclaration.from_callable(get_weather), types.FunctionDeclaration)
    return [resp.text, mixed.text, structured.text]


def chatting(client: Client) -> list[types.Content]:
    chat = client.chats.create(
        model=MODEL,
        history=[
            {"role": "user", "parts": [{"text": "Hi"}]},
            {"role": "model", "parts": [{"text": "Hello!"}]},
        ],
        tools=[get_weather],
        automatic_function_calling=types.AutomaticFunctionCallingConfig(maximum_remote_calls=3),
    )
    assert_type(chat, Chat)
    assert_type(chat.send_message("Weather in Paris?"), types.GenerateContentResponse)
    for chunk in chat.send_message_stream("And tomorrow?"):
        assert_type(chunk.text, str | None)
    return chat.history


async def chatting_async(client: AsyncClient) -> list[types.Content]:
    chat = client.chats.create(model=MODEL, system_instruction={"parts": [{"text": "Be brief."}]})
    assert_type(chat, AsyncChat)
    resp = await chat.send_message(types.Part.from_text("Hello"))
    assert_type(resp.text, str | None)
    async for chunk in await chat.send_message_stream(["One", "Two"]):
        assert_type(chunk, types.GenerateContentResponse)
    plain = await client.models.generate_content(
        model=MODEL, contents="Hi", generation_config={"response_schema": list[City]}
    )
    assert_type(plain.parsed, Any)
    configured = await client.models.generate_content(
        model=MODEL,
        contents="Hi",
        config={"temperature": 0.2, "system_instruction": "Be brief."},
    )
    assert_type(configured.parts, list[types.Part] | None)
    assert_type(chat.get_history(), list[types.Content])
    return chat.history
