"""The Live API passes ``mypy --strict`` in a user's program (``typed_live.py``), which also runs."""

from __future__ import annotations

import pytest

from gemini_client import AsyncClient, Client
from support.mypy_run import MypyReport, program, typed

from . import typed_live
from .conftest import KEY
from .test_session import TURN_COMPLETE, model_text
from .wsserver import LiveServer, Peer


LIVE = typed("tests/live/typed_live.py")


# the tests of the one mypy run (the mypy_strict fixture): on the worker that runs it
@pytest.mark.xdist_group("mypy-cache")
def test_the_typed_example_passes_mypy_strict(mypy_strict: MypyReport) -> None:
    assert mypy_strict.clean(LIVE) == ""


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


WRONG_LIVE = program("live_wrong_usage", WRONG)


@pytest.mark.xdist_group("mypy-cache")
def test_wrong_usage_is_rejected(mypy_strict: MypyReport) -> None:
    assert mypy_strict.codes(WRONG_LIVE) == EXPECTED, mypy_strict.stdout


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
