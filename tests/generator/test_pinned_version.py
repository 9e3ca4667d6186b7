"""A method whose path states another version than the service's is pinned to it; the others
follow the client's `api_version` (their version segment is dropped from the rendered path)."""

from __future__ import annotations

from dataclasses import replace

from codegen.render.view import method_view
from codegen.spec.loader import load_spec

from .conftest import REPO


def test_only_a_foreign_version_is_pinned() -> None:
    spec = load_spec(REPO / "spec")
    assert spec.service.version == "v1beta"
    create = spec.resources["auth_tokens"].method("create")
    assert create is not None
    tokens = method_view(create, spec)
    assert (tokens.path_fstring, tokens.api_version) == ("auth_tokens", "")  # Google's v1beta
    pinned = replace(create, path="v1alpha/auth_tokens")
    assert method_view(pinned, spec).api_version == "v1alpha"
    assert not [
        f"{path}.{m.name}"
        for path, r in spec.all_resources()
        for m in r.methods
        if method_view(m, spec).api_version
    ]
