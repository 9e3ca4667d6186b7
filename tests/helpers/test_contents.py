"""`contents` in its short forms, and request dicts checked key by key, on the wire."""

from __future__ import annotations

from typing import Any

import pytest

from gemini_client import ArgumentError, AsyncClient, Client, types
from support.server import LoopbackServer, Reply

from .replies import COUNT, EMBED, GENERATE, MODEL, answer

USER_HI = {"role": "user", "parts": [{"text": "Hello"}]}


def sent(client: Client, server: LoopbackServer, **kwargs: Any) -> Any:
    server.add(GENERATE, Reply(json=answer({"text": "ok"})))
    client.models.generate_content(model=MODEL, **kwargs)
    return server.requests[-1].json()


@pytest.mark.parametrize(
    ("contents", "wire"),
    [
        ("Hello", [USER_HI]),
        (types.Part(text="Hello"), [USER_HI]),
        ({"text": "Hello"}, [USER_HI]),
        (types.Content(role="user", parts=[types.Part(text="Hello")]), [USER_HI]),
        ({"role": "user", "parts": [{"text": "Hello"}]}, [USER_HI]),
        (["Hello"], [USER_HI]),
        ([{"parts": [{"text": "Hello"}]}], [{"parts": [{"text": "Hello"}]}]),
        (
            ["Hello", {"text": "world"}, types.Part.from_uri("gs://b/cat.png", "image/png")],
            [
                {
                    "role": "user",
                    "parts": [
                        {"text": "Hello"},
                        {"text": "world"},
                        {"fileData": {"fileUri": "gs://b/cat.png", "mimeType": "image/png"}},
                    ],
                }
            ],
        ),
        (
            # turns and loose parts mixed: the loose ones between two turns make their own turn
            ["Hi", {"role": "model", "parts": [{"text": "Hello!"}]}, "How are you?", "Be brief."],
            [
                {"role": "user", "parts": [{"text": "Hi"}]},
                {"role": "model", "parts": [{"text": "Hello!"}]},
                {"role": "user", "parts": [{"text": "How are you?"}, {"text": "Be brief."}]},
            ],
        ),
        (
            # function calls are the model's turn, their responses the user's
            [
                "Weather in Paris?",
                {"function_call": {"name": "weather", "args": {"city": "Paris"}}},
                {"functionResponse": {"name": "weather", "response": {"temp": 21}}},
            ],
            [
                {"role": "user", "parts": [{"text": "Weather in Paris?"}]},
                {
                    "role": "model",
                    "parts": [{"functionCall": {"name": "weather", "args": {"city": "Paris"}}}],
                },
                {
                    "role": "user",
                    "parts": [{"functionResponse": {"name": "weather", "response": {"temp": 21}}}],
                },
            ],
        ),
        # hostile text is just text
        (
            '"""; import os; os.system("x") #',
            [{"role": "user", "parts": [{"text": '"""; import os; os.system("x") #'}]}],
        ),
    ],
)
def test_contents_short_forms(
    client: Client, server: LoopbackServer, contents: Any, wire: list[Any]
) -> None:
    assert sent(client, server, contents=contents)["contents"] == wire


def test_system_instruction_as_text(client: Client, server: LoopbackServer) -> None:
    body = sent(client, server, contents="Hello", system_instruction="Answer in French.")
    assert body["systemInstruction"] == {"role": "user", "parts": [{"text": "Answer in French."}]}


def test_count_tokens_and_embed_take_text(client: Client, server: LoopbackServer) -> None:
    server.add(COUNT, Reply(json={"totalTokens": 2}))
    server.add(EMBED, Reply(json={"embedding": {"values": [0.1, 0.2]}}))
    assert client.models.count_tokens(model=MODEL, contents="Hello").total_tokens == 2
    client.models.embed_content(model="gemini-embedding-001", content="Hello")
    assert server.requests[0].json() == {"contents": [USER_HI]}
    assert server.requests[1].json()["content"] == USER_HI


@pytest.mark.asyncio
async def test_async_takes_the_same_short_forms(
    aclient: AsyncClient, server: LoopbackServer
) -> None:
    server.add(GENERATE, Reply(json=answer({"text": "ok"})))
    await aclient.models.generate_content(model=MODEL, contents=["Hello"])
    assert server.requests[0].json()["contents"] == [USER_HI]


@pytest.mark.parametrize(
    ("kwargs", "where", "message"),
    [
        (
            {"contents": [{"part": [{"text": "x"}]}]},
            "contents[0]",
            "unknown key 'part' for Content; did you mean 'parts'?",
        ),
        (
            {"contents": [{"parts": [{"txt": "x"}]}]},
            "contents[0].parts[0]",
            "unknown key 'txt' for Part; did you mean 'text'?",
        ),
        (
            {"contents": "x", "generation_config": {"temprature": 0.5}},
            "generation_config",
            "unknown key 'temprature' for GenerationConfig; did you mean 'temperature'?",
        ),
        (
            {"contents": "x", "tools": [{"google_serch": {}}]},
            "tools[0]",
            "unknown key 'google_serch' for Tool; did you mean 'google_search'?",
        ),
        (
            {
                "contents": "x",
                "safety_settings": [
                    {"category": "HARM_CATEGORY_HARASSMENT", "treshold": "BLOCK_NONE"}
                ],
            },
            "safety_settings[0]",
            "unknown key 'treshold' for SafetySetting; did you mean 'threshold'?",
        ),
        (
            {"contents": [{"parts": [{"text": "x"}], "zzz": 1}]},
            "contents[0]",
            "unknown key 'zzz' for Content (a field newer",
        ),
    ],
)
def test_an_unknown_key_in_a_request_dict_is_named(
    client: Client, server: LoopbackServer, kwargs: dict[str, Any], where: str, message: str
) -> None:
    with pytest.raises(ArgumentError) as info:
        client.models.generate_content(model=MODEL, **kwargs)
    text = str(info.value)
    assert f"{where}: {message}" in text and "extra_body=" in text
    assert server.requests == []  # nothing went on the wire


def test_wire_and_python_keys_are_both_known(client: Client, server: LoopbackServer) -> None:
    body = sent(
        client,
        server,
        contents=[
            {
                "parts": [
                    {"inlineData": {"mimeType": "image/png", "data": "AA=="}},
                    {"inline_data": {"mime_type": "image/png", "data": "AA=="}},
                ]
            }
        ],
        generation_config={"maxOutputTokens": 5, "top_k": 3},
    )
    assert body["contents"][0]["parts"][0] == body["contents"][0]["parts"][1]
    assert body["generationConfig"] == {"maxOutputTokens": 5, "topK": 3}


@pytest.mark.parametrize("contents", [42, [42], [["nested"]], object(), [{"role": 7}]])
def test_nonsense_contents_fail_before_the_wire(
    client: Client, server: LoopbackServer, contents: Any
) -> None:
    with pytest.raises(ArgumentError):
        client.models.generate_content(model=MODEL, contents=contents)
    assert server.requests == []


def test_models_in_answers_are_sent_back_as_they_are(
    client: Client, server: LoopbackServer
) -> None:
    """A turn taken from an answer keeps the fields this client does not know (no key check)."""
    server.add(GENERATE, Reply(json=answer({"text": "ok", "futurePartField": "keep"})))
    resp = client.models.generate_content(model=MODEL, contents="hi")
    assert resp.candidates and resp.candidates[0].content
    body = sent(client, server, contents=["hi", resp.candidates[0].content, "and?"])
    assert body["contents"][1] == {
        "role": "model",
        "parts": [{"text": "ok", "futurePartField": "keep"}],
    }


def test_a_typo_inside_a_nested_request_is_named(client: Client, server: LoopbackServer) -> None:
    with pytest.raises(ArgumentError) as info:
        client.models.batch_embed_contents(
            model="gemini-embedding-001",
            requests=[
                {"model": "models/gemini-embedding-001", "content": {"parts": [{"text": "a"}]}},
                {"model": "m", "contnt": "b"},
            ],
        )
    assert "unknown key 'contnt' for EmbedContentRequest; did you mean 'content'?" in str(
        info.value
    )
    assert server.requests == []


def test_several_typos_are_named_together(client: Client, server: LoopbackServer) -> None:
    with pytest.raises(ArgumentError) as info:
        client.models.generate_content(
            model=MODEL,
            contents=[{"rol": "user", "parts": [{"txt": "a"}]}],
            generation_config={"topk": 1},
        )
    text = str(info.value)
    for message in (
        "contents[0]: unknown key 'rol'",
        "contents[0].parts[0]: unknown key 'txt'",
        "generation_config: unknown key 'topk' for GenerationConfig; did you mean 'top_k'?",
    ):
        assert message in text


def test_short_forms_are_read_in_either_spelling_with_the_work_done_once(
    client: Client, server: LoopbackServer
) -> None:
    """The short forms of a request dict, under wire or Python names (a batch's inline requests
    use either); a repeated call finds them in the table built once per class, and makes no
    automatic-function-calling settings when it has no tools."""
    from gemini_client._core import validate_arguments
    from support.work import counted

    for key in ("systemInstruction", "system_instruction"):
        request = validate_arguments(
            types.GenerateContentRequest, {"model": "m", "contents": "Hello", key: "Be brief"}
        )
        assert request.system_instruction == types.Content(
            role="user", parts=[types.Part(text="Be brief")]
        )
        assert request.contents == [types.Content.model_validate(USER_HI)]
    sent(client, server, contents="Hello", config={"system_instruction": "Be brief"})
    body, work = counted(lambda: sent(client, server, contents="Hello"))
    assert body["contents"] == [USER_HI]
    assert work.calls("types/_bases.py", "_short_form_fields_of") == 0
    assert work.calls("lib/_afc.py", "of") == 0


@pytest.mark.parametrize(
    "kwargs",
    [
        {
            "contents": "Hello",
            "generation_config": {"temperature": 0.1, "top_p": 1e-7, "seed": 10**15},
        },
        {"contents": [{"parts": [{"text": 'é "quoted" \\ back\tslash\n\u2028 \x01 😀'}]}]},
        {"contents": [types.Part.from_bytes(data=b"\x00\xff" * 40, mime_type="image/png")]},
        {
            "contents": [types.Content.model_validate({"parts": [{"text": "x", "newField": 1.5}]})],
            "safety_settings": [
                {"category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_NONE"}
            ],
        },
    ],
    ids=["numbers", "text-escapes", "bytes", "kept-field-and-enums"],
)
def test_a_body_goes_out_as_the_json_of_its_dict_without_json_dumps(
    client: Client, server: LoopbackServer, kwargs: dict[str, Any]
) -> None:
    """The body pydantic writes in one pass is the JSON of the dict the call built (what
    json.dumps of it sent before), and no json.dumps runs for it."""
    import json

    from gemini_client._core import build_body
    from gemini_client._core._models import wire_name
    from support.work import counted

    body = build_body(types.GenerateContentRequest, {wire_name(k): v for k, v in kwargs.items()})
    assert body.encoded is not None and json.loads(body.encoded) == dict(body)
    sent(client, server, **kwargs)
    wire, work = counted(lambda: sent(client, server, **kwargs))
    assert wire == dict(body) == server.requests[0].json()
    assert work.calls("json/__init__.py", "dumps") == 0


def test_a_text_json_cannot_carry_is_refused_before_the_wire(
    client: Client, server: LoopbackServer
) -> None:
    with pytest.raises(ArgumentError) as info:
        client.models.generate_content(model=MODEL, contents="a lone surrogate \ud800")
    assert "surrogate" in str(info.value)
    assert server.requests == []
