"""What a request accepts where the spec says `X` (`XUnion`) or `list[X]` (`XListUnion`).

The generator uses these aliases in method signatures and `TypedDict`s wherever such a type is
an input, and `<Type><Field>Union` for that one field (see codegen/render/extensions.py);
`_contents` turns the short forms into wire shapes.
"""

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, Union

from ._models import CachedContent, Content, File, Part, Schema, Tool

if TYPE_CHECKING:  # named in strings: `_dicts` imports this module
    from ._dicts import ContentDict, PartDict, SchemaDict, ToolDict

__all__ = [
    "ContentListUnion",
    "ContentUnion",
    "FunctionDeclarationParametersUnion",
    "FunctionDeclarationResponseUnion",
    "GenerateContentRequestCachedContentUnion",
    "GenerationConfigResponseSchemaUnion",
    "SchemaUnion",
    "ToolUnion",
]

_PartLike: TypeAlias = Union[str, Part, "PartDict", File]

ContentUnion: TypeAlias = Union[Content, "ContentDict", _PartLike, Sequence[_PartLike]]
"""One turn: a `Content`, or text and parts making a user turn."""

ContentListUnion: TypeAlias = Union[
    Content, "ContentDict", _PartLike, Sequence[Union[Content, "ContentDict", _PartLike]]
]
"""A conversation: turns, or text and parts (consecutive ones make one user turn)."""


class McpSessionLike(Protocol):
    """An `mcp` `ClientSession` (the optional `mcp` package is not imported for this)."""

    def list_tools(self) -> Awaitable[Any]: ...

    def call_tool(self, name: str, arguments: dict[str, Any] | None = None) -> Awaitable[Any]: ...


ToolUnion: TypeAlias = Union[Tool, "ToolDict", Callable[..., Any], McpSessionLike]
"""A tool, a Python function declared as one (`FunctionDeclaration.from_callable`), or on
`AsyncClient` an MCP `ClientSession` whose tools are listed and called (automatic function
calling)."""

SchemaUnion: TypeAlias = Union[Schema, "SchemaDict", type[Any]]
"""A schema, or at the top of `response_schema` a Python type (`Model`, `list[Model]`, an enum)."""

GenerateContentRequestCachedContentUnion: TypeAlias = Union[str, CachedContent]
"""`cached_content`: the cache's name (`cachedContents/...`) or the `CachedContent` itself."""

GenerationConfigResponseSchemaUnion: TypeAlias = SchemaUnion
"""`response_schema`: a `Schema`, or a Python type parsed into `.parsed` (`GenerationConfigBase`)."""

FunctionDeclarationParametersUnion: TypeAlias = SchemaUnion
"""`parameters`: a `Schema`, or a Python type sent as its JSON schema (`FunctionDeclarationBase`)."""

FunctionDeclarationResponseUnion: TypeAlias = SchemaUnion
"""`response`: a `Schema`, or a Python type sent as its JSON schema (`FunctionDeclarationBase`)."""
