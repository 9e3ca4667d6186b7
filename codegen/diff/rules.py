"""The one table of diff rules: every change `codegen diff` reports is classified by exactly one rule.

Like oasdiff's checker registry: a kebab-case id, a level, the area of the spec it is about, the
kind of change, the message template, and why the rule has its level. `docs/spec-diff.md` lists this
table (generated from it by `rules_markdown()`) and a test keeps the two in step.

Levels (oasdiff's ERR / WARN / INFO, plus docs):
- breaking: code that worked against the old client can fail (does not import, type-check or run),
  or the same call now sends a different request.
- warning: existing code imports, type-checks and runs, but can behave differently: an exhaustive
  `match` on a response enum meets a member it never saw, a field it always found may be missing,
  the same data travels under another name.
- non-breaking: additions and relaxations; existing code keeps working and means the same.
- docs: only text changed (descriptions).

A repository can move any rule to another level, or to `off`, by id (`codegen/diff/levels.py`).

Message templates are `str.format` templates; their fields are filled by `codegen.diff.compare`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["breaking", "warning", "non-breaking", "docs"]
LEVELS: tuple[Level, ...] = ("breaking", "warning", "non-breaking", "docs")
LEVEL_TITLES: dict[Level, str] = {
    "breaking": "breaking",
    "warning": "warning",
    "non-breaking": "non-breaking",
    "docs": "docs-only",
}

Area = Literal["service", "resource", "method", "parameter", "type", "field", "enum", "any"]
Kind = Literal[
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


@dataclass(frozen=True)
class Rule:
    id: str
    level: Level
    area: Area
    kind: Kind
    message: str  # str.format template
    why: str  # why this level: one sentence for docs/spec-diff.md


_B: Level = "breaking"
_W: Level = "warning"
_N: Level = "non-breaking"
_D: Level = "docs"

# Reasons shared by many rules.
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

_TABLE: tuple[Rule, ...] = (
    # -- service: `gemini_client.Client` -------------------------------------------------------
    Rule(
        "service-base-url-changed",
        _B,
        "service",
        "endpoint",
        "default base URL changed from {old} to {new}",
        _ELSEWHERE,
    ),
    Rule(
        "service-auth-header-changed",
        _B,
        "service",
        "endpoint",
        "the API key is sent in header {new} instead of {old}",
        _ELSEWHERE,
    ),
    Rule(
        "service-api-key-env-removed",
        _B,
        "service",
        "existence",
        "no longer reads the API key from ${name}",
        "a deployment that sets only that variable no longer authenticates",
    ),
    Rule(
        "service-api-key-env-added",
        _N,
        "service",
        "existence",
        "also reads the API key from ${name}",
        _ADDED,
    ),
    Rule(
        "service-api-key-env-reordered",
        _W,
        "service",
        "values",
        "reads the API key environment variables in the order {new} (was {old})",
        "with several variables set, another one wins: the same code may authenticate with a different key",
    ),
    Rule(
        "service-description-changed",
        _D,
        "service",
        "docs",
        "{what} changed: {old} -> {new}",
        _TEXT,
    ),
    # -- resources: `client.models` ------------------------------------------------------------
    Rule(
        "resource-removed",
        _B,
        "resource",
        "existence",
        "resource removed (with its {count} method(s))",
        _GONE,
    ),
    Rule(
        "resource-added",
        _N,
        "resource",
        "existence",
        "resource added (with {count} method(s))",
        _ADDED,
    ),
    Rule(
        "resource-description-changed",
        _D,
        "resource",
        "docs",
        "description changed: {old} -> {new}",
        _TEXT,
    ),
    # -- methods: `client.models.generate_content()` -------------------------------------------
    Rule("method-removed", _B, "method", "existence", "method removed ({http})", _GONE),
    Rule(
        "method-renamed",
        _B,
        "method",
        "existence",
        "method renamed to {new} ({http} unchanged); calls to {old} fail",
        "calls to the old name fail; the endpoint is the same, so it is reported once, not as a removal and an addition",
    ),
    Rule("method-added", _N, "method", "existence", "method added ({http})", _ADDED),
    Rule(
        "method-http-method-changed",
        _B,
        "method",
        "endpoint",
        "HTTP method changed from {old} to {new}: the same call now sends a different request",
        _ELSEWHERE,
    ),
    Rule(
        "method-path-changed",
        _B,
        "method",
        "endpoint",
        "path changed from {old} to {new}: the same call now hits a different endpoint",
        _ELSEWHERE,
    ),
    Rule(
        "method-response-type-changed",
        _B,
        "method",
        "type",
        "returns {new} instead of {old}",
        _RETURNS,
    ),
    Rule(
        "method-request-type-changed",
        _N,
        "method",
        "type",
        "request body type changed from {old} to {new} (its keyword arguments are compared one by one)",
        "the keyword arguments are compared one by one; the type name alone breaks nothing",
    ),
    Rule(
        "method-streaming-added",
        _B,
        "method",
        "trait",
        "now streams: returns a stream of {response} chunks instead of one {response}",
        _RETURNS,
    ),
    Rule(
        "method-streaming-removed",
        _B,
        "method",
        "trait",
        "no longer streams: returns one {response} instead of a stream of chunks",
        _RETURNS,
    ),
    Rule(
        "method-pagination-added",
        _B,
        "method",
        "trait",
        "now paginated ({new}): returns a pager instead of {response}",
        _RETURNS,
    ),
    Rule(
        "method-pagination-removed",
        _B,
        "method",
        "trait",
        "no longer paginated: returns {response} instead of a pager",
        _RETURNS,
    ),
    Rule(
        "method-pagination-changed",
        _B,
        "method",
        "trait",
        "pagination changed from {old} to {new}",
        "the pager iterates over something else",
    ),
    Rule(
        "method-long-running-added",
        _B,
        "method",
        "trait",
        "now long-running ({new}): returns an Operation instead of {response}",
        _RETURNS,
    ),
    Rule(
        "method-long-running-removed",
        _B,
        "method",
        "trait",
        "no longer long-running: returns {response} instead of an Operation",
        _RETURNS,
    ),
    Rule(
        "method-long-running-changed",
        _B,
        "method",
        "trait",
        "long-running result changed from {old} to {new}",
        "`Operation.result()` returns a different type",
    ),
    Rule(
        "method-upload-added",
        _B,
        "method",
        "trait",
        "now a resumable media upload",
        "the method takes and sends different arguments",
    ),
    Rule(
        "method-upload-removed",
        _B,
        "method",
        "trait",
        "no longer a resumable media upload",
        "the method takes and sends different arguments",
    ),
    Rule("method-deprecated", _W, "method", "deprecation", "method deprecated", _NOW_WARNS),
    Rule(
        "method-description-changed",
        _D,
        "method",
        "docs",
        "description changed: {old} -> {new}",
        _TEXT,
    ),
    # -- keyword arguments: path/query parameters and request-body fields ------------------------
    Rule(
        "parameter-removed",
        _B,
        "parameter",
        "existence",
        "keyword argument {name}= removed ({where} {wire})",
        "calls passing it fail with a TypeError and no longer type-check",
    ),
    Rule(
        "new-required-parameter",
        _B,
        "parameter",
        "existence",
        "new required keyword argument {name}: {type} ({where} {wire})",
        _REQUIRED,
    ),
    Rule(
        "new-optional-parameter",
        _N,
        "parameter",
        "existence",
        "new optional keyword argument {name}: {type} ({where} {wire})",
        _ADDED,
    ),
    Rule(
        "parameter-became-required",
        _B,
        "parameter",
        "requiredness",
        "keyword argument {name}= is now required",
        _REQUIRED,
    ),
    Rule(
        "parameter-became-optional",
        _N,
        "parameter",
        "requiredness",
        "keyword argument {name}= is now optional",
        _RELAXED,
    ),
    Rule(
        "parameter-type-changed",
        _B,
        "parameter",
        "type",
        "type of {name}= changed from {old} to {new}",
        _TYPE,
    ),
    Rule(
        "parameter-type-widened",
        _N,
        "parameter",
        "type",
        "type of {name}= widened from {old} to {new}",
        _WIDENED,
    ),
    Rule(
        "parameter-prefix-changed",
        _B,
        "parameter",
        "endpoint",
        "a bare {name}= value now gets the prefix {new} instead of {old}: the same call hits a different resource",
        _ELSEWHERE,
    ),
    Rule(
        "parameter-wire-changed",
        _W,
        "parameter",
        "wire",
        "{name}= is now sent as {new} instead of {old}",
        "calls still type-check and run, but the value travels elsewhere (path, query or body) or under another name: check the API agrees",
    ),
    Rule(
        "parameter-deprecated",
        _W,
        "parameter",
        "deprecation",
        "keyword argument {name}= deprecated",
        _NOW_WARNS,
    ),
    Rule(
        "parameter-description-changed",
        _D,
        "parameter",
        "docs",
        "description of {name}= changed: {old} -> {new}",
        _TEXT,
    ),
    # -- types: `gemini_client.types.Candidate` ------------------------------------------------
    Rule("type-removed", _B, "type", "existence", "{kind} type removed", _GONE),
    Rule(
        "type-renamed",
        _B,
        "type",
        "existence",
        "{kind} type renamed to {new} (same structure); code naming {old} fails",
        "`from gemini_client.types import Old` fails; the structure is the same, so it is reported once, not as a removal, an addition and retyped fields",
    ),
    Rule("type-added", _N, "type", "existence", "{kind} type added", _ADDED),
    Rule(
        "type-kind-changed",
        _B,
        "type",
        "type",
        "changed from an {old} type to an {new} type",
        _TYPE,
    ),
    Rule("type-deprecated", _N, "type", "deprecation", "type deprecated", _DEPRECATED),
    Rule(
        "type-description-changed", _D, "type", "docs", "description changed: {old} -> {new}", _TEXT
    ),
    # -- fields: `gemini_client.types.Candidate.finish_reason` ---------------------------------
    Rule("field-removed", _B, "field", "existence", "field removed ({wire}: {type})", _GONE),
    Rule(
        "field-added",
        _N,
        "field",
        "existence",
        "field added ({wire}: {type})",
        "models accept and keep unknown fields already; a new optional attribute breaks nothing",
    ),
    Rule(
        "new-required-request-field",
        _B,
        "field",
        "existence",
        "new required field {wire}: {type} in a request type: requests without it are rejected",
        _REQUIRED,
    ),
    Rule("field-type-changed", _B, "field", "type", "type changed from {old} to {new}", _TYPE),
    Rule("field-type-widened", _N, "field", "type", "type widened from {old} to {new}", _WIDENED),
    Rule(
        "request-field-became-required",
        _B,
        "field",
        "requiredness",
        "request field is now required: requests without it are rejected",
        _REQUIRED,
    ),
    Rule(
        "request-field-became-optional",
        _N,
        "field",
        "requiredness",
        "request field is now optional",
        _RELAXED,
    ),
    Rule(
        "response-field-became-required",
        _N,
        "field",
        "requiredness",
        "now always set in responses (the model attribute stays optional)",
        "the attribute stays `X | None`; code that checked for None still works",
    ),
    Rule(
        "response-field-became-optional",
        _W,
        "field",
        "requiredness",
        "no longer always set in responses (the model attribute was already optional)",
        "the attribute was already `X | None`, so it type-checks, but code that relied on it always being set can now meet None",
    ),
    Rule(
        "request-field-became-output-only",
        _B,
        "field",
        "requiredness",
        "now output-only: ignored in requests, and no longer a keyword argument",
        "the keyword argument disappears and the value is ignored in requests",
    ),
    Rule(
        "field-output-only-changed",
        _N,
        "field",
        "requiredness",
        "output-only changed from {old} to {new}",
        "outside requests, output-only changes no signature",
    ),
    Rule(
        "field-wire-name-changed",
        _W,
        "field",
        "wire",
        "wire name changed from {old} to {new}",
        "the Python attribute is the same, but the JSON key changes: stored dumps and raw-dict code see another name",
    ),
    Rule("field-deprecated", _W, "field", "deprecation", "field deprecated", _NOW_WARNS),
    Rule(
        "field-description-changed",
        _D,
        "field",
        "docs",
        "description changed: {old} -> {new}",
        _TEXT,
    ),
    # -- enum values: `gemini_client.types.FinishReason.STOP` ----------------------------------
    Rule(
        "request-enum-value-removed",
        _B,
        "enum",
        "values",
        "enum value removed from an enum used in requests: the member is gone and the API rejects the value",
        "the member is gone and the API rejects the value",
    ),
    Rule(
        "response-enum-value-removed",
        _B,
        "enum",
        "values",
        "enum value removed from a response-only enum: responses still parse, but code naming the member fails",
        "responses still parse (enums are open), but code naming the member fails",
    ),
    Rule(
        "request-enum-value-added",
        _N,
        "enum",
        "values",
        "enum value added to an enum only sent in requests",
        "the enum is only sent: a new value the caller may choose, nothing received changes",
    ),
    Rule(
        "response-enum-value-added",
        _W,
        "enum",
        "values",
        "enum value added to an enum received in responses: an exhaustive match on it meets a new member",
        "responses can carry a member an exhaustive `match` or if/elif chain never saw: it still type-checks, but falls through",
    ),
    Rule("enum-value-deprecated", _N, "enum", "deprecation", "enum value deprecated", _DEPRECATED),
    Rule(
        "enum-value-description-changed",
        _D,
        "enum",
        "docs",
        "description changed: {old} -> {new}",
        _TEXT,
    ),
    # -- any area ------------------------------------------------------------------------------
    Rule(
        "deprecation-withdrawn",
        _N,
        "any",
        "deprecation",
        "{what} no longer deprecated",
        "the thing stays; only the warning goes",
    ),
)

RULES: dict[str, Rule] = {r.id: r for r in _TABLE}
assert len(RULES) == len(_TABLE), "duplicate rule id"


def rule(rule_id: str) -> Rule:
    return RULES[rule_id]


def rules_markdown() -> str:
    """The rules table for docs/spec-diff.md, in registry order."""
    lines = [
        "| rule | level | area | kind | message | why this level |",
        "|---|---|---|---|---|---|",
    ]
    for r in _TABLE:
        message = r.message.replace("|", "\\|")
        why = r.why.replace("|", "\\|")
        lines.append(f"| `{r.id}` | {r.level} | {r.area} | {r.kind} | {message} | {why} |")
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
