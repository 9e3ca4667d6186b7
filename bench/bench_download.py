"""8b. Downloads: a 200 MB file from a loopback server streamed to disk, throughput and peak RSS.

Contenders, each writing the same served bytes to a file (in a temp dir, deleted after):
- raw httpx: ``client.stream("GET", ...)`` and ``iter_bytes()`` into the file (the baseline);
- gemini_client: ``client.files.download(name=...).write_to(path)``;
- google-genai: ``client.files.download(file=..., destination=path)``.

Each contender first sends one request to the server (a 404), so every timed download starts on
an open connection with its client's machinery loaded, the same for all three (as bench_upload).

Every download runs in a fresh process; its RSS is sampled during the download, and the peak
minus its RSS just before is what the download itself costs. The server (this script with ``--serve``, another
process) sends the file in 1 MiB writes; each contender reports the SHA-256 of the file it wrote,
and a wrong byte fails the benchmark.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

from _common import (
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
NAME = "files/bench-download"


def _serve(path: str) -> None:
    """``GET /v1beta/files/bench-download:download?alt=media`` -> the file; anything else 404."""
    size = os.path.getsize(path)
    head = (
        "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\n"
        f"content-length: {size}\r\n\r\n"
    ).encode()
    not_found = b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n"

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                request = await reader.readuntil(b"\r\n\r\n")
                target = request.split(b" ", 2)[1]
                if not target.startswith(f"/v1beta/{NAME}:download?".encode()):
                    writer.write(not_found)
                    continue
                writer.write(head)
                with open(path, "rb") as f:
                    while piece := f.read(1 << 20):
                        writer.write(piece)
                        await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        print(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", flush=True)
        async with server:
            await server.serve_forever()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass


def contender(name: str, url: str, out: str) -> None:
    """Run in a child process: download once into ``out``; print seconds, RSS growth, SHA-256."""
    if name == "raw httpx":
        import httpx

        client = httpx.Client(timeout=120)
        client.get(url + "/v1beta/files/warmup")

        def run() -> None:
            target = f"{url}/v1beta/{NAME}:download?alt=media"
            with client.stream("GET", target, headers={"x-goog-api-key": "k"}) as response:
                response.raise_for_status()
                with open(out, "wb") as f:
                    for chunk in response.iter_bytes():
                        f.write(chunk)

    elif name == "gemini_client":
        import gemini_client

        ours = gemini_client.Client(api_key="k", base_url=url, timeout=120)
        with contextlib.suppress(gemini_client.NotFoundError):
            ours.files.get(name="files/warmup")

        def run() -> None:
            ours.files.download(name=NAME).write_to(out)

    else:
        from google import genai
        from google.genai import types as gtypes

        google = genai.Client(
            api_key="k",
            http_options=gtypes.HttpOptions(base_url=url, api_version="v1beta", timeout=120_000),
        )
        with contextlib.suppress(genai.errors.ClientError):
            google.files.get(name="files/warmup")

        def run() -> None:
            google.files.download(file=NAME, destination=out)

    seconds, growth, cpu = timed_with_peak_rss(run)
    digest = hashlib.sha256()
    with open(out, "rb") as f:
        while piece := f.read(1 << 20):
            digest.update(piece)
    os.unlink(out)
    result = {"seconds": seconds, "rss_growth_mb": growth, "cpu_seconds": cpu}
    print(json.dumps({**result, "sha256": digest.hexdigest()}))


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-download-") as tmp:
        path = Path(tmp) / "served.bin"
        expected = write_big_file(path, SIZE).hexdigest()
        out = str(Path(tmp) / "o")
        results = transfer_rounds(
            [__file__, "--serve", str(path)], __file__, [out], expected, ROUNDS
        )
    body = "\n".join(
        [
            f"A {SIZE / 2**20:.0f} MB file downloaded from a loopback server (another process, "
            f"1 MiB writes) and streamed to disk, {ROUNDS} rounds interleaved, every download in a "
            "fresh process on an open connection; each contender's file is checked by SHA-256.",
            "",
            *transfer_table(results, SIZE, GOAL_THROUGHPUT, GOAL_RSS_MB),
        ]
    )
    report("8b. Downloads", body)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--contender"]:
        contender(*sys.argv[2:5])
    elif sys.argv[1:2] == ["--serve"]:
        _serve(sys.argv[2])
    else:
        main()
