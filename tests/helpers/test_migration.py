"""Every block of docs/client.md "Coming from google-genai" runs, in order, against a loopback server.

The blocks share one namespace, as a reader's session would; `Client` and `AsyncClient` are pointed
at the server. Each block's scripted answers and the checks on what it sent are listed below.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from support.docblocks import ROOT, point_clients_at, python_blocks
from support.server import LoopbackServer, Reply

from .replies import COUNT, EMBED, GENERATE, KEY, STREAM, answer, calls, json_text, streamed, text

DOC = ROOT / "docs" / "client.md"


def blocks() -> list[str]:
    return python_blocks(DOC, "## Coming from google-genai")


def last(server: LoopbackServer) -> dict[str, Any]:
    body: dict[str, Any] = server.requests[-1].json()
    return body


def check_text(server: LoopbackServer, out: str) -> None:
    assert last(server)["contents"] == [
        {"role": "user", "parts": [{"text": "Why is the sky blue?"}]}
    ]
    assert out == "Rayleigh scattering.\n"


def check_config(server: LoopbackServer, out: str) -> None:
    body = last(server)
    assert body["systemInstruction"]["parts"] == [{"text": "You are a poet."}]
    assert body["generationConfig"] == {"temperature": 0.9, "maxOutputTokens": 100}
    assert body["safetySettings"] == [
        {"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_ONLY_HIGH"}
    ]


def check_stream(server: LoopbackServer, out: str) -> None:
    assert out == "Once upon a time."


def check_image(server: LoopbackServer, out: str) -> None:
    parts = last(server)["contents"][0]["parts"]
    assert parts == [
        {"inlineData": {"mimeType": "image/jpeg", "data": "/9j/4A=="}},
        {"text": "Caption this image."},
    ]


def check_uri(server: LoopbackServer, out: str) -> None:
    assert last(server)["contents"][0]["parts"][0]["fileData"]["mimeType"] == "video/mp4"


def check_chat(server: LoopbackServer, out: str) -> None:
    assert len(last(server)["contents"]) == 3
    assert out.splitlines()[:2] == ["Nice!", "8 paws."] and len(out.splitlines()) == 6


def check_chat_stream(server: LoopbackServer, out: str) -> None:
    assert len(last(server)["contents"]) == 5 and out == "8 legs."


def check_afc(server: LoopbackServer, out: str) -> None:
    response = last(server)["contents"][-1]["parts"][0]["functionResponse"]
    assert response == {
        "id": "call-0",
        "name": "get_current_weather",
        "response": {"result": "sunny"},
    }
    assert out == "It is sunny in Boston.\n"


def check_manual(server: LoopbackServer, out: str) -> None:
    contents = last(server)["contents"]
    assert [c["role"] for c in contents] == ["user", "model", "user"]
    assert contents[2]["parts"][0]["functionResponse"]["response"] == {"result": "sunny"}


def check_structured(server: LoopbackServer, out: str) -> None:
    config = last(server)["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    assert config["responseJsonSchema"]["type"] == "array"


def check_thinking(server: LoopbackServer, out: str) -> None:
    assert last(server)["generationConfig"] == {"thinkingConfig": {"thinkingBudget": 0}}


def check_search(server: LoopbackServer, out: str) -> None:
    assert last(server)["tools"] == [{"googleSearch": {}}]
    assert "web_search_queries=['euro 2024 winner']" in out


def check_count(server: LoopbackServer, out: str) -> None:
    assert out == "3\n"


def check_embed(server: LoopbackServer, out: str) -> None:
    assert out == "[0.1, 0.2, 0.3]\n"


def check_async(server: LoopbackServer, out: str) -> None:
    assert out == "Hello!\nHi!\n"


COOKIES = [
    {"recipe_name": "Chocolate chip", "ingredients": ["flour"]},
    {"recipe_name": "Oatmeal", "ingredients": ["oats"]},
]
SEARCHED = answer({"text": "Spain."})
SEARCHED["candidates"][0]["groundingMetadata"] = {"webSearchQueries": ["euro 2024 winner"]}

STEPS: list[tuple[dict[str, list[Reply]], Callable[[LoopbackServer, str], None]]] = [
    ({GENERATE: [text("Rayleigh scattering.")]}, check_text),
    ({GENERATE: [text("Leaves fall...")]}, check_config),
    ({STREAM: [streamed("Once ", "upon ", "a time.")]}, check_stream),
    ({GENERATE: [text("A cat.")]}, check_image),
    ({GENERATE: [text("A video.")]}, check_uri),
    ({GENERATE: [text("Nice!"), text("8 paws.")]}, check_chat),
    ({STREAM: [streamed("8 ", "legs.")]}, check_chat_stream),
    (
        {
            GENERATE: [
                calls(("get_current_weather", {"location": "Boston"})),
                text("It is sunny in Boston."),
            ]
        },
        check_afc,
    ),
    (
        {GENERATE: [calls(("get_current_weather", {"location": "Boston"})), text("Sunny.")]},
        check_manual,
    ),
    ({GENERATE: [json_text(COOKIES)]}, check_structured),
    ({GENERATE: [text("4")]}, check_thinking),
    ({GENERATE: [Reply(json=SEARCHED)]}, check_search),
    ({COUNT: [Reply(json={"totalTokens": 3})]}, check_count),
    ({EMBED: [Reply(json={"embedding": {"values": [0.1, 0.2, 0.3, 0.4]}})]}, check_embed),
    ({GENERATE: [text("Hello!"), text("Hi!")]}, check_async),
]


def test_the_section_has_the_15_calls() -> None:
    assert len(blocks()) == len(STEPS) == 15
    for block in blocks():
        assert block.startswith("# google-genai: "), block


def test_every_call_runs(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GEMINI_API_KEY", KEY)
    point_clients_at(monkeypatch, server.url, max_retries=0)
    namespace: dict[str, Any] = {"__name__": "migration"}
    for i, (block, (replies, check)) in enumerate(zip(blocks(), STEPS, strict=True), start=1):
        for path, queued in replies.items():
            server.add(path, *queued)
        capsys.readouterr()
        exec(compile(block, f"{DOC.name} block {i}", "exec"), namespace)
        try:
            check(server, capsys.readouterr().out)
        except AssertionError as exc:
            raise AssertionError(
                f"block {i}: {exc}\n{json.dumps(last(server), indent=1)[:2000]}"
            ) from exc
    assert namespace["recipes"][1].recipe_name == "Oatmeal"
