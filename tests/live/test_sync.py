"""The blocking Live session (for scripts), against the same scripted WebSocket server."""

from __future__ import annotations

import base64
import subprocess
import sys
import time
from typing import Any

import pytest

from gemini_client import APITimeoutError, Client, LiveSessionError, types
from gemini_client.lib.live import text_of

from .conftest import KEY, MODEL
from .test_session import PATH, TURN_COMPLETE, answer_in_pieces, model_text
from .wsserver import LiveServer, Peer


def test_a_text_chat_of_three_turns(live_server: LiveServer, client: Client) -> None:
    def script(peer: Peer) -> None:
        peer.accept_setup()
        answer_in_pieces(peer, "One", ".")
        answer_in_pieces(peer, "Two.")
        answer_in_pieces(peer, "Th", "r", "ee.")
        peer.wait_closed()

    live_server.script = script
    with client.live.connect(
        model=MODEL, config={"generationConfig": {"responseModalities": ["TEXT"]}}
    ) as session:
        answers = []
        for question in ("1?", "2?", "3?"):
            session.send_client_content(turns=question)
            answers.append(session.receive_text())
    assert answers == ["One.", "Two.", "Three."]
    [peer] = live_server.peers
    assert peer.path == PATH and peer.headers["x-goog-api-key"] == KEY
    assert peer.received[0] == {
        "setup": {"model": f"models/{MODEL}", "generationConfig": {"responseModalities": ["TEXT"]}}
    }
    assert [m["clientContent"]["turns"][0]["parts"][0]["text"] for m in peer.received[1:]] == [
        "1?",
        "2?",
        "3?",
    ]


def test_a_tool_call_round_trip(live_server: LiveServer, client: Client) -> None:
    def script(peer: Peer) -> None:
        peer.accept_setup()
        peer.recv()
        peer.send(
            {"toolCall": {"functionCalls": [{"id": "c1", "name": "add", "args": {"a": 2, "b": 3}}]}}
        )
        answer = peer.recv()
        assert answer == {
            "toolResponse": {
                "functionResponses": [{"id": "c1", "name": "add", "response": {"sum": 5}}]
            }
        }
        peer.send(model_text("2 + 3 = 5"))
        peer.send(TURN_COMPLETE)
        peer.wait_closed()

    live_server.script = script
    with client.live.connect(model=MODEL) as session:
        session.send_client_content(turns="2 + 3?")
        texts = []
        for message in session.receive():
            if message.tool_call:
                for call in message.tool_call.function_calls or []:
                    args: dict[str, Any] = call.args or {}
                    session.send_tool_response(
                        function_responses={
                            "id": call.id,
                            "name": call.name,
                            "response": {"sum": args["a"] + args["b"]},
                        }
                    )
            elif text := text_of(message):
                texts.append(text)
    assert texts == ["2 + 3 = 5"]


def test_audio_go_away_and_resume(live_server: LiveServer, client: Client) -> None:
    def first(peer: Peer) -> None:
        peer.accept_setup()
        chunk = peer.recv()["realtimeInput"]["audio"]
        assert (
            base64.b64decode(chunk["data"]) == b"\x01\x02" * 800
            and chunk["mimeType"] == "audio/pcm;rate=16000"
        )
        peer.send({"sessionResumptionUpdate": {"newHandle": "h-1", "resumable": True}})
        peer.send({"goAway": {"timeLeft": "1s"}})
        peer.close(1001)  # going away: also a normal end of the session

    live_server.script = first
    with client.live.connect(model=MODEL, config={"sessionResumption": {}}) as session:
        session.send_realtime_input(audio=b"\x01\x02" * 800)
        assert [m.go_away for m in session][-1] == types.GoAway(time_left="1s")
        handle = session.resumption_handle
    assert handle == "h-1"

    live_server.script = lambda peer: (peer.accept_setup(), peer.wait_closed())  # type: ignore[func-returns-value]
    with client.live.connect(model=MODEL, resume=handle):
        pass
    assert live_server.peers[1].received[0]["setup"]["sessionResumption"] == {"handle": "h-1"}


def test_an_abnormal_close_mid_turn_raises(live_server: LiveServer, client: Client) -> None:
    def script(peer: Peer) -> None:
        peer.accept_setup()
        peer.recv()
        peer.send(model_text("partial"))
        peer.drop()

    live_server.script = script
    with client.live.connect(model=MODEL) as session:
        session.send_client_content(turns="Hi")
        with pytest.raises(LiveSessionError, match="closed by the network: 1006") as info:
            list(session.receive())
    assert info.value.code == 1006


def test_a_server_that_never_answers_setup_times_out(
    live_server: LiveServer, client: Client
) -> None:
    def script(peer: Peer) -> None:
        peer.recv()
        peer.wait_closed()

    live_server.script = script
    start = time.perf_counter()
    with pytest.raises(APITimeoutError, match="did not answer the setup message within 0.1s"):
        with client.live.connect(model=MODEL, setup_timeout=0.1):
            pytest.fail("the session must not open")
    assert time.perf_counter() - start < 3


def test_a_wrong_first_answer_is_rejected(live_server: LiveServer, client: Client) -> None:
    def script(peer: Peer) -> None:
        peer.recv()
        peer.send({"somethingElse": {"\u202e": 1}})
        peer.wait_closed()

    live_server.script = script
    with pytest.raises(
        LiveSessionError, match=r"expected setupComplete, got somethingElse"
    ) as info:
        with client.live.connect(model=MODEL):
            pytest.fail("the session must not open")
    assert info.value.code == 1002


def test_unknown_kinds_are_surfaced_and_recv_can_time_out(
    live_server: LiveServer, client: Client
) -> None:
    def script(peer: Peer) -> None:
        peer.accept_setup()
        peer.send({"futureKind": {"x": [1, 2]}, "usageMetadata": {"totalTokenCount": 3}})
        peer.wait_closed()

    live_server.script = script
    with client.live.connect(model=MODEL) as session:
        message = session.recv(timeout=5)
        assert message.model_extra == {"futureKind": {"x": [1, 2]}}
        assert session.usage_metadata == types.LiveUsageMetadata(total_token_count=3)
        with pytest.raises(TimeoutError):
            session.recv(timeout=0.05)


def test_import_gemini_client_does_not_import_websockets() -> None:
    code = "import sys, gemini_client; gemini_client.Client(api_key='k'); print('websockets' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"
