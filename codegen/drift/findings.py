"""What the drift checker finds: one `Finding` per difference, its kind a drift rule of the one
registry (`codegen.compare.rules`, `KINDS` here).

A kind says which side has something the other lacks (`api`: the API has it, the spec lacks it;
`spec`: the spec has it, the API lacks it; `both`: both have it, and it differs) and how much it
matters to the generated client (`breaking`, `new` surface, or another `changed` detail).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union, cast

from codegen.compare.rules import DRIFT, DRIFT_LEVEL_TITLES, DRIFT_LEVELS, DriftLevel

from codegen.spec.model import EnumValue, Field, Method, Parameter, Resource, TypeDef

Category = DriftLevel
Side = Literal["api", "spec", "both"]

CATEGORY_TITLES = DRIFT_LEVEL_TITLES
CATEGORY_ORDER = DRIFT_LEVELS
KINDS = DRIFT  # the drift rules of the one registry, by id
# The registry's sides in drift's words: the base is the spec, the head the API.
_SIDES: dict[str, Side] = {"base": "spec", "head": "api", "both": "both"}

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
        return cast(Category, KINDS[self.kind].level)

    @property
    def side(self) -> Side:
        return _SIDES[KINDS[self.kind].side]

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
