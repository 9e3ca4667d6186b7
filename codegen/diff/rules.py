"""The one table of diff rules: every change `codegen diff` reports is classified by exactly one rule.

Like oasdiff's checker registry: a kebab-case id, a level, the area of the spec it is about, the
kind of change, and the message template beside it. `docs/spec-diff.md` lists this table (generated
from it by `rules_markdown()`) and a test keeps the two in step.

Levels:
- breaking: code that worked against the old client can fail (does not import, type-check or run),
  or the same call now sends a different request.
- non-breaking: additions and relaxations; existing code keeps working.
- docs: only text changed (descriptions).

Message templates are `str.format` templates; their fields are filled by `codegen.diff.compare`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["breaking", "non-breaking", "docs"]
LEVELS: tuple[Level, ...] = ("breaking", "non-breaking", "docs")
LEVEL_TITLES: dict[Level, str] = {"breaking": "breaking", "non-breaking": "non-breaking", "docs": "docs-only"}

Area = Literal["service", "resource", "method", "parameter", "type", "field", "enum", "any"]
Kind = Literal["existence", "requiredness", "type", "values", "endpoint", "trait", "wire", "deprecation", "docs"]


@dataclass(frozen=True)
class Rule:
    id: str
    level: Level
    area: Area
    kind: Kind
    message: str  # str.format template


_B: Level = "breaking"
_N: Level = "non-breaking"
_D: Level = "docs"

_TABLE: tuple[Rule, ...] = (
    # -- service: `gemini_client.Client` -------------------------------------------------------
    Rule("service-base-url-changed", _B, "service", "endpoint", "default base URL changed from {old} to {new}"),
    Rule("service-auth-header-changed", _B, "service", "endpoint", "the API key is sent in header {new} instead of {old}"),
    Rule("service-api-key-env-removed", _B, "service", "existence", "no longer reads the API key from ${name}"),
    Rule("service-api-key-env-added", _N, "service", "existence", "also reads the API key from ${name}"),
    Rule("service-api-key-env-reordered", _N, "service", "values", "reads the API key environment variables in the order {new} (was {old})"),
    Rule("service-description-changed", _D, "service", "docs", "{what} changed: {old} -> {new}"),
    # -- resources: `client.models` ------------------------------------------------------------
    Rule("resource-removed", _B, "resource", "existence", "resource removed (with its {count} method(s))"),
    Rule("resource-added", _N, "resource", "existence", "resource added (with {count} method(s))"),
    Rule("resource-description-changed", _D, "resource", "docs", "description changed: {old} -> {new}"),
    # -- methods: `client.models.generate_content()` -------------------------------------------
    Rule("method-removed", _B, "method", "existence", "method removed ({http})"),
    Rule("method-renamed", _B, "method", "existence", "method renamed to {new} ({http} unchanged); calls to {old} fail"),
    Rule("method-added", _N, "method", "existence", "method added ({http})"),
    Rule("method-http-method-changed", _B, "method", "endpoint", "HTTP method changed from {old} to {new}: the same call now sends a different request"),
    Rule("method-path-changed", _B, "method", "endpoint", "path changed from {old} to {new}: the same call now hits a different endpoint"),
    Rule("method-response-type-changed", _B, "method", "type", "returns {new} instead of {old}"),
    Rule("method-request-type-changed", _N, "method", "type", "request body type changed from {old} to {new} (its keyword arguments are compared one by one)"),
    Rule("method-streaming-added", _B, "method", "trait", "now streams: returns a stream of {response} chunks instead of one {response}"),
    Rule("method-streaming-removed", _B, "method", "trait", "no longer streams: returns one {response} instead of a stream of chunks"),
    Rule("method-pagination-added", _B, "method", "trait", "now paginated ({new}): returns a pager instead of {response}"),
    Rule("method-pagination-removed", _B, "method", "trait", "no longer paginated: returns {response} instead of a pager"),
    Rule("method-pagination-changed", _B, "method", "trait", "pagination changed from {old} to {new}"),
    Rule("method-long-running-added", _B, "method", "trait", "now long-running ({new}): returns an Operation instead of {response}"),
    Rule("method-long-running-removed", _B, "method", "trait", "no longer long-running: returns {response} instead of an Operation"),
    Rule("method-long-running-changed", _B, "method", "trait", "long-running result changed from {old} to {new}"),
    Rule("method-upload-added", _B, "method", "trait", "now a resumable media upload"),
    Rule("method-upload-removed", _B, "method", "trait", "no longer a resumable media upload"),
    Rule("method-deprecated", _N, "method", "deprecation", "method deprecated"),
    Rule("method-description-changed", _D, "method", "docs", "description changed: {old} -> {new}"),
    # -- keyword arguments: path/query parameters and request-body fields ------------------------
    Rule("parameter-removed", _B, "parameter", "existence", "keyword argument {name}= removed ({where} {wire})"),
    Rule("new-required-parameter", _B, "parameter", "existence", "new required keyword argument {name}: {type} ({where} {wire})"),
    Rule("new-optional-parameter", _N, "parameter", "existence", "new optional keyword argument {name}: {type} ({where} {wire})"),
    Rule("parameter-became-required", _B, "parameter", "requiredness", "keyword argument {name}= is now required"),
    Rule("parameter-became-optional", _N, "parameter", "requiredness", "keyword argument {name}= is now optional"),
    Rule("parameter-type-changed", _B, "parameter", "type", "type of {name}= changed from {old} to {new}"),
    Rule("parameter-type-widened", _N, "parameter", "type", "type of {name}= widened from {old} to {new}"),
    Rule("parameter-prefix-changed", _B, "parameter", "endpoint", "a bare {name}= value now gets the prefix {new} instead of {old}: the same call hits a different resource"),
    Rule("parameter-wire-changed", _N, "parameter", "wire", "{name}= is now sent as {new} instead of {old}"),
    Rule("parameter-deprecated", _N, "parameter", "deprecation", "keyword argument {name}= deprecated"),
    Rule("parameter-description-changed", _D, "parameter", "docs", "description of {name}= changed: {old} -> {new}"),
    # -- types: `gemini_client.types.Candidate` ------------------------------------------------
    Rule("type-removed", _B, "type", "existence", "{kind} type removed"),
    Rule("type-added", _N, "type", "existence", "{kind} type added"),
    Rule("type-kind-changed", _B, "type", "type", "changed from an {old} type to an {new} type"),
    Rule("type-deprecated", _N, "type", "deprecation", "type deprecated"),
    Rule("type-description-changed", _D, "type", "docs", "description changed: {old} -> {new}"),
    # -- fields: `gemini_client.types.Candidate.finish_reason` ---------------------------------
    Rule("field-removed", _B, "field", "existence", "field removed ({wire}: {type})"),
    Rule("field-added", _N, "field", "existence", "field added ({wire}: {type})"),
    Rule("new-required-request-field", _B, "field", "existence", "new required field {wire}: {type} in a request type: requests without it are rejected"),
    Rule("field-type-changed", _B, "field", "type", "type changed from {old} to {new}"),
    Rule("field-type-widened", _N, "field", "type", "type widened from {old} to {new}"),
    Rule("request-field-became-required", _B, "field", "requiredness", "request field is now required: requests without it are rejected"),
    Rule("request-field-became-optional", _N, "field", "requiredness", "request field is now optional"),
    Rule("response-field-became-required", _N, "field", "requiredness", "now always set in responses (the model attribute stays optional)"),
    Rule("response-field-became-optional", _N, "field", "requiredness", "no longer always set in responses (the model attribute was already optional)"),
    Rule("request-field-became-output-only", _B, "field", "requiredness", "now output-only: ignored in requests, and no longer a keyword argument"),
    Rule("field-output-only-changed", _N, "field", "requiredness", "output-only changed from {old} to {new}"),
    Rule("field-wire-name-changed", _N, "field", "wire", "wire name changed from {old} to {new}"),
    Rule("field-deprecated", _N, "field", "deprecation", "field deprecated"),
    Rule("field-description-changed", _D, "field", "docs", "description changed: {old} -> {new}"),
    # -- enum values: `gemini_client.types.FinishReason.STOP` ----------------------------------
    Rule("request-enum-value-removed", _B, "enum", "values", "enum value removed from an enum used in requests: the member is gone and the API rejects the value"),
    Rule("response-enum-value-removed", _B, "enum", "values", "enum value removed from a response-only enum: responses still parse, but code naming the member fails"),
    Rule("enum-value-added", _N, "enum", "values", "enum value added"),
    Rule("enum-value-deprecated", _N, "enum", "deprecation", "enum value deprecated"),
    Rule("enum-value-description-changed", _D, "enum", "docs", "description changed: {old} -> {new}"),
    # -- any area ------------------------------------------------------------------------------
    Rule("deprecation-withdrawn", _N, "any", "deprecation", "{what} no longer deprecated"),
)

RULES: dict[str, Rule] = {r.id: r for r in _TABLE}
assert len(RULES) == len(_TABLE), "duplicate rule id"


def rule(rule_id: str) -> Rule:
    return RULES[rule_id]


def rules_markdown() -> str:
    """The rules table for docs/spec-diff.md, in registry order."""
    lines = ["| rule | level | area | kind | message |", "|---|---|---|---|---|"]
    for r in _TABLE:
        message = r.message.replace("|", "\\|")
        lines.append(f"| `{r.id}` | {r.level} | {r.area} | {r.kind} | {message} |")
    return "\n".join(lines) + "\n"


DOC_BEGIN = "<!-- rules:begin (generated from codegen/diff/rules.py) -->"
DOC_END = "<!-- rules:end -->"


def write_doc(path: str) -> bool:
    """Replace the rules table between the markers of `path`; True when the file changed."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    head, sep, rest = text.partition(DOC_BEGIN)
    _, sep2, tail = rest.partition(DOC_END)
    if not sep or not sep2:
        raise SystemExit(f"{path}: no {DOC_BEGIN} ... {DOC_END} markers")
    new = f"{head}{DOC_BEGIN}\n{rules_markdown()}{DOC_END}{tail}"
    if new != text:
        with open(path, "w", encoding="utf-8") as f:
            f.write(new)
    return new != text

