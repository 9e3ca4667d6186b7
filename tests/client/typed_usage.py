"""A user's program written against the generated client's public surface.

Not a test module (no ``test_`` prefix): ``test_typing.py`` type-checks it with ``mypy --strict``
together with ``generated/gemini_client``, and runs its functions against a loopback server. Every
``assert_type`` pins what a user's editor and type checker see.
"""

from __future__ import annotations

import asyncio
from typing import Any

from typing_extensions import assert_type

import gemini_client
from gemini_client import AsyncClient, Client, types

MODEL = "gemini-2.5-flash"
RETRY_INFO = "type.googleapis.com/google.rpc.RetryInfo"


def first_text(resp: types.GenerateContentResponse) -> str:
    """The text of the first candidate (the part texts joined)."""
    if not resp.candidates:
        return ""
    content = resp.candidates[0].content
    if content is None or not content.parts:
        return ""
    return "".join(part.text or "" for part in content.parts)


def text_prompt(client: Client) -> str:
    resp = client.models.generate_content(
        model=MODEL, contents=[{"parts": [{"text": "Explain how AI works"}]}]
    )
    assert_type(resp, types.GenerateContentResponse)
    return first_text(resp)


def caption(client: Client, jpeg: bytes) -> str:
    image = types.Part(inline_data=types.Blob(mime_type="image/jpeg", data=jpeg))
    resp = client.models.generate_content(
        model=f"models/{MODEL}",
        contents=[
            types.Content(role="user", parts=[image, types.Part(text="Caption this image.")])
        ],
        generation_config=types.GenerationConfig(temperature=0.4, max_output_tokens=256),
        safety_settings=[
            types.SafetySetting(
                category=types.HarmCategory.HARM_CATEGORY_HARASSMENT,
                threshold=types.HarmBlockThreshold.BLOCK_ONLY_HIGH,
            )
        ],
        timeout=30.0,
    )
    return first_text(resp)


def chat(client: Client) -> tuple[str, int | None]:
    history = [
        types.Content(role="user", parts=[types.Part(text="Hello")]),
        types.Content(
            role="model", parts=[types.Part(text="Great to meet you. What would you like to know?")]
        ),
        types.Content(role="user", parts=[types.Part(text="How many paws are in my house?")]),
    ]
    resp = client.models.generate_content(
        model=MODEL,
        contents=history,
        system_instruction={"parts": [{"text": "Answer in one sentence."}]},
        extra_headers={"x-trace": "chat"},
    )
    usage = resp.usage_metadata
    return first_text(resp), usage.total_token_count if usage else None


def finish_reason(resp: types.GenerateContentResponse) -> str | None:
    """The finish reason's wire value, also for values newer than the client."""
    if not resp.candidates or resp.candidates[0].finish_reason is None:
        return None
    reason = resp.candidates[0].finish_reason
    assert_type(reason, types.FinishReason)
    value: str = reason.value  # "STOP", ... or a value newer than the client, e.g. "NEW_REASON"
    return value


def stopped(resp: types.GenerateContentResponse) -> bool:
    if not resp.candidates:
        return False
    return resp.candidates[0].finish_reason is types.FinishReason.STOP


def stream(client: Client) -> tuple[list[str], str | None, bool]:
    texts: list[str] = []
    last: types.GenerateContentResponse | None = None
    with client.models.stream_generate_content(
        model=MODEL, contents=[{"role": "user", "parts": [{"text": "Tell me a story."}]}]
    ) as chunks:
        assert_type(chunks, gemini_client.Stream[types.GenerateContentResponse])
        for chunk in chunks:
            assert_type(chunk, types.GenerateContentResponse)
            texts.append(first_text(chunk))
            last = chunk
    if last is None:
        return texts, None, False
    return texts, finish_reason(last), stopped(last)


def models(client: Client) -> tuple[list[str], int, str | None]:
    pager = client.models.list(page_size=50)
    assert_type(pager, gemini_client.SyncPager[types.ListModelsResponse, types.Model])
    names = [model.name or "" for model in pager]
    pages = 0
    for page in client.models.list().pages():
        assert_type(page, types.ListModelsResponse)
        pages += 1
    first = client.models.list().first_page()
    assert_type(first, types.ListModelsResponse)
    model = client.models.get(name=MODEL)
    assert_type(model, types.Model)
    return names, pages, model.display_name


def tokens_and_embeddings(client: Client) -> tuple[int | None, list[float], int]:
    counted = client.models.count_tokens(model=MODEL, contents=[{"parts": [{"text": "hi"}]}])
    embedded = client.models.embed_content(
        model="gemini-embedding-001",
        content=types.Content(parts=[types.Part(text="What is the meaning of life?")]),
        task_type=types.TaskType.RETRIEVAL_QUERY,
    )
    batch = client.models.batch_embed_contents(
        model="gemini-embedding-001",
        requests=[
            {"model": "models/gemini-embedding-001", "content": {"parts": [{"text": t}]}}
            for t in ("a", "b")
        ],
    )
    values = embedded.embedding.values if embedded.embedding and embedded.embedding.values else []
    return counted.total_tokens, values, len(batch.embeddings or [])


def errors(client: Client) -> str:
    try:
        text_prompt(client.with_options(max_retries=0, timeout=5.0))
    except gemini_client.RateLimitError as err:
        delays = [d.get("retryDelay") for d in err.details if d.get("@type") == RETRY_INFO]
        return f"rate limited ({err.status}), retry in {delays}"
    except gemini_client.NotFoundError as err:
        return f"no such model: {err.message}"
    except gemini_client.APIStatusError as err:
        code: int = err.status_code
        return f"{code} {err.status}: {err.message}"
    except gemini_client.APITimeoutError:
        return "timed out"
    except gemini_client.APIConnectionError as err:
        return f"connection failed: {err}"
    return "ok"


def raw_response(client: Client) -> tuple[int, str | None, str]:
    raw = client.models.with_raw_response.generate_content(
        model=MODEL, contents=[{"parts": [{"text": "hi"}]}]
    )
    assert_type(raw, gemini_client.APIResponse[types.GenerateContentResponse])
    resp = raw.parse()
    assert_type(resp, types.GenerateContentResponse)
    return raw.status_code, raw.headers.get("x-goog-request-id"), first_text(resp)


def run_sync(client: Client) -> dict[str, Any]:
    return {
        "text": text_prompt(client),
        "caption": caption(client, b"\xff\xd8\xff\xd9"),
        "chat": chat(client),
        "stream": stream(client),
        "models": models(client),
        "tokens": tokens_and_embeddings(client),
        "errors": errors(client),
        "raw": raw_response(client),
    }


async def run_async(client: AsyncClient) -> dict[str, Any]:
    resp = await client.models.generate_content(
        model=MODEL, contents=[{"parts": [{"text": "Explain how AI works"}]}]
    )
    assert_type(resp, types.GenerateContentResponse)
    texts: list[str] = []
    chunks = await client.models.stream_generate_content(
        model=MODEL, contents=[{"parts": [{"text": "Tell me a story."}]}]
    )
    assert_type(chunks, gemini_client.AsyncStream[types.GenerateContentResponse])
    async with chunks:
        async for chunk in chunks:
            texts.append(first_text(chunk))
    names = [model.name async for model in client.models.list()]
    raw = await client.models.with_raw_response.count_tokens(
        model=MODEL, contents=[{"parts": [{"text": "hi"}]}]
    )
    assert_type(raw, gemini_client.APIResponse[types.CountTokensResponse])
    try:
        await client.models.get(name="gemini-0.5-ultra")
        missing = False
    except gemini_client.NotFoundError:
        missing = True
    return {
        "text": first_text(resp),
        "stream": texts,
        "models": names,
        "tokens": raw.parse().total_tokens,
        "missing": missing,
    }


async def amain() -> dict[str, Any]:
    async with AsyncClient() as client:
        return await run_async(client)


def main() -> None:
    with Client() as client:  # the key from GEMINI_API_KEY or GOOGLE_API_KEY
        print(run_sync(client))
    print(asyncio.run(amain()))


if __name__ == "__main__":
    main()
