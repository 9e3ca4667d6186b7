"""google-genai's shapes on a loopback server: config= and its conflicts, automatic function calling
(sync, async, streamed; opt-out, call limit, history), several contents embedded, the shortcuts
(parts, code execution, images), Imagen/Veo flat names, a PATCH without the create-only fields."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from gemini_client import AsyncClient, Client, types
from support.server import LoopbackServer, Reply, sse

from .replies import GENERATE, MODEL, STREAM, answer, calls, text


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (1, 1), (255, 0, 0)).save(out, format="PNG")
    return out.getvalue()


PNG_1x1 = _png()


def weather(city: str) -> str:
    """The weather."""
    return f"sunny in {city}"


def test_config_model_and_dict_send_the_same(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, text("a"), text("b"))
    typed = types.GenerateContentConfig(
        temperature=0.5,
        top_k=3,
        system_instruction=types.Content(role="user", parts=[types.Part(text="Hi")]),
    )
    client.models.generate_content(model=MODEL, contents="x", config=typed)
    client.models.generate_content(
        model=MODEL,
        contents="x",
        config={"temperature": 0.5, "topK": 3, "system_instruction": "Hi"},
    )
    first, second = (r.json() for r in server.requests)
    assert first == second
    assert first["generationConfig"] == {"temperature": 0.5, "topK": 3}


def test_config_conflicts_are_named(client: Client, server: LoopbackServer) -> None:
    with pytest.raises(TypeError, match="'tools' given both as an argument and in config"):
        client.models.generate_content(
            model=MODEL, contents="x", tools=[weather], config={"tools": []}
        )
    with pytest.raises(TypeError, match="config has no option 'model'"):
        client.models.generate_content(model=MODEL, contents="x", config={"model": MODEL})
    with pytest.raises(TypeError, match="not per call here"):
        client.models.generate_content(
            model=MODEL, contents="x", config={"http_options": {"base_url": "http://elsewhere"}}
        )
    assert server.requests == []


def test_http_options_give_timeout_and_headers(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, text("ok"))
    client.models.generate_content(
        model=MODEL,
        contents="x",
        config={"http_options": {"timeout": 5000, "headers": {"x-a": "1"}}},
    )
    assert server.requests[0].headers["x-a"] == "1"


def test_afc_history_and_limit(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, calls(("weather", {"city": "Oslo"})), text("Sunny."))
    resp = client.models.generate_content(model=MODEL, contents="Weather?", tools=[weather])
    assert resp.text == "Sunny."
    history = resp.automatic_function_calling_history or []
    assert [c.role for c in history] == ["user", "model", "user"]
    server.reset()
    server.add(GENERATE, calls(("weather", {"city": "Oslo"})))
    once = client.models.generate_content(
        model=MODEL,
        contents="Weather?",
        tools=[weather],
        config={"automatic_function_calling": {"maximum_remote_calls": 1}},
    )
    assert once.function_calls[0].name == "weather" and len(server.requests) == 1
    assert once.automatic_function_calling_history is None


def test_afc_ignore_call_history(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, calls(("weather", {"city": "Oslo"})), text("Sunny."))
    resp = client.models.generate_content(
        model=MODEL,
        contents="Weather?",
        tools=[weather],
        automatic_function_calling={"ignore_call_history": True},
    )
    assert resp.text == "Sunny." and resp.automatic_function_calling_history is None


def test_afc_streamed(client: Client, server: LoopbackServer) -> None:
    call = {"functionCall": {"name": "weather", "args": {"city": "Rome"}}}
    server.add(
        STREAM,
        Reply(chunks=[sse({"candidates": [{"content": {"role": "model", "parts": [call]}}]})]),
        Reply(chunks=[sse(answer({"text": "Sun"}), answer({"text": "ny."}))]),
    )
    with client.models.generate_content_stream(model=MODEL, contents="?", tools=[weather]) as s:
        texts = [c.text for c in s]
    assert texts == [None, "Sun", "ny."]
    second = server.requests[1].json()["contents"]
    assert second[-1]["parts"][0]["functionResponse"]["response"] == {"result": "sunny in Rome"}


@pytest.mark.asyncio
async def test_afc_async_awaits(aclient: AsyncClient, server: LoopbackServer) -> None:
    async def lookup(key: str) -> str:
        """Look up."""
        return key.upper()

    server.add(GENERATE, calls(("lookup", {"key": "k"})), text("K."))
    resp = await aclient.models.generate_content(model=MODEL, contents="?", tools=[lookup])
    assert resp.text == "K."
    parts = server.requests[1].json()["contents"][-1]["parts"]
    assert parts[0]["functionResponse"]["response"] == {"result": "K"}


def test_embed_one_and_several(client: Client, server: LoopbackServer) -> None:
    server.add("/v1beta/models/e:embedContent", Reply(json={"embedding": {"values": [1.0]}}))
    server.add(
        "/v1beta/models/e:batchEmbedContents",
        Reply(json={"embeddings": [{"values": [1.0]}, {"values": [2.0]}, {"values": [3.0]}]}),
    )
    one = client.models.embed_content(model="e", content="a")
    assert [e.values for e in one.embeddings] == [[1.0]]
    several = client.models.embed_content(model="e", contents=["a", "b", "c"])
    assert len(several.embeddings or []) == 3
    assert len(server.requests[1].json()["requests"]) == 3


def test_code_execution_and_parts(client: Client, server: LoopbackServer) -> None:
    server.add(
        GENERATE,
        Reply(
            json=answer(
                {"executableCode": {"language": "PYTHON", "code": "print(1)"}},
                {"codeExecutionResult": {"outcome": "OUTCOME_OK", "output": "1\n"}},
                {"text": "Done."},
            )
        ),
    )
    resp = client.models.generate_content(model=MODEL, contents="run")
    assert resp.executable_code == "print(1)" and resp.code_execution_result == "1\n"
    assert resp.parts is not None and len(resp.parts) == 3


def test_image_output(client: Client, server: LoopbackServer, tmp_path: Path) -> None:
    import base64

    data = base64.b64encode(PNG_1x1).decode()
    server.add(
        GENERATE, Reply(json=answer({"inlineData": {"mimeType": "image/png", "data": data}}))
    )
    part = (client.models.generate_content(model=MODEL, contents="draw").parts or [])[0]
    image = part.as_image()
    assert image.size == (1, 1)
    part.save(tmp_path / "out.png")
    assert (tmp_path / "out.png").read_bytes() == PNG_1x1
    assert types.Part(text="no image").as_image() is None
    with pytest.raises(ValueError, match="no inline data"):
        types.Part(text="x").save(tmp_path / "none")


def test_as_image_without_pillow(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real = builtins.__import__

    def no_pil(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("PIL"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pil)
    part = types.Part.from_bytes(data=PNG_1x1, mime_type="image/png")
    with pytest.raises(ImportError, match="pip install pillow"):
        part.as_image()


def test_imagen_and_veo_take_google_genai_names(
    client: Client, server: LoopbackServer, tmp_path: Path
) -> None:
    server.add("/v1beta/models/imagen:predict", Reply(json={"predictions": []}))
    server.add("/v1beta/models/veo:predictLongRunning", Reply(json={"name": "operations/v1"}))
    client.models.generate_images(
        model="imagen",
        prompt="a robot",
        config={"number_of_images": 2, "output_mime_type": "image/jpeg"},
    )
    (tmp_path / "cat.png").write_bytes(PNG_1x1)
    client.models.generate_videos(
        model="veo",
        prompt="sun",
        image=types.PredictImage.from_file(tmp_path / "cat.png"),
        config={"number_of_videos": 1, "duration_seconds": 8},
    )
    images, videos = (r.json() for r in server.requests)
    assert images["parameters"] == {"sampleCount": 2, "outputOptions": {"mimeType": "image/jpeg"}}
    assert videos["parameters"] == {"sampleCount": 1, "durationSeconds": 8}
    assert videos["instances"][0]["image"]["mimeType"] == "image/png"


def test_tuned_model_rename_needs_no_tuning_task(client: Client, server: LoopbackServer) -> None:
    server.add(
        "/v1beta/tunedModels/t1", Reply(json={"name": "tunedModels/t1", "displayName": "new"})
    )
    client.tuned_models.patch(name="t1", display_name="new", update_mask=["displayName"])
    assert server.requests[0].json() == {"displayName": "new"}
    assert server.requests[0].query["updateMask"] == ["displayName"]


def test_a_wrong_attribute_names_the_closest(client: Client) -> None:
    with pytest.raises(AttributeError, match="did you mean 'generate_content'"):
        client.models.generate_contnet  # noqa: B018
    chat = client.chats.create(model=MODEL)
    with pytest.raises(AttributeError, match="did you mean 'send_message'"):
        chat.send_mesage  # noqa: B018
    assert chat.get_history() == []


def test_pager_page_view(client: Client, server: LoopbackServer) -> None:
    server.add(
        "/v1beta/models",
        Reply(json={"models": [{"name": "models/a"}, {"name": "models/b"}], "nextPageToken": "p2"}),
        Reply(json={"models": [{"name": "models/c"}]}),
    )
    pager = client.models.list(page_size=2)
    assert pager[0].name == "models/a" and pager.page_size == 2
    assert [m.name for m in pager.next_page()] == ["models/c"]
    assert pager[0].name == "models/c" and len(server.requests) == 2
    with pytest.raises(IndexError, match="no more pages"):
        pager.next_page()


@pytest.mark.asyncio
async def test_async_pager_page_view(aclient: AsyncClient, server: LoopbackServer) -> None:
    server.add(
        "/v1beta/models",
        Reply(json={"models": [{"name": "models/a"}], "nextPageToken": "p2"}),
        Reply(json={"models": [{"name": "models/b"}]}),
    )
    pager = await aclient.models.list()
    assert pager[0].name == "models/a" and pager.page_size == 1
    assert [m.name for m in await pager.next_page()] == ["models/b"]
    with pytest.raises(IndexError):
        await pager.next_page()
