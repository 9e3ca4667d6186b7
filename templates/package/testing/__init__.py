"""A fake of the whole Gemini API for your tests, generated from the spec with the client.

```python
from gemini_client.testing import FakeGemini

fake = FakeGemini()
fake.models.generate_content.returns(text="Paris")
client = fake.client()  # a real Client whose requests the fake answers, in process
assert client.models.generate_content(model="gemini-2.5-flash", contents="Capital of France?").text == "Paris"
assert fake.models.generate_content.last.request.contents[0].parts[0].text == "Capital of France?"
```

Every method answers a valid default of its response type until scripted: `returns(...)` (a
model, a dict or fields; `text=` for a model answer), several `returns` in a row (a sequence, the
last one stays), `streams("Once ", "upon")`, `raises(RateLimitError)` (or a status, or
`APIConnectionError`), `returns(..., polls=2)` for an operation that is done after two polls, and
`interrupt_upload(fake.media.upload, after=n)` for an upload that loses its connection and resumes.
Every request is recorded (`fake.calls`, `fake.<resource>.<method>.calls`), its body parsed as the
method's request type. `fake.client()` / `fake.async_client()` plug in with no port (their retries
do not sleep: the delays are kept in `fake.sleeps`);
`with fake.serve() as url:` runs the same fake on loopback for code in another process.
`fake.live.replies("Hello")` scripts the Live API, served over a real WebSocket on loopback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from .. import AsyncClient, Client
from .._core._deadline import MARK as DEADLINE_MARK
from ._api import ROUTES, FakeAPI
from ._fake import MethodFake, Recorded, default_of, interrupt_upload
from ._live import LiveFake, LiveSession
from ._server import serve

__all__ = [
    "FakeGemini",
    "LiveFake",
    "LiveSession",
    "MethodFake",
    "Recorded",
    "default_of",
    "interrupt_upload",
]

FAKE_KEY = "fake-api-key"


class _Transport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Answers in-process: no socket operation can outlast a deadline, so every response
    carries the deadline transports' mark (the client need not guard or warn)."""

    def __init__(self, fake: FakeGemini) -> None:
        self._fake = fake

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return _marked(self._fake.handle(request, request.read()))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return _marked(self._fake.handle(request, await request.aread()))


def _marked(response: httpx.Response) -> httpx.Response:
    response.extensions[DEADLINE_MARK] = True
    return response


class FakeGemini(FakeAPI):
    """The whole API, scripted per method and recorded; see the module's docstring."""

    def __init__(self) -> None:
        super().__init__(ROUTES)
        self.transport = _Transport(self)
        """An httpx transport (sync and async) answering from this fake."""
        self.live = LiveFake()
        """The Live API: `fake.live.replies("Hi")`, `fake.live.sessions`."""
        self.sleeps: list[float] = []
        """The delays, in seconds, its clients waited before retrying: recorded, not slept (the
        fake answers at once, so a test of a retry takes no time)."""

    def _options(self, options: dict[str, Any]) -> dict[str, Any]:
        options.setdefault("api_key", FAKE_KEY)
        if self.live._server is not None:  # REST goes to the transport, Live to its server
            options.setdefault("base_url", self.live.url)
        return options

    def client(self, **options: Any) -> Client:
        """A `Client` whose requests this fake answers (no network, no port but Live's); its
        retry delays go to `sleeps` instead of being slept."""
        client = Client(
            http_client=httpx.Client(transport=self.transport), **self._options(options)
        )
        client._sleep = self.sleeps.append
        return client

    def async_client(self, **options: Any) -> AsyncClient:
        """An `AsyncClient` whose requests this fake answers; its retry delays go to `sleeps`."""
        http = httpx.AsyncClient(transport=self.transport)
        client = AsyncClient(http_client=http, **self._options(options))

        async def sleep(delay: float) -> None:
            self.sleeps.append(delay)

        client._sleep = sleep
        return client

    def reset(self) -> None:
        """Forget every script, recorded call and retry delay."""
        super().reset()
        self.sleeps.clear()

    def close(self) -> None:
        """Stop the Live server, if it started."""
        self.live.stop()

    def __enter__(self) -> FakeGemini:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def serve(self, host: str = "127.0.0.1") -> Iterator[str]:
        """This fake on a free loopback port until the block ends; yields the base URL to give
        the code under test (`Client(base_url=url)`, or `GEMINI_BASE_URL` if it reads one)."""
        with serve(self, host) as url:
            yield url
