"""A google-genai program's forms, as mypy sees them: the short forms inside typed config models,
google-genai's spellings on files, batches, caches and the list methods, and `.parsed` typed with
the `response_schema` given.

Not a test module: ``test_typing_migration.py`` type-checks it with ``mypy --strict`` and runs
``run_sync`` against a loopback server (what each call sends is checked there).
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta, timezone
from typing import Any

import pydantic
from typing_extensions import TypedDict, assert_type  # pydantic wants this TypedDict before 3.12

from gemini_client import Client, types

MODEL = "gemini-2.5-flash"


class Country(pydantic.BaseModel):
    name: str
    population: int


class Instrument(enum.Enum):
    PERCUSSION = "Percussion"
    STRING = "String"


class Recipe(TypedDict):
    title: str


def get_weather(city: str) -> str:
    """The weather in a city.

    Args:
      city: The city's name.
    """
    return "sunny"


def short_forms_in_typed_models() -> list[Any]:
    """A string, Part or Content wherever content goes, a function for a tool, a Python type for a
    schema, a datetime or timedelta for a time, a string for an enum, a dict for a nested model."""
    config = types.GenerateContentConfig(
        system_instruction="be brief",
        tools=[get_weather],
        tool_config={"function_calling_config": {"mode": "AUTO"}},
        safety_settings=[{"category": "HARM_CATEGORY_HATE_SPEECH", "threshold": "BLOCK_ONLY_HIGH"}],
        automatic_function_calling={"disable": True},
        http_options={"timeout": 30_000},
        thinking_config={"thinking_budget": 0},
        response_modalities=["TEXT"],
        temperature=0.1,
    )
    # reading stays typed with what validation made of the input
    assert_type(config.system_instruction, types.Content | None)
    assert_type(config.tools, list[types.Tool] | None)
    assert_type(config.safety_settings, list[types.SafetySetting] | None)
    cache = types.CachedContent(
        model=MODEL,
        contents=["a long document", types.Part(text="and a part")],
        system_instruction=types.Part(text="answer from the document"),
        ttl=timedelta(minutes=5),
    )
    assert_type(cache.ttl, str | None)
    assert_type(cache.contents, list[types.Content] | None)
    expiring = types.CachedContent(expire_time=datetime(2030, 1, 1, tzinfo=timezone.utc))
    declaration = types.FunctionDeclaration(name="lookup", parameters=Country)
    named = types.CachedContent(name="cachedContents/c1")
    live_setup = types.BidiGenerateContentSetup(system_instruction="be brief", tools=[get_weather])
    assert_type(live_setup.system_instruction, types.Content | None)
    passage = types.GroundingPassage(id="p1", content="a fact")
    request = types.GenerateContentRequest(contents="Hi", cached_content=named)
    assert request.cached_content == "cachedContents/c1"
    return [config, cache, expiring, declaration, request, live_setup, passage]


def parsed_is_typed(client: Client) -> tuple[Country, Instrument, Any]:
    """`.parsed` is typed with the Python type given as `response_schema`."""
    typed = client.models.generate_content(
        model=MODEL,
        contents="Give me information for the United States.",
        config=types.GenerateContentConfig(response_schema=Country),
    )
    assert_type(typed.parsed, Country)
    as_dict = client.models.generate_content(
        model=MODEL,
        contents="What instrument plays multiple notes at once?",
        config={"response_mime_type": "text/x.enum", "response_schema": Instrument},
    )
    assert_type(as_dict.parsed, Instrument)
    many = client.models.generate_content(
        model=MODEL, contents="Two countries", config={"response_schema": list[Country]}
    )
    assert_type(many.parsed, list[Country])
    recipe = client.models.generate_content(
        model=MODEL, contents="A recipe", config={"response_schema": Recipe}
    )
    assert_type(recipe.parsed, Recipe)
    plain = client.models.generate_content(model=MODEL, contents="Hi")
    assert_type(plain, types.GenerateContentResponse)
    # still a GenerateContentResponse for code that takes one
    answer: types.GenerateContentResponse = typed
    with client.models.generate_content_stream(
        model=MODEL, contents="Stream it", config={"response_schema": Country}
    ) as chunks:
        for chunk in chunks:
            assert_type(chunk.parsed, Country)
    return typed.parsed, as_dict.parsed, answer.parsed


def google_genai_spellings(client: Client) -> list[Any]:
    """google-genai's spellings of the files, batches, caches and list methods."""
    model = client.models.get(model=MODEL)
    assert_type(model, types.Model)
    names = [m.name for m in client.models.list(config={"page_size": 2})]
    files = [f.name for f in client.files.list(config={"page_size": 10})]
    cache = client.caches.create(
        model=MODEL,
        config={
            "contents": ["a long document"],
            "system_instruction": "answer from the document",
            "display_name": "doc",
            "ttl": timedelta(hours=1),
        },
    )
    assert_type(cache, types.CachedContent)
    moved = client.caches.update(name=cache.name or "", config={"ttl": "600s"})
    caches = [c.name for c in client.caches.list(config={"page_size": 5})]
    batch = client.batches.create(
        model=MODEL,
        src=[{"contents": [{"parts": [{"text": "Hello!"}], "role": "user"}]}],
        config={"display_name": "inlined"},
    )
    batches = [b.name for b in client.batches.list(config={"page_size": 5})]
    return [model.name, names, files, moved.ttl, caches, batch.name, batches]


def upload(client: Client) -> types.File:
    """google-genai's `files.upload(file=..., config={...})`."""
    return client.files.upload(
        file=b"hello", config={"mime_type": "text/plain", "display_name": "greeting"}
    )


def run_sync(client: Client) -> dict[str, Any]:
    return {
        "short_forms": short_forms_in_typed_models(),
        "parsed": parsed_is_typed(client),
        "spellings": google_genai_spellings(client),
    }
