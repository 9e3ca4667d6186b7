"""README.md "Using the client" runs as written against a loopback server, and sends what it says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from support.docblocks import ROOT, point_clients_at, python_blocks
from support.server import LoopbackServer, Reply

from .replies import GENERATE, KEY, STREAM, calls, json_text, streamed, text

JPEG = b"\xff\xd8\xff\xe0 a cat"
RECIPES = [
    {"name": "Chocolate chip", "ingredients": ["flour", "chocolate"]},
    {"name": "Oatmeal", "ingredients": ["oats"]},
]


def test_using_the_client_runs_as_written(
    server: LoopbackServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    [block] = python_blocks(ROOT / "README.md", "## Using the client")
    monkeypatch.setenv("GEMINI_API_KEY", KEY)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cat.jpg").write_bytes(JPEG)
    point_clients_at(monkeypatch, server.url, max_retries=0)
    server.add(
        GENERATE,
        text("AI learns patterns from data."),
        text("A cat."),
        calls(("get_weather", {"city": "Paris"})),
        text("Sunny in Paris."),
        text("No umbrella needed."),
        json_text(RECIPES),
    )
    server.add(STREAM, streamed("Once ", "upon a time."))
    server.add(
        "/v1beta/models",
        Reply(json={"models": [{"name": "models/a"}], "nextPageToken": "p2"}),
        Reply(json={"models": [{"name": "models/b"}]}),
    )
    namespace: dict[str, Any] = {}

    exec(compile(block, "README.md", "exec"), namespace)

    assert capsys.readouterr().out == (
        "AI learns patterns from data.\nOnce upon a time.Sunny in Paris.\nNo umbrella needed.\n"
        "models/a\nmodels/b\n"
    )
    bodies = [r.json() if r.method == "POST" else None for r in server.requests]
    first, image, _stream, _call, _result, umbrella, structured, *pages = bodies
    assert first["contents"] == [{"role": "user", "parts": [{"text": "Explain how AI works"}]}]
    assert image["contents"][0]["parts"] == [
        {"inlineData": {"mimeType": "image/jpeg", "data": "/9j/4CBhIGNhdA=="}},
        {"text": "Caption this image."},
    ]
    assert image["systemInstruction"]["parts"] == [{"text": "Answer in one sentence."}]
    assert image["generationConfig"] == {"temperature": 0.2}
    # the chat sent the whole exchange, the function's result included, with the second message
    assert [c["role"] for c in umbrella["contents"]] == ["user", "model", "user", "model", "user"]
    assert umbrella["contents"][2]["parts"][0]["functionResponse"]["response"] == {
        "result": "sunny"
    }
    assert umbrella["tools"][0]["functionDeclarations"][0]["name"] == "get_weather"
    assert structured["generationConfig"]["responseMimeType"] == "application/json"
    assert structured["generationConfig"]["responseJsonSchema"]["type"] == "array"
    assert [r.name for r in namespace["recipes"]] == ["Chocolate chip", "Oatmeal"]
    assert pages == [None, None]
    assert server.requests[-1].query["pageToken"] == ["p2"]
