"""Open enums and unknown fields: responses from a newer API still parse and keep everything."""

from __future__ import annotations

import enum

from gemini_client._core import NOT_GIVEN, NotGiven
from support.server import LoopbackServer, Reply

from .fakeapi import (
    GENERATE,
    Candidate,
    Client,
    FinishReason,
    GenerateContentResponse,
    Model,
    reply,
)


def test_open_enum_accepts_unknown_values() -> None:
    new = FinishReason("NEW_REASON")
    assert new == "NEW_REASON" and new.value == "NEW_REASON" and new.name == "NEW_REASON"
    assert new is FinishReason("NEW_REASON")
    assert isinstance(new, FinishReason) and isinstance(new, str)
    assert list(FinishReason) == [
        FinishReason.FINISH_REASON_UNSPECIFIED,
        FinishReason.STOP,
        FinishReason.MAX_TOKENS,
    ]
    assert FinishReason("STOP") is FinishReason.STOP and str(FinishReason.STOP) == "STOP"


def test_unknown_enum_value_in_a_field() -> None:
    for candidate in (
        Candidate.model_validate_json('{"finishReason": "NEW_REASON"}'),
        Candidate.model_validate({"finishReason": "NEW_REASON"}),
        Candidate(finish_reason="NEW_REASON"),  # type: ignore[arg-type]
    ):
        assert isinstance(candidate.finish_reason, enum.Enum)
        assert (
            candidate.finish_reason == "NEW_REASON"
            and candidate.finish_reason.value == "NEW_REASON"
        )
        assert candidate.model_dump(mode="json", by_alias=True) == {
            "content": None,
            "finishReason": "NEW_REASON",
        }
        assert candidate.to_dict() == {"finishReason": "NEW_REASON"}


def test_unknown_fields_are_kept(client: Client, server: LoopbackServer) -> None:
    body = reply("hi", finishReason="BRAND_NEW", safetyVerdict={"level": 3})
    body["serverTiming"] = {"ms": 12}
    server.add(GENERATE, Reply(json=body))
    result = client.models.generate_content("gemini-test", contents=[{"parts": [{"text": "x"}]}])
    assert result.model_extra == {"serverTiming": {"ms": 12}}
    (candidate,) = result.candidates or []
    assert candidate.finish_reason == "BRAND_NEW"
    assert candidate.model_extra == {"safetyVerdict": {"level": 3}}
    assert result.to_dict() == body
    assert GenerateContentResponse.model_validate_json(result.to_json()) == result


def test_models_accept_python_and_wire_names() -> None:
    assert Model(display_name="A", name="n") == Model.model_validate(
        {"displayName": "A", "name": "n"}
    )


def test_not_given() -> None:
    assert not NOT_GIVEN and repr(NOT_GIVEN) == "NOT_GIVEN" and isinstance(NOT_GIVEN, NotGiven)
