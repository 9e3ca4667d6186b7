"""Chats: `client.chats.create(model=..., history=[...], **config)` keeps the conversation.

Each `send_message` sends the whole history plus the new turn and, when the model answers,
appends both to `chat.history`. With `automatic_function_calling`, Python functions among the
`tools` are run when the model calls them (awaited on `AsyncClient` when they are coroutines) and
their results sent back, for up to `max_rounds` rounds; the whole exchange (calls and responses)
goes into the history. A function that raises sends `{"error": "..."}` to the model instead of
crashing. On `AsyncClient` an MCP `ClientSession` among the tools adds its tools (`_mcp.py`),
listed when the chat first sends. `send_message_stream` yields the chunks and records the turn once the stream is read
to its end; it does not call functions.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import pydantic_core

from .. import types
from .._core import NOT_GIVEN, NotGiven, validate_arguments
from ..types._functions import arguments, is_function
from ._mcp import McpSession, McpToolset, is_mcp_session

if TYPE_CHECKING:
    from ._models import AsyncModels, Models

__all__ = ["AsyncChat", "AsyncChats", "AutomaticFunctionCalling", "Chat", "Chats"]


@dataclass(frozen=True)
class AutomaticFunctionCalling:
    """Run the Python functions the model calls, answering up to `max_rounds` rounds of calls
    per message; past that the answer with the calls is returned to the caller."""

    max_rounds: int = 10

    def __post_init__(self) -> None:
        if self.max_rounds < 1:
            raise ValueError(f"max_rounds must be at least 1, got {self.max_rounds}")


def _turns(message: types.ContentListUnion) -> list[types.Content]:
    """The message as validated turns, checked as request contents are (unknown dict keys)."""
    request = {"model": "-", "contents": message}
    return validate_arguments(types.GenerateContentRequest, request).contents or []


def _functions(tools: Sequence[types.ToolUnion] | NotGiven) -> dict[str, Callable[..., Any]]:
    from ..types._functions import declaration

    if isinstance(tools, NotGiven):
        return {}
    return {declaration(t)["name"]: t for t in tools if callable(t) and is_function(t)}


def _reply(resp: types.GenerateContentResponse) -> types.Content | None:
    if not resp.candidates or resp.candidates[0].content is None:
        return None
    content = resp.candidates[0].content
    return content if content.role else content.model_copy(update={"role": "model"})


def _result(value: Any) -> dict[str, Any]:
    try:
        return {"result": pydantic_core.to_jsonable_python(value)}
    except pydantic_core.PydanticSerializationError:
        return {"result": repr(value)}


def _error(exc: BaseException) -> dict[str, Any]:
    return {"error": f"{type(exc).__name__}: {exc}"}


def _merged(parts: list[types.Part]) -> list[types.Part]:
    """Stream parts with adjacent plain text pieces joined, as one answer would have them."""
    out: list[types.Part] = []
    for p in parts:
        plain = p.text is not None and p.model_fields_set <= {"text", "thought"}
        last = out[-1] if out else None
        if (
            plain
            and last is not None
            and last.text is not None
            and last.model_fields_set <= {"text", "thought"}
            and bool(last.thought) == bool(p.thought)
        ):
            out[-1] = last.model_copy(update={"text": last.text + (p.text or "")})
        else:
            out.append(p)
    return out


class _ChatState:
    def __init__(
        self,
        models: Any,
        *,
        model: str,
        history: types.ContentListUnion,
        config: dict[str, Any],
        automatic_function_calling: AutomaticFunctionCalling | bool,
    ) -> None:
        self._models = models
        self.model = model
        self._history: list[types.Content] = _turns(history) if history else []
        self._config = {k: v for k, v in config.items() if not isinstance(v, NotGiven)}
        tools = self._config.get("tools", ())
        self._sessions: list[McpSession] = [t for t in tools if is_mcp_session(t)]
        if self._sessions:
            self._config["tools"] = [t for t in tools if not is_mcp_session(t)]
        self._mcp: McpToolset | None = None
        self._functions = _functions(self._config.get("tools", NOT_GIVEN))
        afc = automatic_function_calling
        self._afc = AutomaticFunctionCalling() if afc is True else afc or None

    @property
    def history(self) -> list[types.Content]:
        """The turns so far, oldest first: user and model turns, function calls and responses."""
        return list(self._history)

    def _request(self, contents: list[types.Content]) -> dict[str, Any]:
        return {"model": self.model, "contents": [*self._history, *contents], **self._config}

    def _wants_calls(self, resp: types.GenerateContentResponse, rounds: int) -> bool:
        return bool(self._afc and resp.function_calls and rounds < self._afc.max_rounds)

    def _call_target(self, call: types.FunctionCall) -> tuple[Callable[..., Any], dict[str, Any]]:
        fn = self._functions.get(call.name or "")
        if fn is None:
            raise LookupError(f"no function named {call.name!r} among the tools")
        return fn, arguments(fn, call.args)

    def _record_stream(self, contents: list[types.Content], parts: list[types.Part]) -> None:
        self._history += [*contents, types.Content(role="model", parts=_merged(parts))]


class Chat(_ChatState):
    """A conversation with one model (see the module docstring)."""

    _models: Models

    def __init__(self, models: Models, **kwargs: Any) -> None:
        super().__init__(models, **kwargs)
        if self._sessions:
            raise TypeError("an MCP ClientSession is asynchronous: use it with AsyncClient")
        for name, fn in self._functions.items():
            if inspect.iscoroutinefunction(fn):
                raise TypeError(f"{name} is a coroutine function: use AsyncClient for it")

    def send_message(self, message: types.ContentListUnion) -> types.GenerateContentResponse:
        """Send `message` (text, parts or contents) and return the model's answer."""
        exchange = _turns(message)
        rounds = 0
        while True:
            resp = self._models.generate_content(**self._request(exchange))
            reply = _reply(resp)
            if reply is None:
                return resp  # nothing to record: no answer (e.g. a blocked prompt)
            exchange.append(reply)
            if not self._wants_calls(resp, rounds):
                break
            exchange.append(types.Content(role="user", parts=self._run(resp.function_calls)))
            rounds += 1
        self._history += exchange
        return resp

    def send_message_stream(
        self, message: types.ContentListUnion
    ) -> Iterator[types.GenerateContentResponse]:
        """Send `message` and yield the answer's chunks; the turn is recorded at the end."""
        contents = _turns(message)
        parts: list[types.Part] = []
        with self._models.stream_generate_content(**self._request(contents)) as stream:
            for chunk in stream:
                reply = _reply(chunk)
                parts += (reply.parts or []) if reply else []
                yield chunk
        self._record_stream(contents, parts)

    def _run(self, calls: list[types.FunctionCall]) -> list[types.Part]:
        out = []
        for call in calls:
            try:
                fn, args = self._call_target(call)
                response = _result(fn(**args))
            except Exception as exc:  # the model is told, and may retry or explain
                response = _error(exc)
            out.append(types.Part.from_function_response(call.name or "", response, id=call.id))
        return out


class AsyncChat(_ChatState):
    """`Chat` for `AsyncClient`: coroutine functions are awaited."""

    _models: AsyncModels

    async def send_message(self, message: types.ContentListUnion) -> types.GenerateContentResponse:
        """Send `message` (text, parts or contents) and return the model's answer."""
        exchange = _turns(message)
        await self._load_mcp()
        rounds = 0
        while True:
            resp = await self._models.generate_content(**self._request(exchange))
            reply = _reply(resp)
            if reply is None:
                return resp
            exchange.append(reply)
            if not self._wants_calls(resp, rounds):
                break
            exchange.append(types.Content(role="user", parts=await self._run(resp.function_calls)))
            rounds += 1
        self._history += exchange
        return resp

    async def send_message_stream(
        self, message: types.ContentListUnion
    ) -> AsyncIterator[types.GenerateContentResponse]:
        """Send `message` and yield the answer's chunks; the turn is recorded at the end."""
        contents = _turns(message)
        await self._load_mcp()
        parts: list[types.Part] = []
        stream = await self._models.stream_generate_content(**self._request(contents))
        async with stream:
            async for chunk in stream:
                reply = _reply(chunk)
                parts += (reply.parts or []) if reply else []
                yield chunk
        self._record_stream(contents, parts)

    async def _load_mcp(self) -> None:
        """List the MCP sessions' tools once and declare them with the other tools."""
        if not self._sessions or self._mcp is not None:
            return
        toolset = await McpToolset.load(self._sessions)
        clash = next(
            (d["name"] for d in toolset.declarations if d["name"] in self._functions), None
        )
        if clash is not None:
            raise ValueError(f"{clash!r} is both a Python function and an MCP tool among the tools")
        self._config["tools"] = [*self._config["tools"], toolset.tool]
        self._mcp = toolset

    async def _run(self, calls: list[types.FunctionCall]) -> list[types.Part]:
        out = []
        for call in calls:
            try:
                if self._mcp is not None and call.name in self._mcp:
                    response = await self._mcp.call(call.name or "", call.args)
                else:
                    fn, args = self._call_target(call)
                    value = fn(**args)
                    response = _result(await value if inspect.isawaitable(value) else value)
            except Exception as exc:
                response = _error(exc)
            out.append(types.Part.from_function_response(call.name or "", response, id=call.id))
        return out


C = TypeVar("C", bound=_ChatState)


class _ChatFactory(Generic[C]):
    _chat: type[C]

    def __init__(self, models: Any) -> None:
        self._models = models

    def create(
        self,
        *,
        model: str,
        history: types.ContentListUnion = (),
        system_instruction: types.ContentUnion | NotGiven = NOT_GIVEN,
        tools: Sequence[types.ToolUnion | McpSession] | NotGiven = NOT_GIVEN,
        tool_config: types.ToolConfig | types.ToolConfigDict | NotGiven = NOT_GIVEN,
        safety_settings: (
            Sequence[types.SafetySetting | types.SafetySettingDict] | NotGiven
        ) = NOT_GIVEN,
        generation_config: (
            types.GenerationConfig | types.GenerationConfigDict | NotGiven
        ) = NOT_GIVEN,
        cached_content: str | NotGiven = NOT_GIVEN,
        automatic_function_calling: AutomaticFunctionCalling | bool = False,
    ) -> C:
        """A new chat; `history` seeds it, the rest is sent with every message."""
        return self._chat(
            self._models,
            model=model,
            history=history,
            config=dict(
                system_instruction=system_instruction,
                tools=tools,
                tool_config=tool_config,
                safety_settings=safety_settings,
                generation_config=generation_config,
                cached_content=cached_content,
            ),
            automatic_function_calling=automatic_function_calling,
        )


class Chats(_ChatFactory[Chat]):
    """`client.chats`: `create(model=..., history=[...], **config)` starts a `Chat`."""

    _chat = Chat


class AsyncChats(_ChatFactory[AsyncChat]):
    """`client.chats` on `AsyncClient`: `create(...)` starts an `AsyncChat`."""

    _chat = AsyncChat
