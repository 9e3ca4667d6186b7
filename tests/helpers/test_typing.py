"""The helpers pass ``mypy --strict`` for a user; dict-key typos and wrong short forms do not.

mypy shares its cache with tests/client (``.mypy_cache/tests-client``, ignored by git).
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gemini_client import AsyncClient, Client
from support.server import LoopbackServer, Reply

from . import typed_helpers
from .replies import COUNT, GENERATE, STREAM, calls, json_text, streamed, text

ROOT = Path(__file__).resolve().parents[2]
# mypy shares one cache dir across these modules: run them on one xdist worker, one at a time.
pytestmark = pytest.mark.xdist_group("mypy-cache")

CACHE = ROOT / ".mypy_cache" / "tests-client"

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


def mypy(*targets: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MYPYPATH": str(ROOT / "generated")}
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(CACHE), *map(str, targets)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,  # the first run of a session may be cold, on a loaded machine
    )


def test_the_typed_example_passes_and_each_typo_fails(tmp_path: Path) -> None:
    files = {}
    for name, (line, _) in REJECTED.items():
        files[name] = tmp_path / f"{name}.py"
        files[name].write_text(PRELUDE + line + "\n")
    result = mypy("tests/helpers/typed_helpers.py", *files.values())
    errors = [l for l in result.stdout.splitlines() if ": error:" in l]
    assert not [l for l in errors if "typed_helpers.py" in l], result.stdout
    last_line = PRELUDE.count("\n") + 1
    for name, (_, expected) in REJECTED.items():
        mine = [l for l in errors if re.search(rf"\b{name}\.py:", l)]
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
