"""Identifiers: the one place that turns wire names into Python names.

Wire names are camelCase (`inlineData`, `generateContent`); Python names are their snake_case
(`inline_data`, `generate_content`). A name that is a keyword, or would shadow something the
generated code relies on, gets a trailing underscore and keeps its wire name as the alias.
"""

from __future__ import annotations

import builtins
import functools
import keyword
import re

TYPE_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
WIRE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
ENUM_VALUE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# The public attributes of pydantic's `BaseModel` (the pinned pydantic's; tests/discovery/
# test_naming.py holds this list to the installed one, so a new release's are added here) and of our
# base model (`_core/_models.py`), plus `fields`: a field by such a name would shadow a method and
# warn at import; it gets a trailing underscore, its wire name as the alias. Written out rather
# than read from pydantic at start-up: importing it costs the spec loader (every `codegen diff`,
# `drift` and `sync`) a tenth of a second and more.
PYDANTIC_MODEL_ATTRIBUTES = frozenset(
    {
        "construct",
        "copy",
        "dict",
        "from_orm",
        "json",
        "model_computed_fields",
        "model_config",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_extra",
        "model_fields",
        "model_fields_set",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "schema",
        "schema_json",
        "update_forward_refs",
        "validate",
    }
)
_MODEL_RESERVED = PYDANTIC_MODEL_ATTRIBUTES | frozenset({"to_dict", "to_json", "fields"})

# The one list of names a generated method's keyword arguments may not take: its own parameters,
# and the names its body reads (`types.X` in `cast_to=` and `build_body`, `dict` as the response
# class of an operation whose response is free-form). Every other name the body
# reads starts with `_` (helpers are imported as `_build_body`, ...) or an uppercase letter, which a
# keyword argument, always snake_case from a wire name starting with a letter, never does.
# tests/generator/test_reserved_names.py holds the templates to this.
METHOD_RESERVED = frozenset(
    {
        "self",
        "cls",
        "extra_headers",
        "extra_query",
        "extra_body",
        "timeout",
        "types",
        "dict",
    }
)

# Names a generated types module imports or uses; a spec type by such a name gets another class
# name inside the module and is exported under its own name (`types.Field` is `_models.FieldModel`;
# datamodel-code-generator strips a trailing `_`).
_TYPE_RESERVED = frozenset(n for n in dir(builtins) if n[:1].isupper()) | frozenset(
    {
        "Any",
        "BaseModel",
        "Field",
        "Enum",
        "OpenEnum",
        "Optional",
        "Union",
        "List",
        "Dict",
        "Literal",
        "Annotated",
        "ConfigDict",
        "RootModel",
        "TYPE_CHECKING",
        "Bytes",
        "Mapping",
        "Sequence",
        "TypedDict",
    }
)

# Attributes of the client and of a resource class that a resource attribute must not shadow
# (tests/generator/test_hostile_specs.py holds the generated clients to this list).
_RESOURCE_ATTR_RESERVED = frozenset(
    {
        "request",
        "stream",
        "paginate",
        "retry_after_send",
        "default_headers",
        "http_client",
        "caches",
        "chats",
        "live",
        "close",
        "aclose",
        "copy",
        "with_options",
        "with_raw_response",
        "api_key",
        "api_version",
        "base_url",
        "timeout",
        "max_retries",
    }
)

_CAMEL_BOUNDARY_1 = re.compile(r"([A-Z]+)([A-Z][a-z])")
_CAMEL_BOUNDARY_2 = re.compile(r"([a-z0-9])([A-Z])")


def snake(name: str) -> str:
    """`inlineData` -> `inline_data`; `URLContext` -> `url_context`; `gcsURI` -> `gcs_uri`."""
    return _snake_cached(name) if len(name) <= _CACHED_MAX_CHARS else _snake(name)


# Loading the real spec, rendering it and diffing two of them ask for the same few thousand names
# hundreds of thousands of times (two regex substitutions each): the answers for names of
# ordinary length are kept.
_CACHED_MAX_CHARS = 256


@functools.lru_cache(maxsize=16384)
def _snake_cached(name: str) -> str:
    return _snake(name)


def _snake(name: str) -> str:
    s = _CAMEL_BOUNDARY_1.sub(r"\1_\2", name)
    s = _CAMEL_BOUNDARY_2.sub(r"\1_\2", s)
    return s.replace("-", "_").lower()


def pascal(name: str) -> str:
    """`finishReason` -> `FinishReason`; `harm_category` -> `HarmCategory`."""
    parts = re.split(r"[_\-\s]+", name)
    return "".join(p[:1].upper() + p[1:] for p in parts if p)


def _guard(name: str, reserved: frozenset[str]) -> str:
    # Soft keywords (`type`, `match`) are valid identifiers and stay as they are.
    if keyword.iskeyword(name) or name in reserved:
        return name + "_"
    return name


def field_name(wire: str) -> str:
    """Python attribute of a model field."""
    return _guard(snake(wire), _MODEL_RESERVED)


def param_name(wire: str) -> str:
    """Python keyword argument of a generated method (path, query or body field)."""
    return _guard(snake(wire), METHOD_RESERVED)


# Names a generated resource class body refers to (decorators, annotations): a method or nested
# resource by such a name would shadow them inside the class.
_CLASS_SCOPE_RESERVED = frozenset(
    {"types", "cached_property", "httpx", "str", "int", "float", "bool", "bytes", "dict", "object"}
)


def method_name(wire: str) -> str:
    """Python method of a resource class: `generateContent` -> `generate_content`."""
    return _guard(snake(wire), METHOD_RESERVED | _CLASS_SCOPE_RESERVED | {"with_raw_response"})


def resource_attr(wire: str) -> str:
    """Attribute of the client holding a resource: `cachedContents` -> `cached_contents`."""
    return _guard(snake(wire), _RESOURCE_ATTR_RESERVED | _CLASS_SCOPE_RESERVED)


# Capitalised names the generated `_client.py` and resource modules import, define or read
# (tests/generator/test_hostile_specs.py holds the templates to this list), and the builtins': a
# resource class by such a name, or whose `Async` twin is one, would shadow it.
_CLIENT_SCOPE_RESERVED = frozenset(n for n in dir(builtins) if n[:1].isupper()) | frozenset(
    {
        "Any",
        "AsyncAPIClient",
        "AsyncAPIResource",
        "AsyncBinaryResponse",
        "AsyncClient",
        "AsyncOperation",
        "AsyncPager",
        "AsyncStream",
        "BinaryResponse",
        "Body",
        "Client",
        "DEFAULT_MAX_RETRIES",
        "DEFAULT_TIMEOUT",
        "GeminiError",
        "Headers",
        "Mapping",
        "NOT_GIVEN",
        "NotGiven",
        "Operation",
        "Query",
        "RequestOptions",
        "Sequence",
        "Stream",
        "SyncAPIClient",
        "SyncAPIResource",
        "SyncPager",
        "TYPE_CHECKING",
        "Timeout",
    }
)


def resource_class(path: str) -> str:
    """Class of a resource by its dotted path: `cachedContents` -> `CachedContents`,
    `tunedModels.permissions` -> `TunedModelsPermissions`. A class that would be a keyword or
    shadow a name of the client's modules gets `Resource` appended: `timeout` -> `TimeoutResource`
    (and `AsyncTimeoutResource`), `client` -> `ClientResource`, `none` -> `NoneResource`."""
    cls = "".join(pascal(part) for part in path.split("."))
    if keyword.iskeyword(cls) or {cls, f"Async{cls}"} & _CLIENT_SCOPE_RESERVED:
        return cls + "Resource"
    return cls


def resource_module(path: str) -> str:
    """Module of a resource by its dotted path: `tunedModels.permissions` -> `tuned_models_permissions`;
    a keyword gets a trailing underscore (`class` -> `resources/class_.py`)."""
    return _guard("_".join(snake(part) for part in path.split(".")), frozenset())


def type_name(spec_name: str) -> str:
    """Python class of a spec type inside the types module: the spec name, unless it would shadow
    a name the module needs (the package still exports it under the spec name)."""
    if spec_name in _TYPE_RESERVED or keyword.iskeyword(spec_name):
        return spec_name + "Model"
    return spec_name


def enum_member(value: str) -> str:
    """Python member of an enum value: the value itself, guarded against keywords."""
    name = value if value[:1].isalpha() or value[:1] == "_" else "V_" + value
    return _guard(name, frozenset({"mro", "name", "value"}))
