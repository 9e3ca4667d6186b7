"""The README's Live examples run as written, against the scripted server."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from gemini_client import AsyncClient
from support.docblocks import ROOT, python_blocks

from .conftest import KEY
from .test_session import TURN_COMPLETE, model_text
from .wsserver import LiveServer, Peer


def live_examples() -> list[str]:
    return python_blocks(ROOT / "README.md", "## The Live API")


async def run(code: str, client: AsyncClient, url: str) -> None:
    """``code`` as the body of an async function, its ``AsyncClient()`` pointed at ``url``."""
    code = code.replace("AsyncClient()", f"AsyncClient(api_key={KEY!r}, base_url={url!r})")
    namespace: dict[str, Any] = {}
    exec(f"async def example(client):\n{textwrap.indent(code, '    ')}", namespace)
    await namespace["example"](client)


@pytest.mark.asyncio
async def test_the_text_chat_and_the_tool_call(
    live_server: LiveServer, aclient: AsyncClient, capsys: pytest.CaptureFixture[str]
) -> None:
    chat, tool = live_examples()

    def chat_script(peer: Peer) -> None:
        setup = peer.accept_setup()
        assert setup["systemInstruction"] == {"parts": [{"text": "Answer in one sentence."}]}
        for answer in ("Hi there.", "A neural network built on attention."):
            peer.recv()
            peer.send(model_text(answer))
            peer.send(TURN_COMPLETE)
        peer.wait_closed()

    live_server.script = chat_script
    await run(chat, aclient, live_server.url)
    assert capsys.readouterr().out == "Hi there.\nA neural network built on attention.\n"

    def tool_script(peer: Peer) -> None:
        setup = peer.accept_setup()
        assert setup["tools"][0]["functionDeclarations"][0]["name"] == "get_weather"
        peer.recv()
        peer.send(
            {
                "toolCall": {
                    "functionCalls": [
                        {"id": "w1", "name": "get_weather", "args": {"city": "Paris"}}
                    ]
                }
            }
        )
        response = peer.recv()["toolResponse"]["functionResponses"]
        assert response == [{"id": "w1", "name": "get_weather", "response": {"sky": "sunny"}}]
        peer.send(model_text("Sunny in Paris."))
        peer.send(TURN_COMPLETE)
        peer.wait_closed()

    live_server.script = tool_script
    await run(tool, aclient, live_server.url)
    assert capsys.readouterr().out == "Sunny in Paris."
