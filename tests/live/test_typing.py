"""The Live API passes ``mypy --strict`` in a user's program (``typed_live.py``), which also runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from client.test_typing import mypy  # the same `mypy --strict` run as the client tests
from gemini_client import AsyncClient, Client

from . import typed_live
from .conftest import KEY
from .test_session import TURN_COMPLETE, model_text
from .wsserver import LiveServer, Peer


# mypy's cache is shared with tests/client: the same xdist worker, one run at a time.
@pytest.mark.xdist_group("mypy-cache")
def test_the_typed_example_passes_mypy_strict() -> None:
    result = mypy("tests/live/typed_live.py")
    assert result.returncode == 0, result.stdout + result.stderr


WRONG = """\
from gemini_client import AsyncClient, types


async def main(client: AsyncClient) -> None:
    async with client.live.connect(model="m", config={"tools": []}) as session:
        await session.send_realtime_input(audio=123)
        await session.send_client_content(turns=5)
        await session.send_tool_response(function_responses="done")
        session.send_client_content(turns="forgot await").nope
        async for message in session.receive():
            message.server_content.model_turn
    with client.live.connect(model="m"):
        pass
"""

EXPECTED = {
    (6, "arg-type"),  # audio must be bytes, a Blob or a dict
    (7, "arg-type"),  # turns=5
    (8, "arg-type"),  # a str is not a function response
    (9, "attr-defined"),  # a coroutine has no .nope
    (11, "union-attr"),  # server_content may be None
    (12, "attr-defined"),  # an async context manager needs `async with`
}


@pytest.mark.xdist_group("mypy-cache")
def test_wrong_usage_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "wrong_live.py"
    path.write_text(WRONG)
    result = mypy(path)
    found = {
        (int(line), code)
        for line, code in re.findall(
            r"wrong_live\.py:(\d+): error: .*\[([a-z-]+)\]$", result.stdout, re.M
        )
    }
    assert found == EXPECTED, result.stdout


@pytest.mark.asyncio
async def test_the_typed_example_runs_async(live_server: LiveServer) -> None:
    def script(peer: Peer) -> None:
        setup = peer.accept_setup()
        assert setup["tools"] == [{"functionDeclarations": [{"name": "get_time"}]}]
        peer.recv()
        peer.send(model_text("Hi!"))
        peer.send({"sessionResumptionUpdate": {"newHandle": "h", "resumable": True}})
        peer.send(TURN_COMPLETE)
        peer.recv()
        peer.send({"toolCall": {"functionCalls": [{"id": "t1", "name": "get_time"}]}})
        assert peer.recv()["toolResponse"]["functionResponses"][0]["response"] == {"time": "12:00"}
        peer.send(model_text("It is noon."))
        peer.send(TURN_COMPLETE)
        peer.wait_closed()

    live_server.script = script
    async with AsyncClient(api_key=KEY, base_url=live_server.url) as client:
        assert await typed_live.chat(client) == ("Hi!", "It is noon.", "h")


def test_the_typed_example_runs_sync(live_server: LiveServer) -> None:
    def script(peer: Peer) -> None:
        peer.accept_setup()
        peer.recv()
        peer.recv()
        peer.send({"serverContent": {"inputTranscription": {"text": "hello there"}}})
        peer.send({"goAway": {"timeLeft": "5s"}})
        peer.close(1011, "Internal error.")

    live_server.script = script
    with Client(api_key=KEY, base_url=live_server.url) as client:
        assert typed_live.script(client, b"\x00" * 320) == ["hello there", "closed 1011"]
