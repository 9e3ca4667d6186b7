"""What the hand-written core exports, read from `templates/package/_core/__init__.py`: the package's
`__init__.py` re-exports a list of core names written once, importing each eagerly or on first use
as the core does."""

from __future__ import annotations

import ast
from pathlib import Path

CORE_INIT = "package/_core/__init__.py"


def core_lazy_names(template_dir: Path) -> frozenset[str]:
    """The core names imported on first use: those its `if TYPE_CHECKING:` block imports."""
    path = template_dir / CORE_INIT
    if not path.is_file():
        return frozenset()
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for stmt in ast.walk(node):
                if isinstance(stmt, ast.ImportFrom):
                    names.update(a.asname or a.name for a in stmt.names)
    return frozenset(names)
