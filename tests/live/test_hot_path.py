"""The per-message path of a text chat (``receive_text``): what it reads and tracks, and how much
work each server message costs the client (counted in Python calls, not timed)."""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
from typing import Any

import pydantic
import pytest
from websockets.exceptions import ConnectionClosed

from gemini_client import AsyncClient, Client, types
from gemini_client._core import _live
from gemini_client._core._live import AsyncLiveConnection
from gemini_client.lib import live
from gemini_client.lib.live import AsyncLive, AsyncLiveSession, text_of

from .conftest import KEY, MODEL
from .test_session import TURN_COMPLETE, model_text
from .wsserver import LiveServer, Peer

from support.work import Work, counted  # noqa: E402  (tests/ is on sys.path: see conftest)

THOUGHTFUL_TURN: list[dict[str, Any]] = [
    {"sessionResumptionUpdate": {"newHandle": "h-1", "resumable": True}},
    {
        "serverContent": {
            "modelTurn": {
                "role": "model",
                "parts": [{"text": "thinking...", "thought": True}, {"text": "One, "}],
            }
        }
    },
    {
        "serverContent": {
            "modelTurn": {"parts": [{"text": "two"}, {"inlineData": {"data": "AA=="}}]}
        }
    },
    {"serverContent": {"modelTurn": {"parts": []}}, "aNewKind": {"x": 1}},  # unknown: kept
    {"goAway": {"timeLeft": "5s"}},
    {"serverContent": {"outputTranscription": {"text": "not model text"}}},
    model_text(", three."),
    {"serverContent": {"turnComplete": True}, "usageMetadata": {"totalTokenCount": 9}},
]
"""One turn as a real server may send it: thoughts, several parts, non-text parts, messages with
nothing to read but something to track, and usage with the turnComplete."""


def _thoughtful(peer: Peer) -> None:
    peer.accept_setup()
    peer.recv()
    for message in THOUGHTFUL_TURN:
        peer.send(message)
    peer.recv()
    for message in THOUGHTFUL_TURN:
        peer.send(message)
    peer.wait_closed()


def _expected_text() -> str:
    """What ``receive_text`` must give: the texts ``text_of`` gives, message by message."""
    messages = [types.BidiGenerateContentServerMessage.model_validate(m) for m in THOUGHTFUL_TURN]
    return "".join(text_of(m) or "" for m in messages)


def _check_tracked(session: Any) -> None:
    assert session.resumption_handle == "h-1"
    assert session.go_away == types.GoAway(time_left="5s")
    assert session.usage_metadata == types.LiveUsageMetadata(total_token_count=9)


@pytest.mark.asyncio
async def test_receive_text_reads_what_text_of_reads_and_tracks_the_rest(
    live_server: LiveServer, aclient: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    assert _expected_text() == "One, two, three."
    live_server.script = _thoughtful
    caplog.set_level(logging.DEBUG, logger="gemini_client.live")
    async with aclient.live.connect(model=MODEL) as session:
        await session.send_client_content(turns="Count")
        assert await session.receive_text() == "One, two, three."
        _check_tracked(session)
        # serverContent with a kind this client does not know is not the common case either
        assert "server message with unknown fields ['aNewKind']" in caplog.text
        await session.send_client_content(turns="Again")  # receive() sees every message
        messages = [m async for m in session.receive()]
    assert [m.to_dict() for m in messages] == THOUGHTFUL_TURN
    assert messages[3].model_extra == {"aNewKind": {"x": 1}}


def test_blocking_receive_text_reads_and_tracks_the_same(
    live_server: LiveServer, client: Client
) -> None:
    live_server.script = _thoughtful
    with client.live.connect(model=MODEL) as session:
        session.send_client_content(turns="Count")
        assert session.receive_text() == "One, two, three."
        _check_tracked(session)
        session.send_client_content(turns="Again")
        assert [m.to_dict() for m in session.receive()] == THOUGHTFUL_TURN


# --- work per message ---------------------------------------------------------------------------

PIECES = 40
"""Model-text messages in the long turn (the short one has none)."""
PER_MESSAGE = 3
"""The most Python calls the client's own code (and pydantic's Python layer) may make per server
message of a text chat: decoding into the typed message and reading its text. Each protection is in
them (validation, the size limit in websockets, tracking); a per-message layer more (a wrapper, a
property, a helper per check) breaks this bound."""


def _chat(peer: Peer) -> None:
    peer.accept_setup()
    for pieces in (0, PIECES):
        peer.recv()
        for i in range(pieces):
            peer.send(model_text(f"{i} "))
        peer.send(TURN_COMPLETE)
    peer.wait_closed()


def _client_calls(work: Work, skip: frozenset[str] = frozenset()) -> int:
    return sum(
        n
        for (file, name), n in work.by_function.items()
        if ("gemini_client" in file or "pydantic" in file) and name not in skip
    )


def test_a_blocking_text_chat_makes_a_few_calls_per_message(
    live_server: LiveServer, client: Client
) -> None:
    live_server.script = _chat
    with client.live.connect(model=MODEL) as session:
        session.send_client_content(turns="Short")
        short, short_work = counted(session.receive_text)
        session.send_client_content(turns="Long")
        long, long_work = counted(session.receive_text)
    assert short == "" and long == "".join(f"{i} " for i in range(PIECES))
    per_message = (_client_calls(long_work) - _client_calls(short_work)) / PIECES
    assert per_message <= PER_MESSAGE


def _coroutine_names(*namespaces: Any) -> frozenset[str]:
    return frozenset(
        name
        for namespace in namespaces
        for name, f in vars(namespace).items()
        if inspect.iscoroutinefunction(f)
        or inspect.isasyncgenfunction(f)
        or inspect.isasyncgenfunction(getattr(f, "__wrapped__", None))
    )


# A coroutine is "called" again each time it resumes, which depends on when the bytes arrive:
# the async count leaves the Live coroutines out (the work per message is in what they call).
_COROUTINES = _coroutine_names(live, _live, AsyncLive, AsyncLiveSession, AsyncLiveConnection)


def test_an_async_text_chat_makes_a_few_calls_per_message(live_server: LiveServer) -> None:
    pieces = 0

    def one_turn(peer: Peer) -> None:
        peer.accept_setup()
        peer.recv()
        for i in range(pieces):
            peer.send(model_text(f"{i} "))
        peer.send(TURN_COMPLETE)
        peer.wait_closed()

    async def session() -> str:
        async with AsyncClient(api_key=KEY, base_url=live_server.url) as client:
            async with client.live.connect(model=MODEL) as session:
                await session.send_client_content(turns="Hi")
                return await session.receive_text()

    live_server.script = one_turn
    asyncio.run(session())  # warm: what a first session builds once is not per message
    short, short_work = counted(lambda: asyncio.run(session()))
    pieces = PIECES
    long, long_work = counted(lambda: asyncio.run(session()))
    assert short == "" and long == "".join(f"{i} " for i in range(PIECES))
    calls = _client_calls(long_work, _COROUTINES) - _client_calls(short_work, _COROUTINES)
    assert calls / PIECES <= PER_MESSAGE


# --- the validator, taken once per connection ---------------------------------------------------


@pytest.mark.parametrize("blocking", [False, True], ids=["async", "sync"])
def test_a_message_type_that_cannot_validate_closes_the_connection_cleanly(
    live_server: LiveServer, blocking: bool
) -> None:
    """The connection takes its message type's validator when it is made, before the setup is
    sent: a type that cannot be built fails there, and the socket is closed, not left open."""

    class Unbuildable(pydantic.BaseModel):
        later: Missing  # type: ignore[name-defined]  # noqa: F821  (never defined)

    close_codes: list[int | None] = []
    ended = threading.Event()

    def script(peer: Peer) -> None:
        try:
            peer.recv(timeout=5)
        except ConnectionClosed as err:
            close_codes.append(err.rcvd.code if err.rcvd else None)
        finally:
            ended.set()

    live_server.script = script
    options: dict[str, Any] = {
        "headers": {"x-goog-api-key": KEY},
        "setup": {"setup": {"model": f"models/{MODEL}"}},
        "cast_to": Unbuildable,
        "ready": lambda message: True,
        "secret": KEY,
    }
    url = _live.live_url(live_server.url, "v1beta")
    with pytest.raises(pydantic.PydanticUserError, match="not fully defined"):
        if blocking:
            _live.connect(url, **options)
        else:
            asyncio.run(_live.aconnect(url, **options))
    assert ended.wait(10)
    assert close_codes == [1000]  # a close handshake from the client, not a dropped socket
    assert live_server.peers[0].received == []  # failed before anything was sent
