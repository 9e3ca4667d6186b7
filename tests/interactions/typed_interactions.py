"""A user's typed program for the Interactions API: checked by `mypy --strict` and run for real."""

from __future__ import annotations

from gemini_client import AsyncClient, Client, types


def run_sync(client: Client) -> dict[str, object]:
    first: types.Interaction = client.interactions.create(
        model="gemini-2.5-flash",
        input="Weather in Paris?",
        tools=[types.InteractionTool(type="function", name="get_weather", parameters={})],
        generation_config=types.InteractionGenerationConfig(temperature=0.2),
    )
    status: types.InteractionStatus | None = first.status
    steps: list[types.InteractionStep] = first.steps or []
    calls = [s for s in steps if s.type is types.InteractionStepType.function_call]
    text = ""
    with client.interactions.create_stream(
        model="gemini-2.5-flash",
        input=[{"type": "function_result", "call_id": calls[0].id, "result": "sunny"}],
        previous_interaction_id=first.id or "",
    ) as stream:
        for event in stream:
            delta: types.InteractionDelta | None = event.delta
            if delta is not None and delta.text is not None:
                text += delta.text
    again: types.Interaction = client.interactions.get(id=first.id or "")
    client.interactions.delete(id=again.id or "")
    return {"status": status, "calls": len(calls), "text": text}


async def run_async(client: AsyncClient) -> dict[str, object]:
    first = await client.interactions.create(model="gemini-2.5-flash", input="hi")
    text = ""
    async for event in await client.interactions.get_stream(id=first.id or "", last_event_id="e0"):
        if event.delta is not None:
            text += event.delta.text or ""
    cancelled: types.Interaction = await client.interactions.cancel(id=first.id or "")
    return {"status": cancelled.status, "text": text}


async def run_mcp(client: AsyncClient, url: str) -> str:
    """An MCP session as a tool of a chat, as a user's typed program writes it."""
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    from gemini_client.lib import McpToolset

    async with streamable_http_client(url) as (read, write, *_):
        async with ClientSession(read, write) as session:
            await session.initialize()
            chat = client.chats.create(
                model="gemini-2.5-flash", tools=[session], automatic_function_calling=True
            )
            answer: types.GenerateContentResponse = await chat.send_message("Add 2 and 3.")
            toolset = await McpToolset.load([session])
            result: dict[str, object] = await toolset.call("add", {"a": 1, "b": 2})
            return f"{answer.text} {result}"


def count_locally(model_path: str) -> int:
    """Local token counting, typed."""
    from gemini_client.lib import LocalTokenizer

    tokenizer = LocalTokenizer(model_path)
    counted: types.CountTokensResponse = tokenizer.count_tokens(
        ["What is your name?"], system_instruction="Be brief."
    )
    return counted.total_tokens or 0
