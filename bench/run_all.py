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
    "bench_overhead.py",
    "bench_async.py",
    "bench_threads.py",
    "bench_import.py",
    "bench_codegen.py",
    "bench_drift.py",
    "bench_live.py",
    "bench_upload.py",
    "bench_download.py",
    "bench_telemetry.py",
]


def main() -> int:
    failed = []
    took: list[str] = []
    start = time.perf_counter()
    (HERE / "RESULTS.md").unlink(missing_ok=True)  # one run writes the whole file
    for script in SCRIPTS:
        print(f"==> {script}", flush=True)
        t0 = time.perf_counter()
        code = subprocess.run([sys.executable, str(HERE / script)]).returncode
        seconds = time.perf_counter() - t0
        print(f"<== {script}: exit {code} in {seconds:.0f}s\n", flush=True)
        took.append(f"{script} {seconds:.0f} s" + (f" (FAILED, exit {code})" if code else ""))
        if code:
            failed.append(script)
    total = time.perf_counter() - start
    with (HERE / "RESULTS.md").open("a") as f:
        f.write(f"## Run time\n\n{total / 60:.1f} min in all: {'; '.join(took)}.\n")
    print(f"all benchmarks: {total:.0f}s; results written to {HERE / 'RESULTS.md'}")
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
