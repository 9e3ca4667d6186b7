"""MCP tools: an `mcp` `ClientSession` given as a tool, its tools declared to the model and called.

`McpToolset.load(sessions)` lists each session's tools (`session.list_tools`, every page), makes
each a function declaration (its input schema as `parametersJsonSchema`) and `call(name, args)`
runs one with `session.call_tool`, returning the function response sent back to the model:
the tool's structured content when it has some, else `{"result": text}` (and the non-text
content items under `"content"`), or `{"error": text}` when the tool reports an error. Each
`tools/list` page and each call must answer within `timeout` seconds (default 60; `None`: no
limit), or `TimeoutError` is raised (in a chat, sent to the model as the call's error).

The `mcp` package is an optional extra and is never imported here: a session is recognised by its
`list_tools` and `call_tool` coroutine methods, so `mcp`'s `ClientSession` (1.x and 2.x) and
anything shaped like it work. Sessions are asynchronous: they are tools of `AsyncClient` only.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Awaitable, Iterable, Mapping
from typing import Any, Protocol

import anyio
import pydantic

__all__ = ["McpSession", "McpToolset", "is_mcp_session"]

DEFAULT_TIMEOUT = 60.0
"""Seconds one `tools/list` page or one tool call may take."""

MAX_PAGES = 100
"""Most `tools/list` pages read from one session: a server that never stops paging is an error."""

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:-]{0,127}$")  # what the API takes as a function name


class McpSession(Protocol):
    """What is used of an `mcp.ClientSession` (initialized by the caller)."""

    def list_tools(self) -> Awaitable[Any]: ...

    def call_tool(self, name: str, arguments: dict[str, Any] | None = None) -> Awaitable[Any]: ...


def is_mcp_session(value: object) -> bool:
    """Whether `value` is an MCP client session: `list_tools` and `call_tool` coroutine methods."""
    if isinstance(value, (type, Mapping, pydantic.BaseModel)):
        return False
    return all(
        inspect.iscoroutinefunction(getattr(value, m, None)) for m in ("list_tools", "call_tool")
    )


def _field(obj: Any, snake: str, camel: str) -> Any:
    """A field of an `mcp` result: snake_case in mcp 2.x, camelCase in 1.x."""
    value = getattr(obj, snake, None)
    return getattr(obj, camel, None) if value is None else value


async def _within(timeout: float | None, call: Awaitable[Any], what: str) -> Any:
    """`await call`, raising `TimeoutError` naming `what` past `timeout` seconds."""
    with anyio.move_on_after(timeout):  # anyio: httpx's own dependency, asyncio and trio alike
        return await call
    raise TimeoutError(f"{what} took more than {timeout:g} s")


async def _list_tools(session: McpSession, timeout: float | None) -> list[Any]:
    result = await _within(timeout, session.list_tools(), "the MCP server's tools/list")
    tools = list(result.tools)
    seen: set[str] = set()
    for _ in range(MAX_PAGES - 1):
        cursor = _field(result, "next_cursor", "nextCursor")
        if not cursor:
            return tools
        if cursor in seen:
            raise RuntimeError(f"the MCP server repeated the tools/list cursor {cursor[:50]!r}")
        seen.add(cursor)
        # a second page: the session's own package is loaded. By name, which mypy does not
        # follow: else `mcp` and all it imports (its server, starlette, uvicorn, cryptography...:
        # 360 modules, a third of a cold mypy run) would be analysed in every project importing
        # this client with `mcp` installed, to type one argument of an untyped call
        mcp_types = importlib.import_module("mcp.types")

        next_page: Any = session.list_tools
        page = next_page(params=mcp_types.PaginatedRequestParams(cursor=cursor))
        result = await _within(timeout, page, "the MCP server's tools/list")
        tools += result.tools
    if _field(result, "next_cursor", "nextCursor"):
        raise RuntimeError(f"the MCP server's tool list has more than {MAX_PAGES} pages")
    return tools


def _declaration(tool: Any) -> dict[str, Any]:
    name = tool.name
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(
            f"the MCP tool {str(name)[:80]!r} cannot be declared to the model: a function name is"
            " letters, digits, '_', '.', ':' or '-' (at most 128), starting with a letter or '_'"
        )
    schema = _field(tool, "input_schema", "inputSchema") or {"type": "object"}
    return {
        "name": name,
        "description": tool.description or "",
        "parametersJsonSchema": dict(schema),
    }


def _response(result: Any) -> dict[str, Any]:
    """The function response for an MCP `CallToolResult`."""
    texts, others = [], []
    for item in result.content or ():
        if getattr(item, "type", None) == "text":
            texts.append(item.text)
        else:
            others.append(item.model_dump(mode="json", by_alias=True, exclude_none=True))
    text = "\n".join(texts)
    if _field(result, "is_error", "isError"):
        return {"error": text or "the MCP tool reported an error"}
    structured = _field(result, "structured_content", "structuredContent")
    if isinstance(structured, dict):
        return structured
    return {"result": text, "content": others} if others else {"result": text}


class McpToolset:
    """The tools of one or more MCP sessions, as function declarations and a caller."""

    def __init__(
        self, tools: Iterable[tuple[McpSession, Any]], *, timeout: float | None = DEFAULT_TIMEOUT
    ) -> None:
        self._timeout = timeout
        self._declarations: list[dict[str, Any]] = []
        self._sessions: dict[str, McpSession] = {}
        for session, tool in tools:
            declaration = _declaration(tool)
            if declaration["name"] in self._sessions:
                raise ValueError(
                    f"two MCP tools are named {declaration['name']!r}: the model could not tell"
                    " them apart; give it one of the sessions only"
                )
            self._sessions[declaration["name"]] = session
            self._declarations.append(declaration)

    @classmethod
    async def load(
        cls, sessions: Iterable[McpSession], *, timeout: float | None = DEFAULT_TIMEOUT
    ) -> McpToolset:
        """List the tools of each (initialized) session."""
        tools = [(s, tool) for s in sessions for tool in await _list_tools(s, timeout)]
        return cls(tools, timeout=timeout)

    @property
    def declarations(self) -> list[dict[str, Any]]:
        """The `FunctionDeclaration`s (wire dicts), in the sessions' order."""
        return [dict(d) for d in self._declarations]

    @property
    def tool(self) -> dict[str, Any]:
        """One `Tool` (wire dict) declaring them all, for `tools=[...]`."""
        return {"functionDeclarations": self.declarations}

    def __contains__(self, name: object) -> bool:
        return name in self._sessions

    async def call(self, name: str, args: Mapping[str, Any] | None) -> dict[str, Any]:
        """Run the tool `name` with the model's `args`; the function response for the model."""
        session = self._sessions.get(name)
        if session is None:
            raise LookupError(f"no MCP tool named {name!r}")
        call = session.call_tool(name, dict(args or {}))
        return _response(await _within(self._timeout, call, f"the MCP tool {name!r}"))
