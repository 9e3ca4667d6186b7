"""The hand-written helpers layer, on top of the generated resources and types.

It imports the generated layer (`.._client`, `..resources`, `..types`) and is never imported by it.
The public `Client` and `AsyncClient` are defined here: the generated clients plus helpers
(`client.chats`, `.parsed` on `generate_content`). The names below are imported on first use.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._chats import AsyncChat, Chat
    from ._local_tokens import GEMMA3_SHA256, LocalTokenizer, TokensInfo
    from ._mcp import McpSession, McpToolset
    from ._structured import StructuredOutputError

__all__ = [
    "AsyncChat",
    "Chat",
    "GEMMA3_SHA256",
    "LocalTokenizer",
    "McpSession",
    "McpToolset",
    "StructuredOutputError",
    "TokensInfo",
]


def __getattr__(name: str) -> Any:
    if name in ("AsyncChat", "Chat"):
        from . import _chats

        return getattr(_chats, name)
    if name in ("GEMMA3_SHA256", "LocalTokenizer", "TokensInfo"):
        from . import _local_tokens

        return getattr(_local_tokens, name)
    if name in ("McpSession", "McpToolset"):
        from . import _mcp

        return getattr(_mcp, name)
    if name == "StructuredOutputError":
        from . import _structured

        return _structured.StructuredOutputError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
