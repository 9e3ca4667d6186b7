"""The client's own httpx client honours the proxy environment variables as google-genai's does
(httpx reads them only with its own transport, so the client then leaves the deadline transport
out); `trust_env`-style opt-out stays with a caller's own `http_client`."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from gemini_client import APIConnectionError, AsyncClient, Client
from gemini_client._core._deadline import DeadlineWarning

ANSWER = b'{"candidates": [{"content": {"role": "model", "parts": [{"text": "via proxy"}]}}]}'


@pytest.fixture
def proxy() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP proxy that answers every request itself and records its request line."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            seen.append(self.path)
            self.rfile.read(int(self.headers.get("content-length", 0)))
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(ANSWER)))
            self.end_headers()
            self.wfile.write(ANSWER)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    # polled every 50 ms, not 500: shutdown() waits for the next poll
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


BASE = "http://gemini.example.invalid"
pytestmark = pytest.mark.filterwarnings(
    "ignore::UserWarning"
)  # DeadlineWarning: a proxy is not clamped


def test_http_proxy_from_the_environment_is_used(
    proxy: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, seen = proxy
    monkeypatch.setenv("HTTP_PROXY", url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with Client(api_key="k", base_url=BASE, max_retries=0) as client:
        with pytest.warns(DeadlineWarning, match="proxy set in the environment"):
            answer = client.models.generate_content(model="m", contents="hi")
    assert answer.text == "via proxy"
    assert seen and seen[0].startswith(BASE + "/"), seen  # absolute-form: a proxied request

    async def main() -> str | None:
        async with AsyncClient(api_key="k", base_url=BASE, max_retries=0) as client:
            with pytest.warns(DeadlineWarning):
                return (await client.models.generate_content(model="m", contents="hi")).text

    assert asyncio.run(main()) == "via proxy" and len(seen) == 2


@pytest.mark.filterwarnings("ignore::gemini_client._core._deadline.DeadlineWarning")
def test_no_proxy_excludes_the_host(
    proxy: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, seen = proxy
    monkeypatch.setenv("HTTP_PROXY", url)
    monkeypatch.setenv("NO_PROXY", "gemini.example.invalid")
    with Client(api_key="k", base_url=BASE, max_retries=0, timeout=5) as client:
        with pytest.raises(APIConnectionError):  # the .invalid host, asked directly, does not exist
            client.models.generate_content(model="m", contents="hi")
    assert seen == []
