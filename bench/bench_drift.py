"""6. The drift checker: `codegen drift` of spec/ against the 330 KB Discovery document.

Until `codegen drift` exists (a `codegen.drift` package and a `drift` subcommand) this reports
"not available" and exits 0: the one benchmark allowed to. Once it exists, any failure is loud.
The command is driven through `codegen.cli.main` in-process (no internal API assumed): the first
call (imports included), then the median of warm calls, plus one fresh `codegen drift` process."""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import os
import statistics
import subprocess
import time

from _common import ROOT, fail, quick, report

DISCOVERY = "tests/data/generativelanguage.v1beta.20260529.json"
WARM_RUNS = quick(5, 2)
GOAL = 0.5


def drift_parser() -> argparse.ArgumentParser | None:
    """The `drift` subcommand's parser, or None while the command does not exist."""
    try:
        spec = importlib.util.find_spec("codegen.drift")
    except ImportError:
        return None
    if spec is None or spec.origin in (None, "namespace"):  # no package yet (a bare folder)
        return None
    try:
        importlib.import_module("codegen.drift")
    except ImportError:
        return None
    from codegen.cli import parser

    for action in parser()._actions:
        if isinstance(action, argparse._SubParsersAction) and "drift" in action.choices:
            return action.choices["drift"]
    return None


def drift_args(p: argparse.ArgumentParser) -> list[str]:
    """How to hand the Discovery document to the command, read off its parser."""
    positionals = [a for a in p._actions if not a.option_strings]
    if len(positionals) == 1:
        return ["drift", DISCOVERY]
    for a in p._actions:
        for opt in a.option_strings:
            if any(w in opt for w in ("discovery", "source", "against", "from")):
                return ["drift", opt, DISCOVERY]
    fail(
        f"cannot tell how to pass the Discovery document to `codegen drift`: {p.format_usage().strip()}"
    )
    raise AssertionError


def run_in_process(argv: list[str]) -> float:
    from codegen.cli import main

    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse refusing the arguments
            code = exc.code
    took = time.perf_counter() - start
    # 0: no drift, 1: drift found; anything else, or an internal error, is a failure
    if code not in (0, 1) or "codegen: error" in err.getvalue():
        fail(f"`codegen {' '.join(argv)}` exited {code}: {err.getvalue().strip()[-500:]}")
    return took


def main() -> None:
    p = drift_parser()
    if p is None:
        msg = "`codegen drift` not available yet (no importable `codegen.drift` with a `drift` command); skipped."
        report("6. Drift checker", msg)
        return
    argv = drift_args(p)
    os.chdir(ROOT)
    first = run_in_process(argv)
    warm = [run_in_process(argv) for _ in range(WARM_RUNS)]
    start = time.perf_counter()
    proc = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "codegen"), *argv], cwd=ROOT, capture_output=True, text=True
    )
    fresh = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        fail(f"`codegen {' '.join(argv)}` exited {proc.returncode}: {proc.stderr.strip()[-500:]}")
    med = statistics.median(warm)
    body = (
        f"`codegen {' '.join(argv)}` (spec/ vs the 330 KB Discovery document: load, normalise, compare, report).\n\n"
        "| measure | seconds |\n|---|---:|\n"
        f"| in-process, first call (imports included) | {first:.3f} |\n"
        f"| in-process, warm: median of {WARM_RUNS} (min-max) | {med:.3f} ({min(warm):.3f}-{max(warm):.3f}) |\n"
        f"| fresh `codegen drift` process, wall | {fresh:.3f} |\n\n"
        f"Goal in-process <= {GOAL:g} s: {'MET' if med <= GOAL else 'MISSED'} ({med:.3f} s)"
    )
    report("6. Drift checker", body)


if __name__ == "__main__":
    main()
