"""A user's Live program, typed: ``test_typing.py`` checks it with ``mypy --strict`` and runs it.

Not a test module (no ``test_`` prefix). Every ``assert_type`` pins what a user's editor sees.
"""

from __future__ import annotations

from typing_extensions import assert_type

from gemini_client import AsyncClient, Client, LiveSessionError, types
from gemini_client.lib.live import AsyncLiveSession, LiveSession, text_of

MODEL = "gemini-live-2.5-flash-preview"
TOOLS = [types.Tool(function_declarations=[types.FunctionDeclaration(name="get_time")])]


async def chat(client: AsyncClient) -> tuple[str, str, str | None]:
    """One text turn, then one turn with a tool call answered; the resumption handle."""
    config = types.BidiGenerateContentSetup(
        generation_config=types.GenerationConfig(response_modalities=[types.Modality.TEXT]),
        tools=TOOLS,
        session_resumption=types.SessionResumptionConfig(),
    )
    async with client.live.connect(model=MODEL, config=config) as session:
        assert_type(session, AsyncLiveSession)
        await session.send_client_content(turns="Hello")
        hello = await session.receive_text()
        assert_type(hello, str)

        await session.send_client_content(
            turns=[types.Content(role="user", parts=[types.Part(text="Time?")])]
        )
        texts: list[str] = []
        async for message in session.receive():
            assert_type(message, types.BidiGenerateContentServerMessage)
            if message.tool_call is not None:
                responses = [
                    types.FunctionResponse(id=call.id, name=call.name, response={"time": "12:00"})
                    for call in message.tool_call.function_calls or []
                ]
                await session.send_tool_response(function_responses=responses)
            elif (text := text_of(message)) is not None:
                texts.append(text)
        handle: str | None = session.resumption_handle
    return hello, "".join(texts), handle


def script(client: Client, audio: bytes) -> list[str]:
    """A blocking session: audio in, the transcriptions out, until the server closes."""
    heard: list[str] = []
    try:
        with client.live.connect(model=MODEL, config={"input_audio_transcription": {}}) as session:
            assert_type(session, LiveSession)
            session.send_realtime_input(audio=audio, mime_type="audio/pcm;rate=16000")
            session.send_realtime_input(audio_stream_end=True)
            for message in session:
                content = message.server_content
                if content is not None and content.input_transcription is not None:
                    heard.append(content.input_transcription.text or "")
                if message.go_away is not None:
                    assert_type(message.go_away.time_left, str | None)
    except LiveSessionError as err:
        assert_type(err.code, int)
        heard.append(f"closed {err.code}")
    return heard
