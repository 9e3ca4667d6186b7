"""The public clients: the generated `Client`/`AsyncClient` with the helpers layer attached.

Each helper is a lazy attribute (imported on first use, so `import gemini_client` stays fast); a
helper that extends a generated resource subclasses it and overrides that resource's attribute.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from .. import _client
from .._core._keywords import named_attributes

if TYPE_CHECKING:
    from ._batches import AsyncBatches, Batches
    from ._caches import AsyncCaches, Caches
    from ._chats import AsyncChats, Chats
    from ._files import AsyncFiles, Files
    from ._models import AsyncModels, Models
    from .live import AsyncLive, Live

__all__ = ["Client", "AsyncClient"]


@named_attributes
class Client(_client.Client):
    __doc__ = _client.Client.__doc__

    @cached_property
    def models(self) -> Models:
        """Generative models, with `.parsed` on `generate_content` answers, Imagen (`generate_images`) and Veo (`generate_videos`)."""
        from ._models import Models

        return Models(self)

    @cached_property
    def files(self) -> Files:
        """Files: resumable upload, get, list, delete, download, wait_active."""
        from ._files import Files

        return Files(self)

    @cached_property
    def batches(self) -> Batches:
        """Batch mode: create, get, list, cancel, delete, results."""
        from ._batches import Batches

        return Batches(self)

    @cached_property
    def caches(self) -> Caches:
        """Context caches: create, get, list, update, delete."""
        from ._caches import Caches

        return Caches(self)

    @cached_property
    def chats(self) -> Chats:
        """Conversations that keep their history: `client.chats.create(model=...)`."""
        from ._chats import Chats

        return Chats(self.models)

    @cached_property
    def aio(self) -> AsyncClient:
        """The `AsyncClient` with this client's key and settings (google-genai's `client.aio`);
        its own connections, closed with `await client.aio.aclose()`."""
        return AsyncClient(
            api_key=self.api_key,
            base_url=self.base_url,
            api_version=self.api_version,
            timeout=self.timeout,
            max_retries=self.max_retries,
            default_headers=self._default_headers,
            retry_after_send=self.retry_after_send,
        )

    @cached_property
    def live(self) -> Live:
        """Live sessions: BidiGenerateContent over a WebSocket (`with client.live.connect(...)`)."""
        from .live import Live

        return Live(self)


@named_attributes
class AsyncClient(_client.AsyncClient):
    __doc__ = _client.AsyncClient.__doc__

    @cached_property
    def models(self) -> AsyncModels:
        """Generative models, with `.parsed` on `generate_content` answers, Imagen (`generate_images`) and Veo (`generate_videos`)."""
        from ._models import AsyncModels

        return AsyncModels(self)

    @cached_property
    def files(self) -> AsyncFiles:
        """Files: resumable upload, get, list, delete, download, wait_active."""
        from ._files import AsyncFiles

        return AsyncFiles(self)

    @cached_property
    def batches(self) -> AsyncBatches:
        """Batch mode: create, get, list, cancel, delete, results."""
        from ._batches import AsyncBatches

        return AsyncBatches(self)

    @cached_property
    def caches(self) -> AsyncCaches:
        """Context caches: create, get, list, update, delete."""
        from ._caches import AsyncCaches

        return AsyncCaches(self)

    @cached_property
    def chats(self) -> AsyncChats:
        """Conversations that keep their history: `client.chats.create(model=...)`."""
        from ._chats import AsyncChats

        return AsyncChats(self.models)

    @cached_property
    def live(self) -> AsyncLive:
        """Live sessions: BidiGenerateContent over a WebSocket (`async with client.live.connect(...)`)."""
        from .live import AsyncLive

        return AsyncLive(self)
