"""google-genai's forms type-check (`typed_migration.py` under ``mypy --strict``), wrong ones do
not, and the typed program sends the right requests to a loopback server."""

from __future__ import annotations

import json
import typing

import pytest

from gemini_client import Client, types
from gemini_client.types import _configs
from support.mypy_run import MypyReport, program, typed
from support.server import LoopbackServer, Reply, sse

from . import typed_migration
from .bodies import GENERATE, MODEL, STREAM, generate_response, model

# the tests of the one mypy run (the mypy_strict fixture): on one xdist worker, which runs it once
pytestmark = pytest.mark.xdist_group("mypy-cache")

MIGRATION = typed("tests/client/typed_migration.py")


def test_google_genai_forms_pass_mypy_strict(mypy_strict: MypyReport) -> None:
    assert mypy_strict.clean(MIGRATION) == ""


WRONG = """\
from datetime import timedelta
import pydantic
from gemini_client import Client, types

class Country(pydantic.BaseModel):
    name: str

client = Client(api_key="k")
types.GenerateContentConfig(system_instruction=5)
types.GenerateContentConfig(tools=["not a tool"])
types.CachedContent(ttl=[1])
client.models.get(modl="gemini-2.5-flash")
client.models.list(config={"page_sise": 2})
client.caches.create(model="m", config={"tll": timedelta(hours=1)})
client.caches.update(name="cachedContents/c", config={"ttl": [1]})
client.batches.create(model="m", src=5)
client.files.upload(file=b"x", config={"mimetype": "text/plain"})
resp = client.models.generate_content(model="m", contents="x", config={"response_schema": Country})
print(resp.parsed.name)
resp.parsed.nme
candidate = types.Candidate(content="short forms only where a request converts them")
plain: types.GenerateContentConfigDict[Country] = {"response_schema": Country}
client.models.generate_content(model="m", contents="x", config={"_refers_to_itself": None})
"""

EXPECTED = {
    (9, "arg-type"),  # an int is no content
    (10, "list-item"),  # a str is no tool
    (11, "arg-type"),  # a list is no duration
    (12, "call-overload"),  # get() takes name= or model=
    (13, "arg-type"),  # config: the method's own options only
    (14, "arg-type"),
    (15, "arg-type"),  # a list is no duration
    (16, "arg-type"),
    (17, "arg-type"),
    (20, "attr-defined"),  # .parsed is a Country
    (21, "arg-type"),  # a Candidate (an answer) converts no short form
    # google-genai's dict form is not generic (types._configs.ParsedConfigDict is, apart): a dict
    # checked against a generic TypedDict costs mypy a walk of every field's type (~0.1 s a dict)
    (22, "type-arg"),
    (23, "arg-type"),  # the key through which the dict form refers to itself takes no value
}


WRONG_MIGRATION = program("client_wrong_migration", WRONG)


def test_wrong_google_genai_forms_are_rejected(mypy_strict: MypyReport) -> None:
    assert mypy_strict.codes(WRONG_MIGRATION) == EXPECTED, mypy_strict.stdout
    errors = "\n".join(mypy_strict.errors(WRONG_MIGRATION))
    assert '"Country" has no attribute "nme"' in errors
    assert 'Unexpected keyword argument "modl"' in errors
    assert 'expected "CacheUpdateConfig | None"' in errors


def test_the_config_dict_refers_to_itself_for_mypy() -> None:
    """`GenerateContentConfigDict` is a recursive type for mypy (a key of a type no value has),
    which its inference of `generate_content`'s `ParsedT` skips instead of walking every field's
    type, nested dicts included: 19x fewer operations for a call with a config dict (pure-Python
    mypy's function calls, 10 calls: 60.7M before, 3.2M)."""
    hints = typing.get_type_hints(types.GenerateContentConfigDict)
    assert hints["_refers_to_itself"] == _configs._Unmade[types.GenerateContentConfigDict]


def test_the_typed_program_runs_and_sends_google_genai_forms_right(server: LoopbackServer) -> None:
    server.add(
        GENERATE,
        Reply(json=generate_response('{"name": "United States", "population": 331}')),
        Reply(json=generate_response("Percussion")),
        Reply(json=generate_response('[{"name": "A", "population": 1}]')),
        Reply(json=generate_response('{"title": "Soup"}')),
        Reply(json=generate_response("Hello")),
    )
    server.add(STREAM, Reply(chunks=[sse(generate_response('{"name": "X", "population": 2}'))]))
    server.add(f"/v1beta/models/{MODEL}", Reply(json=model(MODEL)))
    server.add("/v1beta/models", Reply(json={"models": [model(MODEL)]}))
    server.add("/v1beta/files", Reply(json={"files": [{"name": "files/f"}]}))
    cache = {"name": "cachedContents/c1", "model": f"models/{MODEL}", "ttl": "3600s"}
    server.add("/v1beta/cachedContents", Reply(json=cache), Reply(json={"cachedContents": [cache]}))
    server.add("/v1beta/cachedContents/c1", Reply(json={**cache, "ttl": "600s"}))
    server.add(f"/v1beta/models/{MODEL}:batchGenerateContent", Reply(json={"name": "batches/b1"}))
    server.add("/v1beta/batches", Reply(json={"operations": [{"name": "batches/b1"}]}))
    with Client(api_key="AIzaSy-typed", base_url=server.url) as client:
        got = typed_migration.run_sync(client)

    country, instrument, _ = got["parsed"]
    assert country == typed_migration.Country(name="United States", population=331)
    assert instrument is typed_migration.Instrument.PERCUSSION
    assert got["spellings"] == [
        f"models/{MODEL}",
        [f"models/{MODEL}"],
        ["files/f"],
        "600s",
        ["cachedContents/c1"],
        "batches/b1",
        ["batches/b1"],
    ]
    sent = {(r.method, r.path): r for r in server.requests}
    first = server.requests[0].json()
    assert first["generationConfig"]["responseMimeType"] == "application/json"
    assert first["generationConfig"]["responseJsonSchema"]["title"] == "Country"
    assert server.requests[1].json()["generationConfig"]["responseMimeType"] == "text/x.enum"
    assert sent[("GET", "/v1beta/models")].query["pageSize"] == ["2"]
    assert sent[("GET", "/v1beta/files")].query["pageSize"] == ["10"]
    created = sent[("POST", "/v1beta/cachedContents")].json()
    assert created == {
        "model": f"models/{MODEL}",
        "contents": [{"role": "user", "parts": [{"text": "a long document"}]}],
        "systemInstruction": {"role": "user", "parts": [{"text": "answer from the document"}]},
        "displayName": "doc",
        "ttl": "3600s",
    }
    patch = sent[("PATCH", "/v1beta/cachedContents/c1")]
    assert patch.json() == {"ttl": "600s"} and patch.query["updateMask"] == ["ttl"]
    batch = sent[("POST", f"/v1beta/models/{MODEL}:batchGenerateContent")].json()["batch"]
    assert batch["displayName"] == "inlined"
    assert json.dumps(batch["inputConfig"]["requests"]["requests"][0]["request"]).count("Hello!")
    assert sent[("GET", "/v1beta/batches")].query["pageSize"] == ["5"]
