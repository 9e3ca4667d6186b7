"""Growth: Google adds enum values and fields often; responses carrying them still parse."""

from __future__ import annotations

import pytest

from typing import Any

from gemini_client import Client, types
from support.server import LoopbackServer, Reply, sse

from .bodies import GENERATE, MODEL, STREAM, generate_response, stream_chunks

PROMPT: list[Any] = [{"parts": [{"text": "Explain how AI works"}]}]


def grown_response() -> dict[str, Any]:
    body = generate_response(finish_reason="NEW_REASON")
    cand = body["candidates"][0]
    cand["groundingVerdict"] = {"score": 0.93, "label": "SUPPORTED"}
    cand["safetyRatings"].append(
        {"category": "HARM_CATEGORY_FUTURE_HARM", "probability": "VERY_UNLIKELY_NEW"}
    )
    cand["content"]["parts"].append({"videoOutput": {"uri": "https://example.test/v.mp4"}})
    body["usageMetadata"]["promptTokensDetails"].append({"modality": "HOLOGRAM", "tokenCount": 3})
    body["sessionTelemetry"] = {"region": "europe-west4"}
    return body


def check_grown(resp: types.GenerateContentResponse) -> None:
    assert resp.candidates
    cand = resp.candidates[0]
    assert isinstance(cand.finish_reason, types.FinishReason)
    assert cand.finish_reason.value == "NEW_REASON" and cand.finish_reason == "NEW_REASON"
    assert cand.finish_reason is types.FinishReason("NEW_REASON")
    assert "NEW_REASON" not in [m.value for m in types.FinishReason]  # not added to the members
    assert cand.model_extra == {"groundingVerdict": {"score": 0.93, "label": "SUPPORTED"}}
    assert cand.safety_ratings and cand.safety_ratings[-1].category == "HARM_CATEGORY_FUTURE_HARM"
    assert cand.safety_ratings[-1].probability == "VERY_UNLIKELY_NEW"
    assert cand.safety_ratings[0].category is types.HarmCategory.HARM_CATEGORY_SEXUALLY_EXPLICIT
    assert cand.content and cand.content.parts
    new_part = cand.content.parts[-1]
    assert new_part.text is None
    assert new_part.model_extra == {"videoOutput": {"uri": "https://example.test/v.mp4"}}
    assert resp.usage_metadata and resp.usage_metadata.prompt_tokens_details
    assert resp.usage_metadata.prompt_tokens_details[-1].modality == "HOLOGRAM"
    assert resp.model_extra == {"sessionTelemetry": {"region": "europe-west4"}}


def test_unknown_enum_values_and_fields_are_kept(client: Client, server: LoopbackServer) -> None:
    server.add(GENERATE, Reply(json=grown_response()))
    resp = client.models.generate_content(model=MODEL, contents=PROMPT)
    check_grown(resp)
    # ... and written back unchanged, e.g. to send the candidate back as chat history.
    assert resp.to_dict() == grown_response()
    assert types.GenerateContentResponse.model_validate_json(resp.to_json()) == resp


def test_unknown_values_in_a_stream(client: Client, server: LoopbackServer) -> None:
    chunks = stream_chunks(3)
    chunks[-1] = grown_response()
    server.add(STREAM, Reply(chunks=[sse(*chunks)]))
    got = list(client.models.stream_generate_content(model=MODEL, contents=PROMPT))
    check_grown(got[-1])


def test_unknown_request_fields_are_sent(client: Client, server: LoopbackServer) -> None:
    """A field the client does not know yet can still be sent: in a model built with
    `model_validate`, or with extra_body. (By keyword it is refused as a likely typo, as a dict
    key no field knows is: tests/helpers/test_typed_dicts.py.)"""
    server.add(GENERATE, Reply(json=generate_response()))
    with pytest.raises(TypeError, match="unknown field 'futureKnob'"):
        types.GenerationConfig(temperature=0.2, futureKnob=7)
    client.models.generate_content(
        model=MODEL,
        contents=[
            types.Content(parts=[types.Part.model_validate({"text": "hi", "mediaHint": "FAST"})])
        ],
        generation_config=types.GenerationConfig.model_validate(
            {"temperature": 0.2, "futureKnob": 7}
        ),
        extra_body={"experimentalOptions": {"x": True}},
    )
    assert server.requests[0].json() == {
        "contents": [{"parts": [{"text": "hi", "mediaHint": "FAST"}]}],
        "generationConfig": {"temperature": 0.2, "futureKnob": 7},
        "experimentalOptions": {"x": True},
    }
