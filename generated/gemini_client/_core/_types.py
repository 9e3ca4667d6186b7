"""Small shared types: the "not given" sentinel, request option aliases and per-call options."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, TypeAlias

import httpx

__all__ = ["NOT_GIVEN", "Body", "Headers", "NotGiven", "Query", "RequestOptions", "Timeout"]


class NotGiven:
    """Marks an argument the caller did not pass, as distinct from an explicit ``None``.

    ```py
    def create(timeout: Timeout | NotGiven = NOT_GIVEN) -> None: ...
    create(timeout=None)  # explicitly no timeout
    create()  # use the client default
    ```
    """

    __slots__ = ()

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()

Headers: TypeAlias = Mapping[str, str]
Query: TypeAlias = Mapping[str, object]
Body: TypeAlias = Mapping[str, object]
Timeout: TypeAlias = float | httpx.Timeout | None


@dataclass(frozen=True, slots=True)
class RequestOptions:
    """Per-call additions: merged into the request the client builds."""

    extra_headers: Headers | None = None
    extra_query: Query | None = None
    extra_body: Body | None = None
    timeout: Timeout | NotGiven = NOT_GIVEN
    # The version a method is pinned to (the spec states it under another version than the
    # service's, e.g. v1alpha authTokens.create); empty: the client's `api_version`.
    api_version: str = ""
