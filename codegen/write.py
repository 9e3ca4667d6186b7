"""Write the generated tree all at once: into a temporary sibling directory, then swapped in.

Any failure before the swap leaves the previous output byte-identical."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stamp_path(out_dir: Path) -> Path:
    """Where the local, uncommitted record of the last generation of `out_dir` lives."""
    return out_dir.resolve().parent / ".codegen-cache" / f"{out_dir.resolve().name}.json"


def write_stamp(out_dir: Path, inputs_hash: str, files: dict[str, bytes]) -> None:
    """Record what `out_dir` was generated from and each file's hash, for the fast path."""
    doc = {"inputs": inputs_hash, "files": {p: sha256(files[p]) for p in sorted(files)}}
    path = stamp_path(out_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")


def read_stamp(out_dir: Path) -> dict[str, object] | None:
    try:
        doc = json.loads(stamp_path(out_dir).read_text())
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def read_tree(out_dir: Path) -> dict[str, bytes]:
    """Every file currently under `out_dir` (caches excluded), by relative POSIX path."""
    if not out_dir.is_dir():
        return {}
    return {
        p.relative_to(out_dir).as_posix(): p.read_bytes()
        for p in sorted(out_dir.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and ".mypy_cache" not in p.parts
    }


def stale_files(out_dir: Path, expected: dict[str, bytes]) -> list[str]:
    """Paths that differ between `out_dir` and `expected`, each marked changed/missing/extra."""
    actual = read_tree(out_dir)
    report = []
    for path in sorted(set(actual) | set(expected)):
        if path not in actual:
            report.append(f"missing: {path}")
        elif path not in expected:
            report.append(f"extra:   {path}")
        elif actual[path] != expected[path]:
            report.append(f"changed: {path}")
    return report


def write_tree(out_dir: Path, files: dict[str, bytes]) -> None:
    """Replace `out_dir` with exactly `files`."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.with_name(f".{out_dir.name}.tmp-{os.getpid()}")
    backup = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        for rel, data in files.items():
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if out_dir.exists():
            os.replace(out_dir, backup)
        try:
            os.replace(tmp, out_dir)
        except OSError:
            if backup.exists():
                os.replace(backup, out_dir)
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(backup, ignore_errors=True)
