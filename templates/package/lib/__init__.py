"""The hand-written helpers layer, on top of the generated resources and types.

It imports the generated layer (`.._client`, `..resources`, `..types`) and is never imported by it.
The public `Client` and `AsyncClient` are defined here: the generated clients plus helpers
(`client.chats`, `.parsed` on `generate_content`). The names below are imported on first use.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._chats import AsyncChat, Chat
    from ._structured import StructuredOutputError

__all__ = ["AsyncChat", "Chat", "StructuredOutputError"]


def __getattr__(name: str) -> Any:
    if name in ("AsyncChat", "Chat"):
        from . import _chats

        return getattr(_chats, name)
    if name == "StructuredOutputError":
        from . import _structured

        return _structured.StructuredOutputError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
