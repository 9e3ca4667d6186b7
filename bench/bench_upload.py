"""8. Uploads: a 200 MB file to a loopback resumable-upload server, throughput and peak RSS.

Contenders, each uploading the same file (created in a temp dir, deleted after):
- raw httpx: the whole file streamed from disk in one POST (the baseline);
- gemini_client: ``upload`` of the resumable protocol (start, then the bytes streamed from disk in
  one ``upload, finalize`` request, resumable from any offset);
- google-genai: ``client.files.upload`` pointed at the same server through ``http_options``
  (start, then 8 MiB chunks, each its own request).

Each contender first sends one request to the server (a 404), so every timed upload starts on an
open connection with its client's machinery loaded, as raw httpx's always did.

Every upload runs in a fresh process; its RSS is sampled during the upload, and the peak minus
its RSS just before is what the upload itself costs. The server (tests/support/upload_server.py, another
process) checks sizes and SHA-256 of what arrived; a wrong byte fails the benchmark.
"""

from __future__ import annotations

import base64
import contextlib
import json
import sys
import tempfile
from pathlib import Path

from _common import (
    ROOT,
    quick,
    report,
    timed_with_peak_rss,
    transfer_rounds,
    transfer_table,
    write_big_file,
)

SIZE = 200 * 1024 * 1024
ROUNDS = quick(5, 2)
GOAL_THROUGHPUT = 0.95
GOAL_RSS_MB = 32.0
SERVER = ROOT / "tests" / "support" / "upload_server.py"


def contender(name: str, url: str, path: str) -> None:
    """Run in a child process: upload ``path`` once, print seconds, RSS growth and the SHA-256."""
    import httpx

    if name == "raw httpx":
        client = httpx.Client(timeout=120)
        client.get(url + "/v1beta/files/warmup")

        def run() -> str:
            with open(path, "rb") as f:
                response = client.post(url + "/raw", content=f, headers={"x-goog-api-key": "k"})
            response.raise_for_status()
            return str(response.json()["sha256Hash"])

    elif name == "gemini_client":
        import gemini_client
        from gemini_client._core import RequestOptions, upload
        from gemini_client._core._models import BaseModel

        class Created(BaseModel):
            file: dict[str, object]

        ours = gemini_client.Client(api_key="k", base_url=url, timeout=120)
        with contextlib.suppress(gemini_client.NotFoundError):
            ours.files.get(name="files/warmup")

        def run() -> str:
            result = upload(
                ours,
                ours.base_url + "upload/v1beta/files",
                cast_to=Created,
                file=path,
                mime_type="application/octet-stream",
                metadata={},
                options=RequestOptions(),
            )
            return str(result.file["sha256Hash"])

    else:
        from google import genai
        from google.genai import types as gtypes

        google = genai.Client(
            api_key="k",
            http_options=gtypes.HttpOptions(base_url=url, api_version="v1beta", timeout=120_000),
        )
        with contextlib.suppress(genai.errors.ClientError):
            google.files.get(name="files/warmup")

        def run() -> str:
            uploaded = google.files.upload(
                file=path, config={"mime_type": "application/octet-stream"}
            )
            return str(uploaded.sha256_hash)

    digests: list[str] = []
    seconds, growth, cpu = timed_with_peak_rss(lambda: digests.append(run()))
    print(
        json.dumps(
            {"seconds": seconds, "rss_growth_mb": growth, "cpu_seconds": cpu, "sha256": digests[0]}
        )
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-upload-") as tmp:
        path = Path(tmp) / "upload.bin"
        expected = base64.b64encode(write_big_file(path, SIZE).digest()).decode()
        results = transfer_rounds(
            [str(SERVER), "--serve", tmp], __file__, [str(path)], expected, ROUNDS
        )
    body = "\n".join(
        [
            f"A {SIZE / 2**20:.0f} MB file uploaded to a loopback resumable-upload server (another "
            f"process), {ROUNDS} rounds interleaved, every upload in a fresh process on an open "
            "connection; gemini_client resumable in one streamed request, google-genai in 8 MiB "
            "chunks, raw httpx in one streamed POST; the server checks every byte's SHA-256.",
            "",
            *transfer_table(results, SIZE, GOAL_THROUGHPUT, GOAL_RSS_MB),
        ]
    )
    report("8. Uploads", body)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--contender"]:
        contender(*sys.argv[2:5])
    else:
        main()
