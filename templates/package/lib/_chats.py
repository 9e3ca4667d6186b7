"""Chats: `client.chats.create(model=..., history=[...], config=... or **options)` keeps the
conversation.

Each `send_message` sends the whole history plus the new turn and, when the model answers,
appends both to `chat.history` (`get_history()`, google-genai's spelling). The options are those
of `generate_content` (`**options: Unpack[GenerateContentOptions]`, derived from the generated
method, or google-genai's `config=`), sent with every message; `send_message(..., config=...)`
overrides them for one message. Python functions among the `tools` are run when the model calls
them (automatic function calling, `lib/_afc.py`, on unless `automatic_function_calling=False` or
`{"disable": True}`), streamed or not; the whole exchange (calls and responses) goes into the
history. A streamed turn is recorded once the stream is read to its end. On `AsyncClient` an MCP
`ClientSession` among the tools adds its tools (`_mcp.py`), listed when the chat first sends.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .. import types
from .._core import validate_arguments
from ..resources import models as _models
from . import _afc
from ._mcp import McpSession, McpToolset, is_mcp_session
from ._models import AfcSetting, generate_arguments
from ._spellings import spelled, takes

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ._models import AsyncModels, Models

__all__ = ["AsyncChat", "AsyncChats", "Chat", "Chats"]


def _turns(message: types.ContentListUnion) -> list[types.Content]:
    """The message as validated turns, checked as request contents are (unknown dict keys)."""
    request = {"model": "-", "contents": message}
    return validate_arguments(types.GenerateContentRequest, request).contents or []


class _ChatState:
    def __init__(
        self,
        models: Any,
        *,
        model: str,
        history: types.ContentListUnion,
        options: dict[str, Any],
    ) -> None:
        self._models = models
        self.model = model
        self._history: list[types.Content] = _turns(history) if history else []
        tools = options.get("tools") or ()
        self._sessions: list[McpSession] = [t for t in tools if is_mcp_session(t)]
        if self._sessions:
            options = {**options, "tools": [t for t in tools if not is_mcp_session(t)]}
        self._options = options
        self._remote: dict[str, Any] = {}  # the MCP tools, once listed

    @property
    def history(self) -> list[types.Content]:
        """The turns so far, oldest first: user and model turns, function calls and responses."""
        return list(self._history)

    def get_history(self) -> list[types.Content]:
        """`history` (google-genai's spelling)."""
        return self.history

    def _exchange(self, message: types.ContentListUnion, config: Any) -> _afc.Exchange:
        """This message's exchange; the options of the call are left in `self._call`."""
        options = generate_arguments("send_message()", config, {}) if config else {}
        call = {**self._options, **options}
        afc = _afc.Afc.of(call.pop("automatic_function_calling", None))
        self._call = call
        functions = {**_afc.callable_tools(call.get("tools")), **self._remote}
        return _afc.Exchange(_turns(message), afc, functions)

    def _request(self, contents: list[types.Content]) -> dict[str, Any]:
        return {
            "model": self.model,
            "contents": [*self._history, *contents],
            "automatic_function_calling": False,  # run here, so the history keeps the exchange
            **self._call,
        }

    def _record(self, exchange: _afc.Exchange, resp: types.GenerateContentResponse) -> None:
        reply = _afc.reply_of(resp)
        if reply is not None:  # else nothing to record: no answer (e.g. a blocked prompt)
            self._history += [*exchange.contents, reply]


class _StreamedTurn:
    """The chunks of the answer being streamed (reset when a function call was answered)."""

    def __init__(self, exchange: _afc.Exchange) -> None:
        self.exchange = exchange
        self.parts: list[types.Part] = []
        self.answered = 0

    def add(self, chunk: types.GenerateContentResponse) -> None:
        if len(self.exchange.added) != self.answered:
            self.parts, self.answered = [], len(self.exchange.added)
        reply = _afc.reply_of(chunk)
        self.parts += (reply.parts or []) if reply else []

    def turns(self) -> list[types.Content]:
        answer = types.Content(role="model", parts=_afc.merged(self.parts))
        return [*self.exchange.contents, answer]


@spelled
class Chat(_ChatState):
    """A conversation with one model (see the module docstring)."""

    _models: Models

    def __init__(self, models: Models, **kwargs: Any) -> None:
        super().__init__(models, **kwargs)
        if self._sessions:
            raise TypeError("an MCP ClientSession is asynchronous: use it with AsyncClient")
        if _afc.Afc.of(self._options.get("automatic_function_calling")).max_calls > 1:
            _afc.refuse_coroutines(_afc.callable_tools(self._options.get("tools")))

    def send_message(
        self,
        message: types.ContentListUnion,
        *,
        config: types.GenerateContentConfig | types.GenerateContentConfigDict | None = None,
    ) -> types.GenerateContentResponse:
        """Send `message` (text, parts or contents) and return the model's answer."""
        exchange = self._exchange(message, config)
        _afc.refuse_coroutines(exchange.functions if exchange.afc.max_calls > 1 else {})
        resp = _afc.loop(lambda c: self._models.generate_content(**self._request(c)), exchange)
        self._record(exchange, resp)
        return resp

    def send_message_stream(
        self,
        message: types.ContentListUnion,
        *,
        config: types.GenerateContentConfig | types.GenerateContentConfigDict | None = None,
    ) -> Iterator[types.GenerateContentResponse]:
        """Send `message` and yield the answer's chunks; the turn is recorded at the end."""
        exchange = self._exchange(message, config)
        _afc.refuse_coroutines(exchange.functions if exchange.afc.max_calls > 1 else {})
        turn = _StreamedTurn(exchange)

        def step(c: list[types.Content]) -> Any:
            return self._models.stream_generate_content(**self._request(c))

        first = step(exchange.contents)
        with first:
            for chunk in _afc.stream_loop(first._iterator, step, exchange):
                turn.add(chunk)
                yield chunk
        self._history += turn.turns()


@spelled
class AsyncChat(_ChatState):
    """`Chat` for `AsyncClient`: coroutine functions are awaited."""

    _models: AsyncModels

    async def send_message(
        self,
        message: types.ContentListUnion,
        *,
        config: types.GenerateContentConfig | types.GenerateContentConfigDict | None = None,
    ) -> types.GenerateContentResponse:
        """Send `message` (text, parts or contents) and return the model's answer."""
        await self._load_mcp()
        exchange = self._exchange(message, config)
        resp = await _afc.loop_async(
            lambda c: self._models.generate_content(**self._request(c)), exchange
        )
        self._record(exchange, resp)
        return resp

    async def send_message_stream(
        self,
        message: types.ContentListUnion,
        *,
        config: types.GenerateContentConfig | types.GenerateContentConfigDict | None = None,
    ) -> AsyncIterator[types.GenerateContentResponse]:
        """Send `message`; `async for chunk in await chat.send_message_stream(...)`, as
        `await client.models.stream_generate_content(...)` (and google-genai)."""
        await self._load_mcp()
        exchange = self._exchange(message, config)
        first = await self._models.stream_generate_content(**self._request(exchange.contents))
        return self._chunks(exchange, first)

    async def _load_mcp(self) -> None:
        """List the MCP sessions' tools once and declare them with the other tools."""
        if not self._sessions or self._remote:
            return
        toolset = await McpToolset.load(self._sessions)
        functions = _afc.callable_tools(self._options.get("tools"))
        names = [d["name"] for d in toolset.declarations]
        clash = next((n for n in names if n in functions), None)
        if clash is not None:
            raise ValueError(f"{clash!r} is both a Python function and an MCP tool among the tools")
        self._options["tools"] = [*self._options["tools"], toolset.tool]
        self._remote = {n: _afc.RemoteTool(n, toolset.call) for n in names}

    async def _chunks(
        self, exchange: _afc.Exchange, first: Any
    ) -> AsyncIterator[types.GenerateContentResponse]:
        turn = _StreamedTurn(exchange)

        async def step(c: list[types.Content]) -> Any:
            return await self._models.stream_generate_content(**self._request(c))

        async with first:
            async for chunk in _afc.stream_loop_async(first._iterator, step, exchange):
                turn.add(chunk)
                yield chunk
        self._history += turn.turns()


C = TypeVar("C", bound=_ChatState)


class _ChatFactory(Generic[C]):
    _chat: type[C]

    def __init__(self, models: Any) -> None:
        self._models = models

    @takes(_models.GenerateContentOptions)
    def create(
        self,
        *,
        model: str,
        history: types.ContentListUnion = (),
        config: types.GenerateContentConfig | types.GenerateContentConfigDict | None = None,
        automatic_function_calling: AfcSetting = None,
        **options: Unpack[_models.GenerateContentOptions],
    ) -> C:
        """A new chat; `history` seeds it, the options (or `config`) go with every message."""
        call = generate_arguments("chats.create()", config, {**options})
        call.setdefault("automatic_function_calling", automatic_function_calling)
        return self._chat(self._models, model=model, history=history, options=call)


@spelled
class Chats(_ChatFactory[Chat]):
    """`client.chats`: `create(model=..., history=[...], **options)` starts a `Chat`."""

    _chat = Chat


@spelled
class AsyncChats(_ChatFactory[AsyncChat]):
    """`client.chats` on `AsyncClient`: `create(...)` starts an `AsyncChat`."""

    _chat = AsyncChat
