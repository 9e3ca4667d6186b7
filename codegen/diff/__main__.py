"""`python -m codegen.diff --write-doc [docs/spec-diff.md]`: regenerate the rules table in the doc;
without arguments, print it."""

from __future__ import annotations

import sys

from .rules import rules_markdown, write_doc

if sys.argv[1:2] == ["--write-doc"]:
    target = sys.argv[2] if len(sys.argv) > 2 else "docs/spec-diff.md"
    print(f"{target}: {'updated' if write_doc(target) else 'up to date'}")
else:
    sys.stdout.write(rules_markdown())
