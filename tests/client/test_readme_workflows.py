"""The README's workflows example runs as written, against a loopback server playing the API: the
upload really goes through the resumable protocol, the rest is scripted like the service."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import gemini_client._client
from support.upload_server import UploadServer

from .bodies import KEY

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG fake image"
VIDEO = b"\x00\x00\x00\x18ftypmp42 fake video"


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Files, batch mode, context caching, Imagen and Veo", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found is not None
    return found.group(1)


def answer(text: str) -> dict[str, Any]:
    return {"candidates": [{"content": {"role": "model", "parts": [{"text": text}]}}]}


@pytest.fixture
def ups() -> Iterator[UploadServer]:
    server = UploadServer().start()
    yield server
    server.stop()


def test_readme_workflows_run_as_written(
    ups: UploadServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import base64

    monkeypatch.setattr(gemini_client._client, "BASE_URL", ups.url)
    monkeypatch.setenv("GEMINI_API_KEY", KEY)
    monkeypatch.chdir(tmp_path)
    talk = bytes(range(256)) * 40
    (tmp_path / "talk.mp3").write_bytes(talk)
    cache = {"name": "cachedContents/c1", "model": "models/gemini-2.5-flash"}
    done_batch = {
        "name": "batches/b1",
        "done": True,
        "response": {
            "inlinedResponses": {
                "inlinedResponses": [
                    {"metadata": {"key": "q1"}, "response": answer("7")},
                    {
                        "metadata": {"key": "q2"},
                        "error": {"code": 3, "message": "no colours today"},
                    },
                ]
            }
        },
    }
    video_op = {
        "name": "models/veo-3.0-generate-001/operations/v1",
        "done": True,
        "response": {
            "generateVideoResponse": {
                "generatedSamples": [
                    {"video": {"uri": f"{ups.url}/v1beta/files/vid1:download?alt=media"}}
                ]
            }
        },
    }
    m = "/v1beta/models"
    ups.script("POST", f"{m}/gemini-2.5-flash:generateContent", answer("a talk"), answer("Ada"))
    ups.script("GET", "/v1beta/files", {"files": [{"name": "files/upload-1", "state": "ACTIVE"}]})
    ups.script("POST", "/v1beta/cachedContents", cache)
    ups.script("PATCH", "/v1beta/cachedContents/c1", {**cache, "ttl": "3600s"})
    ups.script("DELETE", "/v1beta/cachedContents/c1", {})
    ups.script("DELETE", "/v1beta/files/upload-1", {})
    ups.script("POST", f"{m}/gemini-2.5-flash:batchGenerateContent", done_batch)
    png = base64.b64encode(PNG).decode()
    ups.script(
        "POST",
        f"{m}/imagen-4.0-generate-001:predict",
        {"predictions": [{"bytesBase64Encoded": png, "mimeType": "image/png"}] * 2},
    )
    ups.script("POST", f"{m}/veo-3.0-generate-001:predictLongRunning", video_op)
    ups.script("GET", "/v1beta/files/vid1:download", VIDEO)

    exec(compile(readme_example(), "README.md", "exec"), {})

    assert ups.stored("upload-1") == talk
    out = capsys.readouterr().out
    assert f"{len(talk)}/{len(talk)} bytes" in out
    assert "files/upload-1 FileState.ACTIVE" in out or "files/upload-1 ACTIVE" in out
    assert "q1 " in out and "q2 " in out
    assert (tmp_path / "robot-0.png").read_bytes() == PNG == (tmp_path / "robot-1.png").read_bytes()
    assert (tmp_path / "sunrise-0.mp4").read_bytes() == VIDEO
    assert ups.calls[-1] == "GET /v1beta/files/vid1:download"
    assert "PATCH /v1beta/cachedContents/c1" in ups.calls
    assert "DELETE /v1beta/files/upload-1" in ups.calls
