"""`LocalTokenizer.compute_tokens` (google-genai's local `compute_tokens`): each turn's token ids,
the bytes each token stands for, and the role, checked against SentencePiece itself."""

from __future__ import annotations

import io

import pytest

sentencepiece = pytest.importorskip("sentencepiece")

from gemini_client import types  # noqa: E402
from gemini_client.lib import LocalTokenizer, TokensInfo  # noqa: E402

CORPUS = ["The quick brown fox jumps over the lazy dog.", "Hello there, how are you?"] * 40


@pytest.fixture(scope="module")
def model() -> bytes:
    out = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(CORPUS),
        model_writer=out,
        vocab_size=320,
        hard_vocab_limit=False,
        byte_fallback=True,
        minloglevel=2,
    )
    return out.getvalue()


def test_each_turn_gets_its_ids_pieces_and_role(model: bytes) -> None:
    tok = LocalTokenizer(model)
    reference = sentencepiece.SentencePieceProcessor(model_proto=model)
    got = tok.compute_tokens(
        [
            types.Content(role="user", parts=[types.Part(text="Hello fox")]),
            types.Content(role="model", parts=[types.Part(text="The dogé")]),
        ]
    )
    assert [g.role for g in got] == ["user", "model"]
    assert got[0].token_ids == reference.encode("Hello fox")
    assert got[1].token_ids == reference.encode("The dogé")
    # the bytes of the tokens put back together are the text (SentencePiece's leading space aside)
    assert b"".join(got[0].tokens).decode().strip() == "Hello fox"
    # a character the model never saw falls back to its raw bytes, one token each
    assert b"\xc3" in got[1].tokens and b"".join(got[1].tokens).endswith("é".encode())
    assert (
        sum(len(g.token_ids) for g in got)
        == tok.count_tokens(
            ["Hello fox", types.Content(role="model", parts=[types.Part(text="The dogé")])]
        ).total_tokens
    )
    assert isinstance(got[0], TokensInfo)


def test_a_string_is_one_user_turn_and_media_is_refused(model: bytes) -> None:
    tok = LocalTokenizer(model)
    [info] = tok.compute_tokens("quick brown")
    assert info.role == "user" and info.token_ids
    with pytest.raises(ValueError, match="text only"):
        tok.compute_tokens([types.Part.from_bytes(data=b"\x89PNG", mime_type="image/png")])
