"""The Live API's fake: a WebSocket server on loopback that speaks the Live protocol.

`fake.live.replies("Hello")` queues the model's answer to the next client turn (a text, a server
message dict, or a list of server messages); unscripted turns get an empty text turn. The server
answers the setup with `setupComplete`, then, for each client turn (`clientContent`,
`realtimeInput` text or audio end, `toolResponse`), sends the next scripted answer. Every session is
recorded: its setup, the messages the client sent and the headers (the key redacted).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["LiveFake", "LiveSession"]

_REPLY_TIMEOUT = 30.0  # seconds a session waits for the client's next message


@dataclass
class LiveSession:
    """One WebSocket session the fake served."""

    path: str
    headers: dict[str, str]
    setup: dict[str, Any] = field(default_factory=dict)
    received: list[dict[str, Any]] = field(default_factory=list)


def _turn(reply: str | dict[str, Any] | Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    if isinstance(reply, str):
        content = {"modelTurn": {"role": "model", "parts": [{"text": reply}]}, "turnComplete": True}
        return [{"serverContent": content}]
    if isinstance(reply, dict):
        return [reply]
    return list(reply)


def _is_turn(message: dict[str, Any]) -> bool:
    content = message.get("clientContent")
    if isinstance(content, dict):
        return bool(content.get("turnComplete", True))
    realtime = message.get("realtimeInput")
    if isinstance(realtime, dict):
        return (
            "text" in realtime or bool(realtime.get("audioStreamEnd")) or "activityEnd" in realtime
        )
    return "toolResponse" in message


class LiveFake:
    """`fake.live`: script the model's turns, read the sessions; the server starts on first use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._replies: list[list[dict[str, Any]]] = []
        self.sessions: list[LiveSession] = []
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def replies(self, *turns: str | dict[str, Any] | Sequence[dict[str, Any]]) -> LiveFake:
        """Queue the answers to the next client turns, in order; starts the server."""
        with self._lock:
            self._replies.extend(_turn(t) for t in turns)
        self.start()
        return self

    @property
    def url(self) -> str:
        """The base URL whose WebSocket endpoint this fake serves (`http://127.0.0.1:port`)."""
        self.start()
        return f"http://127.0.0.1:{self._server.socket.getsockname()[1]}"

    def start(self) -> None:
        """Start the WebSocket server (idempotent); `websockets` is needed, as for Live itself."""
        with self._lock:
            if self._server is not None:
                return
            from websockets.sync.server import serve

            self._server = serve(self._session, "127.0.0.1", 0)
            self._thread = threading.Thread(
                target=self._server.serve_forever, name="gemini-fake-live", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        with self._lock:
            server, thread, self._server, self._thread = self._server, self._thread, None, None
        if server is not None:
            server.shutdown()
        if thread is not None:
            thread.join(timeout=10)

    def _next(self) -> list[dict[str, Any]]:
        with self._lock:
            if self._replies:
                return self._replies.pop(0)
        return _turn("")

    def _session(self, ws: Any) -> None:
        from websockets.exceptions import ConnectionClosed

        request = ws.request
        headers = {k.lower(): v for k, v in request.headers.raw_items()} if request else {}
        if "x-goog-api-key" in headers:
            headers["x-goog-api-key"] = "<redacted>"
        session = LiveSession(request.path if request else "", headers)
        with self._lock:
            self.sessions.append(session)
        try:
            first = json.loads(ws.recv(_REPLY_TIMEOUT))
            session.setup = first.get("setup", {})
            ws.send(json.dumps({"setupComplete": {}}).encode())
            while True:
                message = json.loads(ws.recv(_REPLY_TIMEOUT))
                session.received.append(message)
                if _is_turn(message):
                    for reply in self._next():
                        ws.send(json.dumps(reply).encode())
        except (ConnectionClosed, TimeoutError, OSError, ValueError):
            return
