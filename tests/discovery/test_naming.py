"""`codegen.naming` writes pydantic's model attributes out instead of importing pydantic at start-up
(tests/diff/test_cli.py: `codegen diff` starts without it): the list must stay the installed
pydantic's, or a field named like a new attribute would shadow it in the generated model."""

from __future__ import annotations

import pydantic

from codegen import naming


def test_the_model_attributes_are_the_installed_pydantics() -> None:
    installed = {n for n in dir(pydantic.BaseModel) if not n.startswith("_")}
    assert naming.PYDANTIC_MODEL_ATTRIBUTES == installed
    for name in installed:
        assert naming.field_name(name) == name + "_"
