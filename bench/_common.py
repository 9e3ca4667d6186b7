"""What the benchmarks share: the loopback server, the payloads, timing, tables and RESULTS.md.

The server is a minimal asyncio HTTP/1.1 server run in a subprocess (``python _common.py
--serve``), so it runs on the other core and never competes with the client for the GIL. It
answers every client compared with the same pre-built bytes:

- ``POST .../models/{m}:generateContent`` -> the ~5 KB ``generate_content_response()`` JSON
- ``POST .../models/{m}:streamGenerateContent?alt=sse`` -> ``STREAM_CHUNKS`` SSE events, each its
  own HTTP chunk and its own write

Anything else is a 404, so a misrouted client fails loudly instead of being timed.
"""

from __future__ import annotations

import asyncio
import datetime
import importlib
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS = BENCH_DIR / "RESULTS.md"
MODEL = "gemini-2.5-flash"
API_KEY = "k"
CONTENTS = [
    {"role": "user", "parts": [{"text": "Explain how a transformer language model works."}]}
]
STREAM_CHUNKS = 50
BASELINE = "raw httpx"


def quick(full: int, short: int) -> int:
    """``full``, or ``short`` when ``BENCH_QUICK=1`` (a quick look while iterating; its numbers
    are not for RESULTS.md)."""
    return short if os.environ.get("BENCH_QUICK") == "1" else full


def rss_mb() -> float:
    """This process's resident memory now, in MiB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def timed_with_peak_rss(run: Callable[[], object]) -> tuple[float, float, float]:
    """Seconds ``run()`` takes, how far this process's RSS rose above its level before it,
    sampled every 2 ms by a thread (``ru_maxrss`` would also count an earlier peak, an import's),
    and the CPU seconds this process spent meanwhile (what the client itself costs, whatever else
    the machine runs)."""
    import threading

    before = rss_mb()
    peak = before
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.002):
            peak = max(peak, rss_mb())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start, cpu = time.perf_counter(), time.process_time()
    try:
        run()
    finally:
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        done.set()
        sampler.join()
    return seconds, max(0.0, max(peak, rss_mb()) - before), cpu


def write_big_file(path: Path, size: int) -> Any:
    """``size`` bytes (a multiple of 1 MiB) of incompressible data at ``path``; their SHA-256."""
    import hashlib

    digest = hashlib.sha256()
    block = os.urandom(1 << 20)
    with path.open("wb") as f:
        for i in range(size >> 20):
            piece = block[i % 251 :] + block[: i % 251]
            f.write(piece)
            digest.update(piece)
    return digest


def fail(message: str) -> None:
    """Stop the benchmark: a clear message and a non-zero exit, never a silent skip."""
    print(f"bench: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def require(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as err:
        fail(f"cannot import {module!r} ({err}); run `make install`")


# --- payloads: the wire shape of the real types (checked by check_wire_shape) ---------------


def _prose(words: int, seed: int) -> str:
    rng = random.Random(seed)
    vocab = (
        "the model attention layer token sequence weights training data gradient embedding "
        "vector query key value softmax head residual normalisation decoder context window "
        "probability output input position encoding parameter loss batch"
    ).split()
    out = []
    for i in range(words):
        word = rng.choice(vocab)
        out.append(word + ("." if i % 17 == 16 else ""))
        if i % 90 == 89:
            out.append('\n\n**"Note":** ')
    return " ".join(out)


def _safety_ratings() -> list[dict[str, Any]]:
    return [
        {"category": c, "probability": "NEGLIGIBLE"}
        for c in (
            "HARM_CATEGORY_HATE_SPEECH",
            "HARM_CATEGORY_DANGEROUS_CONTENT",
            "HARM_CATEGORY_HARASSMENT",
            "HARM_CATEGORY_SEXUALLY_EXPLICIT",
        )
    ]


def _usage(prompt: int, candidates: int) -> dict[str, Any]:
    return {
        "promptTokenCount": prompt,
        "candidatesTokenCount": candidates,
        "totalTokenCount": prompt + candidates + 112,
        "thoughtsTokenCount": 112,
        "promptTokensDetails": [{"modality": "TEXT", "tokenCount": prompt}],
        "candidatesTokensDetails": [{"modality": "TEXT", "tokenCount": candidates}],
    }


def generate_content_response() -> dict[str, Any]:
    """A ~5 KB GenerateContentResponse: one candidate with text, safety ratings, citations, usage."""
    return {
        "candidates": [
            {
                "content": {"parts": [{"text": _prose(480, seed=1)}], "role": "model"},
                "finishReason": "STOP",
                "index": 0,
                "avgLogprobs": -0.2873,
                "safetyRatings": _safety_ratings(),
                "citationMetadata": {
                    "citationSources": [
                        {
                            "startIndex": 120 * i,
                            "endIndex": 120 * i + 97,
                            "uri": f"https://example.com/articles/transformers-{i}",
                            "license": "CC-BY-4.0",
                        }
                        for i in range(4)
                    ]
                },
            }
        ],
        "usageMetadata": _usage(11, 731),
        "modelVersion": MODEL,
        "responseId": "bM1uZ8a0Mq2x7M8PqbPX2A4",
    }


def stream_chunks() -> list[dict[str, Any]]:
    """``STREAM_CHUNKS`` chunks as Gemini streams them; the last carries finishReason and ratings."""
    chunks = []
    for i in range(STREAM_CHUNKS):
        candidate: dict[str, Any] = {
            "content": {"parts": [{"text": _prose(14, seed=100 + i) + " "}], "role": "model"},
            "index": 0,
        }
        if i == STREAM_CHUNKS - 1:
            candidate["finishReason"] = "STOP"
            candidate["safetyRatings"] = _safety_ratings()
        chunks.append(
            {
                "candidates": [candidate],
                "usageMetadata": _usage(11, 15 * (i + 1)),
                "modelVersion": MODEL,
                "responseId": "bM1uZ8a0Mq2x7M8PqbPX2A4",
            }
        )
    return chunks


def _strip_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_none(v) for v in value]
    return value


def check_wire_shape(payload: dict[str, Any]) -> None:
    """Fail unless both clients' GenerateContentResponse types read every field of ``payload``."""
    from google.genai import types as gtypes

    from gemini_client import types

    ours = types.GenerateContentResponse.model_validate(payload).to_dict()
    if ours != payload:
        fail("payload is not the wire shape of gemini_client.types.GenerateContentResponse")
    theirs = gtypes.GenerateContentResponse.model_validate(payload)
    dumped = _strip_none(
        theirs.model_dump(mode="json", by_alias=True, exclude={"sdk_http_response"})
    )
    if dumped != payload:
        fail("payload is not the wire shape of google.genai.types.GenerateContentResponse")


# --- the three clients ---------------------------------------------------------------------------


def generate_callers(
    url: str, *, aio: bool = False, raw_timeout: float | None = None
) -> tuple[dict[str, Callable[[], Any]], Callable[[], Any]]:
    """One `generate_content` call through each client on `url`, returning the answer's text (raw
    httpx decodes with `json.loads`): functions, or coroutine functions with `aio`; and what closes
    the clients (a coroutine function with `aio`). Each client has its defaults, raw httpx the
    `raw_timeout` if given (httpx's own default is 5 s)."""
    httpx = require("httpx")
    gemini_client = require("gemini_client")
    genai = require("google.genai")
    gtypes = require("google.genai.types")
    timeout = {} if raw_timeout is None else {"timeout": raw_timeout}
    endpoint = f"{url}/v1beta/models/{MODEL}:generateContent"
    headers = {"x-goog-api-key": API_KEY}
    google = genai.Client(api_key=API_KEY, http_options=gtypes.HttpOptions(base_url=url))

    def text(r: Any) -> str:
        return str(r.candidates[0].content.parts[0].text)

    def raw_text(r: Any) -> str:
        r.raise_for_status()
        return str(json.loads(r.content)["candidates"][0]["content"]["parts"][0]["text"])

    if not aio:
        raw = httpx.Client(**timeout)
        ours = gemini_client.Client(api_key=API_KEY, base_url=url)
        sync_calls: dict[str, Callable[[], str]] = {
            BASELINE: lambda: raw_text(
                raw.post(endpoint, json={"contents": CONTENTS}, headers=headers)
            ),
            "gemini_client": lambda: text(
                ours.models.generate_content(model=MODEL, contents=CONTENTS)
            ),
            "google-genai": lambda: text(
                google.models.generate_content(model=MODEL, contents=CONTENTS)
            ),
        }

        def close() -> None:
            raw.close()
            ours.close()
            google.close()

        return sync_calls, close

    araw = httpx.AsyncClient(**timeout)
    aours = gemini_client.AsyncClient(api_key=API_KEY, base_url=url)
    agoogle = google.aio

    async def call_raw() -> str:
        return raw_text(await araw.post(endpoint, json={"contents": CONTENTS}, headers=headers))

    async def call_ours() -> str:
        return text(await aours.models.generate_content(model=MODEL, contents=CONTENTS))

    async def call_google() -> str:
        return text(await agoogle.models.generate_content(model=MODEL, contents=CONTENTS))

    async def aclose() -> None:
        await araw.aclose()
        await aours.aclose()
        await agoogle.aclose()

    return {BASELINE: call_raw, "gemini_client": call_ours, "google-genai": call_google}, aclose


# --- the server ----------------------------------------------------------------------------------


def _http_response(body: bytes, content_type: str, status: str = "200 OK") -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _serve() -> None:
    generate = _http_response(json.dumps(generate_content_response()).encode(), "application/json")
    stream_head = (
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
    )
    events = [f"data: {json.dumps(c)}\r\n\r\n".encode() for c in stream_chunks()]
    stream_pieces = [b"%x\r\n%s\r\n" % (len(e), e) for e in events] + [b"0\r\n\r\n"]
    not_found = _http_response(
        b'{"error": {"code": 404, "status": "NOT_FOUND"}}', "application/json", "404 Not Found"
    )

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.split(b"\r\n")
                target = lines[0].split(b" ")[1]
                length, chunked = 0, False
                for line in lines[1:]:
                    name, _, value = line.partition(b":")
                    name = name.strip().lower()
                    if name == b"content-length":
                        length = int(value)
                    elif name == b"transfer-encoding":
                        chunked = b"chunked" in value.lower()
                if chunked:
                    while (size := int((await reader.readline()).split(b";")[0], 16)) > 0:
                        await reader.readexactly(size + 2)
                    await reader.readline()
                else:
                    await reader.readexactly(length)
                path = target.split(b"?")[0]
                if path.endswith(b":streamGenerateContent") and b"alt=sse" in target:
                    writer.write(stream_head)
                    for piece in stream_pieces:
                        writer.write(piece)
                        await writer.drain()
                elif path.endswith(b":generateContent"):
                    writer.write(generate)
                else:
                    writer.write(not_found)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


@contextmanager
def serve() -> Iterator[str]:
    """Run the server in a subprocess; yields its base URL. Fails loudly when it does not start."""
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__)), "--serve"], stdout=subprocess.PIPE, text=True
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        if not line.strip().isdigit():
            fail(f"the loopback server did not start (exit code {proc.poll()}, said {line!r})")
        url = f"http://127.0.0.1:{int(line)}"
        import httpx

        try:
            httpx.post(f"{url}/v1beta/models/{MODEL}:generateContent", json={}).raise_for_status()
        except httpx.HTTPError as err:
            fail(f"the loopback server at {url} does not answer: {err}")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    if proc.returncode not in (0, -15):
        fail(f"the loopback server exited with {proc.returncode}")


# --- timing --------------------------------------------------------------------------------


def measure(contenders: dict[str, Callable[[], object]], rounds: int = 5) -> dict[str, list[float]]:
    """Seconds per call of each contender, ``rounds`` times, interleaved: every round runs each
    contender once, in an order rotated per round so no contender always goes first."""
    return measure_cpu(contenders, rounds)[0]


def measure_cpu(
    contenders: dict[str, Callable[[], object]],
    rounds: int = 5,
    warm: dict[str, Callable[[], object]] | None = None,
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall and CPU seconds (this process's, every thread's) of each contender as ``measure``
    takes them; with ``warm``, each timed run comes right after that contender's untimed one."""
    names = list(contenders)
    wall: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            if warm is not None:
                warm[name]()
            start, start_cpu = time.perf_counter(), time.process_time()
            contenders[name]()
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    return wall, cpu


def summarise(
    times: dict[str, list[float]], baseline: str = BASELINE
) -> dict[str, dict[str, float]]:
    """Median and min/max of each contender, and its ratio to ``baseline`` per round (median, min, max)."""
    out = {}
    for name, ts in times.items():
        ratios = [t / b for t, b in zip(ts, times[baseline])]
        out[name] = {
            "median": statistics.median(ts),
            "min": min(ts),
            "max": max(ts),
            "ratio": statistics.median(ratios),
            "ratio_min": min(ratios),
            "ratio_max": max(ratios),
        }
    return out


def table(
    rows: dict[str, dict[str, float]],
    *,
    unit: str = "ms",
    scale: float = 1000.0,
    per: str = "",
    cpu: dict[str, dict[str, float]] | None = None,
) -> str:
    """A markdown table: median (min-max) and ratio to the baseline (min-max over rounds); with
    ``cpu`` (``summarise`` of the CPU times), the median client CPU time and its ratio too."""
    head = f"| client | median {unit}{per} | min-max {unit} | x {BASELINE} (median) | x {BASELINE} (min-max) |"
    rule = "|---|---:|---:|---:|---:|"
    if cpu is not None:
        head += f" median CPU {unit} | CPU x {BASELINE} (median) |"
        rule += "---:|---:|"
    lines = [head, rule]
    for name, s in rows.items():
        line = (
            f"| {name} | {s['median'] * scale:.1f} | {s['min'] * scale:.1f}-{s['max'] * scale:.1f}"
            f" | {s['ratio']:.2f} | {s['ratio_min']:.2f}-{s['ratio_max']:.2f} |"
        )
        if cpu is not None:
            line += f" {cpu[name]['median'] * scale:.1f} | {cpu[name]['ratio']:.2f} |"
        lines.append(line)
    return "\n".join(lines)


def goal_line(name: str, value: float, limit: float, what: str) -> str:
    verdict = "MET" if value <= limit else "MISSED"
    return f"Goal {what} <= {limit:g}: {verdict} ({name}: {value:.2f})"


# --- reporting -----------------------------------------------------------------------------

PACKAGES = ("httpx", "pydantic", "pydantic-core", "google-genai", "httpx2", "gemini-codegen")


def versions(extra: tuple[str, ...] = ()) -> str:
    found = []
    for name in PACKAGES + extra:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return ", ".join(found)


def machine() -> str:
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
        f"{platform.python_implementation()} {platform.python_version()}, {platform.system()} {platform.release()}"
        f", load average {load} (1/5/15 min) at the start"
    )


TRANSFER_CONTENDERS = ("raw httpx", "gemini_client", "google-genai")


def transfer_rounds(
    server_cmd: list[str], script: str, args: list[str], expected: str, rounds: int
) -> dict[str, list[dict[str, float]]]:
    """Start the transfer server (``server_cmd`` prints its URL on its first line), then run each
    contender ``rounds`` times, interleaved, each run in a fresh process (``script --contender
    NAME URL *args`` prints ``{"seconds", "rss_growth_mb", "cpu_seconds", "sha256"}``); every
    run's SHA-256 must be ``expected``."""
    server = subprocess.Popen([sys.executable, *server_cmd], stdout=subprocess.PIPE, text=True)
    try:
        url = (server.stdout.readline() if server.stdout else "").strip()
        if not url.startswith("http://127.0.0.1:"):
            fail(f"the transfer server did not start (said {url!r})")
        names = TRANSFER_CONTENDERS
        results: dict[str, list[dict[str, float]]] = {name: [] for name in names}
        for r in range(rounds):
            for name in names[r % len(names) :] + names[: r % len(names)]:
                out = subprocess.run(
                    [sys.executable, script, "--contender", name, url, *args],
                    capture_output=True,
                    text=True,
                    timeout=600,
                )
                if out.returncode:
                    fail(f"{name} failed: {out.stderr.strip().splitlines()[-1:]}")
                result = json.loads(out.stdout.strip().splitlines()[-1])
                if result["sha256"] != expected:
                    fail(f"{name}: other bytes arrived than were sent ({result['sha256']})")
                results[name].append(result)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return results


def transfer_table(
    results: dict[str, list[dict[str, float]]],
    size: int,
    goal_throughput: float,
    goal_rss_mb: float,
) -> list[str]:
    """The throughput and memory table of ``transfer_rounds``' results, then a line per goal;
    with a ``first_seconds`` in every result (a first small transfer, timed apart), its column."""
    mb = size / 2**20
    base = [r["seconds"] for r in results["raw httpx"]]
    first = all("first_seconds" in r for runs in results.values() for r in runs)
    lines = [
        "| client | median s | MB/s (median) | x raw httpx throughput (median, min-max) | peak RSS growth MB (max) | client CPU s (median) |"
        + (" first small transfer ms (median) |" if first else ""),
        "|---|---:|---:|---:|---:|---:|" + ("---:|" if first else ""),
    ]
    ratios: dict[str, float] = {}
    for name, runs in results.items():
        secs = [r["seconds"] for r in runs]
        per_round = [b / s for b, s in zip(base, secs)]
        ratios[name] = statistics.median(per_round)
        lines.append(
            f"| {name} | {statistics.median(secs):.2f} | {mb / statistics.median(secs):.0f}"
            f" | {ratios[name]:.2f} ({min(per_round):.2f}-{max(per_round):.2f})"
            f" | {max(r['rss_growth_mb'] for r in runs):.1f}"
            f" | {statistics.median(r['cpu_seconds'] for r in runs):.2f} |"
            + (
                f" {statistics.median(r['first_seconds'] for r in runs) * 1000:.1f} |"
                if first
                else ""
            )
        )
    ours_rss = max(r["rss_growth_mb"] for r in results["gemini_client"])
    thr = ratios["gemini_client"]
    return [
        *lines,
        "",
        f"Goal throughput >= {goal_throughput:g}x raw httpx: "
        f"{'MET' if thr >= goal_throughput else 'MISSED'} (gemini_client: {thr:.2f})",
        f"Goal peak RSS growth <= {goal_rss_mb:g} MB: "
        f"{'MET' if ours_rss <= goal_rss_mb else 'MISSED'} (gemini_client: {ours_rss:.1f} MB)",
    ]


def report(title: str, body: str, *, extra_packages: tuple[str, ...] = ()) -> None:
    """Print ``body`` and append it to RESULTS.md under a dated header."""
    stamp = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    section = (
        f"## {title}\n\n{stamp} | {machine()}\n\nVersions: {versions(extra_packages)}\n\n{body}\n"
    )
    print(section)
    if not RESULTS.exists():
        RESULTS.write_text(
            "# Benchmark results\n\nWritten by one `make bench` run (bench/run_all.py starts the file"
            " afresh); each section is appended as its benchmark finishes. The load average in each"
            " header is the machine's (shared with other work) when the section started: compare the"
            " ratios, measured interleaved in one run, rather than absolute times.\n\n"
        )
    with RESULTS.open("a") as f:
        f.write(section + "\n")


if __name__ == "__main__" and sys.argv[1:] == ["--serve"]:
    try:
        asyncio.run(_serve())
    except KeyboardInterrupt:
        pass
