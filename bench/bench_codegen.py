"""5. The generator: `codegen generate --force` cold, `codegen generate` unchanged, `codegen check`.

Every run is a fresh `codegen` process from the repository root, on the real spec/ and templates/,
with `--out` in a temporary directory (the repository's generated/ is only copied, never written)
and XDG_CACHE_HOME pointing to an empty directory so no user-level cache is reused."""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from _common import ROOT, fail, report

ROUNDS = 5
GOALS = {"generate --force (cold)": 3.0, "generate (unchanged)": 0.5}
CODEGEN = ROOT / ".venv" / "bin" / "codegen"


class Unexpected(Exception):
    """A codegen run that did not do what the benchmark expects."""


def codegen(
    *args: str, expect: str, env: dict[str, str], code: int = 0
) -> tuple[float, float | None]:
    """Wall seconds of one fresh `codegen` process, and the time it reports for itself."""
    start = time.perf_counter()
    proc = subprocess.run([str(CODEGEN), *args], cwd=ROOT, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    if proc.returncode != code or expect not in proc.stdout:
        raise Unexpected(
            f"`codegen {' '.join(args)}` exited {proc.returncode}, expected {code} and {expect!r}: {proc.stdout}{proc.stderr}"
        )
    own = re.search(r"\((\d+\.\d+)s\)", proc.stdout)
    return wall, float(own.group(1)) if own else None


def inputs() -> str:
    """The generator's own hash of its inputs, to notice concurrent edits during a round."""
    from codegen.pipeline import Paths, inputs_hash

    return inputs_hash(
        Paths(spec=ROOT / "spec", templates=ROOT / "templates", out=ROOT / "generated")
    )


def one_round(out: Path, env: dict[str, str]) -> dict[str, tuple[float, float | None]]:
    shutil.copytree(ROOT / "generated", out, ignore=shutil.ignore_patterns("__pycache__"))
    t = {
        "generate --force (cold)": codegen(
            "generate", "--force", "--out", str(out), expect="generated:", env=env
        )
    }
    t["generate (unchanged)"] = codegen(
        "generate", "--out", str(out), expect="up to date:", env=env
    )
    t["check (up to date)"] = codegen("check", "--out", str(out), expect="is up to date", env=env)
    # one file edited by hand: the fast path fails and check renders everything to compare
    init = out / "gemini_client" / "__init__.py"
    init.write_text(init.read_text() + "\n")
    t["check (stale: full build)"] = codegen(
        "check", "--out", str(out), expect="is stale", env=env, code=1
    )
    return t


def main() -> None:
    if not CODEGEN.exists():
        fail(f"{CODEGEN} is missing; run `make install`")
    times: dict[str, list[tuple[float, float | None]]] = {
        k: []
        for k in (
            "generate --force (cold)",
            "generate (unchanged)",
            "check (up to date)",
            "check (stale: full build)",
        )
    }
    with tempfile.TemporaryDirectory(prefix="bench-codegen-") as tmp:
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "cache")}
        r = retries = 0
        while r < ROUNDS:
            before = inputs()
            try:
                round_times, problem = one_round(Path(tmp) / f"out{r}-{retries}", env), None
            except Unexpected as err:
                problem = str(err)
            if inputs() != before:  # someone edited spec/, templates/ or codegen/ meanwhile
                retries += 1
                if retries > 3:
                    fail(
                        "the generator's inputs kept changing during the benchmark; rerun when they are stable"
                    )
                continue
            if problem:
                fail(problem)
            for name, t in round_times.items():
                times[name].append(t)
            r += 1

    lines = [
        "| command | median wall s | min-max wall s | median in-process s (as printed) | goal |",
        "|---|---:|---:|---:|---|",
    ]
    verdicts = []
    for name, runs in times.items():
        walls = [w for w, _ in runs]
        owns = [o for _, o in runs if o is not None]
        med = statistics.median(walls)
        goal = GOALS.get(name)
        verdict = "" if goal is None else f"<= {goal:g} s: {'MET' if med <= goal else 'MISSED'}"
        if goal is not None:
            verdicts.append(f"Goal {name} {verdict} ({med:.2f} s)")
        own = f"{statistics.median(owns):.2f}" if owns else "-"
        lines.append(
            f"| codegen {name} | {med:.2f} | {min(walls):.2f}-{max(walls):.2f} | {own} | {verdict} |"
        )
    body = (
        f"{ROUNDS} rounds; each a fresh `codegen` process run from the repository root with `--out` in a temp copy of "
        "generated/; wall time includes interpreter start-up and imports.\n\n"
        + "\n".join(lines)
        + "\n\n"
        + "\n\n".join(verdicts)
    )
    report(
        "5. Generator",
        body,
        extra_packages=("datamodel-code-generator", "black", "jinja2", "pyyaml"),
    )


if __name__ == "__main__":
    main()
