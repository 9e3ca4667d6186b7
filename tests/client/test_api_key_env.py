"""The API key from the environment: GOOGLE_API_KEY, then GEMINI_API_KEY (google-genai's order), a
warning when both are set to different keys; a clear error without."""

from __future__ import annotations

from typing import Any

import pytest

import gemini_client
from gemini_client import AsyncClient, Client
from support.server import LoopbackServer, Reply

from .bodies import COUNT, COUNT_TOKENS, MODEL

PROMPT: list[Any] = [{"parts": [{"text": "hi"}]}]
GEMINI = "AIzaSy-from-GEMINI_API_KEY"
GOOGLE = "AIzaSy-from-GOOGLE_API_KEY"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)


def sent_key(server: LoopbackServer, **kwargs: Any) -> str:
    server.add(COUNT, Reply(json=COUNT_TOKENS))
    with Client(base_url=server.url, **kwargs) as client:
        client.models.count_tokens(model=MODEL, contents=PROMPT)
    return server.requests[-1].headers["x-goog-api-key"]


@pytest.mark.parametrize(
    "env, expected",
    [
        ({"GEMINI_API_KEY": GEMINI}, GEMINI),
        ({"GOOGLE_API_KEY": GOOGLE}, GOOGLE),
        ({"GEMINI_API_KEY": GEMINI, "GOOGLE_API_KEY": GOOGLE}, GOOGLE),
        ({"GEMINI_API_KEY": "", "GOOGLE_API_KEY": GOOGLE}, GOOGLE),
        ({"GEMINI_API_KEY": f"{GEMINI}\n"}, GEMINI),
        ({"GEMINI_API_KEY": " \n", "GOOGLE_API_KEY": f" {GOOGLE}\r\n"}, GOOGLE),
    ],
    ids=["gemini", "google", "google_first", "empty_gemini_ignored", "newline", "blank_ignored"],
)
def test_key_from_env(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert sent_key(server) == expected


@pytest.mark.parametrize("cls", [Client, AsyncClient])
def test_both_keys_set_warns_without_the_keys(
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    cls: type[Client] | type[AsyncClient],
) -> None:
    monkeypatch.setenv("GEMINI_API_KEY", GEMINI)
    monkeypatch.setenv("GOOGLE_API_KEY", GOOGLE)
    with caplog.at_level("WARNING", logger="gemini_client"):
        assert cls().api_key == GOOGLE
    [record] = caplog.records
    message = record.getMessage()
    assert "GOOGLE_API_KEY" in message and "GEMINI_API_KEY" in message
    assert "using GOOGLE_API_KEY" in message and "AIzaSy" not in message


def test_same_key_twice_does_not_warn(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("GEMINI_API_KEY", GEMINI)
    monkeypatch.setenv("GOOGLE_API_KEY", f"{GEMINI}\n")
    with caplog.at_level("WARNING", logger="gemini_client"), Client():
        pass
    assert caplog.records == []


@pytest.mark.parametrize("cls", [Client, AsyncClient])
def test_key_with_control_characters_from_env(
    monkeypatch: pytest.MonkeyPatch, cls: type[Client] | type[AsyncClient]
) -> None:
    monkeypatch.setenv("GEMINI_API_KEY", "AIzaSy-one\nAIzaSy-two")
    with pytest.raises(gemini_client.ArgumentError) as info:
        cls()
    assert "AIzaSy" not in str(info.value) and "position 10" in str(info.value)


def test_explicit_key_wins(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEMINI_API_KEY", GEMINI)
    assert sent_key(server, api_key="AIzaSy-explicit") == "AIzaSy-explicit"


@pytest.mark.asyncio
async def test_async_key_from_env(server: LoopbackServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_API_KEY", GOOGLE)
    server.add(COUNT, Reply(json=COUNT_TOKENS))
    async with AsyncClient(base_url=server.url) as client:
        await client.models.count_tokens(model=MODEL, contents=PROMPT)
    assert server.requests[-1].headers["x-goog-api-key"] == GOOGLE


@pytest.mark.parametrize("cls", [Client, AsyncClient])
def test_no_key_anywhere(cls: type[Client] | type[AsyncClient]) -> None:
    with pytest.raises(gemini_client.GeminiError) as info:
        cls()
    assert not isinstance(info.value, gemini_client.APIError)
    message = str(info.value)
    assert "api_key" in message and "GEMINI_API_KEY" in message and "GOOGLE_API_KEY" in message
