"""The public clients: the generated `Client`/`AsyncClient` with the helpers layer attached.

Each helper is a lazy attribute (imported on first use, so `import gemini_client` stays fast); a
helper that extends a generated resource subclasses it and overrides that resource's attribute.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from .. import _client

if TYPE_CHECKING:
    from .live import AsyncLive, Live

__all__ = ["Client", "AsyncClient"]


class Client(_client.Client):
    __doc__ = _client.Client.__doc__

    @cached_property
    def live(self) -> Live:
        """Live sessions: BidiGenerateContent over a WebSocket (``with client.live.connect(...)``)."""
        from .live import Live

        return Live(self)


class AsyncClient(_client.AsyncClient):
    __doc__ = _client.AsyncClient.__doc__

    @cached_property
    def live(self) -> AsyncLive:
        """Live sessions: BidiGenerateContent over a WebSocket (``async with client.live.connect(...)``)."""
        from .live import AsyncLive

        return AsyncLive(self)
