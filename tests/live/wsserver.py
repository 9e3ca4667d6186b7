"""A real WebSocket server on a free loopback port, scripted like the Live service.

Each connection runs the test's ``script(peer)`` in its own thread; ``peer`` reads and writes
JSON messages (as binary frames, like Google's server) and can close the connection with a code,
or drop it without a close frame. What the server saw is kept for the test to read::

    def script(peer: Peer) -> None:
        peer.accept_setup()
        peer.recv()
        peer.send({"serverContent": {"turnComplete": True}})

    live_server.script = script
    ...
    assert live_server.peers[0].headers["x-goog-api-key"] == KEY

An exception in a script (a failed ``assert``) is re-raised by ``check()``, which the fixture calls
after each test, so a script's expectations are real assertions.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
from collections.abc import Callable
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

__all__ = ["LiveServer", "Peer"]

TIMEOUT = 10.0  # seconds a script waits for a client message before failing the test


class Peer:
    """The server's side of one connection."""

    def __init__(self, ws: ServerConnection) -> None:
        self.ws = ws
        self.path: str = ws.request.path if ws.request else ""
        self.headers: dict[str, str] = (
            {k.lower(): v for k, v in ws.request.headers.raw_items()} if ws.request else {}
        )
        self.received: list[dict[str, Any]] = []
        """Every client message, decoded."""
        self.raw: list[str | bytes] = []
        """Every client message as it came, text or bytes."""

    def recv(self, timeout: float = TIMEOUT) -> dict[str, Any]:
        raw = self.ws.recv(timeout)
        self.raw.append(raw)
        message = json.loads(raw)
        self.received.append(message)
        return message

    def send(self, message: dict[str, Any] | str | bytes) -> None:
        if isinstance(message, dict):
            message = json.dumps(message).encode()
        self.ws.send(message)

    def accept_setup(self) -> dict[str, Any]:
        """Read the setup message and answer setupComplete; returns the setup."""
        first = self.recv()
        assert list(first) == ["setup"], (
            f"the first client message must be setup, got {list(first)}"
        )
        self.send({"setupComplete": {}})
        return first["setup"]

    def close(self, code: int = 1000, reason: str = "") -> None:
        self.ws.close(code, reason)

    def drop(self) -> None:
        """End the TCP connection without a close frame (an abnormal closure, 1006)."""
        self.ws.socket.shutdown(socket.SHUT_RDWR)
        self.ws.socket.close()

    def reset(self) -> None:
        """End the TCP connection with a reset (RST), as a crashed proxy would."""
        self.ws.socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.ws.socket.close()

    def wait_closed(self, timeout: float = TIMEOUT) -> None:
        """Block until the client closes (or the connection breaks)."""
        try:
            while True:
                self.recv(timeout)
        except (ConnectionClosed, OSError):
            pass


def _default_script(peer: Peer) -> None:
    peer.accept_setup()
    peer.wait_closed()


class LiveServer:
    def __init__(self) -> None:
        self.script: Callable[[Peer], None] = _default_script
        self.peers: list[Peer] = []
        self.errors: list[BaseException] = []
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> LiveServer:
        self._server = serve(self._handle, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.socket.getsockname()[1])

    @property
    def url(self) -> str:
        """The base URL to give the client (``http`` becomes ``ws``)."""
        return f"http://127.0.0.1:{self.port}"

    def reset(self) -> None:
        self.script = _default_script
        self.peers.clear()
        self.errors.clear()

    def check(self) -> None:
        if self.errors:
            raise self.errors[0]

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _handle(self, ws: ServerConnection) -> None:
        peer = Peer(ws)
        self.peers.append(peer)
        try:
            self.script(peer)
        except ConnectionClosed:
            pass  # the client went away: what the test checks is on the client side
        except BaseException as err:  # noqa: BLE001 - reported to the test by check()
            self.errors.append(err)
