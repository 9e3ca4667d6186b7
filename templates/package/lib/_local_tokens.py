"""Local token counting with a SentencePiece tokenizer file the caller supplies; no network.

```py
tokenizer = LocalTokenizer("gemma3_cleaned_262144_v2.spiece.model")
tokenizer.count_tokens(["What is your name?"], tools=[get_weather]).total_tokens
tokenizer.compute_tokens("What is your name?")[0].token_ids
```

Like google-genai's `LocalTokenizer`, only text is counted: the text parts, function call and
response names and their string keys and values, the system instruction, and the tools' names,
descriptions and parameter schemas (descriptions, formats, enum values, required and property
names). An image, audio or file part raises `ValueError`: its tokens cannot be counted offline.
Unlike google-genai, the tokenizer is never downloaded: Gemini's tokenizer is not published, and
the open Gemma 3 one (the file google-genai downloads for Gemini 2.x and 3.0 models,
`gemma3_cleaned_262144_v2.spiece.model`) gives a close estimate, not the API's count;
`expected_sha256=GEMMA3_SHA256` checks a copy is that file. Gemini 3.1+ models map to Gemma 4's
Hugging Face `tokenizer.json`, which is not a SentencePiece model: not supported here.
Needs the optional `sentencepiece` package, imported when a tokenizer is created.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .. import types
from .._core import NOT_GIVEN, NotGiven, validate_arguments

__all__ = ["GEMMA3_SHA256", "LocalTokenizer", "TokensInfo"]

GEMMA3_SHA256 = "1299c11d7cf632ef3b4e11937501358ada021bbdf7c47638d13c0ee982f2e79c"
"""SHA-256 of `gemma3_cleaned_262144_v2.spiece.model`, the file google-genai 3.3.0 checks too."""

MAX_MODEL_BYTES = 256 * 1024 * 1024
"""Largest tokenizer file read (Gemma 3's is 4.5 MB)."""


def _read_model(model: str | os.PathLike[str] | bytes) -> bytes:
    if isinstance(model, bytes):
        return model
    path = os.fspath(model)
    size = os.stat(path).st_size  # FileNotFoundError names the path
    if size > MAX_MODEL_BYTES:
        raise ValueError(f"{path}: {size} bytes; a tokenizer file may have at most 256 MB")
    with open(path, "rb") as f:
        return f.read(MAX_MODEL_BYTES + 1)


def _schema_texts(schema: Any) -> Iterator[str]:
    """The countable text of a schema (a `Schema` dumped, or a JSON schema)."""
    if not isinstance(schema, Mapping):
        return
    for key in ("description", "format"):
        if isinstance(schema.get(key), str):
            yield schema[key]
    for key in ("enum", "required"):
        yield from (v for v in schema.get(key) or () if isinstance(v, str))
    properties = schema.get("properties")
    if isinstance(properties, Mapping):
        for name, sub in properties.items():
            yield str(name)
            yield from _schema_texts(sub)
    yield from _schema_texts(schema.get("items"))
    for key in ("anyOf", "any_of", "oneOf", "allOf"):
        for sub in schema.get(key) or ():
            yield from _schema_texts(sub)


def _value_texts(value: Any) -> Iterator[str]:
    """Keys and string values of a JSON value (function call arguments and responses)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield str(key)
            yield from _value_texts(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _value_texts(item)


def _content_texts(content: types.Content) -> Iterator[str]:
    for part in content.parts or ():
        if part.inline_data is not None or part.file_data is not None:
            raise ValueError(
                "local token counting is text only: an image, audio or file part has no offline"
                " count (use client.models.count_tokens)"
            )
        if part.text is not None:
            yield part.text
        if part.function_call is not None:
            yield part.function_call.name or ""
            yield from _value_texts(part.function_call.args or {})
        if part.function_response is not None:
            yield part.function_response.name or ""
            yield from _value_texts(part.function_response.response or {})


def _tool_texts(tool: types.Tool) -> Iterator[str]:
    for declaration in tool.function_declarations or ():
        yield declaration.name or ""
        if declaration.description:
            yield declaration.description
        for schema in (declaration.parameters, declaration.response):
            if schema is not None:
                yield from _schema_texts(schema.model_dump(mode="json", exclude_none=True))
        for raw in (declaration.parameters_json_schema, declaration.response_json_schema):
            yield from _schema_texts(raw)


_BYTE_PIECE = re.compile(r"<0x([0-9A-Fa-f]{2})>")


def _piece_bytes(piece: str) -> bytes:
    """A SentencePiece piece as the bytes it stands for: `▁` is a space, `<0x0A>` a raw byte."""
    byte = _BYTE_PIECE.fullmatch(piece)
    return bytes([int(byte.group(1), 16)]) if byte else piece.replace("\u2581", " ").encode()


@dataclass(frozen=True)
class TokensInfo:
    """The tokens of one turn (google-genai's `TokensInfo`): ids, the bytes each stands for,
    and the turn's role."""

    token_ids: list[int]
    tokens: list[bytes]
    role: str | None


class LocalTokenizer:
    """Counts tokens offline with the SentencePiece model `model` (a path or its bytes)."""

    def __init__(
        self, model: str | os.PathLike[str] | bytes, *, expected_sha256: str | None = None
    ) -> None:
        try:
            import sentencepiece
        except ImportError as exc:
            raise ImportError(
                "local token counting needs the optional 'sentencepiece' package"
                " (pip install sentencepiece)"
            ) from exc
        data = _read_model(model)
        if expected_sha256 is not None and hashlib.sha256(data).hexdigest() != expected_sha256:
            raise ValueError("the tokenizer file's SHA-256 is not the expected one")
        try:
            self._processor = sentencepiece.SentencePieceProcessor(model_proto=data)
        except RuntimeError as exc:
            what = "the bytes given" if isinstance(model, bytes) else os.fspath(model)
            raise ValueError(f"{what} is not a SentencePiece model") from exc

    @property
    def vocab_size(self) -> int:
        """The number of tokens the model knows."""
        return int(self._processor.vocab_size())

    def encode(self, text: str) -> list[int]:
        """The token ids of `text`."""
        return list(self._processor.encode(text))

    def compute_tokens(self, contents: types.ContentListUnion) -> list[TokensInfo]:
        """The tokens of each turn of `contents` (google-genai's `compute_tokens`), its text
        counted as `count_tokens` counts it."""
        request = validate_arguments(
            types.GenerateContentRequest, {"model": "-", "contents": contents}
        )
        out = []
        for content in request.contents or ():
            texts = [t for t in _content_texts(content) if t]
            ids = [i for t in texts for i in self._processor.encode(t)]
            pieces = [p for t in texts for p in self._processor.encode(t, out_type=str)]
            out.append(TokensInfo(ids, [_piece_bytes(p) for p in pieces], content.role))
        return out

    def count_tokens(
        self,
        contents: types.ContentListUnion,
        *,
        system_instruction: types.ContentUnion | NotGiven = NOT_GIVEN,
        tools: Sequence[types.ToolUnion] | NotGiven = NOT_GIVEN,
        response_schema: types.Schema | Mapping[str, Any] | None = None,
    ) -> types.CountTokensResponse:
        """The tokens of `contents` (and of the instruction, tools and response schema), as
        `client.models.count_tokens` would count their text."""
        values = {
            "model": "-",
            "contents": contents,
            "system_instruction": system_instruction,
            "tools": tools,
        }
        request = validate_arguments(
            types.GenerateContentRequest,
            {k: v for k, v in values.items() if not isinstance(v, NotGiven)},
        )
        texts = [t for c in request.contents or () for t in _content_texts(c)]
        if request.system_instruction is not None:
            texts += _content_texts(request.system_instruction)
        for tool in request.tools or ():
            texts += _tool_texts(tool)
        if response_schema is not None:
            if isinstance(response_schema, types.Schema):
                response_schema = response_schema.model_dump(mode="json", exclude_none=True)
            texts += _schema_texts(response_schema)
        texts = [t for t in texts if t]
        total = sum(len(ids) for ids in self._processor.encode(texts)) if texts else 0
        return types.CountTokensResponse(total_tokens=total)
