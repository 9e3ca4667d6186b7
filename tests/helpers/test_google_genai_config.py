"""google-genai's `config=` and argument spellings on the hand-written methods that take them as
typed parameters (`files.upload`, `batches.create`, `caches.update`, `batches.list`), and
`http_options` per call: what each sends, and the error a wrong one gets."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from gemini_client import AsyncClient, Client, types
from support.server import LoopbackServer, Reply
from support.upload_server import UploadServer

from .replies import GENERATE, KEY, MODEL, text

CACHE = {"name": "cachedContents/c1", "model": f"models/{MODEL}"}
BATCH = f"/v1beta/models/{MODEL}:batchGenerateContent"


@pytest.fixture(scope="module")
def ups() -> Iterator[UploadServer]:
    server = UploadServer().start()
    yield server
    server.stop()


def test_upload_takes_google_genais_config(ups: UploadServer) -> None:
    ups.reset()
    with Client(api_key=KEY, base_url=ups.url) as client:
        file = client.files.upload(
            file=b"hello", config={"mime_type": "text/plain", "display_name": "greeting"}
        )
        assert file.mime_type == "text/plain" and ups.only().display_name == "greeting"
        with pytest.raises(TypeError, match="config has no option 'mimetype'; did you mean"):
            client.files.upload(file=b"x", config={"mimetype": "text/plain"})
        with pytest.raises(TypeError, match="'mime_type' given both as an argument and in config"):
            client.files.upload(file=b"x", mime_type="a/b", config={"mime_type": "text/plain"})


@pytest.mark.asyncio
async def test_async_upload_takes_google_genais_config(ups: UploadServer) -> None:
    ups.reset()
    async with AsyncClient(api_key=KEY, base_url=ups.url) as client:
        file = await client.files.upload(file=b"hello", config={"mime_type": "text/plain"})
    assert file.mime_type == "text/plain" and ups.stored() == b"hello"


def test_caches_update_takes_name_and_config(server: LoopbackServer, client: Client) -> None:
    server.add("/v1beta/cachedContents/c1", Reply(json=CACHE), Reply(json=CACHE))
    client.caches.update(name="cachedContents/c1", config={"ttl": timedelta(minutes=10)})
    client.caches.update("c1", expire_time="2030-01-01T00:00:00Z")
    first, second = server.requests[-2:]
    assert first.json() == {"ttl": "600s"} and first.query["updateMask"] == ["ttl"]
    assert second.json() == {"expireTime": "2030-01-01T00:00:00Z"}
    with pytest.raises(TypeError, match="pass the cache \\(or google-genai's name=\\), once"):
        client.caches.update("c1", name="cachedContents/c1", ttl="1s")
    with pytest.raises(TypeError, match="did you mean 'ttl'"):
        client.caches.update(name="cachedContents/c1", config={"tll": "1s"})


def test_batches_create_takes_src_and_config(server: LoopbackServer, client: Client) -> None:
    server.add(BATCH, Reply(json={"name": "batches/b1"}), Reply(json={"name": "batches/b2"}))
    client.batches.create(model=MODEL, src=[{"contents": "Hi"}], config={"display_name": "j"})
    client.batches.create(
        model=MODEL, src="files/input", config={"http_options": {"timeout": 5000}}
    )
    inline, from_file = (r.json()["batch"] for r in server.requests[-2:])
    assert inline["displayName"] == "j" and inline["inputConfig"]["requests"]["requests"]
    assert from_file["inputConfig"] == {"fileName": "files/input"}
    with pytest.raises(TypeError, match="pass requests= or src=, not both"):
        client.batches.create(model=MODEL, requests=[{"contents": "a"}], src=[{"contents": "b"}])


def test_batches_list_takes_config(server: LoopbackServer, client: Client) -> None:
    server.add("/v1beta/batches", Reply(json={"operations": [{"name": "batches/b1"}]}))
    assert [b.name for b in client.batches.list(config={"page_size": 3})] == ["batches/b1"]
    assert server.requests[-1].query["pageSize"] == ["3"]


def test_http_options_per_call(server: LoopbackServer, client: Client) -> None:
    server.add(GENERATE, text("ok"))
    client.models.generate_content(
        model=MODEL,
        contents="Hi",
        config={
            "http_options": {
                "headers": {"x-trace": "t1"},
                "extra_body": {"labels": {"team": "a"}},
                "timeout": 30_000,
            }
        },
    )
    sent = server.requests[-1]
    assert sent.headers["x-trace"] == "t1" and sent.json()["labels"] == {"team": "a"}
    with pytest.raises(TypeError, match="'base_url' is not per call here"):
        client.models.generate_content(
            model=MODEL, contents="Hi", config={"http_options": {"base_url": "http://x"}}
        )


def get_time(city: str) -> str:
    """The time in a city."""
    return "noon"


def test_short_forms_wherever_content_is_sent() -> None:
    """The types a request or a Live session sends inside a request body convert the short forms
    too; an answer's types do not."""
    from gemini_client.lib.live import _setup_message

    setup = _setup_message(MODEL, {"system_instruction": "be brief", "tools": [get_time]}, None)
    assert setup["setup"]["systemInstruction"]["parts"] == [{"text": "be brief"}]
    assert setup["setup"]["tools"][0]["functionDeclarations"][0]["name"] == "get_time"
    turns = types.BidiGenerateContentClientContent(turns=["Hello", "again"]).turns or []
    assert [p.text for t in turns for p in t.parts or []] == ["Hello", "again"]
    passage = types.GroundingPassage(id="p1", content=types.Part(text="a fact"))
    assert passage.content is not None and passage.content.parts
    with pytest.raises(ValueError):
        types.Candidate.model_validate({"content": "an answer never holds a short form"})
