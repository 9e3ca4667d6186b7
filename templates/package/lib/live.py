"""The Live API: ``client.live.connect(...)`` opens a typed session over a WebSocket.

```py
async with client.live.connect(model="gemini-live-2.5-flash-preview",
                               config={"generation_config": {"response_modalities": ["TEXT"]}}) as session:
    await session.send_client_content(turns="Hello!")
    async for message in session.receive():  # the messages of one turn, up to turnComplete
        print(message.server_content)
```

Messages are the spec's ``BidiGenerateContent*`` types; a server message kind the spec does not
know yet arrives as a message whose ``model_extra`` holds it. ``session.resumption_handle`` is the
latest handle the server gave (``connect(..., resume=handle)`` resumes), ``session.go_away`` the
latest notice that the server will disconnect.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from typing import Any, Union

from .. import _client
from .._core import AsyncAPIClient, GeminiError, LiveSessionError, SyncAPIClient
from .._core._live import (
    DEFAULT_SETUP_TIMEOUT,
    AsyncLiveConnection,
    LiveConnection,
    aconnect,
    connect,
    live_url,
)
from ..types import (
    BidiGenerateContentClientContent,
    BidiGenerateContentClientMessage,
    BidiGenerateContentRealtimeInput,
    BidiGenerateContentServerMessage,
    BidiGenerateContentSetup,
    BidiGenerateContentSetupComplete,
    BidiGenerateContentToolResponse,
    Blob,
    Content,
    FunctionResponse,
    GoAway,
    LiveUsageMetadata,
    SessionResumptionConfig,
)

__all__ = ["AsyncLive", "AsyncLiveSession", "Live", "LiveSession", "text_of"]

log = logging.getLogger("gemini_client.live")

ServerMessage = BidiGenerateContentServerMessage
ContentLike = Union[Content, Mapping[str, Any], str]
"""A turn: a ``Content`` (model or dict), or a string for one user text part."""
BlobLike = Union[bytes, Blob, Mapping[str, Any]]
"""Media: raw bytes (base64-encoded on the wire), or a ``Blob``."""
FunctionResponseLike = Union[FunctionResponse, Mapping[str, Any]]

DEFAULT_AUDIO_MIME_TYPE = "audio/pcm;rate=16000"
DEFAULT_VIDEO_MIME_TYPE = "image/jpeg"
_TOKEN_PREFIX = "auth_tokens/"


def text_of(message: ServerMessage) -> str | None:
    """The text of the model's parts in ``message`` (thoughts left out), or ``None`` if it has none:
    ``message.text``."""
    return message.text


# --- building client messages (no I/O) -------------------------------------------------------


def _model_name(model: str) -> str:
    if not model:
        raise ValueError("expected a non-empty model name")
    return model if "/" in model else "models/" + model


def _setup_message(
    model: str, config: BidiGenerateContentSetup | Mapping[str, Any] | None, resume: str | None
) -> dict[str, object]:
    if isinstance(config, BidiGenerateContentSetup):
        setup = config.model_copy()
    else:
        setup = BidiGenerateContentSetup.model_validate(dict(config or {}))
    setup.model = _model_name(model)
    if resume is not None:
        if not resume:
            raise ValueError("resume: expected a handle from a sessionResumptionUpdate, got ''")
        current = setup.session_resumption
        resumption = current.model_copy() if current is not None else SessionResumptionConfig()
        resumption.handle = resume
        setup.session_resumption = resumption
    return {"setup": setup.to_dict()}


def _content(turn: ContentLike) -> ContentLike:
    return {"role": "user", "parts": [{"text": turn}]} if isinstance(turn, str) else turn


def _client_content_message(
    turns: ContentLike | Sequence[ContentLike] | None, turn_complete: bool
) -> dict[str, object]:
    if isinstance(turns, str):  # the common case, already in wire shape: no validation needed
        return {"clientContent": {"turns": [_content(turns)], "turnComplete": turn_complete}}
    if turns is None:
        listed: list[ContentLike] = []
    elif isinstance(turns, (Content, Mapping)):
        listed = [turns]
    else:
        listed = [_content(t) for t in turns]
    body = BidiGenerateContentClientContent.model_validate(
        {"turns": listed, "turnComplete": turn_complete}
    )
    return {"clientContent": body.to_dict()}


def _blob(
    value: BlobLike, mime_type: str | None, default: str, name: str
) -> Blob | Mapping[str, Any]:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"mimeType": mime_type or default, "data": bytes(value)}
    if isinstance(value, (Blob, Mapping)):
        return value
    raise TypeError(f"{name}: expected bytes, a Blob or a dict, got {type(value).__name__}")


def _realtime_input_message(
    *,
    audio: BlobLike | None,
    video: BlobLike | None,
    text: str | None,
    mime_type: str | None,
    activity_start: bool,
    activity_end: bool,
    audio_stream_end: bool,
) -> dict[str, object]:
    fields: dict[str, object] = {}
    if audio is not None:
        fields["audio"] = _blob(audio, mime_type, DEFAULT_AUDIO_MIME_TYPE, "audio")
    if video is not None:
        fields["video"] = _blob(video, mime_type, DEFAULT_VIDEO_MIME_TYPE, "video")
    if text is not None:
        fields["text"] = text
    if activity_start:
        fields["activityStart"] = {}
    if activity_end:
        fields["activityEnd"] = {}
    if audio_stream_end:
        fields["audioStreamEnd"] = True
    if len(fields) != 1:
        given = ", ".join(fields) or "nothing"
        raise ValueError(
            f"send_realtime_input: pass exactly one kind of input per message, got {given}"
        )
    body = BidiGenerateContentRealtimeInput.model_validate(fields)
    return {"realtimeInput": body.to_dict()}


def _tool_response_message(
    function_responses: FunctionResponseLike | Sequence[FunctionResponseLike],
) -> dict[str, object]:
    listed = (
        [function_responses]
        if isinstance(function_responses, (FunctionResponse, Mapping))
        else list(function_responses)
    )
    body = BidiGenerateContentToolResponse.model_validate({"functionResponses": listed})
    for response in body.function_responses or []:
        if not response.id:
            raise ValueError(
                "send_tool_response: each function response needs the `id` of its function call"
            )
    return {"toolResponse": body.to_dict()}


def _raw_message(
    message: BidiGenerateContentClientMessage | Mapping[str, Any],
) -> dict[str, object]:
    if not isinstance(message, BidiGenerateContentClientMessage):
        message = BidiGenerateContentClientMessage.model_validate(message)
    return message.to_dict()


def _turn_complete(message: ServerMessage) -> bool:
    return message.server_content is not None and bool(message.server_content.turn_complete)


_CONTENT_ONLY = frozenset({"server_content"})
"""The fields set in most server messages: serverContent alone, nothing for a session to track."""


# --- sessions --------------------------------------------------------------------------------


class _SessionState:
    """What a session remembers of the server's messages: the handle, goAway, usage."""

    def __init__(self, first: ServerMessage) -> None:
        self.setup_complete: BidiGenerateContentSetupComplete = (
            first.setup_complete or BidiGenerateContentSetupComplete()
        )
        """The server's answer to the setup message."""
        self.resumption_handle: str | None = None
        """The latest handle to resume this session with (``connect(..., resume=handle)``)."""
        self.go_away: GoAway | None = None
        """The latest notice that the server will close the connection soon (``time_left``)."""
        self.usage_metadata: LiveUsageMetadata | None = None
        """The latest token usage the server reported."""
        self._closing = False

    def _track(self, message: ServerMessage) -> ServerMessage:
        if message.__pydantic_fields_set__ == _CONTENT_ONLY:  # the common case: one comparison
            return message
        update = message.session_resumption_update
        if update is not None and update.new_handle and update.resumable is not False:
            self.resumption_handle = update.new_handle
        if message.go_away is not None:
            self.go_away = message.go_away
            log.info("Live: the server will disconnect in %r", message.go_away.time_left)
        if message.usage_metadata is not None:
            self.usage_metadata = message.usage_metadata
        if message.model_extra:
            log.debug("Live: server message with unknown fields %s", sorted(message.model_extra))
        return message

    def _read_text(self, message: ServerMessage, texts: list[str]) -> bool:
        """``receive_text``'s step: track ``message`` and add its model text (``message.text``,
        thoughts left out) to ``texts``; whether it completes the turn. Runs once per message of a
        text chat, so ``_track`` and ``text_of`` are inlined."""
        if message.__pydantic_fields_set__ != _CONTENT_ONLY:
            self._track(message)
            if message.tool_call is not None:
                raise GeminiError(
                    "Live: the model called tools during receive_text();"
                    " use receive() and send_tool_response()"
                )
        content = message.server_content
        if content is None:
            return False
        turn = content.model_turn
        if turn is not None and turn.parts:
            for part in turn.parts:
                if part.text is not None and not part.thought:
                    texts.append(part.text)
        return bool(content.turn_complete)

    def _ended(self, err: LiveSessionError) -> bool:
        """Whether ``err`` is the normal end of the session (1000, or 1001 going away) rather than a failure."""
        return self._closing or err.code in (1000, 1001)

    def __repr__(self) -> str:
        resumable = self.resumption_handle is not None
        return f"{type(self).__name__}(resumable={resumable}, go_away={self.go_away is not None})"


class AsyncLiveSession(_SessionState):
    """An open Live session. Leave its ``async with`` block (or ``await close()``) to end it."""

    def __init__(self, conn: AsyncLiveConnection[ServerMessage], first: ServerMessage) -> None:
        super().__init__(first)
        self._conn = conn

    async def send_client_content(
        self,
        *,
        turns: ContentLike | Sequence[ContentLike] | None = None,
        turn_complete: bool = True,
    ) -> None:
        """Append ``turns`` to the conversation; with ``turn_complete`` the model answers."""
        await self._conn.send(_client_content_message(turns, turn_complete))

    async def send_realtime_input(
        self,
        *,
        audio: BlobLike | None = None,
        video: BlobLike | None = None,
        text: str | None = None,
        mime_type: str | None = None,
        activity_start: bool = False,
        activity_end: bool = False,
        audio_stream_end: bool = False,
    ) -> None:
        """Send one piece of realtime input: an audio chunk, a video frame, text or an activity signal.

        Bytes are base64-encoded for you; ``mime_type`` defaults to ``audio/pcm;rate=16000`` for
        audio and ``image/jpeg`` for video.
        """
        await self._conn.send(
            _realtime_input_message(
                audio=audio,
                video=video,
                text=text,
                mime_type=mime_type,
                activity_start=activity_start,
                activity_end=activity_end,
                audio_stream_end=audio_stream_end,
            )
        )

    async def send_tool_response(
        self, *, function_responses: FunctionResponseLike | Sequence[FunctionResponseLike]
    ) -> None:
        """Answer a ``toolCall``: one response per function call, each with the call's ``id``."""
        await self._conn.send(_tool_response_message(function_responses))

    async def send(self, message: BidiGenerateContentClientMessage | Mapping[str, Any]) -> None:
        """Send any client message as is (for fields this client has no method for yet)."""
        await self._conn.send(_raw_message(message))

    async def recv(self, timeout: float | None = None) -> ServerMessage:
        """The next server message; ``TimeoutError`` after ``timeout`` seconds, ``LiveSessionError``
        when the session is closed."""
        return self._track(await self._conn.recv(timeout))

    async def receive(self) -> AsyncIterator[ServerMessage]:
        """The server messages of the current turn, the one with ``turnComplete`` last.

        A tool call is part of the turn: answer it with ``send_tool_response`` and keep iterating.
        """
        recv = self._conn.recv
        while True:
            message = self._track(await recv())
            yield message
            if _turn_complete(message):
                return

    async def receive_text(self) -> str:
        """The text of the model's answer for the current turn."""
        texts: list[str] = []
        recv, read = self._conn.recv, self._read_text
        while not read(await recv(), texts):  # receive(), inlined: the hot loop of a text chat
            pass
        return "".join(texts)

    async def __aiter__(self) -> AsyncIterator[ServerMessage]:
        """Every server message until the session ends (a normal close ends the iteration)."""
        while True:
            try:
                message = await self.recv()
            except LiveSessionError as err:
                if self._ended(err):
                    return
                raise
            yield message

    async def close(self) -> None:
        self._closing = True
        await self._conn.close()


class LiveSession(_SessionState):
    """A blocking Live session, for scripts. Leave its ``with`` block (or ``close()``) to end it."""

    def __init__(self, conn: LiveConnection[ServerMessage], first: ServerMessage) -> None:
        super().__init__(first)
        self._conn = conn

    def send_client_content(
        self,
        *,
        turns: ContentLike | Sequence[ContentLike] | None = None,
        turn_complete: bool = True,
    ) -> None:
        """Append ``turns`` to the conversation; with ``turn_complete`` the model answers."""
        self._conn.send(_client_content_message(turns, turn_complete))

    def send_realtime_input(
        self,
        *,
        audio: BlobLike | None = None,
        video: BlobLike | None = None,
        text: str | None = None,
        mime_type: str | None = None,
        activity_start: bool = False,
        activity_end: bool = False,
        audio_stream_end: bool = False,
    ) -> None:
        """Send one piece of realtime input (see ``AsyncLiveSession.send_realtime_input``)."""
        self._conn.send(
            _realtime_input_message(
                audio=audio,
                video=video,
                text=text,
                mime_type=mime_type,
                activity_start=activity_start,
                activity_end=activity_end,
                audio_stream_end=audio_stream_end,
            )
        )

    def send_tool_response(
        self, *, function_responses: FunctionResponseLike | Sequence[FunctionResponseLike]
    ) -> None:
        """Answer a ``toolCall``: one response per function call, each with the call's ``id``."""
        self._conn.send(_tool_response_message(function_responses))

    def send(self, message: BidiGenerateContentClientMessage | Mapping[str, Any]) -> None:
        """Send any client message as is (for fields this client has no method for yet)."""
        self._conn.send(_raw_message(message))

    def recv(self, timeout: float | None = None) -> ServerMessage:
        """The next server message; ``TimeoutError`` after ``timeout`` seconds, ``LiveSessionError``
        when the session is closed."""
        return self._track(self._conn.recv(timeout))

    def receive(self) -> Iterator[ServerMessage]:
        """The server messages of the current turn, the one with ``turnComplete`` last."""
        recv = self._conn.recv
        while True:
            message = self._track(recv())
            yield message
            if _turn_complete(message):
                return

    def receive_text(self) -> str:
        """The text of the model's answer for the current turn."""
        texts: list[str] = []
        recv, read = self._conn.recv, self._read_text
        while not read(recv(), texts):
            pass
        return "".join(texts)

    def __iter__(self) -> Iterator[ServerMessage]:
        """Every server message until the session ends (a normal close ends the iteration)."""
        while True:
            try:
                message = self.recv()
            except LiveSessionError as err:
                if self._ended(err):
                    return
                raise
            yield message

    def close(self) -> None:
        self._closing = True
        self._conn.close()


# --- client.live -----------------------------------------------------------------------------


def _endpoint(client: SyncAPIClient | AsyncAPIClient) -> tuple[str, dict[str, str]]:
    """The WebSocket URL and headers: the API key in its header, or an ephemeral token."""
    headers = dict(client._headers)
    if client.api_key.startswith(_TOKEN_PREFIX):
        # An ephemeral token (client.auth_tokens.create): v1alpha only, on the constrained method.
        del headers[client._auth_header]
        headers["Authorization"] = f"Token {client.api_key}"
        return live_url(str(client.base_url), "v1alpha", "BidiGenerateContentConstrained"), headers
    version = getattr(client, "api_version", None) or _client.API_VERSION
    return live_url(str(client.base_url), version), headers


def _ready(message: ServerMessage) -> bool:
    return message.setup_complete is not None


class AsyncLive:
    """``client.live``: Live sessions (BidiGenerateContent over a WebSocket)."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client

    @asynccontextmanager
    async def connect(
        self,
        *,
        model: str,
        config: BidiGenerateContentSetup | Mapping[str, Any] | None = None,
        resume: str | None = None,
        setup_timeout: float = DEFAULT_SETUP_TIMEOUT,
    ) -> AsyncIterator[AsyncLiveSession]:
        """Open a session: sends the setup (``config`` plus ``model``) and waits for setupComplete.

        ``config`` has the fields of ``BidiGenerateContentSetup`` (generation_config, tools,
        system_instruction, session_resumption...); ``resume`` is a handle from an earlier session.
        """
        url, headers = _endpoint(self._client)
        conn, first = await aconnect(
            url,
            headers=headers,
            setup=_setup_message(model, config, resume),
            cast_to=ServerMessage,
            ready=_ready,
            secret=self._client.api_key,
            setup_timeout=setup_timeout,
        )
        session = AsyncLiveSession(conn, first)
        try:
            yield session
        finally:
            await session.close()


class Live:
    """``client.live``: blocking Live sessions, for scripts."""

    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client

    @contextmanager
    def connect(
        self,
        *,
        model: str,
        config: BidiGenerateContentSetup | Mapping[str, Any] | None = None,
        resume: str | None = None,
        setup_timeout: float = DEFAULT_SETUP_TIMEOUT,
    ) -> Iterator[LiveSession]:
        """Open a session (see ``AsyncLive.connect``)."""
        url, headers = _endpoint(self._client)
        conn, first = connect(
            url,
            headers=headers,
            setup=_setup_message(model, config, resume),
            cast_to=ServerMessage,
            ready=_ready,
            secret=self._client.api_key,
            setup_timeout=setup_timeout,
        )
        session = LiveSession(conn, first)
        try:
            yield session
        finally:
            session.close()
