"""A real MCP server (mcp's MCPServer) over streamable HTTP on a free loopback port, in a thread.

mcp and uvicorn are imported when a server is built, not with this module: the test modules that
import it are collected on every xdist worker, and importing mcp costs over a second of CPU."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

CALLS: list[tuple[str, dict[str, Any]]] = []
"""Every tool call the server ran, in order."""


def build() -> MCPServer:
    from mcp.server.mcpserver import MCPServer

    server = MCPServer("weather-and-sums")

    @server.tool()
    def add(a: int, b: int) -> int:
        """Add two integers."""
        CALLS.append(("add", {"a": a, "b": b}))
        return a + b

    @server.tool()
    def forecast(city: str, days: int = 1) -> dict[str, Any]:
        """The forecast of a city."""
        CALLS.append(("forecast", {"city": city, "days": days}))
        return {"city": city, "days": days, "sky": "sunny"}

    @server.tool()
    def shout(text: str) -> str:
        """The text in capitals."""
        CALLS.append(("shout", {"text": text}))
        return text.upper()

    @server.tool()
    def explode(reason: str) -> str:
        """Always fails."""
        CALLS.append(("explode", {"reason": reason}))
        raise RuntimeError(f"exploded: {reason}")

    return server


class McpLoopback:
    """`url` is the streamable HTTP endpoint (`http://127.0.0.1:<port>/mcp`)."""

    def __init__(self) -> None:
        import uvicorn

        from support.server import tcp_listener  # here: the module also runs alone (stdio)

        app = build().streamable_http_app()
        config = uvicorn.Config(app, http="h11", log_level="critical", timeout_graceful_shutdown=1)
        self._server = uvicorn.Server(config)
        self._sock = tcp_listener()  # Nagle's algorithm off on its connections
        self._sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}/mcp"
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    def __enter__(self) -> McpLoopback:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("MCP loopback server did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()


if __name__ == "__main__":  # the same server over stdio, as a subprocess
    build().run("stdio")
