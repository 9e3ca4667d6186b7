"""5. The generator: the full build without the manifest (`codegen generate` into a new directory,
what every change to the generator or the shared types costs) with an empty format cache (cold:
black itself is measured) and again next to it (warm: the format cache `generate` keeps in
`.codegen-cache/format/` beside its output); the same full build after each of three realistic
changes (`CHANGES`: a field added to a shared type, a line of the model template, a type's
docstring reworded), the format cache warm from the build before it, as a developer meets it; the
incremental one (`generate --force` next to the manifest), `codegen generate` unchanged, `codegen
check`.

Every run is a fresh `codegen` process from the repository root, on the real spec/ and templates/,
with `--out` in a temporary directory of its round (the repository's generated/ is only copied,
never written), XDG_CACHE_HOME pointing to an empty directory so no user-level cache is reused,
and the test suite's CODEGEN_FORMAT_CACHE unset. Each run's CPU seconds (the process and its
workers) are shown too: on a shared machine they move less than wall time."""

from __future__ import annotations

import os
import re
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _common import ROOT, fail, quick, report

ROUNDS = quick(5, 2)
FULL = "generate (no manifest: full build)"
WARM = "generate (no manifest, warm format cache)"
INCREMENTAL = "generate --force (manifest: incremental)"


def _edit(rel: str, old: str, new: str, marker: str) -> Callable[[Path], str]:
    """A change: `old` replaced once by `new` in the file `rel` of a copy of the repository's
    spec/ and templates/ (under `root`); `marker`, which the types module then holds."""

    def change(root: Path) -> str:
        path = root / rel
        text = path.read_text()
        if text.count(old) < 1:
            raise Unexpected(f"{rel} no longer holds {old!r}: update bench/bench_codegen.py")
        path.write_text(text.replace(old, new, 1))
        return marker

    return change


# Full builds without the manifest after a change, the format cache warm from the build before.
CHANGES = {
    "generate (no manifest) after a field added to Part": _edit(
        "spec/content.yaml",
        "    fields:\n      text:\n        type: string\n        description: Inline text.\n",
        "    fields:\n      text:\n        type: string\n        description: Inline text.\n"
        "      benchNote:\n        type: string\n        description: A note the benchmark added.\n",
        "bench_note: str | None = None",
    ),
    "generate (no manifest) after a line of the model template": _edit(
        "templates/datamodel/pydantic_v2/BaseModel.jinja2",
        '    """{{ field.extras.description |',
        '    """Field. {{ field.extras.description |',
        '"""Field. ',
    ),
    "generate (no manifest) after one type's docstring reworded": _edit(
        "spec/generation.yaml",
        "Configuration options for model generation and outputs.",
        "Settings for model generation and its outputs.",
        "Settings for model generation and its outputs.",
    ),
}
GOALS = {
    FULL: 4.0,
    **{name: 4.0 for name in CHANGES},
    INCREMENTAL: 3.0,
    "generate (unchanged)": 0.5,
}
CODEGEN = ROOT / ".venv" / "bin" / "codegen"


class Unexpected(Exception):
    """A codegen run that did not do what the benchmark expects."""


Run = tuple[float, float, float | None]  # wall s, CPU s, the time codegen printed


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def codegen(*args: str, expect: str, env: dict[str, str], code: int = 0) -> Run:
    """Wall and CPU seconds of one fresh `codegen` process, and the time it reports for itself."""
    cpu = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run([str(CODEGEN), *args], cwd=ROOT, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    cpu = _children_cpu() - cpu  # its pool's workers included: they are waited for
    if proc.returncode != code or expect not in proc.stdout:
        raise Unexpected(
            f"`codegen {' '.join(args)}` exited {proc.returncode}, expected {code} and {expect!r}: {proc.stdout}{proc.stderr}"
        )
    own = re.search(r"\((\d+\.\d+)s\)", proc.stdout)
    return wall, cpu, float(own.group(1)) if own else None


def inputs() -> str:
    """The generator's own hash of its inputs, to notice concurrent edits during a round."""
    from codegen.pipeline import Paths, inputs_hash

    return inputs_hash(
        Paths(spec=ROOT / "spec", templates=ROOT / "templates", out=ROOT / "generated")
    )


def one_round(base: Path, env: dict[str, str]) -> dict[str, Run]:
    """One round in the new directory `base`: nothing in it is cached yet."""
    fresh, again, out = (
        base / "new" / "generated",
        base / "new" / "again",
        base / "copy" / "generated",
    )
    t = {FULL: codegen("generate", "--out", str(fresh), expect="generated:", env=env)}
    t[WARM] = codegen("generate", "--out", str(again), expect="generated:", env=env)
    for i, (name, change) in enumerate(CHANGES.items()):
        src = base / f"src{i}"  # spec/ and templates/ as the repository has them, then changed
        for part in ("spec", "templates"):
            shutil.copytree(ROOT / part, src / part)
        marker = change(src)
        changed = base / "new" / f"changed{i}"
        t[name] = codegen(
            "generate",
            *("--spec", str(src / "spec"), "--templates", str(src / "templates")),
            *("--out", str(changed)),
            expect="generated:",
            env=env,
        )
        if marker not in (changed / "gemini_client" / "types" / "_models.py").read_text():
            raise Unexpected(f"{name}: {marker!r} is not in the output")
    for built in (fresh, again):
        if (built / ".codegen-manifest.json").read_bytes() != (
            ROOT / "generated" / ".codegen-manifest.json"
        ).read_bytes():
            raise Unexpected(
                "the full build differs from the committed generated/: run codegen check"
            )
    shutil.copytree(ROOT / "generated", out, ignore=shutil.ignore_patterns("__pycache__"))
    t[INCREMENTAL] = codegen("generate", "--force", "--out", str(out), expect="generated:", env=env)
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
    times: dict[str, list[Run]] = {
        k: []
        for k in (
            FULL,
            WARM,
            *CHANGES,
            INCREMENTAL,
            "generate (unchanged)",
            "check (up to date)",
            "check (stale: full build)",
        )
    }
    with tempfile.TemporaryDirectory(prefix="bench-codegen-") as tmp:
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "cache")}
        env.pop("CODEGEN_FORMAT_CACHE", None)
        r = retries = 0
        while r < ROUNDS:
            before = inputs()
            try:
                round_times, problem = one_round(Path(tmp) / f"round{r}-{retries}", env), None
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
        "| command | median wall s | min-max wall s | median CPU s | median in-process s (as printed) | goal |",
        "|---|---:|---:|---:|---:|---|",
    ]
    verdicts = []
    for name, runs in times.items():
        walls = [w for w, _, _ in runs]
        cpus = [c for _, c, _ in runs]
        owns = [o for _, _, o in runs if o is not None]
        med = statistics.median(walls)
        goal = GOALS.get(name)
        verdict = "" if goal is None else f"<= {goal:g} s: {'MET' if med <= goal else 'MISSED'}"
        if goal is not None:
            verdicts.append(f"Goal {name} {verdict} ({med:.2f} s)")
        own = f"{statistics.median(owns):.2f}" if owns else "-"
        lines.append(
            f"| codegen {name} | {med:.2f} | {min(walls):.2f}-{max(walls):.2f} "
            f"| {statistics.median(cpus):.2f} | {own} | {verdict} |"
        )
    body = (
        f"{ROUNDS} rounds; each a fresh `codegen` process run from the repository root; the full build writes "
        "into a new directory (no manifest to reuse) with an empty format cache (the goal is judged on it), "
        "the warm one into another beside it; each `after ...` row is the full build into another "
        "directory beside them from a copy of spec/ and templates/ with one change, the format cache "
        "warm from the builds before it (also judged on the 4 s goal); the others use a temp copy of generated/; wall time "
        "includes interpreter start-up and imports; CPU s counts the process and its formatting workers.\n\n"
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
