"""4. Import cost: `-X importtime` total, fresh-process wall time of import + Client(), and RSS."""

from __future__ import annotations

import compileall
import json
import statistics
import subprocess
import sys

from _common import BASELINE, ROOT, fail, goal_line, measure, quick, report, summarise, table

ROUNDS = quick(7, 2)
GOAL_MS = 150.0
STATEMENTS = {
    BASELINE: ("import httpx", "httpx.Client()"),
    "gemini_client": ("import gemini_client", "gemini_client.Client(api_key='k')"),
    "google-genai": ("from google import genai", "genai.Client(api_key='k')"),
}
# Run in a fresh interpreter: time the import and the client, then report peak RSS.
PROBE = """
import resource, sys, time, json
t0 = time.perf_counter()
{0}
t1 = time.perf_counter()
client = {1}
t2 = time.perf_counter()
print(json.dumps({{"import": t1 - t0, "total": t2 - t0,
                  "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, *args], capture_output=True, text=True)
    if proc.returncode:
        fail(
            f"`python {' '.join(args)}` exited with {proc.returncode}: {proc.stderr.strip()[-500:]}"
        )
    return proc


def top_level(stderr: str) -> dict[str, int]:
    """Cumulative microseconds of each top-level import in `-X importtime` output."""
    out = {}
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = line.split("|")
            if name.startswith(" ") and not name.startswith("  ") and cumulative.strip().isdigit():
                out[name.strip()] = int(cumulative)
    return out


def main() -> None:
    # Imports as a user's second run makes them, from byte code: with PYTHONDONTWRITEBYTECODE
    # set (some shells and CI images set it) a stale __pycache__ is never rewritten, and each
    # fresh process would compile the package's changed modules again.
    compileall.compile_dir(ROOT / "generated" / "gemini_client", quiet=1)
    startup = top_level(run(["-X", "importtime", "-c", "pass"]).stderr)
    probes: dict[str, list[dict[str, float]]] = {n: [] for n in STATEMENTS}
    importtime: dict[str, list[float]] = {n: [] for n in STATEMENTS}

    def contender(name: str):
        def once() -> None:
            stmt, make = STATEMENTS[name]
            probes[name].append(json.loads(run(["-c", PROBE.format(stmt, make)]).stdout))
            modules = top_level(run(["-X", "importtime", "-c", stmt]).stderr)
            # everything the statement imported beyond interpreter startup
            importtime[name].append(sum(v for k, v in modules.items() if k not in startup) / 1e6)

        return once

    measure({n: contender(n) for n in STATEMENTS}, rounds=ROUNDS)
    bare = json.loads(run(["-c", PROBE.format("pass", "None")]).stdout)["rss_kb"]

    wall = summarise({n: [p["total"] for p in ps] for n, ps in probes.items()})
    imp = summarise(importtime)
    rss = {n: statistics.median(p["rss_kb"] for p in ps) / 1024 for n, ps in probes.items()}
    rss_rows = [
        "| client | peak RSS MiB | above bare python MiB | x raw httpx |",
        "|---|---:|---:|---:|",
    ]
    rss_rows += [
        f"| {n} | {v:.1f} | {v - bare / 1024:.1f} | {v / rss[BASELINE]:.2f} |"
        for n, v in rss.items()
    ]
    ours_import_ms = imp["gemini_client"]["median"] * 1000
    ours_wall_ms = wall["gemini_client"]["median"] * 1000
    body = (
        f"Fresh interpreter per measure, {ROUNDS} rounds interleaved. Raw httpx is "
        "`import httpx; httpx.Client()`; gemini_client is `import gemini_client; gemini_client.Client(api_key='k')`; "
        "google-genai is `from google import genai; genai.Client(api_key='k')`.\n\n"
        "`python -X importtime -c <import>`: sum of the top-level imports beyond interpreter startup\n\n"
        + table(imp)
        + "\n\nWall time of import + `Client()` in a fresh process (timed inside it, interpreter startup excluded)\n\n"
        + table(wall)
        + f"\n\nPeak RSS after `Client()` (getrusage in the subprocess; bare `python -c pass` = {bare / 1024:.1f} MiB)\n\n"
        + "\n".join(rss_rows)
        + "\n\n"
        + goal_line("gemini_client importtime ms", ours_import_ms, GOAL_MS, "import ms")
        + "\n\n"
        + goal_line(
            "gemini_client import + Client() wall ms", ours_wall_ms, GOAL_MS, "import + Client() ms"
        )
    )
    report("4. Import", body)


if __name__ == "__main__":
    main()
