"""Chats: the history the server receives, streaming, and automatic function calling."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from gemini_client import ArgumentError, AsyncClient, Client, GeminiError, types
from support.server import LoopbackServer, Reply

from .replies import GENERATE, MODEL, STREAM, answer, calls, streamed, text


def user(t: str) -> dict[str, Any]:
    return {"role": "user", "parts": [{"text": t}]}


def model(t: str) -> dict[str, Any]:
    return {"role": "model", "parts": [{"text": t}]}


def sent_contents(server: LoopbackServer) -> list[list[dict[str, Any]]]:
    return [r.json()["contents"] for r in server.requests]


def test_three_turns_send_the_whole_history(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, text("Hi! How can I help?"), text("Two dogs: 8 paws."), text("12 paws."))
    chat = client.chats.create(
        model=MODEL,
        system_instruction="Answer briefly.",
        generation_config={"temperature": 0.1},
    )
    assert chat.send_message("Hello").text == "Hi! How can I help?"
    assert chat.send_message("I have two dogs. How many paws?").text == "Two dogs: 8 paws."
    assert chat.send_message(["And a cat?", "Count them all."]).text == "12 paws."
    got = sent_contents(server)
    assert got[0] == [user("Hello")]
    assert got[1] == [
        user("Hello"),
        model("Hi! How can I help?"),
        user("I have two dogs. How many paws?"),
    ]
    assert got[2] == [
        user("Hello"),
        model("Hi! How can I help?"),
        user("I have two dogs. How many paws?"),
        model("Two dogs: 8 paws."),
        {"role": "user", "parts": [{"text": "And a cat?"}, {"text": "Count them all."}]},
    ]
    for r in server.requests:  # the configuration goes with every message
        assert r.json()["systemInstruction"] == user("Answer briefly.")
        assert r.json()["generationConfig"] == {"temperature": 0.1}
    assert [c.to_dict() for c in chat.history] == [*got[2], model("12 paws.")]


def test_history_seeds_the_chat_and_is_a_copy(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, text("Blue."))
    chat = client.chats.create(
        model=MODEL,
        history=[
            {"role": "user", "parts": [{"text": "Pick a color."}]},
            types.Content(role="model", parts=[types.Part(text="Red.")]),
        ],
    )
    chat.history.clear()  # the caller's copy; the chat keeps its own
    chat.send_message("Another?")
    assert sent_contents(server)[0] == [user("Pick a color."), model("Red."), user("Another?")]
    assert len(chat.history) == 4


def test_a_failed_or_empty_answer_records_nothing(client: Client, server: LoopbackServer) -> None:
    server.add(
        GENERATE,
        Reply(status=500, json={"error": {"code": 500, "message": "boom", "status": "INTERNAL"}}),
        Reply(json={"promptFeedback": {"blockReason": "SAFETY"}}),
        text("ok"),
    )
    chat = client.chats.create(model=MODEL)
    with pytest.raises(Exception, match="boom"):
        chat.send_message("one")
    assert chat.send_message("two").text is None
    assert chat.history == []
    chat.send_message("three")
    assert sent_contents(server)[2] == [user("three")]


def test_a_typo_in_a_message_dict_is_named_and_records_nothing(
    client: Client, server: LoopbackServer
) -> None:
    chat = client.chats.create(model=MODEL)
    with pytest.raises(ArgumentError, match="did you mean 'parts'"):
        chat.send_message([{"role": "user", "part": [{"text": "x"}]}])
    assert chat.history == [] and server.requests == []


def test_stream_yields_chunks_and_records_the_joined_answer(
    client: Client, server: LoopbackServer
) -> None:
    server.add(STREAM, streamed("Once ", "upon ", "a time."))
    server.add(GENERATE, text("The end."))
    chat = client.chats.create(model=MODEL)
    assert [c.text for c in chat.send_message_stream("Tell a story")] == [
        "Once ",
        "upon ",
        "a time.",
    ]
    chat.send_message("And then?")
    assert sent_contents(server)[1] == [
        user("Tell a story"),
        model("Once upon a time."),
        user("And then?"),
    ]


def test_a_stream_left_early_records_nothing(client: Client, server: LoopbackServer) -> None:
    server.add(STREAM, streamed("a", "b", "c"))
    chat = client.chats.create(model=MODEL)
    stream = chat.send_message_stream("hi")
    assert next(stream).text == "a"
    stream.close()
    assert chat.history == []


# -- automatic function calling -------------------------------------------------------------


def get_weather(city: str, unit: str = "celsius") -> dict[str, Any]:
    """The current weather in a city."""
    return {"city": city, "temp": 21 if unit == "celsius" else 70}


def get_time(city: str) -> str:
    """The local time in a city."""
    return f"14:05 in {city}"


def test_two_rounds_of_automatic_function_calls(client: Client, server: LoopbackServer) -> None:
    server.add(
        GENERATE,
        calls(("get_weather", {"city": "Paris"}), ("get_time", {"city": "Paris"})),
        calls(("get_weather", {"city": "Oslo", "unit": "fahrenheit"})),
        text("Paris: 21C at 14:05; Oslo: 70F."),
    )
    chat = client.chats.create(
        model=MODEL,
        tools=[get_weather, get_time],
        automatic_function_calling=types.AutomaticFunctionCallingConfig(maximum_remote_calls=4),
    )
    resp = chat.send_message("Weather and time in Paris, and weather in Oslo?")
    assert resp.text == "Paris: 21C at 14:05; Oslo: 70F."
    first, second, third = (r.json() for r in server.requests)
    decls = first["tools"][0]["functionDeclarations"]
    assert [d["name"] for d in decls] == ["get_weather", "get_time"]
    assert decls[0]["description"] == "The current weather in a city."
    assert decls[0]["parametersJsonSchema"]["required"] == ["city"]
    round1 = [
        user("Weather and time in Paris, and weather in Oslo?"),
        {
            "role": "model",
            "parts": [
                {
                    "functionCall": {
                        "id": "call-0",
                        "name": "get_weather",
                        "args": {"city": "Paris"},
                    }
                },
                {"functionCall": {"id": "call-1", "name": "get_time", "args": {"city": "Paris"}}},
            ],
        },
        {
            "role": "user",
            "parts": [
                {
                    "functionResponse": {
                        "id": "call-0",
                        "name": "get_weather",
                        "response": {"result": {"city": "Paris", "temp": 21}},
                    }
                },
                {
                    "functionResponse": {
                        "id": "call-1",
                        "name": "get_time",
                        "response": {"result": "14:05 in Paris"},
                    }
                },
            ],
        },
    ]
    assert second["contents"] == round1
    round2 = [
        {
            "role": "model",
            "parts": [
                {
                    "functionCall": {
                        "id": "call-0",
                        "name": "get_weather",
                        "args": {"city": "Oslo", "unit": "fahrenheit"},
                    }
                }
            ],
        },
        {
            "role": "user",
            "parts": [
                {
                    "functionResponse": {
                        "id": "call-0",
                        "name": "get_weather",
                        "response": {"result": {"city": "Oslo", "temp": 70}},
                    }
                }
            ],
        },
    ]
    assert third["contents"] == round1 + round2
    assert [c.to_dict() for c in chat.history] == round1 + round2 + [
        model("Paris: 21C at 14:05; Oslo: 70F.")
    ]


def test_with_afc_disabled_the_calls_come_back_to_the_caller(
    client: Client, server: LoopbackServer
) -> None:
    ran: list[str] = []

    def shout(word: str) -> str:
        """Shout a word."""
        ran.append(word)
        return word.upper()

    server.add(GENERATE, calls(("shout", {"word": "hi"})))
    chat = client.chats.create(
        model=MODEL, tools=[shout], config={"automatic_function_calling": {"disable": True}}
    )
    resp = chat.send_message("Shout hi")
    assert [(c.name, c.args) for c in resp.function_calls] == [("shout", {"word": "hi"})]
    assert ran == [] and len(server.requests) == 1 and len(chat.history) == 2


def test_errors_are_sent_back_to_the_model(client: Client, server: LoopbackServer) -> None:
    def divide(a: float, b: float) -> float:
        """a / b."""
        return a / b

    server.add(
        GENERATE,
        calls(("divide", {"a": 1, "b": 0}), ("divide", {"a": "one", "b": 2}), ("rm_rf", {})),
        text("I cannot divide by zero."),
    )
    chat = client.chats.create(model=MODEL, tools=[divide], automatic_function_calling=True)
    assert chat.send_message("1/0?").text == "I cannot divide by zero."
    responses = [
        p["functionResponse"]["response"] for p in server.requests[1].json()["contents"][2]["parts"]
    ]
    assert responses[0] == {"error": "ZeroDivisionError: float division by zero"}
    assert responses[1]["error"].startswith("ValidationError:") and "a" in responses[1]["error"]
    assert responses[2] == {"error": "LookupError: no function named 'rm_rf' among the tools"}


def test_rounds_are_bounded(client: Client, server: LoopbackServer) -> None:
    count = 0

    def again() -> int:
        """Call me again."""
        nonlocal count
        count += 1
        return count

    server.add(GENERATE, *(calls(("again", {})) for _ in range(5)))
    chat = client.chats.create(
        model=MODEL,
        tools=[again],
        automatic_function_calling={"maximum_remote_calls": 3},
    )
    resp = chat.send_message("loop")
    assert count == 2 and len(server.requests) == 3  # google-genai's count: requests made
    assert [c.name for c in resp.function_calls] == ["again"]  # the caller sees the last calls
    off = client.chats.create(
        model=MODEL, tools=[again], automatic_function_calling={"maximum_remote_calls": 0}
    )
    assert off.send_message("once").function_calls and count == 2 and len(server.requests) == 4


def test_a_coroutine_function_needs_the_async_client(client: Client) -> None:
    async def slow() -> str:
        """Slow."""
        return "x"

    with pytest.raises(TypeError, match="AsyncClient"):
        client.chats.create(model=MODEL, tools=[slow], automatic_function_calling=True)


@pytest.mark.asyncio
async def test_async_chat_awaits_coroutine_functions(
    aclient: AsyncClient, server: LoopbackServer
) -> None:
    async def lookup(key: str) -> str:
        """Look a key up."""
        await asyncio.sleep(0)
        return f"value of {key}"

    server.add(
        GENERATE,
        calls(("lookup", {"key": "a"})),
        calls(("get_time", {"city": "Rome"})),
        text("done"),
    )
    server.add(STREAM, streamed("str", "eam"))
    chat = aclient.chats.create(
        model=MODEL, tools=[lookup, get_time], automatic_function_calling=True
    )
    assert (await chat.send_message("go")).text == "done"
    parts = [c async for c in await chat.send_message_stream("more")]
    assert [p.text for p in parts] == ["str", "eam"]
    responses = [
        r.json()["contents"][-1]["parts"][0]["functionResponse"]["response"]
        for r in server.requests[1:3]
    ]
    assert responses == [{"result": "value of a"}, {"result": "14:05 in Rome"}]
    assert len(chat.history) == 8 and chat.history[-1].to_dict() == model("stream")


def test_a_stream_cut_off_records_nothing(client: Client, server: LoopbackServer) -> None:
    cut = streamed("Once ", "upon")
    cut.abort = True
    server.add(STREAM, cut)
    chat = client.chats.create(model=MODEL)
    got: list[str | None] = []
    with pytest.raises(GeminiError):
        for chunk in chat.send_message_stream("story"):
            got.append(chunk.text)
    assert got == ["Once ", "upon"] and chat.history == []


def test_a_call_without_a_name_is_answered_with_an_error(
    client: Client, server: LoopbackServer
) -> None:
    server.add(GENERATE, Reply(json=answer({"functionCall": {"args": {"x": 1}}})), text("sorry"))
    chat = client.chats.create(model=MODEL, tools=[get_time], automatic_function_calling=True)
    assert chat.send_message("?").text == "sorry"
    part = server.requests[1].json()["contents"][-1]["parts"][0]["functionResponse"]
    assert part["response"] == {"error": "LookupError: no function named None among the tools"}
