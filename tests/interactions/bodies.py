"""Interactions API bodies shaped like google-genai 3.3.0's types (snake_case on the wire)."""

from __future__ import annotations

from typing import Any

KEY = "AIzaSyD-interactions-secret-0123456789abcd"
MODEL = "gemini-2.5-flash"
INTERACTIONS = "/v1beta/interactions"
ID = "v1_ChdpbnRlcmFjdGlvbi0xMjM"


def usage(total: int = 42) -> dict[str, Any]:
    return {
        "total_tokens": total,
        "total_input_tokens": 10,
        "total_output_tokens": total - 10,
        "input_tokens_by_modality": [{"modality": "text", "tokens": 10}],
    }


def interaction(status: str = "completed", **extra: Any) -> dict[str, Any]:
    """A finished interaction: the user's input, a thought, a function call, its result, the answer."""
    return {
        "id": ID,
        "object": "interaction",
        "status": status,
        "model": MODEL,
        "created": "2026-05-01T12:00:00Z",
        "updated": "2026-05-01T12:00:02Z",
        "steps": [
            {"type": "user_input", "content": [{"type": "text", "text": "Weather in Paris?"}]},
            {"type": "thought", "signature": "c2ln", "summary": [{"type": "text", "text": "hm"}]},
            {
                "type": "function_call",
                "id": "call-1",
                "name": "get_weather",
                "arguments": {"city": "Paris"},
            },
            {
                "type": "function_result",
                "call_id": "call-1",
                "name": "get_weather",
                "result": "sunny",
            },
            {
                "type": "model_output",
                "content": [
                    {
                        "type": "text",
                        "text": "Sunny in Paris.",
                        "annotations": [
                            {"type": "url_citation", "url": "https://x.example", "start_index": 0}
                        ],
                    }
                ],
            },
        ],
        "output_text": "Sunny in Paris.",
        "usage": usage(),
        **extra,
    }


def events(n_text: int = 3) -> list[dict[str, Any]]:
    """A streamed interaction: created, a step that starts, `n_text` text pieces, stop, completed."""
    out: list[dict[str, Any]] = [
        {
            "event_type": "interaction.created",
            "event_id": "e0",
            "interaction": {"id": ID, "status": "in_progress", "model": MODEL},
        },
        {
            "event_type": "step.start",
            "event_id": "e1",
            "index": 0,
            "step": {"type": "model_output", "content": []},
        },
    ]
    out += [
        {
            "event_type": "step.delta",
            "event_id": f"d{i}",
            "index": 0,
            "delta": {"type": "text", "text": f"w{i} "},
        }
        for i in range(n_text)
    ]
    out += [
        {"event_type": "step.stop", "event_id": "e2", "index": 0, "step_usage": usage(7)},
        {
            "event_type": "interaction.completed",
            "event_id": "e3",
            "interaction": {"id": ID, "status": "completed", "usage": usage()},
        },
    ]
    return out
