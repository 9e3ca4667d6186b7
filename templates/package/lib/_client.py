"""The public clients: the generated `Client`/`AsyncClient` with the helpers layer attached.

Each helper is a lazy attribute (imported on first use, so `import gemini_client` stays fast); a
helper that extends a generated resource subclasses it and overrides that resource's attribute.
"""

from __future__ import annotations

from .. import _client

__all__ = ["Client", "AsyncClient"]


class Client(_client.Client):
    __doc__ = _client.Client.__doc__


class AsyncClient(_client.AsyncClient):
    __doc__ = _client.AsyncClient.__doc__
