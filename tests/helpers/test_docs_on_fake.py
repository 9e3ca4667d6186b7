"""The README's "Using the client" and every block of docs/migration.md run against
`gemini_client.testing.FakeGemini` on loopback, scripted with the same answers their own tests give
the hand-scripted server: the fake is a drop-in for a user's tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gemini_client.testing import FakeGemini, MethodFake
from support.docblocks import ROOT, point_clients_at, python_blocks
from support.server import Reply

from .replies import KEY, calls, json_text, streamed, text
from .test_migration import STEPS, blocks

JPEG = b"\xff\xd8\xff\xe0 a cat"


def script(fake: FakeGemini, path: str, reply: Reply) -> None:
    """Give the fake method that `path` reaches the answer `reply` holds."""
    found = fake._match("POST", path) or fake._match("GET", path)
    assert found is not None, path
    method: MethodFake[Any] = found[0]
    if reply.status != 200:
        error = reply.json["error"]
        method.raises(reply.status, error["message"])
    elif method.route.kind == "operation" and isinstance(reply.json, dict) and "done" in reply.json:
        op = reply.json  # the operation itself: its name, done after a poll unless it is done
        method.returns(op.get("response"), operation=op["name"], polls=0 if op["done"] else 1)
    elif reply.json is not None:
        method.returns(reply.json)
    else:
        raw = reply.body if reply.body is not None else b"".join(reply.chunks or ())
        events = [line[6:] for line in raw.split(b"\n") if line.startswith(b"data: ")]
        method.streams(*(json.loads(e) for e in events))


def test_the_readme_runs_against_the_fake(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    [block] = python_blocks(ROOT / "README.md", "## Using the client")
    fake = FakeGemini()
    generate = "/v1beta/models/gemini-2.5-flash:generateContent"
    for reply in (
        text("AI learns patterns from data."),
        text("A cat."),
        calls(("get_weather", {"city": "Paris"})),
        text("Sunny in Paris."),
        text("No umbrella needed."),
        json_text([{"name": "Chocolate chip", "ingredients": ["flour"]}]),
    ):
        script(fake, generate, reply)
    script(
        fake,
        "/v1beta/models/gemini-2.5-flash:streamGenerateContent",
        streamed("Once ", "upon a time."),
    )
    fake.models.list.returns({"models": [{"name": "models/a"}], "nextPageToken": "p2"})
    fake.models.list.returns({"models": [{"name": "models/b"}]})
    monkeypatch.setenv("GOOGLE_API_KEY", KEY)
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cat.jpg").write_bytes(JPEG)
    with fake.serve() as url:
        point_clients_at(monkeypatch, url, max_retries=0)
        exec(compile(block, "README.md", "exec"), {"__name__": "readme"})
    assert capsys.readouterr().out == (
        "AI learns patterns from data.\nOnce upon a time.Sunny in Paris.\n"
        "No umbrella needed.\nmodels/a\nmodels/b\n"
    )
    sent = fake.models.generate_content.calls
    assert sent[1].request.system_instruction.parts[0].text == "Answer in one sentence."
    assert sent[3].body["contents"][-1]["parts"][0]["functionResponse"]["name"] == "get_weather"
    assert fake.models.generate_content.calls[0].headers["x-goog-api-key"] == "<redacted>"


def test_the_migration_guide_runs_against_the_fake(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = FakeGemini()
    monkeypatch.setenv("GOOGLE_API_KEY", KEY)
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    namespace: dict[str, Any] = {"__name__": "migration"}
    with fake.serve() as url:
        point_clients_at(monkeypatch, url, max_retries=0)
        for i, (block, (replies, check)) in enumerate(zip(blocks(), STEPS, strict=True), start=1):
            for path, reply in replies:
                script(fake, path, reply)
            since = len(fake.calls)
            capsys.readouterr()
            exec(compile(block, f"docs/migration.md block {i}", "exec"), namespace)
            sent = [c.body if isinstance(c.body, dict) else {} for c in fake.calls[since:]]
            try:
                check(sent, capsys.readouterr().out)
            except AssertionError as exc:
                raise AssertionError(f"block {i}: {exc}") from exc
