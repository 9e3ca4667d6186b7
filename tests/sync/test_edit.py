"""The line editor on small texts: where a block goes, what a new container looks like, what stays."""

from __future__ import annotations

import pytest
import yaml

from codegen.spec.yamlnodes import read_yaml
from codegen.sync.edit import EditError, Insert, SpecFile

from .conftest import only_inserted

SPEC = """\
# A hand-written header comment.

types:
  Thing:
    description: A thing.   # trailing comment
    fields:
      name: string
      # a comment between fields
      size:
        type: int32
        description: "Quoted: kept as written."

  # A comment that belongs to Other.
  Other:
    enum:
      A: First.

resources:
  tunedModels:
    description: Tuned models.
    methods:
      get:
        http: GET v1beta/{+name}
        response: Thing
  empty:
    methods: {}   # nothing yet
"""


def lines_of(text: str, tmp_path: object) -> dict[str, int]:
    """YAML path -> 0-based line, as the loader's locations give them."""
    from pathlib import Path

    p = Path(str(tmp_path)) / "x.yaml"
    p.write_text(text, encoding="utf-8")
    tree, problems = read_yaml(p, "x.yaml")
    assert tree is not None and not problems
    out: dict[str, int] = {}

    def walk(node: object) -> None:
        from codegen.spec.yamlnodes import Node

        assert isinstance(node, Node)
        out[node.loc.path] = node.loc.line - 1
        for child in node.items.values():
            walk(child)

    walk(tree)
    return out


def edit(tmp_path: object, *inserts: Insert, text: str = SPEC) -> str:
    f = SpecFile(text, lines_of(text, tmp_path))
    for ins in inserts:
        f.add(ins)
    out = f.text()
    yaml.safe_load(out)
    only_inserted(text, out)
    return out


def test_a_field_goes_at_the_end_of_fields_before_the_blank_line(tmp_path: object) -> None:
    out = edit(tmp_path, Insert("types.Thing.fields", "colour: string\n"))
    assert (
        '        description: "Quoted: kept as written."\n      colour: string\n\n  # A comment that belongs to Other.'
        in out
    )


def test_a_type_after_its_user_and_at_the_end(tmp_path: object) -> None:
    out = edit(
        tmp_path,
        Insert("types", "Colour:\n  enum:\n    RED: Red.\n", spaced=True, after="types.Thing"),
        Insert("types", "Last:\n  fields:\n    x: string\n", spaced=True),
    )
    assert (
        '"Quoted: kept as written."\n\n  Colour:\n    enum:\n      RED: Red.\n\n  # A comment that belongs to Other.\n'
        in out
    )
    assert "      A: First.\n\n  Last:\n    fields:\n      x: string\n\nresources:\n" in out


def test_a_nested_resource_creates_resources_after_methods(tmp_path: object) -> None:
    block = "permissions:\n  methods:\n    list:\n      http: GET v1beta/{+parent}/permissions\n      response: Thing\n"
    out = edit(tmp_path, Insert("resources.tunedModels.resources", block, spaced=True))
    assert (
        "        response: Thing\n\n    resources:\n      permissions:\n        methods:\n          list:\n"
        "            http: GET v1beta/{+parent}/permissions\n            response: Thing\n  empty:\n"
    ) in out
    data = yaml.safe_load(out)
    assert list(data["resources"]["tunedModels"]) == ["description", "methods", "resources"]
    # A second nested resource goes into the now existing `resources:`.
    again = edit(
        tmp_path,
        Insert("resources.tunedModels.resources", "operations:\n  methods: {}\n", spaced=True),
        text=out,
    )
    assert list(yaml.safe_load(again)["resources"]["tunedModels"]["resources"]) == [
        "permissions",
        "operations",
    ]
    assert "            response: Thing\n\n      operations:\n        methods: {}\n" in again


def test_an_empty_flow_mapping_becomes_a_block(tmp_path: object) -> None:
    f = SpecFile(SPEC, lines_of(SPEC, tmp_path))
    f.add(Insert("resources.empty.methods", "get:\n  http: GET v1beta/x\n", spaced=True))
    out = f.text()
    assert (
        out.replace(
            "    methods: # nothing yet\n      get:\n        http: GET v1beta/x\n",
            "    methods: {}   # nothing yet\n",
        )
        == SPEC
    )
    assert out.endswith(
        "  empty:\n    methods: # nothing yet\n      get:\n        http: GET v1beta/x\n"
    )


def test_params_are_created_in_the_spec_language_order(tmp_path: object) -> None:
    out = edit(
        tmp_path,
        Insert("resources.tunedModels.methods.get.params", "name:\n  in: path\n  type: string\n"),
    )
    assert (
        "      get:\n        http: GET v1beta/{+name}\n        params:\n          name:\n            in: path\n"
        in out
    )
    assert list(yaml.safe_load(out)["resources"]["tunedModels"]["methods"]["get"]) == [
        "http",
        "params",
        "response",
    ]


def test_types_are_created_before_resources_in_a_file_without_them(tmp_path: object) -> None:
    text = "# header\n\nresources:\n  a:\n    methods: {}\n"
    out = edit(tmp_path, Insert("types", "T:\n  fields:\n    x: string\n", spaced=True), text=text)
    assert (
        out
        == "# header\n\ntypes:\n  T:\n    fields:\n      x: string\n\nresources:\n  a:\n    methods: {}\n"
    )


def test_a_file_without_a_final_newline(tmp_path: object) -> None:
    text = "types:\n  T:\n    enum:\n      A: a"
    out = edit(tmp_path, Insert("types.T.enum", "B: b\n"), text=text)
    assert out == "types:\n  T:\n    enum:\n      A: a\n      B: b\n"


def test_a_flow_mapping_with_content_is_refused(tmp_path: object) -> None:
    text = "types:\n  T:\n    enum: {A: a}\n"
    f = SpecFile(text, lines_of(text, tmp_path))
    with pytest.raises(EditError, match="line 3: 'enum: {A: a}' is not a block mapping"):
        f.add(Insert("types.T.enum", "B: b\n"))
