"""The core is copied verbatim, not formatted: it must already be what black makes of it."""

from __future__ import annotations

from codegen.format import format_files

from .conftest import TEMPLATES


def test_core_templates_are_black_formatted() -> None:
    files = {p.name: p.read_text() for p in sorted((TEMPLATES / "package" / "_core").glob("*.py"))}
    assert files
    assert format_files(files) == files
