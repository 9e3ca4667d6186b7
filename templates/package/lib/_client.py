"""The public clients: the generated `Client`/`AsyncClient` with the helpers layer attached.

Each helper is a lazy attribute (imported on first use, so `import gemini_client` stays fast); a
helper that extends a generated resource subclasses it and overrides that resource's attribute.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from .. import _client

if TYPE_CHECKING:
    from ._chats import AsyncChats, Chats
    from ._models import AsyncModels, Models
    from .live import AsyncLive, Live

__all__ = ["Client", "AsyncClient"]


class Client(_client.Client):
    __doc__ = _client.Client.__doc__

    @cached_property
    def live(self) -> Live:
        """Live sessions: BidiGenerateContent over a WebSocket (``with client.live.connect(...)``)."""
        from .live import Live

        return Live(self)

    @cached_property
    def models(self) -> Models:
        """Generative models; `generate_content` also sets `.parsed` (structured output)."""
        from ._models import Models

        return Models(self)

    @cached_property
    def chats(self) -> Chats:
        """Conversations that keep their history: `client.chats.create(model=...)`."""
        from ._chats import Chats

        return Chats(self.models)


class AsyncClient(_client.AsyncClient):
    __doc__ = _client.AsyncClient.__doc__

    @cached_property
    def live(self) -> AsyncLive:
        """Live sessions: BidiGenerateContent over a WebSocket (``async with client.live.connect(...)``)."""
        from .live import AsyncLive

        return AsyncLive(self)

    @cached_property
    def models(self) -> AsyncModels:
        """Generative models; `generate_content` also sets `.parsed` (structured output)."""
        from ._models import AsyncModels

        return AsyncModels(self)

    @cached_property
    def chats(self) -> AsyncChats:
        """Conversations that keep their history: `client.chats.create(model=...)`."""
        from ._chats import AsyncChats

        return AsyncChats(self.models)
