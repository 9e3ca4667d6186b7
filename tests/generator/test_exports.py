"""Export tables agree: the core's lazy table, its `if TYPE_CHECKING:` imports and `__all__` list
the same names, and every name the package exports resolves (the package's own list is written
once in `__init__.py.jinja`; eager or lazy follows the core, codegen/render/exports.py)."""

from __future__ import annotations

import ast

import gemini_client
from codegen.render.exports import core_lazy_names
from gemini_client import _core

from .conftest import TEMPLATES


def _eager_imports() -> set[str]:
    tree = ast.parse((TEMPLATES / "package" / "_core" / "__init__.py").read_text())
    return {
        a.asname or a.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.level == 1
        for a in node.names
    }


def test_the_core_lists_each_lazy_export_the_same_in_its_three_places() -> None:
    lazy = core_lazy_names(TEMPLATES)
    assert lazy and set(_core._LAZY) == lazy
    assert len(_core.__all__) == len(set(_core.__all__))
    assert set(_core.__all__) == lazy | _eager_imports()
    for name in _core.__all__:
        getattr(_core, name)


def test_every_package_export_resolves_and_lazy_ones_stay_lazy() -> None:
    assert len(gemini_client.__all__) == len(set(gemini_client.__all__))
    for name in gemini_client.__all__:
        assert getattr(gemini_client, name) is not None, name
    lazy = core_lazy_names(TEMPLATES)
    assert set(gemini_client._FROM_CORE) == lazy & set(gemini_client.__all__)
