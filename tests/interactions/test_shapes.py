"""spec/interactions.yaml against google-genai 3.3.0's own Interactions types (a dev dependency).

Each union of google-genai (steps, contents, tools, events, deltas, annotations) is one type in the
spec holding every kind's fields: the spec must have each field of each kind, and each enum the
same values. google-genai is read by introspection only.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import sys
import types
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml

# One worker imports google-genai's Interactions types, not each that runs one test.
pytestmark = pytest.mark.xdist_group("google-genai-interactions")

TYPES = "google.genai._gaos.types.interactions"
_PARENTS = ("google.genai", "google.genai._gaos")
"""Packages whose `__init__` imports google-genai's whole client (~2 s of CPU): while the types
are imported they stand as bare packages over their own directories."""


@pytest.fixture(scope="module")
def gi() -> Any:
    """google-genai's Interactions types, imported by the first test that reads them rather than
    at collection. Only the types package and what it imports are loaded (~0.2 s), not google-genai
    itself (~2 s); every name the package loads lazily is loaded here, then `sys.modules` is put
    back as it was, so a later `import google.genai` is the whole real package."""
    found = importlib.util.find_spec(_PARENTS[0])
    if found is None or not found.submodule_search_locations:
        pytest.skip("google-genai is not installed")
    root = Path(next(iter(found.submodule_search_locations)))
    before = dict(sys.modules)
    try:
        for name in _PARENTS:
            if name not in sys.modules:
                stand_in = types.ModuleType(name)
                stand_in.__path__ = [str(root.joinpath(*name.split(".")[2:]))]
                sys.modules[name] = stand_in
        module = importlib.import_module(TYPES)
        for name in module.__all__:  # each lazy import done now, while the stand-ins are there,
            setattr(module, name, getattr(module, name))  # and kept (it is not by google-genai)
    finally:
        for name in set(sys.modules) - set(before):
            del sys.modules[name]
        sys.modules.update(before)
    return module


@functools.cache
def spec_types() -> dict[str, Any]:
    """spec/interactions.yaml's types, read when a test first needs them (not when the module is
    collected, on every worker), with libyaml's loader when PyYAML has it (0.2 s -> 0.02 s)."""
    text = (Path(__file__).resolve().parents[2] / "spec" / "interactions.yaml").read_text("utf-8")
    found: dict[str, Any] = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))[
        "types"
    ]
    return found


def variants(annotation: Any) -> list[type]:
    """The pydantic models of a (possibly annotated, optional, listed) union, unknown kinds left out."""
    out: list[type] = []

    def walk(a: Any) -> None:
        origin = typing.get_origin(a)
        if (
            origin in (typing.Annotated, list, typing.Union)
            or str(origin) == "<class 'types.UnionType'>"
        ):
            args = typing.get_args(a)
            for arg in args[:1] if origin is typing.Annotated else args:
                walk(arg)
        elif hasattr(a, "model_fields") and not a.__name__.startswith("Unknown"):
            out.append(a)

    walk(annotation)
    return out


def wire_fields(model: type) -> set[str]:
    return {info.alias or name for name, info in model.model_fields.items()}  # type: ignore[attr-defined]


def literals(annotation: Any) -> set[str]:
    found: set[str] = set()

    def walk(a: Any) -> None:
        if typing.get_origin(a) is typing.Literal:
            found.update(typing.get_args(a))
        for arg in typing.get_args(a):
            walk(arg)

    walk(annotation)
    return found


def spec_fields(name: str) -> set[str]:
    return set(spec_types()[name]["fields"])


def kinds(models: list[type], key: str = "type") -> set[str]:
    return {v for m in models for v in literals(m.model_fields[key].annotation)}  # type: ignore[attr-defined]


UNIONS = [
    ("InteractionStep", lambda gi: variants(gi.Step)),
    ("InteractionContent", lambda gi: variants(gi.Content)),
    ("InteractionTool", lambda gi: variants(gi.Tool)),
    ("InteractionDelta", lambda gi: variants(gi.StepDelta.model_fields["delta"].annotation)),
    ("InteractionEvent", lambda gi: variants(gi.InteractionSSEEvent)),
    (
        "InteractionAnnotation",
        lambda gi: variants(gi.TextContent.model_fields["annotations"].annotation),
    ),
]


@pytest.mark.parametrize(("spec_name", "union"), UNIONS, ids=[u[0] for u in UNIONS])
def test_each_union_has_every_kinds_fields(spec_name: str, union: Any, gi: Any) -> None:
    models = union(gi)
    assert len(models) >= 5
    missing = {f"{m.__name__}.{f}" for m in models for f in wire_fields(m) - spec_fields(spec_name)}
    assert not missing


def test_objects_have_every_field(gi: Any) -> None:
    pairs = {
        "Interaction": gi.Interaction,
        "InteractionUsage": gi.Usage,
        "InteractionGenerationConfig": gi.GenerationConfig,
        "InteractionSafetySetting": gi.SafetySetting,
        "InteractionWebhookConfig": gi.WebhookConfig,
        "InteractionModalityTokens": gi.ModalityTokens,
        "InteractionError": gi.Error,
        "InteractionAllowedTools": gi.AllowedTools,
        "InteractionDeltaMetadata": gi.StepDeltaMetadata,
    }
    for spec_name, model in pairs.items():
        assert wire_fields(model) <= spec_fields(spec_name), spec_name
    # the partial interaction of lifecycle events fits in Interaction
    assert wire_fields(gi.InteractionSseEventInteraction) <= spec_fields("Interaction")


def test_the_request_has_every_field_of_model_and_agent_interactions(gi: Any) -> None:
    theirs = wire_fields(gi.CreateModelInteraction) | wire_fields(gi.CreateAgentInteraction)
    assert theirs - {"stream"} == spec_fields("CreateInteractionRequest")  # stream: stream_flag


def test_enums_have_the_same_values(gi: Any) -> None:
    status = literals(gi.Interaction.model_fields["status"].annotation)
    assert status == set(spec_types()["InteractionStatus"]["enum"])
    assert kinds(variants(gi.Step)) == set(spec_types()["InteractionStepType"]["enum"])
    modality = literals(gi.ModalityTokens.model_fields["modality"].annotation)
    assert modality == set(spec_types()["InteractionModality"]["enum"])
    tier = literals(gi.Interaction.model_fields["service_tier"].annotation)
    assert tier == set(spec_types()["InteractionServiceTier"]["enum"])
    events = kinds(variants(gi.InteractionSSEEvent), "event_type")
    assert len(events) == 7 and all(
        e in spec_types()["InteractionEvent"]["description"] for e in events
    )
