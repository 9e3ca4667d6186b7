"""8. Uploads: a 200 MB file to a loopback resumable-upload server, throughput and peak RSS.

Contenders, each uploading the same file (created in a temp dir, deleted after):
- raw httpx: the whole file streamed from disk in one POST (the baseline);
- gemini_client: ``upload`` of the resumable protocol (start, 8 MiB chunks, finalize);
- google-genai: ``client.files.upload`` pointed at the same server through ``http_options``.

Every upload runs in a fresh process; its RSS is sampled during the upload, and the peak minus
its RSS just before is what the upload itself costs. The server (tests/support/upload_server.py, another
process) checks sizes and SHA-256 of what arrived; a wrong byte fails the benchmark.
"""

from __future__ import annotations

import base64
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import ROOT, fail, quick, report, timed_with_peak_rss, write_big_file

SIZE = 200 * 1024 * 1024
ROUNDS = quick(5, 2)
GOAL_THROUGHPUT = 0.95
GOAL_RSS_MB = 32.0
SERVER = ROOT / "tests" / "support" / "upload_server.py"
CONTENDERS = ("raw httpx", "gemini_client", "google-genai")


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

        def run() -> str:
            uploaded = google.files.upload(
                file=path, config={"mime_type": "application/octet-stream"}
            )
            return str(uploaded.sha256_hash)

    digests: list[str] = []
    seconds, growth = timed_with_peak_rss(lambda: digests.append(run()))
    print(json.dumps({"seconds": seconds, "rss_growth_mb": growth, "sha256": digests[0]}))


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-upload-") as tmp:
        path = Path(tmp) / "upload.bin"
        expected = base64.b64encode(write_big_file(path, SIZE).digest()).decode()
        server = subprocess.Popen(
            [sys.executable, str(SERVER), "--serve", tmp], stdout=subprocess.PIPE, text=True
        )
        try:
            url = (server.stdout.readline() if server.stdout else "").strip()
            if not url.startswith("http://127.0.0.1:"):
                fail(f"the upload server did not start (said {url!r})")
            results: dict[str, list[dict[str, float]]] = {name: [] for name in CONTENDERS}
            for r in range(ROUNDS):
                for name in CONTENDERS[r % 3 :] + CONTENDERS[: r % 3]:
                    out = subprocess.run(
                        [sys.executable, __file__, "--contender", name, url, str(path)],
                        capture_output=True,
                        text=True,
                        timeout=600,
                    )
                    if out.returncode:
                        fail(f"{name} failed: {out.stderr.strip().splitlines()[-1:]}")
                    result = json.loads(out.stdout.strip().splitlines()[-1])
                    if result["sha256"] != expected:
                        fail(f"{name}: the server received other bytes ({result['sha256']})")
                    results[name].append(result)
        finally:
            server.terminate()
            server.wait(timeout=10)

    mb = SIZE / 2**20
    base = [r["seconds"] for r in results["raw httpx"]]
    lines = [
        "| client | median s | MB/s (median) | x raw httpx throughput (median, min-max) | peak RSS growth MB (max) |",
        "|---|---:|---:|---:|---:|",
    ]
    ratios: dict[str, float] = {}
    for name, runs in results.items():
        secs = [r["seconds"] for r in runs]
        per_round = [b / s for b, s in zip(base, secs)]
        ratios[name] = statistics.median(per_round)
        lines.append(
            f"| {name} | {statistics.median(secs):.2f} | {mb / statistics.median(secs):.0f}"
            f" | {ratios[name]:.2f} ({min(per_round):.2f}-{max(per_round):.2f})"
            f" | {max(r['rss_growth_mb'] for r in runs):.1f} |"
        )
    ours_rss = max(r["rss_growth_mb"] for r in results["gemini_client"])
    thr = ratios["gemini_client"]
    body = "\n".join(
        [
            f"A {mb:.0f} MB file uploaded to a loopback resumable-upload server (another process), "
            f"{ROUNDS} rounds interleaved, every upload in a fresh process; gemini_client in 8 MiB "
            "chunks, raw httpx in one streamed POST; the server checks every byte's SHA-256.",
            "",
            *lines,
            "",
            f"Goal throughput >= {GOAL_THROUGHPUT:g}x raw httpx: "
            f"{'MET' if thr >= GOAL_THROUGHPUT else 'MISSED'} (gemini_client: {thr:.2f})",
            f"Goal peak RSS growth <= {GOAL_RSS_MB:g} MB: "
            f"{'MET' if ours_rss <= GOAL_RSS_MB else 'MISSED'} (gemini_client: {ours_rss:.1f} MB)",
        ]
    )
    report("8. Uploads", body)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--contender"]:
        contender(*sys.argv[2:5])
    else:
        main()
