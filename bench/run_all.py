"""Run every benchmark (`make bench`), each in its own process, and fail if any of them fails.

Each script prints its table and appends it to bench/RESULTS.md."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    "bench_generate_content.py",
    "bench_streaming.py",
    "bench_async.py",
    "bench_import.py",
    "bench_codegen.py",
    "bench_drift.py",
    "bench_live.py",
    "bench_upload.py",
    "bench_telemetry.py",
]


def main() -> int:
    failed = []
    start = time.perf_counter()
    for script in SCRIPTS:
        print(f"==> {script}", flush=True)
        t0 = time.perf_counter()
        code = subprocess.run([sys.executable, str(HERE / script)]).returncode
        print(f"<== {script}: exit {code} in {time.perf_counter() - t0:.0f}s\n", flush=True)
        if code:
            failed.append(script)
    print(
        f"all benchmarks: {time.perf_counter() - start:.0f}s; results appended to {HERE / 'RESULTS.md'}"
    )
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
