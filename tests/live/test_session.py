"""Live sessions end to end (asyncio) against a scripted WebSocket server on loopback."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from gemini_client import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AsyncClient,
    LiveSessionError,
    PermissionDeniedError,
    types,
)
from gemini_client.lib.live import text_of

from .conftest import KEY, MODEL
from .wsserver import LiveServer, Peer

PATH = "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent"
TEXT_CONFIG = {"generation_config": {"response_modalities": ["TEXT"]}}


def model_text(text: str) -> dict[str, Any]:
    return {"serverContent": {"modelTurn": {"role": "model", "parts": [{"text": text}]}}}


TURN_COMPLETE = {"serverContent": {"turnComplete": True}}


def answer_in_pieces(peer: Peer, *pieces: str) -> dict[str, Any]:
    """Read one client message and answer it with one serverContent per piece, then turnComplete."""
    message = peer.recv()
    for piece in pieces:
        peer.send(model_text(piece))
    peer.send({"serverContent": {"generationComplete": True}})
    peer.send(
        {
            "serverContent": {"turnComplete": True},
            "usageMetadata": {
                "promptTokenCount": 5,
                "responseTokenCount": 7,
                "totalTokenCount": 12,
            },
        }
    )
    return message


@pytest.mark.asyncio
async def test_handshake_sends_setup_first_with_the_key_in_a_header(
    live_server: LiveServer, aclient: AsyncClient
) -> None:
    config = {**TEXT_CONFIG, "systemInstruction": {"parts": [{"text": "Be brief."}]}, "tools": []}
    async with aclient.live.connect(model=MODEL, config=config) as session:
        assert session.setup_complete == types.BidiGenerateContentSetupComplete()
        assert session.resumption_handle is None and session.go_away is None
    [peer] = live_server.peers
    assert peer.path == PATH  # the key is not in the URL
    assert peer.headers["x-goog-api-key"] == KEY
    assert peer.received == [
        {
            "setup": {
                "model": f"models/{MODEL}",
                "generationConfig": {"responseModalities": ["TEXT"]},
                "systemInstruction": {"parts": [{"text": "Be brief."}]},
                "tools": [],
            }
        }
    ]


@pytest.mark.asyncio
async def test_typed_config_and_a_full_model_name(
    live_server: LiveServer, aclient: AsyncClient
) -> None:
    config = types.BidiGenerateContentSetup(
        generation_config=types.GenerationConfig(response_modalities=[types.Modality.AUDIO]),
        realtime_input_config=types.RealtimeInputConfig(
            automatic_activity_detection=types.AutomaticActivityDetection(
                disabled=False, end_of_speech_sensitivity=types.EndSensitivity.END_SENSITIVITY_LOW
            )
        ),
        context_window_compression={"sliding_window": {"target_tokens": 1000}},
        input_audio_transcription={},
    )
    async with aclient.live.connect(model="tunedModels/my-model", config=config):
        pass
    assert live_server.peers[0].received[0]["setup"] == {
        "model": "tunedModels/my-model",
        "generationConfig": {"responseModalities": ["AUDIO"]},
        "realtimeInputConfig": {
            "automaticActivityDetection": {
                "disabled": False,
                "endOfSpeechSensitivity": "END_SENSITIVITY_LOW",
            }
        },
        "contextWindowCompression": {"slidingWindow": {"targetTokens": 1000}},
        "inputAudioTranscription": {},
    }
    assert config.model is None  # the caller's config is not changed


@pytest.mark.asyncio
async def test_a_first_answer_other_than_setup_complete_is_rejected(
    live_server: LiveServer, aclient: AsyncClient
) -> None:
    closed: list[int | None] = []

    def script(peer: Peer) -> None:
        peer.recv()
        peer.send(model_text("hi"))
        peer.wait_closed()
        closed.append(peer.ws.close_code)

    live_server.script = script
    with pytest.raises(LiveSessionError, match="expected setupComplete, got serverContent") as info:
        async with aclient.live.connect(model=MODEL):
            pytest.fail("the session must not open")
    assert info.value.code == 1002
    for _ in range(100):
        if closed:
            break
        await asyncio.sleep(0.01)
    assert closed == [1002]


@pytest.mark.asyncio
async def test_a_setup_the_server_refuses_raises_the_close_code_and_reason(
    live_server: LiveServer, aclient: AsyncClient
) -> None:
    def script(peer: Peer) -> None:
        peer.recv()
        peer.close(1007, "Request contains an invalid argument.")

    live_server.script = script
    with pytest.raises(LiveSessionError) as info:
        async with aclient.live.connect(model="no-such-model"):
            pytest.fail("the session must not open")
    assert (info.value.code, info.value.reason) == (1007, "Request contains an invalid argument.")
    assert (
        str(info.value)
        == "Live session closed by the server: 1007 Request contains an invalid argument."
    )


@pytest.mark.asyncio
async def test_a_server_that_never_answers_setup_times_out(
    live_server: LiveServer, aclient: AsyncClient
) -> None:
    def script(peer: Peer) -> None:
        peer.recv()
        peer.wait_closed()

    live_server.script = script
    start = time.perf_counter()
    with pytest.raises(APITimeoutError, match=r"did not answer the setup message within 0.15s"):
        async with aclient.live.connect(model=MODEL, setup_timeout=0.15):
            pytest.fail("the session must not open")
    assert time.perf_counter() - start < 3


@pytest.mark.asyncio
async def test_a_text_turn_in_several_messages_ending_in_turn_complete(
    live_server: LiveServer, aclient: AsyncClient
) -> None:
    sent: list[dict[str, Any]] = []

    def script(peer: Peer) -> None:
        peer.accept_setup()
        sent.append(answer_in_pieces(peer, "Hel", "lo, ", "world."))
        sent.append(answer_in_pieces(peer, "Second ", "answer."))
        sent.append(answer_in_pieces(peer, "Third."))
        peer.wait_closed()

    live_server.script = script
    async with aclient.live.connect(model=MODEL, config=TEXT_CONFIG) as session:
        await session.send_client_content(turns="Hello")
        messages = [m async for m in session.receive()]
        assert [text_of(m) for m in messages] == ["Hel", "lo, ", "world.", None, None]
        assert messages[-1].server_content is not None and messages[-1].server_content.turn_complete
        assert (
            messages[3].server_content is not None
            and messages[3].server_content.generation_complete
        )
        assert (
            session.usage_metadata is not None and session.usage_metadata.response_token_count == 7
        )

        await session.send_client_content(
            turns=[
                {"role": "user", "parts": [{"text": "Two"}]},
                types.Content(role="model", parts=[types.Part(text="ok")]),
                "Three",
            ]
        )
        assert await session.receive_text() == "Second answer."
        await session.send_client_content(
            turns=types.Content(role="user", parts=[{"text": "Four"}])
        )
        assert await session.receive_text() == "Third."
    assert sent == [
        {
            "clientContent": {
                "turns": [{"role": "user", "parts": [{"text": "Hello"}]}],
                "turnComplete": True,
            }
        },
        {
            "clientContent": {
                "turns": [
                    {"role": "user", "parts": [{"text": "Two"}]},
                    {"role": "model", "parts": [{"text": "ok"}]},
                    {"role": "user", "parts": [{"text": "Three"}]},
                ],
                "turnComplete": True,
            }
        },
        {
            "clientContent": {
                "turns": [{"role": "user", "parts": [{"text": "Four"}]}],
                "turnComplete": True,
            }
        },
    ]


@pytest.mark.asyncio
async def test_a_tool_call_round_trip(live_server: LiveServer, aclient: AsyncClient) -> None:
    tools = [
        {"function_declarations": [{"name": "get_weather", "description": "Weather of a city."}]}
    ]
    answers: list[dict[str, Any]] = []

    def script(peer: Peer) -> None:
        setup = peer.accept_setup()
        assert setup["tools"] == [
            {"functionDeclarations": [{"name": "get_weather", "description": "Weather of a city."}]}
        ]
        peer.recv()
        calls = [
            {"id": "call-1", "name": "get_weather", "args": {"city": "Paris"}},
            {"id": "call-2", "name": "get_weather", "args": {"city": "Oslo"}},
        ]
        peer.send({"toolCall": {"functionCalls": calls}})
        answers.append(peer.recv())
        peer.send(model_text("Sunny in Paris, snow in Oslo."))
        peer.send(TURN_COMPLETE)
        peer.wait_closed()

    live_server.script = script
    async with aclient.live.connect(model=MODEL, config={"tools": tools}) as session:
        await session.send_client_content(turns="Weather in Paris and Oslo?")
        texts = []
        async for message in session.receive():
            if message.tool_call is not None:
                calls = message.tool_call.function_calls or []
                await session.send_tool_response(
                    function_responses=[
                        types.FunctionResponse(
                            id=c.id,
                            name=c.name,
                            response={"city": (c.args or {})["city"], "sky": "?"},
                        )
                        for c in calls
                    ]
                )
            elif (text := text_of(message)) is not None:
                texts.append(text)
    assert texts == ["Sunny in Paris, snow in Oslo."]
    assert answers == [
        {
            "toolResponse": {
                "functionResponses": [
                    {
                        "id": "call-1",
                        "name": "get_weather",
                        "response": {"city": "Paris", "sky": "?"},
                    },
                    {
                        "id": "call-2",
                        "name": "get_weather",
                        "response": {"city": "Oslo", "sky": "?"},
                    },
                ]
            }
        }
    ]


@pytest.mark.asyncio
async def test_receive_text_refuses_to_swallow_a_tool_call(
    live_server: LiveServer, aclient: AsyncClient
) -> None:
    def script(peer: Peer) -> None:
        peer.accept_setup()
        peer.recv()
        peer.send({"toolCall": {"functionCalls": [{"id": "c", "name": "f"}]}})
        peer.wait_closed()

    live_server.script = script
    async with aclient.live.connect(model=MODEL) as session:
        await session.send_client_content(turns="Call f")
        with pytest.raises(Exception, match="called tools during receive_text"):
            await session.receive_text()


@pytest.mark.asyncio
async def test_interruption_and_tool_call_cancellation(
    live_server: LiveServer, aclient: AsyncClient
) -> None:
    def script(peer: Peer) -> None:
        peer.accept_setup()
        peer.recv()
        peer.send({"toolCall": {"functionCalls": [{"id": "slow-1", "name": "lookup"}]}})
        peer.send(model_text("Let me"))
        assert "realtimeInput" in peer.recv()  # the user barges in
        peer.send({"toolCallCancellation": {"ids": ["slow-1"]}})
        peer.send({"serverContent": {"interrupted": True}})
        peer.send(model_text("Yes?"))
        peer.send(TURN_COMPLETE)
        peer.wait_closed()

    live_server.script = script
    async with aclient.live.connect(model=MODEL) as session:
        await session.send_client_content(turns="Tell me a long story")
        seen = []
        async for message in session.receive():
            if text_of(message) == "Let me":
                await session.send_realtime_input(text="Stop!")
            seen.append(message)
    assert seen[2].tool_call_cancellation == types.BidiGenerateContentToolCallCancellation(
        ids=["slow-1"]
    )
    assert seen[3].server_content is not None and seen[3].server_content.interrupted is True
    assert [text_of(m) for m in seen] == [None, "Let me", None, None, "Yes?", None]


@pytest.mark.asyncio
async def test_go_away_then_resume_with_the_latest_handle(
    live_server: LiveServer, aclient: AsyncClient
) -> None:
    def first(peer: Peer) -> None:
        setup = peer.accept_setup()
        assert setup["sessionResumption"] == {}
        peer.send({"sessionResumptionUpdate": {"newHandle": "handle-1", "resumable": True}})
        peer.send(model_text("part one"))
        peer.send({"sessionResumptionUpdate": {"newHandle": "handle-2", "resumable": True}})
        peer.send(
            {"sessionResumptionUpdate": {"resumable": False}}
        )  # mid-generation: keep handle-2
        peer.send({"goAway": {"timeLeft": "9.5s"}})
        peer.close(1000)

    live_server.script = first
    async with aclient.live.connect(model=MODEL, config={"session_resumption": {}}) as session:
        messages = [m async for m in session]  # a normal close ends the iteration
        assert session.go_away == types.GoAway(time_left="9.5s")
        assert session.resumption_handle == "handle-2"
        handle = session.resumption_handle
    assert messages[-1].go_away is not None

    def second(peer: Peer) -> None:
        setup = peer.accept_setup()
        assert setup["sessionResumption"] == {"handle": "handle-2"}
        peer.recv()
        peer.send(model_text("part two"))
        peer.send(TURN_COMPLETE)
        peer.wait_closed()

    live_server.script = second
    async with aclient.live.connect(model=MODEL, config=TEXT_CONFIG, resume=handle) as session:
        await session.send_client_content(turns="Go on")
        assert await session.receive_text() == "part two"
    assert live_server.peers[1].received[0]["setup"]["generationConfig"] == {
        "responseModalities": ["TEXT"]
    }


@pytest.mark.asyncio
async def test_audio_chunks_are_sent_as_base64_realtime_input(
    live_server: LiveServer, aclient: AsyncClient
) -> None:
    chunks = [bytes(range(256)) * 4, b"\x00\xff" * 1600, b"\x7f"]
    got: list[dict[str, Any]] = []

    def script(peer: Peer) -> None:
        peer.accept_setup()
        for _ in range(len(chunks) + 4):
            got.append(peer.recv())
        peer.send({"serverContent": {"inputTranscription": {"text": "hello"}}})
        peer.send(
            {
                "serverContent": {
                    "modelTurn": {
                        "parts": [
                            {"inlineData": {"mimeType": "audio/pcm;rate=24000", "data": "AAE="}}
                        ]
                    }
                }
            }
        )
        peer.send({"serverContent": {"outputTranscription": {"text": "hi"}, "turnComplete": True}})
        peer.wait_closed()

    live_server.script = script
    async with aclient.live.connect(
        model=MODEL, config={"input_audio_transcription": {}}
    ) as session:
        for chunk in chunks:
            await session.send_realtime_input(audio=chunk)
        await session.send_realtime_input(audio_stream_end=True)
        await session.send_realtime_input(video=b"\xff\xd8jpeg", mime_type="image/jpeg")
        await session.send_realtime_input(
            audio=types.Blob(mime_type="audio/pcm;rate=8000", data="AAA=")
        )
        await session.send_realtime_input(activity_start=True)
        messages = [m async for m in session.receive()]
    for message, chunk in zip(got, chunks):
        assert message == {
            "realtimeInput": {
                "audio": {
                    "mimeType": "audio/pcm;rate=16000",
                    "data": message["realtimeInput"]["audio"]["data"],
                }
            }
        }
        assert base64.b64decode(message["realtimeInput"]["audio"]["data"], validate=True) == chunk
    assert got[len(chunks) :] == [
        {"realtimeInput": {"audioStreamEnd": True}},
        {
            "realtimeInput": {
                "video": {
                    "mimeType": "image/jpeg",
                    "data": base64.b64encode(b"\xff\xd8jpeg").decode(),
                }
            }
        },
        {"realtimeInput": {"audio": {"mimeType": "audio/pcm;rate=8000", "data": "AAA="}}},
        {"realtimeInput": {"activityStart": {}}},
    ]
    content = [m.server_content for m in messages]
    assert content[0] is not None and content[
        0
    ].input_transcription == types.BidiGenerateContentTranscription(text="hello")
    assert content[1] is not None and content[1].model_turn is not None
    assert content[1].model_turn.parts[0].inline_data.data == b"\x00\x01"  # type: ignore[index,union-attr]


@pytest.mark.asyncio
async def test_realtime_input_takes_exactly_one_kind(
    live_server: LiveServer, aclient: AsyncClient
) -> None:
    async with aclient.live.connect(model=MODEL) as session:
        with pytest.raises(
            ValueError, match="exactly one kind of input per message, got audio, text"
        ):
            await session.send_realtime_input(audio=b"x", text="y")
        with pytest.raises(ValueError, match="got nothing"):
            await session.send_realtime_input()
        with pytest.raises(TypeError, match="audio: expected bytes"):
            await session.send_realtime_input(audio="not bytes")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="needs the `id` of its function call"):
            await session.send_tool_response(function_responses={"name": "f", "response": {}})
    assert live_server.peers[0].received == [
        live_server.peers[0].received[0]
    ]  # nothing invalid was sent


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("close", "code", "text"),
    [
        (lambda peer: peer.drop(), 1006, "Live session closed by the network: 1006"),
        (lambda peer: peer.reset(), 1006, "Live session closed by the network: 1006"),
        (
            lambda peer: peer.close(1011, "Internal error encountered."),
            1011,
            "1011 Internal error encountered.",
        ),
        (lambda peer: peer.close(1000), 1000, "by the server: 1000"),
    ],
)
async def test_a_close_in_the_middle_of_a_turn_raises_the_typed_error(
    live_server: LiveServer, aclient: AsyncClient, close: Any, code: int, text: str
) -> None:
    def script(peer: Peer) -> None:
        peer.accept_setup()
        peer.recv()
        peer.send(model_text("I was saying"))
        close(peer)

    live_server.script = script
    async with aclient.live.connect(model=MODEL) as session:
        await session.send_client_content(turns="Hi")
        got = []
        with pytest.raises(LiveSessionError, match=text) as info:
            async for message in session.receive():
                got.append(text_of(message))
        assert info.value.code == code
        assert got == ["I was saying"]
        with pytest.raises(LiveSessionError):  # and so does every later call
            await session.send_client_content(turns="Still there?")


@pytest.mark.asyncio
async def test_unknown_message_kinds_and_fields_are_kept(
    live_server: LiveServer, aclient: AsyncClient
) -> None:
    def script(peer: Peer) -> None:
        peer.accept_setup()
        peer.recv()
        peer.send({"voiceActivity": {"voiceActivityType": "ACTIVITY_START"}})
        peer.send(
            {"serverContent": {"modelTurn": {"parts": [{"text": "ok"}]}, "speechState": "SPEAKING"}}
        )
        peer.send(
            {"serverContent": {"turnComplete": True, "turnCompleteReason": "BRAND_NEW_REASON"}}
        )
        peer.wait_closed()

    live_server.script = script
    async with aclient.live.connect(model=MODEL) as session:
        await session.send_client_content(turns="Hi")
        first, second, last = [m async for m in session.receive()]
    assert first.model_extra == {"voiceActivity": {"voiceActivityType": "ACTIVITY_START"}}
    assert first.to_dict() == {"voiceActivity": {"voiceActivityType": "ACTIVITY_START"}}
    assert second.server_content is not None and second.server_content.model_extra == {
        "speechState": "SPEAKING"
    }
    assert text_of(second) == "ok"
    assert last.server_content is not None and last.server_content.turn_complete_reason is not None
    assert last.server_content.turn_complete_reason.value == "BRAND_NEW_REASON"


@pytest.mark.asyncio
async def test_a_message_that_is_not_valid_json_raises_and_the_session_goes_on(
    live_server: LiveServer, aclient: AsyncClient
) -> None:
    def script(peer: Peer) -> None:
        peer.accept_setup()
        peer.recv()
        peer.send(b"{not json")
        peer.send({"serverContent": {"turnComplete": "certainly"}})
        peer.send(b"[]")
        peer.send(TURN_COMPLETE)
        peer.wait_closed()

    live_server.script = script
    async with aclient.live.connect(model=MODEL) as session:
        await session.send_client_content(turns="Hi")
        for n in (2, 3, 4):
            with pytest.raises(
                APIError,
                match=f"server message {n} is not a valid BidiGenerateContentServerMessage",
            ):
                await session.recv()
        assert (await session.recv()).server_content == types.BidiGenerateContentServerContent(
            turn_complete=True
        )


@pytest.mark.asyncio
async def test_sending_while_receiving_from_another_task(
    live_server: LiveServer, aclient: AsyncClient
) -> None:
    """The usual shape of a voice app: one task streams audio while another reads the answers."""

    def script(peer: Peer) -> None:
        peer.accept_setup()
        for i in range(20):
            assert "realtimeInput" in peer.recv()
            peer.send(model_text(f"{i} "))
        peer.send(TURN_COMPLETE)
        peer.wait_closed()

    live_server.script = script
    async with aclient.live.connect(model=MODEL) as session:

        async def stream_audio() -> None:
            for _ in range(20):
                await session.send_realtime_input(audio=b"\x00\x01" * 160)
                await asyncio.sleep(0)

        sender = asyncio.create_task(stream_audio())
        text = await asyncio.wait_for(session.receive_text(), 10)
        await sender
    assert text == "".join(f"{i} " for i in range(20))


@pytest.mark.asyncio
async def test_the_key_is_never_in_a_message_an_error_or_a_log(
    live_server: LiveServer, aclient: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    def script(peer: Peer) -> None:
        peer.accept_setup()
        peer.recv()
        peer.send({"toolCall": {"functionCalls": [{"id": "1", "name": "f"}]}})
        peer.recv()
        peer.close(1008, f"API key not valid: {KEY}")  # a server that echoes the key

    live_server.script = script
    caplog.set_level(logging.DEBUG)
    async with aclient.live.connect(model=MODEL, config={"session_resumption": {}}) as session:
        await session.send_client_content(turns="Hi")
        message = await session.recv()
        assert message.tool_call is not None
        await session.send_tool_response(
            function_responses={"id": "1", "name": "f", "response": {}}
        )
        with pytest.raises(LiveSessionError) as info:
            await session.recv()
        shown = [
            str(info.value),
            repr(info.value),
            info.value.reason,
            repr(session),
            repr(session._conn),
        ]
    assert info.value.code == 1008 and "REDACTED" in info.value.reason
    assert not [s for s in shown if KEY in s]
    # The test server's own log (websockets.server) is not the client's: leave it out.
    client_log = [r.getMessage() for r in caplog.records if r.name != "websockets.server"]
    assert [
        line for line in client_log if "x-goog-api-key" in line.lower()
    ]  # the headers were logged...
    assert not [line for line in client_log if KEY in line]  # ...without the key
    assert not [raw for raw in live_server.peers[0].raw if KEY in str(raw)]
    assert live_server.peers[0].headers["x-goog-api-key"] == KEY  # it travels only in its header


@contextlib.contextmanager
def answering_http(status: int, headers: dict[str, str], body: bytes = b"") -> Iterator[str]:
    """A WebSocket server that answers every upgrade with an HTTP response; yields its base URL."""
    from websockets.datastructures import Headers
    from websockets.http11 import Response
    from websockets.sync.server import serve

    def answer(connection: Any, request: Any) -> Response:
        return Response(status, "Nope", Headers(headers), body)

    with serve(lambda ws: None, "127.0.0.1", 0, process_request=answer) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.socket.getsockname()[1]}"
        finally:
            server.shutdown()
            thread.join(5)


@pytest.mark.asyncio
async def test_an_http_rejection_of_the_upgrade_is_a_typed_status_error(
    aclient: AsyncClient,
) -> None:
    body = (
        b'{"error": {"code": 403, "message": "Permission denied.", "status": "PERMISSION_DENIED"}}'
    )
    with answering_http(403, {"content-type": "application/json"}, body) as url:
        with pytest.raises(PermissionDeniedError) as info:
            async with aclient.with_options(base_url=url).live.connect(model=MODEL):
                pytest.fail("the session must not open")
    assert info.value.status == "PERMISSION_DENIED" and info.value.status_code == 403
    assert KEY not in str(info.value)


@pytest.mark.asyncio
async def test_a_redirect_is_not_followed_so_the_key_stays_home(
    live_server: LiveServer, aclient: AsyncClient
) -> None:
    """websockets follows redirects and strips only Authorization/Cookie: not x-goog-api-key."""
    elsewhere = live_server.url.replace("http://", "ws://") + PATH
    with answering_http(302, {"location": elsewhere}) as url:
        with pytest.raises(APIStatusError) as info:
            async with aclient.with_options(base_url=url).live.connect(model=MODEL):
                pytest.fail("the session must not open")
    assert info.value.status_code == 302
    assert live_server.peers == []  # the other host never saw the client


@pytest.mark.asyncio
async def test_nothing_listening_is_a_connection_error() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    async with AsyncClient(api_key=KEY, base_url=f"http://127.0.0.1:{port}") as client:
        with pytest.raises(APIConnectionError, match="Live: cannot connect to ws://127.0.0.1"):
            async with client.live.connect(model=MODEL):
                pytest.fail("the session must not open")


@pytest.mark.asyncio
async def test_the_api_version_of_the_client_is_honoured(
    live_server: LiveServer, aclient: AsyncClient
) -> None:
    aclient.api_version = "v1alpha"  # type: ignore[attr-defined]
    async with aclient.live.connect(model=MODEL):
        pass
    assert live_server.peers[0].path == PATH.replace("v1beta", "v1alpha")


@pytest.mark.asyncio
async def test_an_ephemeral_token_travels_as_authorization_on_the_constrained_method(
    live_server: LiveServer,
) -> None:
    async with AsyncClient(api_key="auth_tokens/abc123", base_url=live_server.url) as client:
        async with client.live.connect(model=MODEL):
            pass
    [peer] = live_server.peers
    assert (
        peer.path
        == "/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContentConstrained"
    )
    assert peer.headers["authorization"] == "Token auth_tokens/abc123"
    assert "x-goog-api-key" not in peer.headers


@pytest.mark.asyncio
async def test_a_message_over_16_mib_closes_the_session_instead_of_eating_memory(
    live_server: LiveServer, aclient: AsyncClient
) -> None:
    def script(peer: Peer) -> None:
        peer.accept_setup()
        peer.send(
            b'{"serverContent": {"modelTurn": {"parts": [{"text": "'
            + b"a" * (16 * 2**20)
            + b'"}]}}}'
        )
        peer.wait_closed()

    live_server.script = script
    async with aclient.live.connect(model=MODEL) as session:
        with pytest.raises(LiveSessionError, match="closed by the client: 1009") as info:
            await session.recv()
    assert info.value.code == 1009


@pytest.mark.asyncio
async def test_after_close_iteration_ends_and_sending_raises(
    live_server: LiveServer, aclient: AsyncClient
) -> None:
    async with aclient.live.connect(model=MODEL) as session:
        await session.close()
        assert [m async for m in session] == []
        with pytest.raises(LiveSessionError, match="closed by the client: 1000"):
            await session.send_client_content(turns="late")
    await session.close()  # a second close is harmless
