"""An MCP `ClientSession` as a tool: listed and called in automatic function calling.

The MCP server is mcp's own `MCPServer` over streamable HTTP on loopback; the Gemini API is the
scripted loopback server. Hostile servers (endless pages, repeated cursors, bad names) are fakes.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from gemini_client import AsyncClient, Client
from gemini_client.lib import McpToolset
from support.server import LoopbackServer, Reply

from . import mcp_server
from .bodies import MODEL

# One worker imports mcp (over a second of CPU), not each that runs one of these tests.
pytestmark = pytest.mark.xdist_group("mcp")

GENERATE = f"/v1beta/models/{MODEL}:generateContent"


def answer(*parts: dict[str, Any]) -> dict[str, Any]:
    return {
        "candidates": [{"content": {"role": "model", "parts": list(parts)}, "finishReason": "STOP"}]
    }


def call(name: str, args: dict[str, Any], id: str) -> dict[str, Any]:
    return {"functionCall": {"name": name, "args": args, "id": id}}


@pytest.fixture(scope="module")
def mcp_url() -> Iterator[str]:
    with mcp_server.McpLoopback() as server:
        yield server.url


@asynccontextmanager
async def session(url: str) -> AsyncIterator[Any]:
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    async with streamable_http_client(url) as streams:
        async with ClientSession(streams[0], streams[1]) as s:
            await s.initialize()
            yield s


def responses(request_json: dict[str, Any]) -> list[dict[str, Any]]:
    last = request_json["contents"][-1]
    assert last["role"] == "user"
    return [p["functionResponse"] for p in last["parts"]]


@pytest.mark.asyncio
async def test_mcp_tools_are_declared_and_called(
    aclient: AsyncClient, server: LoopbackServer, mcp_url: str
) -> None:
    server.add(
        GENERATE,
        Reply(
            json=answer(
                call("add", {"a": 2, "b": 3}, "c1"), call("forecast", {"city": "Oslo"}, "c2")
            )
        ),
        Reply(json=answer(call("shout", {"text": "done"}, "c3"))),
        Reply(json=answer({"text": "5, sunny in Oslo, DONE."})),
    )
    mcp_server.CALLS.clear()
    async with session(mcp_url) as s:
        chat = aclient.chats.create(model=MODEL, tools=[s], automatic_function_calling=True)
        resp = await chat.send_message("Add 2 and 3, then the weather in Oslo.")
    assert resp.text == "5, sunny in Oslo, DONE."
    assert mcp_server.CALLS == [
        ("add", {"a": 2, "b": 3}),
        ("forecast", {"city": "Oslo", "days": 1}),
        ("shout", {"text": "done"}),
    ]
    first, second, third = (r.json() for r in server.requests)
    (tool,) = first["tools"]
    declared = {d["name"]: d for d in tool["functionDeclarations"]}
    assert sorted(declared) == ["add", "explode", "forecast", "shout"]
    assert declared["add"]["description"] == "Add two integers."
    schema = declared["forecast"]["parametersJsonSchema"]
    assert schema["required"] == ["city"] and schema["properties"]["days"]["default"] == 1
    assert second["tools"] == first["tools"] == third["tools"]
    assert responses(second) == [
        {"name": "add", "response": {"result": 5}, "id": "c1"},
        {"name": "forecast", "response": {"city": "Oslo", "days": 1, "sky": "sunny"}, "id": "c2"},
    ]
    assert responses(third) == [{"name": "shout", "response": {"result": "DONE"}, "id": "c3"}]
    assert len(chat.history) == 6  # user, call, responses, call, response, answer


@pytest.mark.asyncio
async def test_failing_and_unknown_tools_tell_the_model(
    aclient: AsyncClient, server: LoopbackServer, mcp_url: str
) -> None:
    server.add(
        GENERATE,
        Reply(json=answer(call("explode", {"reason": "why"}, "e1"), call("add", {"a": "x"}, "e2"))),
        Reply(json=answer({"text": "sorry"})),
    )
    async with session(mcp_url) as s:
        chat = aclient.chats.create(model=MODEL, tools=[s], automatic_function_calling=True)
        resp = await chat.send_message("Try.")
    assert resp.text == "sorry"
    exploded, bad_args = responses(server.requests[1].json())
    assert exploded["response"] == {"error": "Error executing tool explode"}
    assert bad_args["response"]["error"].startswith("Error executing tool add")


@pytest.mark.asyncio
async def test_python_functions_and_mcp_tools_together(
    aclient: AsyncClient, server: LoopbackServer, mcp_url: str
) -> None:
    def local_time(city: str) -> str:
        """The local time of a city."""
        return f"12:00 in {city}"

    server.add(
        GENERATE,
        Reply(
            json=answer(
                call("local_time", {"city": "Rome"}, "l1"), call("shout", {"text": "hi"}, "m1")
            )
        ),
        Reply(json=answer({"text": "ok"})),
    )
    async with session(mcp_url) as s:
        chat = aclient.chats.create(
            model=MODEL, tools=[local_time, s], automatic_function_calling=True
        )
        await chat.send_message("Go.")
    tools = server.requests[0].json()["tools"]
    assert [d["name"] for t in tools for d in t["functionDeclarations"]] == [
        "local_time",
        "add",
        "forecast",
        "shout",
        "explode",
    ]
    assert [r["response"] for r in responses(server.requests[1].json())] == [
        {"result": "12:00 in Rome"},
        {"result": "HI"},
    ]


@pytest.mark.asyncio
async def test_toolset_with_generate_content(
    aclient: AsyncClient, server: LoopbackServer, mcp_url: str
) -> None:
    server.add(GENERATE, Reply(json=answer(call("add", {"a": 40, "b": 2}, "g1"))))
    async with session(mcp_url) as s:
        toolset = await McpToolset.load([s])
        resp = await aclient.models.generate_content(
            model=MODEL, contents="What is 40 + 2?", tools=[toolset.tool]
        )
        assert resp.function_calls
        fc = resp.function_calls[0]
        assert fc.name in toolset and "nope" not in toolset
        assert await toolset.call(fc.name or "", fc.args) == {"result": 42}
    assert server.requests[0].json()["tools"] == [toolset.tool]


def test_a_session_with_the_sync_client_is_refused(client: Client) -> None:
    class Session:
        async def list_tools(self) -> Any: ...

        async def call_tool(self, name: str, arguments: dict[str, Any] | None = None) -> Any: ...

    with pytest.raises(
        TypeError, match="MCP ClientSession is asynchronous: use it with AsyncClient"
    ):
        client.chats.create(model=MODEL, tools=[Session()])  # type: ignore[list-item]


class FakeTool:
    def __init__(self, name: Any, schema: dict[str, Any] | None = None) -> None:
        self.name, self.description, self.input_schema = name, None, schema


class FakeResult:
    def __init__(self, tools: list[FakeTool], next_cursor: str | None = None) -> None:
        self.tools, self.next_cursor = tools, next_cursor


class FakeSession:
    """A session whose `tools/list` answers follow a script: `pages(cursor) -> FakeResult`."""

    def __init__(self, pages: Any) -> None:
        self.pages, self.listed = pages, 0

    async def list_tools(self, *, params: Any = None) -> FakeResult:
        self.listed += 1
        result: FakeResult = self.pages(params.cursor if params else None)
        return result

    async def call_tool(self, name: str, arguments: dict[str, Any] | None = None) -> Any:
        raise AssertionError("not called")


@pytest.mark.asyncio
async def test_pages_are_all_read() -> None:
    def pages(cursor: str | None) -> FakeResult:
        n = int(cursor or 0)
        return FakeResult([FakeTool(f"t{n}")], str(n + 1) if n < 4 else None)

    toolset = await McpToolset.load([FakeSession(pages)])
    assert [d["name"] for d in toolset.declarations] == ["t0", "t1", "t2", "t3", "t4"]
    assert toolset.declarations[0]["parametersJsonSchema"] == {"type": "object"}


@pytest.mark.asyncio
async def test_a_server_that_never_stops_paging_is_refused() -> None:
    endless = FakeSession(lambda c: FakeResult([FakeTool(f"t{c}")], str(int(c or 0) + 1)))
    with pytest.raises(RuntimeError, match="more than 100 pages"):
        await McpToolset.load([endless])
    assert endless.listed == 100
    looping = FakeSession(lambda c: FakeResult([], "same"))
    with pytest.raises(RuntimeError, match="repeated the tools/list cursor 'same'"):
        await McpToolset.load([looping])


@pytest.mark.asyncio
@pytest.mark.parametrize("name", ["rm -rf /", "x" * 129, "", "1abc", "naïve", None, "a\nb"])
async def test_a_tool_name_the_api_refuses_is_reported(name: Any) -> None:
    with pytest.raises(ValueError, match="cannot be declared to the model"):
        await McpToolset.load([FakeSession(lambda c: FakeResult([FakeTool(name)]))])


@pytest.mark.asyncio
async def test_the_same_name_twice_is_refused() -> None:
    one = FakeSession(lambda c: FakeResult([FakeTool("dup")]))
    two = FakeSession(lambda c: FakeResult([FakeTool("dup")]))
    with pytest.raises(ValueError, match="two MCP tools are named 'dup'"):
        await McpToolset.load([one, two])


@pytest.mark.asyncio
async def test_a_python_function_named_like_an_mcp_tool_is_refused(aclient: AsyncClient) -> None:
    def dup() -> str:
        """A local function."""
        return ""

    chat = aclient.chats.create(
        model=MODEL, tools=[dup, FakeSession(lambda c: FakeResult([FakeTool("dup")]))]
    )
    with pytest.raises(ValueError, match="'dup' is both a Python function and an MCP tool"):
        await chat.send_message("x")


def test_mcp_is_not_imported_unless_used() -> None:
    code = (
        "import sys, gemini_client\n"
        "from gemini_client.lib import McpToolset, AsyncChat\n"
        "c = gemini_client.AsyncClient(api_key='k')\n"
        "def f(x: int) -> int:\n    'f'\n    return x\n"
        "c.chats.create(model='m', tools=[f], automatic_function_calling=True)\n"
        "print('mcp' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.asyncio
async def test_a_stdio_server_subprocess(
    aclient: AsyncClient, server: LoopbackServer, tmp_path: Path
) -> None:
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    server.add(
        GENERATE,
        Reply(json=answer(call("forecast", {"city": "Lima", "days": 3}, "s1"))),
        Reply(json=answer({"text": "Sunny for 3 days."})),
    )
    params = StdioServerParameters(command=sys.executable, args=[mcp_server.__file__])
    # the server's stderr to a real file: stdio_client's default is the sys.stderr of when mcp was
    # imported, which under pytest may be a capture without a file descriptor
    with (tmp_path / "server-stderr.txt").open("w") as errlog:
        async with (
            stdio_client(params, errlog=errlog) as streams,
            ClientSession(streams[0], streams[1]) as s,
        ):
            await s.initialize()
            chat = aclient.chats.create(model=MODEL, tools=[s], automatic_function_calling=True)
            resp = await chat.send_message("Lima, 3 days?")
    assert resp.text == "Sunny for 3 days.", (tmp_path / "server-stderr.txt").read_text()
    assert responses(server.requests[1].json()) == [
        {"name": "forecast", "response": {"city": "Lima", "days": 3, "sky": "sunny"}, "id": "s1"}
    ]


class StallingSession(FakeSession):
    async def call_tool(self, name: str, arguments: dict[str, Any] | None = None) -> Any:
        await asyncio.sleep(3600)


@pytest.mark.asyncio
async def test_a_stalling_server_times_out() -> None:
    async def never(*, params: Any = None) -> Any:
        await asyncio.sleep(3600)

    stalled = FakeSession(lambda c: FakeResult([]))
    stalled.list_tools = never  # type: ignore[method-assign]
    started = time.monotonic()
    with pytest.raises(TimeoutError, match="tools/list took more than 0.1 s"):
        await McpToolset.load([stalled], timeout=0.1)
    toolset = await McpToolset.load(
        [StallingSession(lambda c: FakeResult([FakeTool("slow")]))], timeout=0.1
    )
    with pytest.raises(TimeoutError, match="the MCP tool 'slow' took more than 0.1 s"):
        await toolset.call("slow", {})
    assert time.monotonic() - started < 5


@pytest.mark.asyncio
async def test_tools_are_listed_once_per_chat_and_declared_when_streaming(
    aclient: AsyncClient, server: LoopbackServer
) -> None:
    from support.server import sse

    session = FakeSession(lambda c: FakeResult([FakeTool("lookup", {"type": "object"})]))
    server.add(GENERATE, Reply(json=answer({"text": "one"})), Reply(json=answer({"text": "two"})))
    server.add(
        f"/v1beta/models/{MODEL}:streamGenerateContent", Reply(chunks=[sse(answer({"text": "3"}))])
    )
    chat = aclient.chats.create(model=MODEL, tools=[session], automatic_function_calling=True)
    assert (await chat.send_message("1")).text == "one"
    assert (await chat.send_message("2")).text == "two"
    assert [c.text async for c in await chat.send_message_stream("3")] == ["3"]
    assert session.listed == 1
    declared = [
        [d["name"] for t in r.json()["tools"] for d in t["functionDeclarations"]]
        for r in server.requests
    ]
    assert declared == [["lookup"]] * 3
    assert len(chat.history) == 6
