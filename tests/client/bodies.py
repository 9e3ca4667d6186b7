"""Response bodies shaped like the Gemini API's real answers (v1beta, camelCase on the wire).

The shapes follow the API reference and captured responses: candidates with content/parts,
``finishReason``, ``safetyRatings`` and ``citationMetadata``; ``usageMetadata`` with
``promptTokensDetails``; ``modelVersion`` and ``responseId``; Google's ``{"error": {...}}`` bodies.
"""

from __future__ import annotations

import base64
from typing import Any

KEY = "AIzaSyD-client-e2e-secret-0123456789abcdef"
"""A fake API key shaped like a real one; no test may find it in a repr, a message or a log."""

MODEL = "gemini-2.5-flash"
GENERATE = f"/v1beta/models/{MODEL}:generateContent"
STREAM = f"/v1beta/models/{MODEL}:streamGenerateContent"
COUNT = f"/v1beta/models/{MODEL}:countTokens"
EMBED_MODEL = "gemini-embedding-001"
EMBED = f"/v1beta/models/{EMBED_MODEL}:embedContent"
BATCH_EMBED = f"/v1beta/models/{EMBED_MODEL}:batchEmbedContents"
LIST = "/v1beta/models"

RESPONSE_ID = "Yd4gaPqDHtK7nvgP9P6QqAI"

# A 1x1 JPEG, the smallest real image a test can send.
TINY_JPEG = base64.b64encode(
    bytes.fromhex(
        "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b"
        "0b0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e3334"
        "32ffc0000b080001000101011100ffc4001f0000010501010101010100000000000000000102030405060708"
        "090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114"
        "328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748"
        "494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999a"
        "a2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7"
        "e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9"
    )
).decode()

AI_EXPLANATION = (
    "Artificial intelligence works by learning patterns from data. A model such as a neural "
    "network is shown many examples, adjusts millions of internal weights to reduce its "
    "prediction error, and then applies what it learned to new inputs."
)

SAFETY_RATINGS: list[dict[str, Any]] = [
    {"category": "HARM_CATEGORY_SEXUALLY_EXPLICIT", "probability": "NEGLIGIBLE"},
    {"category": "HARM_CATEGORY_HATE_SPEECH", "probability": "NEGLIGIBLE"},
    {"category": "HARM_CATEGORY_HARASSMENT", "probability": "NEGLIGIBLE"},
    {"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "LOW"},
]


def usage(prompt: int, candidates: int, *, thoughts: int = 0) -> dict[str, Any]:
    out: dict[str, Any] = {
        "promptTokenCount": prompt,
        "candidatesTokenCount": candidates,
        "totalTokenCount": prompt + candidates + thoughts,
        "promptTokensDetails": [{"modality": "TEXT", "tokenCount": prompt}],
    }
    if thoughts:
        out["thoughtsTokenCount"] = thoughts
    return out


def generate_response(
    text: str = AI_EXPLANATION,
    *,
    finish_reason: str | None = "STOP",
    response_id: str = RESPONSE_ID,
    citations: bool = True,
    prompt_tokens: int = 4,
    usage_metadata: bool = True,
) -> dict[str, Any]:
    """A ``GenerateContentResponse`` with one candidate."""
    candidate: dict[str, Any] = {"content": {"parts": [{"text": text}], "role": "model"}}
    if finish_reason is not None:
        candidate["finishReason"] = finish_reason
        candidate["safetyRatings"] = [dict(r) for r in SAFETY_RATINGS]
        candidate["avgLogprobs"] = -0.3817
    if citations:
        candidate["citationMetadata"] = {
            "citationSources": [
                {
                    "startIndex": 0,
                    "endIndex": 92,
                    "uri": "https://en.wikipedia.org/wiki/Artificial_intelligence",
                    "license": "",
                }
            ]
        }
    candidate["index"] = 0
    body: dict[str, Any] = {"candidates": [candidate]}
    if usage_metadata:
        body["usageMetadata"] = usage(prompt_tokens, len(text.split()), thoughts=12)
    body["modelVersion"] = MODEL
    body["responseId"] = response_id
    return body


def stream_chunks(n: int, *, response_id: str = RESPONSE_ID) -> list[dict[str, Any]]:
    """``n`` streamed ``GenerateContentResponse`` chunks: one id; the last has finishReason."""
    chunks = []
    for i in range(n):
        last = i == n - 1
        chunk = generate_response(
            f"w{i} ",
            finish_reason="STOP" if last else None,
            response_id=response_id,
            citations=False,
            usage_metadata=last,
        )
        if not last:  # the API repeats the running prompt count on every chunk
            chunk["usageMetadata"] = {"promptTokenCount": 4, "totalTokenCount": 4 + i}
        chunks.append(chunk)
    return chunks


def error(code: int, status: str, message: str, details: list[Any] | None = None) -> dict[str, Any]:
    """Google's error body."""
    body: dict[str, Any] = {"code": code, "message": message, "status": status}
    if details is not None:
        body["details"] = details
    return {"error": body}


API_KEY_INVALID = error(
    400,
    "INVALID_ARGUMENT",
    "API key not valid. Please pass a valid API key.",
    [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "API_KEY_INVALID",
            "domain": "googleapis.com",
            "metadata": {"service": "generativelanguage.googleapis.com"},
        },
        {
            "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
            "locale": "en-US",
            "message": "API key not valid. Please pass a valid API key.",
        },
    ],
)


def quota_exceeded(retry_delay: str | None = "17s") -> dict[str, Any]:
    details: list[Any] = [
        {
            "@type": "type.googleapis.com/google.rpc.QuotaFailure",
            "violations": [
                {
                    "quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                    "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
                    "quotaDimensions": {"location": "global", "model": MODEL},
                    "quotaValue": "10",
                }
            ],
        },
        {
            "@type": "type.googleapis.com/google.rpc.Help",
            "links": [
                {
                    "description": "Learn more about Gemini API quotas",
                    "url": "https://ai.google.dev/gemini-api/docs/rate-limits",
                }
            ],
        },
    ]
    if retry_delay is not None:
        details.append(
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": retry_delay}
        )
    return error(
        429,
        "RESOURCE_EXHAUSTED",
        "You exceeded your current quota, please check your plan and billing details. "
        "For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
        details,
    )


ERRORS: dict[int, dict[str, Any]] = {
    400: error(
        400,
        "INVALID_ARGUMENT",
        "* GenerateContentRequest.contents: contents is not specified\n",
        [],
    ),
    401: error(
        401,
        "UNAUTHENTICATED",
        "Request had invalid authentication credentials. Expected OAuth 2 access token, "
        "login cookie or other valid authentication credential.",
        [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "ACCESS_TOKEN_TYPE_UNSUPPORTED",
            }
        ],
    ),
    403: error(
        403,
        "PERMISSION_DENIED",
        "Method doesn't allow unregistered callers (callers without established identity). "
        "Please use API Key or other form of API consumer identity to call this API.",
    ),
    404: error(
        404,
        "NOT_FOUND",
        "models/gemini-0.5-ultra is not found for API version v1beta, or is not supported for "
        "generateContent. Call ListModels to see the list of available models and their "
        "supported methods.",
    ),
    429: quota_exceeded(),
    500: error(
        500,
        "INTERNAL",
        "An internal error has occurred. Please retry or report in "
        "https://developers.generativeai.google/guide/troubleshooting",
    ),
}


def model(name: str, *, display: str | None = None) -> dict[str, Any]:
    """A ``Model`` as ``models.list``/``models.get`` return it."""
    return {
        "name": f"models/{name}",
        "version": "001",
        "displayName": display or name.replace("-", " ").title(),
        "description": f"{name}: a model for the tests.",
        "inputTokenLimit": 1048576,
        "outputTokenLimit": 65536,
        "supportedGenerationMethods": [
            "generateContent",
            "countTokens",
            "createCachedContent",
            "batchGenerateContent",
        ],
        "temperature": 1,
        "topP": 0.95,
        "topK": 64,
        "maxTemperature": 2,
        "thinking": True,
    }


GEMINI_25_FLASH = model("gemini-2.5-flash", display="Gemini 2.5 Flash") | {
    "description": "Stable version of Gemini 2.5 Flash, our mid-size multimodal model that "
    "supports up to 1 million tokens, released in June of 2025."
}

COUNT_TOKENS = {
    "totalTokens": 31,
    "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 31}],
}

EMBEDDING = {"embedding": {"values": [0.0123, -0.0456, 0.0789, -0.0012, 0.0345, -0.0678]}}

BATCH_EMBEDDINGS = {
    "embeddings": [
        {"values": [0.0123, -0.0456, 0.0789]},
        {"values": [-0.0321, 0.0654, -0.0987]},
        {"values": [0.1111, 0.2222, -0.3333]},
    ]
}
