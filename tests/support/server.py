"""A real HTTP server on a free loopback port whose answers tests script.

``LoopbackServer`` runs a Starlette app with uvicorn in a background thread. Tests queue
``Reply`` objects per path and read back the ``Recorded`` requests::

    server.add("/v1beta/models/m:generateContent", Reply(429, error(429, "RESOURCE_EXHAUSTED")), Reply(json={...}))
    ...
    assert server.requests[0].headers["x-goog-api-key"] == "k"

A ``Reply`` with ``chunks`` streams each piece as its own write (``chunk_delay`` apart), so an SSE
event can be split anywhere; ``abort=True`` drops the connection after the chunks (an incomplete
chunked body). ``RawSocketServer`` answers one connection with exact bytes and can end it with a
TCP reset.
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
import threading
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

__all__ = [
    "LoopbackServer",
    "RawSocketServer",
    "Recorded",
    "Reply",
    "error_body",
    "http_chunk",
    "iter_pieces",
    "sse",
    "sse_response_head",
    "tcp_listener",
]


@dataclass
class Reply:
    """One scripted answer."""

    status: int = 200
    json: Any = None
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    chunks: Sequence[bytes] | None = None
    chunk_delay: float = 0.0
    delay: float = 0.0
    abort: bool = False
    content_type: str | None = None


@dataclass
class Recorded:
    """One request the server received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    finished: threading.Event = field(default_factory=threading.Event)
    """Set when the answer has been sent or abandoned."""
    completed: bool = False
    """Whether every scripted chunk was sent."""

    def json(self) -> Any:
        return json.loads(self.body)


def error_body(
    code: int, status: str, message: str = "error", details: list[Any] | None = None
) -> dict[str, Any]:
    """Google's error body."""
    return {"error": {"code": code, "message": message, "status": status, "details": details or []}}


def sse(*events: Any, crlf: bool = False) -> bytes:
    """``data:`` events (JSON-encoded unless bytes/str), separated by blank lines."""
    nl = "\r\n" if crlf else "\n"
    out = []
    for event in events:
        data = event if isinstance(event, str) else json.dumps(event)
        out.append(f"data: {data}{nl}{nl}")
    return "".join(out).encode()


class _Abort(Exception):
    """Raised inside a streamed body to drop the connection."""


class LoopbackServer:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self._script: dict[str, deque[Reply]] = defaultdict(deque)
        self._lock = threading.Lock()
        app = Starlette(
            routes=[
                Route(
                    "/{path:path}", self._handle, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]
                )
            ]
        )
        config = uvicorn.Config(
            app, http="h11", lifespan="off", log_level="critical", timeout_graceful_shutdown=1
        )
        self._server = uvicorn.Server(config)
        self._sock = tcp_listener()
        self._sock.bind(("127.0.0.1", 0))
        self.port: int = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    def start(self) -> LoopbackServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("loopback server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()

    def reset(self) -> None:
        with self._lock:
            self._script.clear()
            self.requests.clear()

    def add(self, path: str, *replies: Reply) -> None:
        """Queue ``replies`` for requests to ``path`` (without the query), answered in order."""
        with self._lock:
            self._script[path].extend(replies)

    async def _handle(self, request: Request) -> Response:
        recorded = Recorded(
            method=request.method,
            path=request.url.path,
            query={k: request.query_params.getlist(k) for k in request.query_params},
            headers={k.lower(): v for k, v in request.headers.items()},
            body=await request.body(),
        )
        with self._lock:
            self.requests.append(recorded)
            queue = self._script.get(recorded.path)
            reply = queue.popleft() if queue else None
        if reply is None:
            recorded.finished.set()
            return Response(f"no scripted reply for {recorded.path}", status_code=418)
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.chunks is None:
            recorded.completed = True
            recorded.finished.set()
            if reply.body is not None:
                content = reply.body
                media_type = reply.content_type or "application/octet-stream"
            else:
                content = json.dumps(reply.json if reply.json is not None else {}).encode()
                media_type = reply.content_type or "application/json"
            return Response(
                content, status_code=reply.status, headers=reply.headers, media_type=media_type
            )
        return StreamingResponse(
            self._chunks(reply, recorded),
            status_code=reply.status,
            headers=reply.headers,
            media_type=reply.content_type or "text/event-stream",
        )

    async def _chunks(self, reply: Reply, recorded: Recorded) -> AsyncIterator[bytes]:
        try:
            for i, chunk in enumerate(reply.chunks or ()):
                if i and reply.chunk_delay:
                    await asyncio.sleep(reply.chunk_delay)
                yield chunk
            if reply.abort:
                await asyncio.sleep(0.05)  # let the chunks reach the client first
                raise _Abort("scripted abort")
            recorded.completed = True
        finally:
            recorded.finished.set()


def tcp_listener() -> socket.socket:
    """A TCP socket for a server to listen on, made with its protocol named: asyncio turns Nagle's
    algorithm off (TCP_NODELAY) only on connections whose socket says IPPROTO_TCP, and accepted
    sockets inherit the listener's. With it on, uvicorn's two writes of an answer (head, then body)
    wait for the client's delayed ACK: ~40 ms for every request on a kept-alive connection."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    return sock


class RawSocketServer:
    """Answers one connection with exact byte pieces, optionally ending it with a TCP reset.

    ``pieces`` are written one by one with ``delay`` seconds between them::

        with RawSocketServer([b"HTTP/1.1 200 OK\\r\\n...", b"data: {..."], reset=True) as raw:
            client = Client(base_url=raw.url, ...)
    """

    def __init__(
        self, pieces: Sequence[bytes], *, delay: float = 0.02, reset: bool = False
    ) -> None:
        self._pieces = pieces
        self._delay = delay
        self._reset = reset
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(1)
        self._listener.settimeout(10)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self.request = b""
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> RawSocketServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._thread.join(timeout=10)
        self._listener.close()

    def _serve(self) -> None:
        try:
            conn, _ = self._listener.accept()
        except OSError:
            return
        with conn:
            self.request = self._read_request(conn)
            for i, piece in enumerate(self._pieces):
                if i:
                    time.sleep(self._delay)
                conn.sendall(piece)
            time.sleep(self._delay)
            if self._reset:
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    @staticmethod
    def _read_request(conn: socket.socket) -> bytes:
        data = b""
        while b"\r\n\r\n" not in data:
            more = conn.recv(65536)
            if not more:
                return data
            data += more
        head, _, body = data.partition(b"\r\n\r\n")
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                while len(body) < int(value):
                    body += conn.recv(65536)
        return data


def sse_response_head(*, chunked: bool = True) -> bytes:
    """The status line and headers of an SSE response for ``RawSocketServer``."""
    framing = b"Transfer-Encoding: chunked\r\n" if chunked else b"Connection: close\r\n"
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n" + framing + b"\r\n"


def http_chunk(data: bytes) -> bytes:
    """``data`` framed as one HTTP/1.1 chunk."""
    return b"%x\r\n%s\r\n" % (len(data), data)


def iter_pieces(data: bytes, size: int) -> Iterator[bytes]:
    """``data`` cut into pieces of ``size`` bytes."""
    for start in range(0, len(data), size):
        yield data[start : start + size]
