"""The three examples of the API reference overview, written with the generated client.

Text prompt, image + text with ``inline_data``, and a multi-turn chat: each through ``Client`` and
``AsyncClient``, checking what reached the server (path, key header, camelCase JSON) and what the
client parsed.
"""

from __future__ import annotations

from typing import Any

import pytest

from gemini_client import AsyncClient, Client, types
from support.server import LoopbackServer, Reply

from .bodies import AI_EXPLANATION, GENERATE, KEY, MODEL, RESPONSE_ID, TINY_JPEG, generate_response

TEXT_PROMPT: list[Any] = [{"parts": [{"text": "Explain how AI works"}]}]

CAPTION = "Caption this image."
IMAGE_DICT: list[Any] = [
    {"parts": [{"inline_data": {"mime_type": "image/jpeg", "data": TINY_JPEG}}, {"text": CAPTION}]}
]
IMAGE_TYPED: list[Any] = [
    types.Content(
        parts=[
            types.Part(inline_data=types.Blob(mime_type="image/jpeg", data=TINY_JPEG)),
            types.Part(text=CAPTION),
        ]
    )
]
IMAGE_WIRE = {
    "contents": [
        {
            "parts": [
                {"inlineData": {"mimeType": "image/jpeg", "data": TINY_JPEG}},
                {"text": CAPTION},
            ]
        }
    ]
}

CHAT: list[Any] = [
    {"role": "user", "parts": [{"text": "Hello"}]},
    {"role": "model", "parts": [{"text": "Great to meet you. What would you like to know?"}]},
    {
        "role": "user",
        "parts": [{"text": "I have two dogs in my house. How many paws are in my house?"}],
    },
]
PAWS = "That's 8 paws in your house: each dog has 4 paws, and 2 x 4 = 8."


def text_of(resp: types.GenerateContentResponse) -> str:
    assert resp.candidates and resp.candidates[0].content and resp.candidates[0].content.parts
    return "".join(p.text or "" for p in resp.candidates[0].content.parts)


def check_text_response(resp: types.GenerateContentResponse, text: str) -> None:
    assert isinstance(resp, types.GenerateContentResponse)
    assert text_of(resp) == text
    (cand,) = resp.candidates or []
    assert cand.finish_reason is types.FinishReason.STOP
    assert cand.content is not None and cand.content.role == "model"
    assert cand.safety_ratings and cand.safety_ratings[0].category is (
        types.HarmCategory.HARM_CATEGORY_SEXUALLY_EXPLICIT
    )
    assert cand.safety_ratings[3].probability is types.HarmProbability.LOW
    assert cand.citation_metadata and cand.citation_metadata.citation_sources
    assert cand.citation_metadata.citation_sources[0].end_index == 92
    assert resp.usage_metadata and resp.usage_metadata.prompt_token_count == 4
    details = resp.usage_metadata.prompt_tokens_details
    assert details and details[0].modality is types.MediaModality.TEXT
    assert resp.usage_metadata.thoughts_token_count == 12
    assert resp.model_version == MODEL and resp.response_id == RESPONSE_ID


def check_request(server: LoopbackServer, body: dict[str, Any]) -> None:
    (request,) = server.requests
    assert request.method == "POST" and request.path == GENERATE
    assert request.query == {}
    assert request.headers["x-goog-api-key"] == KEY
    assert request.headers["content-type"] == "application/json"
    assert request.json() == body


# -- sync ---------------------------------------------------------------------------------------


def test_text_prompt(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=generate_response()))
    resp = client.models.generate_content(model="gemini-2.5-flash", contents=TEXT_PROMPT)
    check_request(server, {"contents": TEXT_PROMPT})
    check_text_response(resp, AI_EXPLANATION)


def test_model_resource_name_gives_the_same_path(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=generate_response()))
    resp = client.models.generate_content(model="models/gemini-2.5-flash", contents=TEXT_PROMPT)
    check_request(server, {"contents": TEXT_PROMPT})
    assert text_of(resp) == AI_EXPLANATION


@pytest.mark.parametrize("contents", [IMAGE_DICT, IMAGE_TYPED], ids=["snake_case_dicts", "typed"])
def test_image_and_text(client: Client, server: LoopbackServer, contents: list[Any]) -> None:
    server.add(GENERATE, Reply(json=generate_response("A small grey square.", citations=False)))
    resp = client.models.generate_content(model=MODEL, contents=contents)
    check_request(server, IMAGE_WIRE)
    raw = server.requests[0].body.decode()
    assert "inline_data" not in raw and "mime_type" not in raw
    assert text_of(resp) == "A small grey square."


def test_multi_turn_chat(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=generate_response(PAWS, prompt_tokens=4)))
    resp = client.models.generate_content(model=MODEL, contents=CHAT)
    check_request(server, {"contents": CHAT})
    check_text_response(resp, PAWS)
    assert [c["role"] for c in server.requests[0].json()["contents"]] == ["user", "model", "user"]


def test_generation_options_are_sent_camel_case(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=generate_response()))
    client.models.generate_content(
        model=MODEL,
        contents=TEXT_PROMPT,
        system_instruction={"parts": [{"text": "You are a cat."}]},
        generation_config=types.GenerationConfig(temperature=0.1, max_output_tokens=64),
        safety_settings=[{"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_ONLY_HIGH"}],
    )
    body = server.requests[0].json()
    assert body["systemInstruction"] == {"parts": [{"text": "You are a cat."}]}
    assert body["generationConfig"] == {"temperature": 0.1, "maxOutputTokens": 64}
    assert body["safetySettings"] == [
        {"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_ONLY_HIGH"}
    ]


# -- async --------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_async_text_prompt(aclient: AsyncClient, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=generate_response()), Reply(json=generate_response()))
    resp = await aclient.models.generate_content(model="gemini-2.5-flash", contents=TEXT_PROMPT)
    check_request(server, {"contents": TEXT_PROMPT})
    check_text_response(resp, AI_EXPLANATION)
    server.requests.clear()
    resp = await aclient.models.generate_content(
        model="models/gemini-2.5-flash", contents=TEXT_PROMPT
    )
    check_request(server, {"contents": TEXT_PROMPT})


@pytest.mark.asyncio
@pytest.mark.parametrize("contents", [IMAGE_DICT, IMAGE_TYPED], ids=["snake_case_dicts", "typed"])
async def test_async_image_and_text(
    aclient: AsyncClient, server: LoopbackServer, contents: list[Any]
) -> None:
    server.add(GENERATE, Reply(json=generate_response("A small grey square.", citations=False)))
    resp = await aclient.models.generate_content(model=MODEL, contents=contents)
    check_request(server, IMAGE_WIRE)
    assert text_of(resp) == "A small grey square."


@pytest.mark.asyncio
async def test_async_multi_turn_chat(aclient: AsyncClient, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=generate_response(PAWS)))
    resp = await aclient.models.generate_content(model=MODEL, contents=CHAT)
    check_request(server, {"contents": CHAT})
    check_text_response(resp, PAWS)
