"""The generator finds the hand-written bases and input aliases by name, and checks them."""

from __future__ import annotations

import shutil
import typing
from pathlib import Path

import pytest

from codegen.render.extensions import BASES_FILE, load_extensions
from codegen.render.typed_dicts import typed_dict_views
from codegen.spec.errors import SpecError
from codegen.spec.loader import load_spec
from gemini_client import types
from gemini_client._core import BaseModel
from gemini_client.types._bases import RequestModel

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def spec() -> typing.Any:
    return load_spec(ROOT / "spec")


def test_types_inherit_their_bases() -> None:
    assert issubclass(types.Part, types._bases.PartBase)
    assert issubclass(types.GenerateContentRequest, types._bases.GenerateContentRequestBase)
    # every request body checks its keys; answers stay open
    for request in (
        types.GenerateContentRequest,
        types.CountTokensRequest,
        types.BatchEmbedContentsRequest,
    ):
        assert issubclass(request, RequestModel)
    for answer in (types.GenerateContentResponse, types.Candidate, types.Content, types.Model):
        assert not issubclass(answer, RequestModel) and issubclass(answer, BaseModel)


def test_the_extensions_of_the_real_templates(spec: typing.Any) -> None:
    ext = load_extensions(spec, ROOT / "templates")
    assert (
        ext.bases["Part"] == "PartBase" and ext.bases["BatchEmbedContentsRequest"] == "RequestModel"
    )
    assert ext.unions == {
        "ContentListUnion",
        "ContentUnion",
        "FunctionDeclarationParametersUnion",
        "FunctionDeclarationResponseUnion",
        "GenerateContentRequestCachedContentUnion",
        "GenerationConfigResponseSchemaUnion",
        "SchemaUnion",
        "ToolUnion",
    }
    assert {"GenerateContentRequest", "BidiGenerateContentSetup"} <= ext.short_forms
    assert "Candidate" not in ext.short_forms


def test_a_field_alias_types_that_one_field(spec: typing.Any, tmp_path: Path) -> None:
    """`<Type><Field>Union` in `_inputs.py` is what the one field accepts, in the method's
    keyword and the TypedDict; an alias naming no field of the spec is not an input alias."""
    from codegen.render.view import method_view

    unions = load_extensions(spec, ROOT / "templates").unions
    views = {v.name: v for v in typed_dict_views(spec, unions)}
    keys = {k.name: k.annotation for k in views["GenerateContentRequestDict"].keys}
    assert (
        keys["cached_content"]
        == keys["cachedContent"]
        == "GenerateContentRequestCachedContentUnion"
    )
    models = dict(spec.all_resources())["models"]
    generate = method_view(
        next(m for m in models.methods if m.name == "generateContent"), spec, unions
    )
    kwargs = {k.name: k.annotation for k in generate.kwargs}
    assert kwargs["cached_content"] == "types.GenerateContentRequestCachedContentUnion"
    assert kwargs["model"] == "str"
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    with (templates / "package/types/_inputs.py").open("a") as f:
        f.write("\nGenerateContentRequestNoSuchFieldUnion = str\n")
    assert "GenerateContentRequestNoSuchFieldUnion" not in load_extensions(spec, templates).unions


def _templates_with(tmp_path: Path, extra: str) -> Path:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    with (templates / BASES_FILE).open("a") as f:
        f.write(extra)
    return templates


def test_a_base_may_not_shadow_a_field(spec: typing.Any, tmp_path: Path) -> None:
    templates = _templates_with(
        tmp_path, "\n\nclass BlobBase(BaseModel):\n    def data(self) -> None: ...\n"
    )
    with pytest.raises(
        SpecError,
        match=r"templates/package/types/_bases.py:\d+: BlobBase: defines `data`, a field of Blob",
    ):
        load_extensions(spec, templates)


def test_the_base_of_a_request_body_must_check_keys(spec: typing.Any, tmp_path: Path) -> None:
    templates = _templates_with(
        tmp_path,
        "\n\nclass _Helper(BaseModel):\n    pass\n\n\nclass BatchEmbedContentsRequestBase(_Helper):\n    pass\n",
    )
    with pytest.raises(
        SpecError,
        match="BatchEmbedContentsRequest is a request body: derive BatchEmbedContentsRequestBase from RequestModel",
    ):
        load_extensions(spec, templates)


def test_a_spec_type_may_not_take_a_helpers_name(spec: typing.Any) -> None:
    from dataclasses import replace

    taken = replace(
        spec, types={**spec.types, "PartDict": replace(spec.types["Blob"], name="PartDict")}
    )
    with pytest.raises(SpecError, match="the type name PartDict is taken"):
        load_extensions(taken, ROOT / "templates")


def test_typed_dicts_take_both_names_and_leave_out_output_only_fields(spec: typing.Any) -> None:
    views = {v.name: v for v in typed_dict_views(spec, frozenset({"ContentListUnion"}))}
    assert [k.name for k in views["PartDict"].keys][:3] == ["text", "inline_data", "inlineData"]
    assert [k.name for k in views["EmbedContentResponseDict"].keys] == []
    contents = next(k for k in views["GenerateContentRequestDict"].keys if k.name == "contents")
    assert contents.annotation == "ContentListUnion"
    assert typing.get_type_hints(types.PartDict)["inline_data"] is not None
