"""The one rule registry: every finding of `codegen drift` and every change of `codegen diff`.

oasdiff's shape: one table of rules drives every check. A rule has an id (kebab-case, what
`drift-ignore.yaml` and `codegen-diff.yaml` name), the check it belongs to, a level, the subject it
compares (service, resource, method, parameter, type, field, enum), the kind of change, a
`str.format` message template filled by the walker, and one line for the docs. Both walkers build
every message from this table, and the rule tables of docs/drift.md and docs/spec-diff.md are
rendered from it (`python -m codegen.compare --write-docs`; a test fails when they are stale).

The two checks compare the same model (`codegen.spec.model.Spec`) from two vantage points:
- `diff`: base spec -> head spec, as the public surface of the generated package (keyed by Python
  names). Levels: breaking (code that worked can fail, or the same call sends a different request),
  warning (it runs but can behave differently), non-breaking (additions, relaxations), docs (text).
  A repository can move any diff rule to another level, or `off` (`codegen/diff/levels.py`).
- `drift`: the spec (base) -> the normalised Discovery document (head, "the API"), keyed by wire
  names, then filtered by `spec/drift-ignore.yaml`. Levels group what the API did relative to the
  client: breaking for it, new surface, other changes. `side` says who has the thing: `head` (the
  API has it, the spec lacks it), `base` (the other way round), `both` (both have it, it differs).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Literal

Check = Literal["drift", "diff"]
DiffLevel = Literal["breaking", "warning", "non-breaking", "docs"]
DriftLevel = Literal["breaking", "new", "changed"]
Level = Literal["breaking", "warning", "non-breaking", "docs", "new", "changed"]
Subject = Literal["service", "resource", "method", "parameter", "type", "field", "enum", "any"]
Change = Literal[
    "existence",
    "requiredness",
    "type",
    "values",
    "endpoint",
    "trait",
    "wire",
    "deprecation",
    "docs",
]
Side = Literal["base", "head", "both"]

DIFF_LEVELS: tuple[DiffLevel, ...] = ("breaking", "warning", "non-breaking", "docs")
DIFF_LEVEL_TITLES: dict[DiffLevel, str] = {
    "breaking": "breaking",
    "warning": "warning",
    "non-breaking": "non-breaking",
    "docs": "docs-only",
}
DRIFT_LEVELS: tuple[DriftLevel, ...] = ("breaking", "new", "changed")
DRIFT_LEVEL_TITLES: dict[DriftLevel, str] = {
    "breaking": "Breaking for the client",
    "new": "New API surface",
    "changed": "Other changes",
}


@dataclass(frozen=True)
class Rule:
    id: str
    check: Check
    level: Level
    subject: Subject  # what it compares
    change: Change  # what about it changed
    message: str  # str.format template, filled by the walker
    doc: str  # one line for the docs: why this level (diff), what it means (drift)
    side: Side = "both"

    @property
    def fields(self) -> frozenset[str]:
        """The template's placeholders."""
        return frozenset(f for _, f, _, _ in string.Formatter().parse(self.message) if f)

    def format(self, **values: str) -> str:
        """The message; a missing or unexpected placeholder is a programming error."""
        if set(values) != self.fields:
            raise ValueError(f"rule {self.id}: got {sorted(values)}, wants {sorted(self.fields)}")
        return self.message.format(**values)


def _diff(
    id: str, level: DiffLevel, subject: Subject, change: Change, message: str, doc: str
) -> Rule:
    # Which side has the thing: an addition only the head, a removal only the base.
    side: Side = (
        "head"
        if change == "existence" and (id.endswith("-added") or id.startswith("new-"))
        else "base"
        if change == "existence" and id.endswith("-removed")
        else "both"
    )
    return Rule(id, "diff", level, subject, change, message, doc, side)


def _drift(
    id: str,
    level: DriftLevel,
    side: Side,
    subject: Subject,
    change: Change,
    message: str,
    doc: str,
) -> Rule:
    return Rule(id, "drift", level, subject, change, message, doc, side)


_B: DiffLevel = "breaking"
_W: DiffLevel = "warning"
_N: DiffLevel = "non-breaking"
_D: DiffLevel = "docs"

# Reasons shared by many diff rules.
_GONE = "code that names it no longer imports or type-checks"
_ADDED = "nothing that existed changes; code that ignores it keeps working"
_ELSEWHERE = "the same call type-checks but now sends a different request"
_RETURNS = "the method returns a different Python type, so code using the result fails"
_DEPRECATED = "still there and working; a deprecation only announces a future removal"
_NOW_WARNS = (
    "existing code still runs, but the client now warns when it is used (DeprecationWarning, an"
    " error under -W error) and type checkers flag it"
)
_TEXT = "only docstrings change"
_REQUIRED = (
    "calls that leave it out fail: a required keyword argument, or the API rejects the request"
)
_RELAXED = "every call that worked still works"
_TYPE = "values of the old type no longer type-check or validate"
_WIDENED = "every old value still fits and the Python type is the same"

# `codegen diff`: base spec -> head spec, keyed by the Python names of the generated package.
_DIFF: tuple[Rule, ...] = (
    # -- service: `gemini_client.Client` -------------------------------------------------------
    _diff(
        "service-base-url-changed",
        _B,
        "service",
        "endpoint",
        "default base URL changed from {old} to {new}",
        _ELSEWHERE,
    ),
    _diff(
        "service-version-changed",
        _B,
        "service",
        "endpoint",
        "default API version changed from {old} to {new}: every call goes to another version",
        _ELSEWHERE,
    ),
    _diff(
        "service-auth-header-changed",
        _B,
        "service",
        "endpoint",
        "the API key is sent in header {new} instead of {old}",
        _ELSEWHERE,
    ),
    _diff(
        "service-api-key-env-removed",
        _B,
        "service",
        "existence",
        "no longer reads the API key from ${name}",
        "a deployment that sets only that variable no longer authenticates",
    ),
    _diff(
        "service-api-key-env-added",
        _N,
        "service",
        "existence",
        "also reads the API key from ${name}",
        _ADDED,
    ),
    _diff(
        "service-api-key-env-reordered",
        _W,
        "service",
        "values",
        "reads the API key environment variables in the order {new} (was {old})",
        "with several variables set, another one wins: the same code may authenticate with a different key",
    ),
    _diff(
        "service-description-changed",
        _D,
        "service",
        "docs",
        "{what} changed: {old} -> {new}",
        _TEXT,
    ),
    # -- resources: `client.models` ------------------------------------------------------------
    _diff(
        "resource-removed",
        _B,
        "resource",
        "existence",
        "resource removed (with its {count} method(s))",
        _GONE,
    ),
    _diff(
        "resource-added",
        _N,
        "resource",
        "existence",
        "resource added (with {count} method(s))",
        _ADDED,
    ),
    _diff(
        "resource-description-changed",
        _D,
        "resource",
        "docs",
        "description changed: {old} -> {new}",
        _TEXT,
    ),
    # -- methods: `client.models.generate_content()` -------------------------------------------
    _diff("method-removed", _B, "method", "existence", "method removed ({http})", _GONE),
    _diff(
        "method-renamed",
        _B,
        "method",
        "existence",
        "method renamed to {new} ({http} unchanged); calls to {old} fail",
        "calls to the old name fail; the endpoint is the same, so it is reported once, not as a removal and an addition",
    ),
    _diff("method-added", _N, "method", "existence", "method added ({http})", _ADDED),
    _diff(
        "method-http-method-changed",
        _B,
        "method",
        "endpoint",
        "HTTP method changed from {old} to {new}: the same call now sends a different request",
        _ELSEWHERE,
    ),
    _diff(
        "method-path-changed",
        _B,
        "method",
        "endpoint",
        "path changed from {old} to {new}: the same call now hits a different endpoint",
        _ELSEWHERE,
    ),
    _diff(
        "method-response-type-changed",
        _B,
        "method",
        "type",
        "returns {new} instead of {old}",
        _RETURNS,
    ),
    _diff(
        "method-request-type-changed",
        _N,
        "method",
        "type",
        "request body type changed from {old} to {new} (its keyword arguments are compared one by one)",
        "the keyword arguments are compared one by one; the type name alone breaks nothing",
    ),
    _diff(
        "method-streaming-added",
        _B,
        "method",
        "trait",
        "now streams: returns a stream of {response} chunks instead of one {response}",
        _RETURNS,
    ),
    _diff(
        "method-streaming-removed",
        _B,
        "method",
        "trait",
        "no longer streams: returns one {response} instead of a stream of chunks",
        _RETURNS,
    ),
    _diff(
        "method-pagination-added",
        _B,
        "method",
        "trait",
        "now paginated ({new}): returns a pager instead of {response}",
        _RETURNS,
    ),
    _diff(
        "method-pagination-removed",
        _B,
        "method",
        "trait",
        "no longer paginated: returns {response} instead of a pager",
        _RETURNS,
    ),
    _diff(
        "method-pagination-changed",
        _B,
        "method",
        "trait",
        "pagination changed from {old} to {new}",
        "the pager iterates over something else",
    ),
    _diff(
        "method-long-running-added",
        _B,
        "method",
        "trait",
        "now long-running ({new}): returns an Operation instead of {response}",
        _RETURNS,
    ),
    _diff(
        "method-long-running-removed",
        _B,
        "method",
        "trait",
        "no longer long-running: returns {response} instead of an Operation",
        _RETURNS,
    ),
    _diff(
        "method-long-running-changed",
        _B,
        "method",
        "trait",
        "long-running result changed from {old} to {new}",
        "`Operation.result()` returns a different type",
    ),
    _diff(
        "method-upload-added",
        _B,
        "method",
        "trait",
        "now a resumable media upload",
        "the method takes and sends different arguments",
    ),
    _diff(
        "method-upload-removed",
        _B,
        "method",
        "trait",
        "no longer a resumable media upload",
        "the method takes and sends different arguments",
    ),
    _diff(
        "method-stream-flag-changed",
        _B,
        "method",
        "endpoint",
        "a stream is now asked for by {new} instead of {old}",
        _ELSEWHERE,
    ),
    _diff(
        "method-download-added",
        _B,
        "method",
        "trait",
        "now a media download (`?alt=media`): returns a BinaryResponse",
        _RETURNS,
    ),
    _diff(
        "method-download-removed",
        _B,
        "method",
        "trait",
        "no longer a media download: no longer returns a BinaryResponse",
        _RETURNS,
    ),
    _diff("method-deprecated", _W, "method", "deprecation", "method deprecated", _NOW_WARNS),
    _diff(
        "method-description-changed",
        _D,
        "method",
        "docs",
        "description changed: {old} -> {new}",
        _TEXT,
    ),
    # -- keyword arguments: path/query parameters and request-body fields ------------------------
    _diff(
        "parameter-removed",
        _B,
        "parameter",
        "existence",
        "keyword argument {name}= removed ({where} {wire})",
        "calls passing it fail with a TypeError and no longer type-check",
    ),
    _diff(
        "new-required-parameter",
        _B,
        "parameter",
        "existence",
        "new required keyword argument {name}: {type} ({where} {wire})",
        _REQUIRED,
    ),
    _diff(
        "new-optional-parameter",
        _N,
        "parameter",
        "existence",
        "new optional keyword argument {name}: {type} ({where} {wire})",
        _ADDED,
    ),
    _diff(
        "parameter-became-required",
        _B,
        "parameter",
        "requiredness",
        "keyword argument {name}= is now required",
        _REQUIRED,
    ),
    _diff(
        "parameter-became-optional",
        _N,
        "parameter",
        "requiredness",
        "keyword argument {name}= is now optional",
        _RELAXED,
    ),
    _diff(
        "parameter-type-changed",
        _B,
        "parameter",
        "type",
        "type of {name}= changed from {old} to {new}",
        _TYPE,
    ),
    _diff(
        "parameter-type-widened",
        _N,
        "parameter",
        "type",
        "type of {name}= widened from {old} to {new}",
        _WIDENED,
    ),
    _diff(
        "parameter-prefix-changed",
        _B,
        "parameter",
        "endpoint",
        "a bare {name}= value now gets the prefix {new} instead of {old}: the same call hits a different resource",
        _ELSEWHERE,
    ),
    _diff(
        "parameter-wire-changed",
        _W,
        "parameter",
        "wire",
        "{name}= is now sent as {new} instead of {old}",
        "calls still type-check and run, but the value travels elsewhere (path, query or body) or under another name: check the API agrees",
    ),
    _diff(
        "parameter-deprecated",
        _W,
        "parameter",
        "deprecation",
        "keyword argument {name}= deprecated",
        _NOW_WARNS,
    ),
    _diff(
        "parameter-description-changed",
        _D,
        "parameter",
        "docs",
        "description of {name}= changed: {old} -> {new}",
        _TEXT,
    ),
    # -- types: `gemini_client.types.Candidate` ------------------------------------------------
    _diff("type-removed", _B, "type", "existence", "{kind} type removed", _GONE),
    _diff(
        "type-renamed",
        _B,
        "type",
        "existence",
        "{kind} type renamed to {new} (same structure); code naming {old} fails",
        "`from gemini_client.types import Old` fails; the structure is the same, so it is reported once, not as a removal, an addition and retyped fields",
    ),
    _diff("type-added", _N, "type", "existence", "{kind} type added", _ADDED),
    _diff(
        "type-kind-changed",
        _B,
        "type",
        "type",
        "changed from an {old} type to an {new} type",
        _TYPE,
    ),
    _diff("type-deprecated", _N, "type", "deprecation", "type deprecated", _DEPRECATED),
    _diff(
        "type-description-changed", _D, "type", "docs", "description changed: {old} -> {new}", _TEXT
    ),
    # -- fields: `gemini_client.types.Candidate.finish_reason` ---------------------------------
    _diff("field-removed", _B, "field", "existence", "field removed ({wire}: {type})", _GONE),
    _diff(
        "field-added",
        _N,
        "field",
        "existence",
        "field added ({wire}: {type})",
        "models accept and keep unknown fields already; a new optional attribute breaks nothing",
    ),
    _diff(
        "new-required-request-field",
        _B,
        "field",
        "existence",
        "new required field {wire}: {type} in a request type: requests without it are rejected",
        _REQUIRED,
    ),
    _diff("field-type-changed", _B, "field", "type", "type changed from {old} to {new}", _TYPE),
    _diff("field-type-widened", _N, "field", "type", "type widened from {old} to {new}", _WIDENED),
    _diff(
        "request-field-became-required",
        _B,
        "field",
        "requiredness",
        "request field is now required: requests without it are rejected",
        _REQUIRED,
    ),
    _diff(
        "request-field-became-optional",
        _N,
        "field",
        "requiredness",
        "request field is now optional",
        _RELAXED,
    ),
    _diff(
        "response-field-became-required",
        _N,
        "field",
        "requiredness",
        "now always set in responses (the model attribute stays optional)",
        "the attribute stays `X | None`; code that checked for None still works",
    ),
    _diff(
        "response-field-became-optional",
        _W,
        "field",
        "requiredness",
        "no longer always set in responses (the model attribute was already optional)",
        "the attribute was already `X | None`, so it type-checks, but code that relied on it always being set can now meet None",
    ),
    _diff(
        "request-field-became-output-only",
        _B,
        "field",
        "requiredness",
        "now output-only: ignored in requests, and no longer a keyword argument",
        "the keyword argument disappears and the value is ignored in requests",
    ),
    _diff(
        "field-output-only-changed",
        _N,
        "field",
        "requiredness",
        "output-only changed from {old} to {new}",
        "outside requests, output-only changes no signature",
    ),
    _diff(
        "field-wire-name-changed",
        _W,
        "field",
        "wire",
        "wire name changed from {old} to {new}",
        "the Python attribute is the same, but the JSON key changes: stored dumps and raw-dict code see another name",
    ),
    _diff("field-deprecated", _W, "field", "deprecation", "field deprecated", _NOW_WARNS),
    _diff(
        "field-description-changed",
        _D,
        "field",
        "docs",
        "description changed: {old} -> {new}",
        _TEXT,
    ),
    # -- enum values: `gemini_client.types.FinishReason.STOP` ----------------------------------
    _diff(
        "request-enum-value-removed",
        _B,
        "enum",
        "values",
        "enum value removed from an enum used in requests: the member is gone and the API rejects the value",
        "the member is gone and the API rejects the value",
    ),
    _diff(
        "response-enum-value-removed",
        _B,
        "enum",
        "values",
        "enum value removed from a response-only enum: responses still parse, but code naming the member fails",
        "responses still parse (enums are open), but code naming the member fails",
    ),
    _diff(
        "request-enum-value-added",
        _N,
        "enum",
        "values",
        "enum value added to an enum only sent in requests",
        "the enum is only sent: a new value the caller may choose, nothing received changes",
    ),
    _diff(
        "response-enum-value-added",
        _W,
        "enum",
        "values",
        "enum value added to an enum received in responses: an exhaustive match on it meets a new member",
        "responses can carry a member an exhaustive `match` or if/elif chain never saw: it still type-checks, but falls through",
    ),
    _diff("enum-value-deprecated", _N, "enum", "deprecation", "enum value deprecated", _DEPRECATED),
    _diff(
        "enum-value-description-changed",
        _D,
        "enum",
        "docs",
        "description changed: {old} -> {new}",
        _TEXT,
    ),
    # -- any area ------------------------------------------------------------------------------
    _diff(
        "deprecation-withdrawn",
        _N,
        "any",
        "deprecation",
        "{what} no longer deprecated",
        "the thing stays; only the warning goes",
    ),
)

# `codegen drift`: the spec (base) -> the normalised Discovery document (head, "the API"), keyed by
# wire names. `{on}`/`{off}`: who sets a flag and who does not ("API", "spec").
_DEPRECATION = "the {on} marks the {what} deprecated, the {off} does not"
_DRIFT: tuple[Rule, ...] = (
    # resources (nested ones included: `tunedModels.permissions`)
    _drift(
        "resource-missing",
        "new",
        "head",
        "resource",
        "existence",
        "the API has resource {name} ({methods}), the spec lacks it",
        "the API has a resource or nested resource the spec lacks (reported once, with all it holds)",
    ),
    _drift(
        "resource-gone",
        "breaking",
        "base",
        "resource",
        "existence",
        "the spec has resource {name} ({methods}), the API does not",
        "the spec has a resource the API no longer has",
    ),
    # methods
    _drift(
        "method-missing",
        "new",
        "head",
        "method",
        "existence",
        "the API has method {http}, the spec lacks it",
        "the API has a method (in a resource the spec has) the spec lacks",
    ),
    _drift(
        "method-gone",
        "breaking",
        "base",
        "method",
        "existence",
        "the spec has method {http}, the API does not",
        "the spec has a method the API no longer has",
    ),
    _drift(
        "http-method-changed",
        "breaking",
        "both",
        "method",
        "endpoint",
        "the spec has HTTP {old}, the API has {new}",
        "the HTTP method differs",
    ),
    _drift(
        "path-changed",
        "breaking",
        "both",
        "method",
        "endpoint",
        "the spec has path {old}, the API has {new}",
        "the URL path template differs",
    ),
    _drift(
        "request-changed",
        "breaking",
        "both",
        "method",
        "type",
        "request changed: the spec has {old}, the API has {new}",
        "the request body type differs (or one side has none)",
    ),
    _drift(
        "response-changed",
        "breaking",
        "both",
        "method",
        "type",
        "response changed: the spec has {old}, the API has {new}",
        "the response type differs (or one side has none)",
    ),
    _drift(
        "method-shape-changed",
        "breaking",
        "both",
        "method",
        "trait",
        "{details}",
        "streaming, pagination, long-running or upload differs",
    ),
    _drift(
        "method-deprecated-changed",
        "changed",
        "both",
        "method",
        "deprecation",
        _DEPRECATION,
        "one side marks the method deprecated",
    ),
    # parameters
    _drift(
        "param-missing",
        "new",
        "head",
        "parameter",
        "existence",
        "the API has an optional {location} parameter {name} ({type}), the spec lacks it",
        "the API has an optional parameter the spec lacks",
    ),
    _drift(
        "required-param-missing",
        "breaking",
        "head",
        "parameter",
        "existence",
        "the API has a required {location} parameter {name} ({type}), the spec lacks it",
        "the API has a required parameter the spec lacks",
    ),
    _drift(
        "param-gone",
        "breaking",
        "base",
        "parameter",
        "existence",
        "the spec has {location} parameter {name}, the API does not",
        "the spec has a parameter the API no longer has",
    ),
    _drift(
        "param-type-changed",
        "breaking",
        "both",
        "parameter",
        "type",
        "type changed: the spec has {old}, the API has {new}",
        "the parameter's type differs",
    ),
    _drift(
        "param-location-changed",
        "breaking",
        "both",
        "parameter",
        "wire",
        "the spec has a {old} parameter, the API a {new} parameter",
        "path vs. query differs",
    ),
    _drift(
        "param-now-required",
        "breaking",
        "both",
        "parameter",
        "requiredness",
        "the API requires it, the spec has it optional",
        "the API requires a parameter the spec has as optional",
    ),
    _drift(
        "param-now-optional",
        "changed",
        "both",
        "parameter",
        "requiredness",
        "the spec requires it, the API has it optional",
        "the spec requires a parameter the API has as optional",
    ),
    _drift(
        "param-repeated-changed",
        "breaking",
        "both",
        "parameter",
        "type",
        "the {on} repeats it, the {off} does not",
        "one side repeats the parameter",
    ),
    _drift(
        "param-deprecated-changed",
        "changed",
        "both",
        "parameter",
        "deprecation",
        _DEPRECATION,
        "one side marks the parameter deprecated",
    ),
    # types
    _drift(
        "type-missing",
        "new",
        "head",
        "type",
        "existence",
        "the API has {kind} {name}{aka}, the spec lacks it",
        "a type the new API surface needs, the spec lacks",
    ),
    _drift(
        "type-gone",
        "breaking",
        "base",
        "type",
        "existence",
        "the spec has {kind} {name}, the API does not describe it",
        "the spec has a type the API does not describe",
    ),
    _drift(
        "type-renamed",
        "changed",
        "both",
        "type",
        "existence",
        "the API calls this type {new}",
        "the same type (matched through its uses) has another name in the API",
    ),
    _drift(
        "type-deprecated-changed",
        "changed",
        "both",
        "type",
        "deprecation",
        _DEPRECATION,
        "one side marks the type deprecated",
    ),
    # fields
    _drift(
        "field-missing",
        "new",
        "head",
        "field",
        "existence",
        "the API has field {name} ({type}), the spec lacks it",
        "the API has an optional field the spec lacks",
    ),
    _drift(
        "required-field-missing",
        "breaking",
        "head",
        "field",
        "existence",
        "the API has a required field {name} ({type}), the spec lacks it",
        "the API has a required field the spec lacks",
    ),
    _drift(
        "field-gone",
        "breaking",
        "base",
        "field",
        "existence",
        "the spec has field {name} ({type}), the API does not",
        "the spec has a field the API no longer has",
    ),
    _drift(
        "field-type-changed",
        "breaking",
        "both",
        "field",
        "type",
        "type changed: the spec has {old}, the API has {new}",
        "the field's type differs (primitive, list/map, or named type)",
    ),
    _drift(
        "field-now-required",
        "breaking",
        "both",
        "field",
        "requiredness",
        "the API requires it, the spec has it optional",
        "the API requires a field the spec has as optional",
    ),
    _drift(
        "field-now-optional",
        "changed",
        "both",
        "field",
        "requiredness",
        "the spec requires it, the API has it optional",
        "the spec requires a field the API has as optional",
    ),
    _drift(
        "field-now-output-only",
        "changed",
        "both",
        "field",
        "requiredness",
        "the API says it is output only, the spec does not",
        "the API says output only, the spec does not",
    ),
    _drift(
        "field-now-settable",
        "new",
        "both",
        "field",
        "requiredness",
        "the spec says it is output only, the API does not",
        "the spec says output only, the API does not",
    ),
    _drift(
        "field-deprecated-changed",
        "changed",
        "both",
        "field",
        "deprecation",
        _DEPRECATION,
        "one side marks the field deprecated",
    ),
    # enum values (matched through the field that uses the enum)
    _drift(
        "enum-value-missing",
        "new",
        "head",
        "enum",
        "existence",
        "the API has enum value {value}{enum}, the spec lacks it",
        "the API has an enum value the spec lacks",
    ),
    _drift(
        "enum-value-gone",
        "breaking",
        "base",
        "enum",
        "existence",
        "the spec has enum value {value}{enum}, the API lacks it",
        "the spec has an enum value the API lacks",
    ),
    _drift(
        "enum-value-deprecated-changed",
        "changed",
        "both",
        "enum",
        "deprecation",
        _DEPRECATION,
        "one side marks the enum value deprecated",
    ),
)

# What each check leaves alone on purpose, by model trait (`Class.attribute`, `Class.*`,
# `*.attribute`), and why. tests/compare/test_coverage.py changes every other trait of the model and
# fails when no rule of the check reports it, and fails when a trait listed here is reported.
NOT_COMPARED: dict[Check, dict[str, str]] = {
    "diff": {
        "ObjectType.discovery": "Google's name for a type reaches no generated code",
        "EnumType.discovery": "Google's name for a type reaches no generated code",
    },
    "drift": {
        "*.description": "prose: drift reports what the client can call and receive, not its docs",
        "Service.*": "the service block (base URL, version, auth) is the client's own configuration",
        "Parameter.prefix": "Discovery has no resource-name prefixes; the spec adds them for bare ids",
        "Method.download": "Discovery never marks media downloads (`?alt=media`)",
        "Method.stream_flag": "Discovery methods stream only by `?alt=sse`",
        "Pagination.page_token": "normalise only recognises the standard page-token names",
        "Pagination.next_page_token": "normalise only recognises the standard page-token names",
        "LongRunning.*": "Discovery does not say what a finished operation holds",
        "ObjectType.discovery": "not compared: it says which Discovery type a spec type stands for",
        "EnumType.discovery": "not compared: it says which Discovery type a spec type stands for",
    },
}

TABLE: tuple[Rule, ...] = _DIFF + _DRIFT
DIFF: dict[str, Rule] = {r.id: r for r in _DIFF}
DRIFT: dict[str, Rule] = {r.id: r for r in _DRIFT}
assert len(DIFF) == len(_DIFF) and len(DRIFT) == len(_DRIFT), "duplicate rule id"


def rules_of(check: Check) -> dict[str, Rule]:
    return DIFF if check == "diff" else DRIFT
