"""`python -m codegen.compare --write-docs`: re-render the rule tables of docs/drift.md and
docs/spec-diff.md from the registry; without arguments, print both tables."""

from __future__ import annotations

import sys
from pathlib import Path

from .docs import DOCS, table, write_docs

if sys.argv[1:2] == ["--write-docs"]:
    changed = write_docs(Path.cwd())
    print("\n".join(f"{p}: updated" for p in changed) or "docs up to date")
else:
    for check in DOCS:
        sys.stdout.write(table(check) + "\n")
