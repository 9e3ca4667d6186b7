"""The fake on a loopback port, for code under test that runs in another process or thread."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from ._fake import FakeBase

__all__ = ["serve"]

_MAX_BODY = 512 * 1024 * 1024


def _handler(fake: FakeBase) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True
        """An answer is two writes (head, body): with Nagle's algorithm on, the body of every answer
        on a kept-alive connection waited ~40 ms for the client's delayed ACK."""

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base's name)
            """Quiet: tests read `fake.calls`, not a log."""

        def _body(self) -> bytes:
            if self.headers.get("transfer-encoding", "").lower() == "chunked":
                out = bytearray()
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        self.rfile.readline()
                        return bytes(out)
                    if len(out) + size > _MAX_BODY:
                        raise ValueError("body too large")
                    out += self.rfile.read(size)
                    self.rfile.readline()
            length = int(self.headers.get("content-length") or 0)
            if length > _MAX_BODY:
                raise ValueError("body too large")
            return self.rfile.read(length)

        def _serve(self) -> None:
            body = self._body()
            host = self.headers.get("host") or "127.0.0.1"
            request = httpx.Request(
                self.command,
                f"http://{host}{self.path}",
                headers=dict(self.headers.items()),
                content=body,
            )
            try:
                response = fake.handle(request, body)
            except (httpx.TransportError, httpx.TimeoutException):
                self.close_connection = True  # a dropped connection, as scripted
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            content = response.content
            self.send_response(response.status_code)
            for name, value in response.headers.items():
                if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                    self.send_header(name, value)
            self.send_header("content-length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

    return Handler


@contextmanager
def serve(fake: FakeBase, host: str = "127.0.0.1") -> Iterator[str]:
    """Run `fake` on a free port of `host` until the block ends; yields its base URL."""
    server = ThreadingHTTPServer((host, 0), _handler(fake))
    server.daemon_threads = True
    # shutdown() waits for the loop's next poll: every 50 ms, not the default 500
    thread = threading.Thread(
        target=server.serve_forever, args=(0.05,), name="gemini-fake", daemon=True
    )
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
