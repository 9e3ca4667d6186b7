"""The helpers pass ``mypy --strict`` for a user; dict-key typos and wrong short forms do not.

mypy runs once for every typed program of the suite (support.mypy_run, the ``mypy_strict`` fixture).
"""

from __future__ import annotations

import asyncio
import re

import pytest

from gemini_client import AsyncClient, Client
from support.mypy_run import MypyReport, program, typed
from support.server import LoopbackServer, Reply

from . import typed_helpers
from .replies import COUNT, GENERATE, STREAM, calls, json_text, streamed, text

# the tests of the one mypy run (the mypy_strict fixture): on one xdist worker, which runs it once
pytestmark = pytest.mark.xdist_group("mypy-cache")

PRELUDE = """\
from typing import Any
from gemini_client import Client, types

client = Client(api_key="k")
"""

# Each program must fail mypy on its last line, with this in the message.
REJECTED = {
    "content_key_typo": (
        'client.models.generate_content(model="m", contents=[{"part": [{"text": "hi"}]}])',
        "ContentDict",
    ),
    "part_key_typo": (
        'client.models.generate_content(model="m", contents=[{"parts": [{"txt": "hi"}]}])',
        "ContentDict",
    ),
    "config_key_typo": (
        'client.models.generate_content(model="m", contents="hi", generation_config={"temprature": 0.5})',
        "GenerationConfigDict",
    ),
    "config_value_type": (
        'client.models.generate_content(model="m", contents="hi", generation_config={"temperature": "hot"})',
        "GenerationConfigDict",
    ),
    "tool_key_typo": (
        'client.models.generate_content(model="m", contents="hi", tools=[{"google_serch": {}}])',
        "ToolDict",
    ),
    "chat_history_typo": (
        'client.chats.create(model="m", history=[{"role": "user", "prts": []}])',
        "ContentDict",
    ),
    "chat_message_type": ('client.chats.create(model="m").send_message(42)', "arg-type"),
    "system_instruction_typo": (
        'client.models.generate_content(model="m", contents="hi", system_instruction={"part": []})',
        "ContentDict",
    ),
    "part_constructor_args": ('types.Part.from_bytes("not bytes", "image/png")', "arg-type"),
    "text_is_optional": (
        'n: str = client.models.generate_content(model="m", contents="hi").text',
        "assignment",
    ),
}


HELPERS = typed("tests/helpers/typed_helpers.py")
PROGRAMS = {
    name: program(f"helpers_{name}", PRELUDE + line + "\n") for name, (line, _) in REJECTED.items()
}


def test_the_typed_example_passes_and_each_typo_fails(mypy_strict: MypyReport) -> None:
    assert mypy_strict.clean(HELPERS) == ""
    last_line = PRELUDE.count("\n") + 1
    for name, (_, expected) in REJECTED.items():
        mine = mypy_strict.errors(PROGRAMS[name])
        assert mine, f"mypy accepted {name}: {REJECTED[name][0]}"
        assert all(re.match(rf".*\.py:{last_line}:", l) for l in mine), mine
        assert any(expected in l for l in mine), (name, mine)


def test_the_typed_example_runs(server: LoopbackServer, client: Client) -> None:
    server.add(
        GENERATE,
        text("Hi!"),
        text("A cat."),
        json_text({"name": "Tokyo", "population": 37_000_000}),
    )
    server.add(COUNT, Reply(json={"totalTokens": 1}))
    assert typed_helpers.everyday(client) == [
        "Hi!",
        "A cat.",
        '{"name": "Tokyo", "population": 37000000}',
    ]
    server.add(GENERATE, calls(("get_weather", {"city": "Paris"})), text("21C."))
    server.add(STREAM, streamed("Sunny", "."))
    history = typed_helpers.chatting(client)
    assert [c.role for c in history] == [
        "user",
        "model",
        "user",
        "model",
        "user",
        "model",
        "user",
        "model",
    ]


@pytest.mark.asyncio
async def test_the_typed_example_runs_async(server: LoopbackServer, aclient: AsyncClient) -> None:
    server.add(
        GENERATE, text("Hello!"), json_text([{"name": "Tokyo", "population": 1}]), text("Brief.")
    )
    server.add(STREAM, streamed("1", "2"))
    history = await typed_helpers.chatting_async(aclient)
    assert [c.to_dict() for c in history][-1] == {"role": "model", "parts": [{"text": "12"}]}
    assert asyncio.get_running_loop()
