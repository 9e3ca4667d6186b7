"""Answers shaped like the Gemini API's (camelCase on the wire) for the helpers' tests."""

from __future__ import annotations

import json
from typing import Any

from support.server import Reply, sse

KEY = "AIzaSyD-helpers-secret-0123456789abcdef"
MODEL = "gemini-2.5-flash"
GENERATE = f"/v1beta/models/{MODEL}:generateContent"
STREAM = f"/v1beta/models/{MODEL}:streamGenerateContent"
COUNT = f"/v1beta/models/{MODEL}:countTokens"
EMBED = "/v1beta/models/gemini-embedding-001:embedContent"


def answer(*parts: dict[str, Any], finish: str = "STOP", **extra: Any) -> dict[str, Any]:
    """A `GenerateContentResponse` whose one candidate has `parts`."""
    return {
        "candidates": [
            {"content": {"role": "model", "parts": list(parts)}, "finishReason": finish, "index": 0}
        ],
        "usageMetadata": {"promptTokenCount": 3, "candidatesTokenCount": 5, "totalTokenCount": 8},
        "modelVersion": MODEL,
        **extra,
    }


def text(t: str) -> Reply:
    """A reply with one text part."""
    return Reply(json=answer({"text": t}))


def calls(*calls: tuple[str, dict[str, Any]]) -> Reply:
    """A reply calling functions: `(name, args)` each, with ids `call-0`, `call-1`..."""
    return Reply(
        json=answer(
            *(
                {"functionCall": {"id": f"call-{i}", "name": name, "args": args}}
                for i, (name, args) in enumerate(calls)
            )
        )
    )


def streamed(*pieces: str) -> Reply:
    """A stream of text chunks (the last with finishReason), one SSE event per write."""
    events = [
        {
            "candidates": [
                {
                    "content": {"role": "model", "parts": [{"text": p}]},
                    **({"finishReason": "STOP"} if i == len(pieces) - 1 else {}),
                }
            ]
        }
        for i, p in enumerate(pieces)
    ]
    return Reply(chunks=[sse(e) for e in events])


def json_text(value: Any) -> Reply:
    """A structured-output answer: `value` as JSON text."""
    return text(json.dumps(value))
