"""`make typecheck`: mypy --strict on the generated package and the documentation's examples, as
a user's project sees them.

The package is vendored into a fresh directory next to the examples (README.md "Using the client"
and docs/migration.md "Side by side", each document one module, its blocks in order), and mypy
runs there with no MYPYPATH or other path setting: what a project that copied `gemini_client`
gets. Exits with mypy's status.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docblocks import ROOT, python_blocks

EXAMPLES = {
    "readme_example.py": (ROOT / "README.md", "## Using the client"),
    "migration_example.py": (ROOT / "docs" / "migration.md", "## Side by side"),
}


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="gemini-typecheck-") as tmp:
        project = Path(tmp)
        shutil.copytree(ROOT / "generated" / "gemini_client", project / "gemini_client")
        for name, (doc, heading) in EXAMPLES.items():
            (project / name).write_text("\n".join(python_blocks(doc, heading)), encoding="utf-8")
        command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "."]
        return subprocess.run(command, cwd=project, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
