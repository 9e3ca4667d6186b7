"""`LocalTokenizer`: offline counts with a SentencePiece model trained here, checked piece by piece."""

from __future__ import annotations

import hashlib
import io
import socket
import sys
from pathlib import Path
from typing import Any

import pytest
import sentencepiece

from gemini_client import types
from gemini_client.lib import LocalTokenizer

CORPUS = [
    "The quick brown fox jumps over the lazy dog.",
    "What is the weather in Paris today? Sunny, 21 degrees.",
    "get_weather city unit celsius fahrenheit The weather of a city.",
] * 40


@pytest.fixture(scope="module")
def model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(CORPUS),
        model_writer=out,
        vocab_size=80,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    path = tmp_path_factory.mktemp("tok") / "tiny.spiece.model"
    path.write_bytes(out.getvalue())
    return path


@pytest.fixture(scope="module")
def reference(model_file: Path) -> sentencepiece.SentencePieceProcessor:
    return sentencepiece.SentencePieceProcessor(model_file=str(model_file))


def n(sp: sentencepiece.SentencePieceProcessor, *texts: str) -> int:
    return sum(len(sp.encode(t)) for t in texts)


def test_text_counts_match_sentencepiece(
    model_file: Path, reference: sentencepiece.SentencePieceProcessor
) -> None:
    tok = LocalTokenizer(model_file)
    got = tok.count_tokens("What is the weather in Paris?")
    assert type(got) is types.CountTokensResponse
    assert got.total_tokens == n(reference, "What is the weather in Paris?") > 5
    many = tok.count_tokens(
        [
            {"role": "user", "parts": [{"text": "Hi there"}, {"text": "again"}]},
            {"role": "model", "parts": [{"text": "Hello!"}]},
        ]
    )
    assert many.total_tokens == n(reference, "Hi there", "again", "Hello!")
    assert tok.encode("fox") == reference.encode("fox")
    assert tok.vocab_size == reference.vocab_size()
    assert tok.count_tokens([]).total_tokens == 0


def test_tools_calls_and_instruction_are_counted(
    model_file: Path, reference: sentencepiece.SentencePieceProcessor
) -> None:
    def get_weather(city: str, unit: str = "celsius") -> str:
        """The weather of a city."""
        return ""

    tok = LocalTokenizer(model_file.read_bytes())
    contents: Any = [
        {"role": "user", "parts": [{"text": "Weather?"}]},
        {
            "role": "model",
            "parts": [{"functionCall": {"name": "get_weather", "args": {"city": "Paris"}}}],
        },
        {
            "role": "user",
            "parts": [
                {"functionResponse": {"name": "get_weather", "response": {"sky": ["sunny", 21]}}}
            ],
        },
    ]
    got = tok.count_tokens(
        contents,
        system_instruction="Be brief.",
        tools=[get_weather],
        response_schema=types.Schema(
            type="OBJECT",
            description="A forecast.",
            properties={"sky": types.Schema(type="STRING", enum=["sunny", "rain"])},
            required=["sky"],
        ),
    )
    expected = n(
        reference,
        *("Weather?", "get_weather", "city", "Paris", "get_weather", "sky", "sunny"),
        "Be brief.",
        *("get_weather", "The weather of a city.", "city", "unit", "city"),  # required: city
        *("A forecast.", "sky", "sunny", "rain", "sky"),
    )
    assert got.total_tokens == expected


def test_media_parts_are_refused(model_file: Path) -> None:
    tok = LocalTokenizer(model_file)
    with pytest.raises(ValueError, match="text only"):
        tok.count_tokens(
            [{"role": "user", "parts": [{"inlineData": {"mimeType": "image/png", "data": "AA=="}}]}]
        )
    with pytest.raises(ValueError, match="text only"):
        tok.count_tokens([types.Part(file_data=types.FileData(file_uri="files/x"))])


def test_bad_files_get_clear_errors(model_file: Path, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        LocalTokenizer(tmp_path / "missing.model")
    junk = tmp_path / "junk.model"
    junk.write_bytes(b"\x00not a model" * 10)
    with pytest.raises(ValueError, match="junk.model is not a SentencePiece model"):
        LocalTokenizer(junk)
    with pytest.raises(ValueError, match="SHA-256"):
        LocalTokenizer(model_file, expected_sha256="0" * 64)
    digest = hashlib.sha256(model_file.read_bytes()).hexdigest()
    assert LocalTokenizer(model_file, expected_sha256=digest).count_tokens("x").total_tokens


def test_no_network_is_used(model_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the local tokenizer opened a socket")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    tok = LocalTokenizer(model_file)
    assert tok.count_tokens("The lazy dog.").total_tokens > 0


def test_without_sentencepiece_the_error_says_what_to_install(
    model_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "sentencepiece", None)
    with pytest.raises(ImportError, match="optional 'sentencepiece' package"):
        LocalTokenizer(model_file)
