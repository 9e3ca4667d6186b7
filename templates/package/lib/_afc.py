"""Automatic function calling (AFC), as google-genai does it, shared by `generate_content`, its
stream and chats.

When `tools` hold Python functions, the model's calls of them are run and their results sent
back, until an answer has no call of them or `maximum_remote_calls` requests were made (the last
answer's calls are then returned unanswered). `automatic_function_calling={"disable": True}` (or
`False`) turns it off; `maximum_remote_calls` of 0 or less too. A function that raises sends
`{"error": "..."}` to the model instead of crashing; a coroutine function is awaited on
`AsyncClient` and refused on `Client`.

One step decides what AFC can run: tool resolution, `callable_tools` (Python functions) plus, on
`AsyncClient`, `RemoteTool`s (an MCP `ClientSession`'s tools, listed by `lib/_mcp.py`): anything
that lists functions and calls them by name plugs in as a `RemoteTool`.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pydantic_core

from .. import types
from .._core import AsyncStream, NotGiven, Stream
from ..types._configs import DEFAULT_MAXIMUM_REMOTE_CALLS
from ..types._functions import arguments, declaration, is_function

__all__ = [
    "Afc",
    "RemoteTool",
    "Exchange",
    "callable_tools",
    "loop",
    "loop_async",
    "merged",
    "reply_of",
    "run_calls",
    "run_calls_async",
    "stream_loop",
    "stream_loop_async",
]

log = logging.getLogger("gemini_client")

Tool = Callable[..., Any]


@dataclass(frozen=True)
class RemoteTool:
    """A function AFC runs elsewhere (an MCP tool): `call(name, args)` gives the response dict."""

    name: str
    call: Callable[[str, Mapping[str, Any] | None], Awaitable[dict[str, Any]]]


def callable_tools(tools: Sequence[Any] | NotGiven | None) -> dict[str, Tool]:
    """Tool resolution: the functions AFC may run, by the name the model calls them by.

    Python functions among `tools` (declared from their signatures when the request is built).
    Other tools (`Tool`, dicts) are sent as they are and never run here.
    """
    if tools is None or isinstance(tools, NotGiven):
        return {}
    return {declaration(t)["name"]: t for t in tools if callable(t) and is_function(t)}


@dataclass(frozen=True)
class Afc:
    """The AFC settings of one call: `max_calls` requests at most (0: off); `keep_history`."""

    max_calls: int
    keep_history: bool = True

    @classmethod
    def of(cls, setting: Any) -> Afc:
        """From `automatic_function_calling=`: a config model or dict, a bool, or None (on)."""
        if setting is None or setting is True:
            return cls(DEFAULT_MAXIMUM_REMOTE_CALLS)
        if setting is False:
            return cls(0)
        config = (
            setting
            if isinstance(setting, types.AutomaticFunctionCallingConfig)
            else types.AutomaticFunctionCallingConfig.model_validate(setting)
        )
        keep = not config.ignore_call_history
        if config.disable:
            return cls(0, keep)
        calls = config.maximum_remote_calls
        if calls is None:
            return cls(DEFAULT_MAXIMUM_REMOTE_CALLS, keep)
        if calls <= 0:
            log.warning(
                "automatic_function_calling: maximum_remote_calls %d <= 0 turns it off", calls
            )
        return cls(max(calls, 0), keep)


def reply_of(resp: types.GenerateContentResponse) -> types.Content | None:
    """The first candidate's content, as a model turn (`None` without one)."""
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


def _answerable(calls: list[types.FunctionCall], functions: Mapping[str, Tool]) -> bool:
    """Whether AFC answers these calls: when one of them is a Python tool (a call of an unknown
    name, or without one, is then answered with an error). Calls of other tools only are the
    caller's."""
    return any(not c.name or c.name in functions for c in calls)


def _target(call: types.FunctionCall, functions: Mapping[str, Tool]) -> Tool:
    fn = functions.get(call.name or "")
    if fn is None:
        raise LookupError(f"no function named {call.name!r} among the tools")
    return fn


def _part(call: types.FunctionCall, response: dict[str, Any]) -> types.Part:
    return types.Part.from_function_response(call.name or "", response, id=call.id)


def run_calls(calls: list[types.FunctionCall], functions: Mapping[str, Tool]) -> list[types.Part]:
    """Each call run, its result (or error) as a function response part."""
    out = []
    for call in calls:
        try:
            fn = _target(call, functions)
            response = _result(fn(**arguments(fn, call.args)))
        except Exception as exc:  # the model is told, and may retry or explain
            response = _error(exc)
        out.append(_part(call, response))
    return out


async def run_calls_async(
    calls: list[types.FunctionCall], functions: Mapping[str, Tool]
) -> list[types.Part]:
    """`run_calls`, awaiting coroutine functions."""
    out = []
    for call in calls:
        try:
            fn = _target(call, functions)
            if isinstance(fn, RemoteTool):
                response = await fn.call(fn.name, call.args)
            else:
                value = fn(**arguments(fn, call.args))
                response = _result(await value if inspect.isawaitable(value) else value)
        except Exception as exc:
            response = _error(exc)
        out.append(_part(call, response))
    return out


def refuse_coroutines(functions: Mapping[str, Tool]) -> None:
    """On `Client`, a coroutine function cannot be run: say so before any request."""
    for name, fn in functions.items():
        if inspect.iscoroutinefunction(fn):
            raise TypeError(f"{name} is a coroutine function: use AsyncClient for it")


class Exchange:
    """One AFC exchange: the contents sent so far and the turns it added."""

    def __init__(self, contents: list[types.Content], afc: Afc, functions: Mapping[str, Tool]):
        self.contents = contents
        self.afc = afc
        self.functions = functions
        self.added: list[types.Content] = []
        self.requests = 0

    def calls_to_run(self, resp: types.GenerateContentResponse) -> list[types.FunctionCall]:
        """The calls of `resp` to run now: none when AFC is off, spent, or the answer has none
        (or calls only functions that are not Python tools: those are the caller's)."""
        self.requests += 1
        if not self.functions or self.requests >= self.afc.max_calls:
            return []
        calls = resp.function_calls
        return calls if _answerable(calls, self.functions) and reply_of(resp) else []

    def answer(self, resp: types.GenerateContentResponse, parts: list[types.Part]) -> None:
        reply = reply_of(resp)
        assert reply is not None  # calls_to_run checked it
        turns = [reply, types.Content(role="user", parts=parts)]
        self.contents = [*self.contents, *turns]
        self.added += turns

    def finish(self, resp: types.GenerateContentResponse, sent: list[types.Content]) -> None:
        """Record the exchange on the response (google-genai's
        `automatic_function_calling_history`): what was sent first, then the added turns."""
        if self.added and self.afc.keep_history:
            resp._afc_history = [*sent, *self.added]


Step = Callable[[list[types.Content]], types.GenerateContentResponse]
AsyncStep = Callable[[list[types.Content]], Awaitable[types.GenerateContentResponse]]


def loop(step: Step, exchange: Exchange) -> types.GenerateContentResponse:
    """Send, run the calls, send their results... (see the module docstring)."""
    sent = exchange.contents
    while True:
        resp = step(exchange.contents)
        calls = exchange.calls_to_run(resp)
        if not calls:
            exchange.finish(resp, sent)
            return resp
        exchange.answer(resp, run_calls(calls, exchange.functions))


async def loop_async(step: AsyncStep, exchange: Exchange) -> types.GenerateContentResponse:
    """`loop` for asyncio."""
    sent = exchange.contents
    while True:
        resp = await step(exchange.contents)
        calls = exchange.calls_to_run(resp)
        if not calls:
            exchange.finish(resp, sent)
            return resp
        exchange.answer(resp, await run_calls_async(calls, exchange.functions))


def merged(parts: list[types.Part]) -> list[types.Part]:
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


def _streamed_answer(chunks: list[types.GenerateContentResponse]) -> types.GenerateContentResponse:
    """The chunks of one streamed answer as one response (their parts in order), to find its
    function calls and record its turn."""
    parts = merged([p for c in chunks if (r := reply_of(c)) is not None for p in (r.parts or [])])
    return types.GenerateContentResponse(
        candidates=[types.Candidate(content=types.Content(role="model", parts=parts))]
    )


Chunks = Generator[types.GenerateContentResponse, None, None]
StreamStep = Callable[[list[types.Content]], Stream[types.GenerateContentResponse]]


def stream_loop(first: Chunks, step: StreamStep, exchange: Exchange) -> Chunks:
    """The chunks of every answer of an AFC exchange, the calls run between answers."""
    chunks: Chunks = first
    current: Stream[types.GenerateContentResponse] | None = None  # kept: a dropped Stream closes
    try:
        while True:
            seen = []
            for chunk in chunks:
                seen.append(chunk)
                yield chunk
            answer = _streamed_answer(seen)
            calls = exchange.calls_to_run(answer)
            if not calls:
                return
            exchange.answer(answer, run_calls(calls, exchange.functions))
            chunks.close()
            current = step(exchange.contents)
            chunks = current._iterator
    finally:
        chunks.close()
        if current is not None:
            current.close()


AsyncChunks = AsyncGenerator[types.GenerateContentResponse, None]
AsyncStreamStep = Callable[
    [list[types.Content]], Awaitable[AsyncStream[types.GenerateContentResponse]]
]


async def stream_loop_async(
    first: AsyncChunks, step: AsyncStreamStep, exchange: Exchange
) -> AsyncChunks:
    """`stream_loop` for asyncio."""
    chunks: AsyncChunks = first
    current: AsyncStream[types.GenerateContentResponse] | None = None  # kept, as in stream_loop
    try:
        while True:
            seen = []
            async for chunk in chunks:
                seen.append(chunk)
                yield chunk
            answer = _streamed_answer(seen)
            calls = exchange.calls_to_run(answer)
            if not calls:
                return
            exchange.answer(answer, await run_calls_async(calls, exchange.functions))
            await chunks.aclose()
            current = await step(exchange.contents)
            chunks = current._iterator
    finally:
        await chunks.aclose()
        if current is not None:
            await current.aclose()
