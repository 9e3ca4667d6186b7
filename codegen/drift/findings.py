"""What the drift checker finds: one `Finding` per difference, its kind from the one `KINDS` table.

A kind says which side has something the other lacks (`api`: the API has it, the spec lacks it;
`spec`: the spec has it, the API lacks it; `both`: both have it, and it differs) and how much it
matters to the generated client (`breaking`, `new` surface, or another `changed` detail).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

from codegen.spec.model import EnumValue, Field, Method, Parameter, Resource, TypeDef

Category = Literal["breaking", "new", "changed"]
Side = Literal["api", "spec", "both"]

CATEGORY_TITLES: dict[Category, str] = {
    "breaking": "Breaking for the client",
    "new": "New API surface",
    "changed": "Other changes",
}
CATEGORY_ORDER: tuple[Category, ...] = ("breaking", "new", "changed")


@dataclass(frozen=True)
class Kind:
    id: str
    category: Category
    side: Side
    summary: str  # for docs/drift.md and `--help`


_KINDS: tuple[Kind, ...] = (
    # resources (nested ones included: `tunedModels.permissions`)
    Kind(
        "resource-missing",
        "new",
        "api",
        "the API has a resource or nested resource the spec lacks (reported once, with all it holds)",
    ),
    Kind("resource-gone", "breaking", "spec", "the spec has a resource the API no longer has"),
    # methods
    Kind(
        "method-missing",
        "new",
        "api",
        "the API has a method (in a resource the spec has) the spec lacks",
    ),
    Kind("method-gone", "breaking", "spec", "the spec has a method the API no longer has"),
    Kind("http-method-changed", "breaking", "both", "the HTTP method differs"),
    Kind("path-changed", "breaking", "both", "the URL path template differs"),
    Kind(
        "request-changed",
        "breaking",
        "both",
        "the request body type differs (or one side has none)",
    ),
    Kind(
        "response-changed", "breaking", "both", "the response type differs (or one side has none)"
    ),
    Kind(
        "method-shape-changed",
        "breaking",
        "both",
        "streaming, pagination, long-running or upload differs",
    ),
    Kind("method-deprecated-changed", "changed", "both", "one side marks the method deprecated"),
    # parameters
    Kind("param-missing", "new", "api", "the API has an optional parameter the spec lacks"),
    Kind(
        "required-param-missing",
        "breaking",
        "api",
        "the API has a required parameter the spec lacks",
    ),
    Kind("param-gone", "breaking", "spec", "the spec has a parameter the API no longer has"),
    Kind("param-type-changed", "breaking", "both", "the parameter's type differs"),
    Kind("param-location-changed", "breaking", "both", "path vs. query differs"),
    Kind(
        "param-now-required",
        "breaking",
        "both",
        "the API requires a parameter the spec has as optional",
    ),
    Kind(
        "param-now-optional",
        "changed",
        "both",
        "the spec requires a parameter the API has as optional",
    ),
    Kind("param-repeated-changed", "breaking", "both", "one side repeats the parameter"),
    Kind("param-deprecated-changed", "changed", "both", "one side marks the parameter deprecated"),
    # types
    Kind("type-missing", "new", "api", "a type the new API surface needs, the spec lacks"),
    Kind("type-gone", "breaking", "spec", "the spec has a type the API does not describe"),
    Kind(
        "type-renamed",
        "changed",
        "both",
        "the same type (matched through its uses) has another name in the API",
    ),
    Kind("type-deprecated-changed", "changed", "both", "one side marks the type deprecated"),
    # fields
    Kind("field-missing", "new", "api", "the API has an optional field the spec lacks"),
    Kind(
        "required-field-missing", "breaking", "api", "the API has a required field the spec lacks"
    ),
    Kind("field-gone", "breaking", "spec", "the spec has a field the API no longer has"),
    Kind(
        "field-type-changed",
        "breaking",
        "both",
        "the field's type differs (primitive, list/map, or named type)",
    ),
    Kind(
        "field-now-required",
        "breaking",
        "both",
        "the API requires a field the spec has as optional",
    ),
    Kind(
        "field-now-optional", "changed", "both", "the spec requires a field the API has as optional"
    ),
    Kind("field-now-output-only", "changed", "both", "the API says output only, the spec does not"),
    Kind("field-now-settable", "new", "both", "the spec says output only, the API does not"),
    Kind("field-deprecated-changed", "changed", "both", "one side marks the field deprecated"),
    # enum values (matched through the field that uses the enum)
    Kind("enum-value-missing", "new", "api", "the API has an enum value the spec lacks"),
    Kind("enum-value-gone", "breaking", "spec", "the spec has an enum value the API lacks"),
    Kind(
        "enum-value-deprecated-changed",
        "changed",
        "both",
        "one side marks the enum value deprecated",
    ),
)

KINDS: dict[str, Kind] = {k.id: k for k in _KINDS}

Subject = Union[Resource, Method, Parameter, Field, EnumValue, TypeDef]


@dataclass(frozen=True)
class Suggestion:
    """Where a missing node goes: `file` under YAML key `key`; `node` is in the spec's names."""

    file: str
    key: str  # "types.FinishReason.enum", "resources.models.methods", "types", "resources"
    node: Subject
    note: str = ""  # "new file", "add `params:` to the method first"...


@dataclass(frozen=True)
class Finding:
    kind: str  # a key of KINDS
    where: str  # "Candidate.finishReason", "models.list.pageSize", "GenerationConfig"
    message: str  # "the API has enum value ESCALATION, the spec lacks it"
    spec_location: str | None = None  # "spec/generation.yaml:88"
    discovery_path: str | None = None  # "schemas.Candidate.properties.finishReason.enum[12]"
    item: str = ""  # the enum value, when the finding is about one
    # type-missing / type-gone: the keys of the findings that bring the type in (a new field, a
    # method...). Such a finding is ignored when everything that brings it in is ignored.
    via: tuple[str, ...] = ()
    suggestion: Suggestion | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown finding kind {self.kind!r}")

    @property
    def key(self) -> str:
        """What ignore rules match: `where`, plus `.VALUE` for an enum value."""
        return f"{self.where}.{self.item}" if self.item else self.where

    @property
    def category(self) -> Category:
        return KINDS[self.kind].category

    @property
    def side(self) -> Side:
        return KINDS[self.kind].side

    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.where, self.item, self.kind, self.message)

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "where": self.key,
            "spec_location": self.spec_location,
            "discovery_path": self.discovery_path,
            "message": self.message,
        }

    def __str__(self) -> str:
        at = f" ({self.spec_location})" if self.spec_location else ""
        return f"{self.where}: {self.message}{at}"
