"""Iterate list methods across pages (``pageToken`` / ``nextPageToken``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._exceptions import APIResponseValidationError

if TYPE_CHECKING:
    import pydantic

__all__ = ["AsyncPager", "SyncPager"]

PageT = TypeVar("PageT", bound="pydantic.BaseModel")
ItemT = TypeVar("ItemT")


def _attr_name(page_cls: type[pydantic.BaseModel], wire_name: str) -> str:
    """The Python attribute of the field called ``wire_name`` on the wire."""
    for name, field in page_cls.model_fields.items():
        if wire_name in (field.alias, field.validation_alias, field.serialization_alias):
            return name
    return wire_name


class _BasePager(Generic[PageT, ItemT]):
    def __init__(self, *, page_cls: type[PageT], items: str, next_page_token: str) -> None:
        self._items = items
        self._next_page_token = _attr_name(page_cls, next_page_token)
        self._current: PageT | None = None  # google-genai's page view: the page last fetched
        self._seen: set[str] = set()

    @property
    def page(self) -> list[ItemT]:
        """The items of the current page (google-genai's view; the first page until
        ``next_page()``)."""
        if self._current is None:
            raise RuntimeError("no page fetched yet: call first_page() (or await the pager)")
        return self._page_items(self._current)

    @property
    def page_size(self) -> int:
        """The number of items on the current page."""
        return len(self.page)

    def __getitem__(self, index: int) -> ItemT:
        """Item ``index`` of the current page (google-genai's ``pager[0]``)."""
        return self.page[index]

    def _following(self) -> str:
        assert self._current is not None
        token = self._next_token(self._current)
        if token is None:
            raise IndexError("no more pages to fetch")
        self._check_new(token, self._seen)
        return token

    def _page_items(self, page: PageT) -> list[ItemT]:
        items: list[ItemT] | None = getattr(page, self._items, None)
        return items or []

    def _next_token(self, page: PageT) -> str | None:
        token = getattr(page, self._next_page_token, None)
        if token is None and page.model_extra:
            token = page.model_extra.get(self._next_page_token)
        return token if isinstance(token, str) and token else None

    @staticmethod
    def _check_new(token: str, seen: set[str]) -> None:
        """Stop a server that sends a page token again: following it would loop forever."""
        if token in seen:
            shown = token if len(token) <= 40 else token[:40] + "..."
            raise APIResponseValidationError(
                f"the server repeated the page token {shown!r} after {len(seen)} pages; "
                "stopping instead of looping"
            )
        seen.add(token)


class SyncPager(_BasePager[PageT, ItemT]):
    """Lazily iterate every item of a list method, fetching pages as needed.

    ```py
    for model in client.models.list(page_size=50):  # every item of every page
        ...
    for page in client.models.list().pages():  # page by page
        ...
    first = client.models.list().first_page()  # only one request
    ```
    """

    def __init__(
        self,
        fetch: Callable[[str | None], PageT],
        *,
        page_cls: type[PageT],
        items: str,
        next_page_token: str = "nextPageToken",
    ) -> None:
        super().__init__(page_cls=page_cls, items=items, next_page_token=next_page_token)
        self._fetch = fetch

    def first_page(self) -> PageT:
        if self._current is None:
            self._current = self._fetch(None)
        return self._current

    def next_page(self) -> list[ItemT]:
        """Fetch the page after the current one and return its items (``IndexError`` after the
        last page); ``page`` and indexing then read it."""
        self.first_page()
        self._current = self._fetch(self._following())
        return self.page

    def __getitem__(self, index: int) -> ItemT:
        self.first_page()
        return self.page[index]

    def pages(self) -> Iterator[PageT]:
        token: str | None = None
        seen: set[str] = set()
        while True:
            page = self._fetch(token)
            yield page
            token = self._next_token(page)
            if token is None:
                return
            self._check_new(token, seen)

    def __iter__(self) -> Iterator[ItemT]:
        for page in self.pages():
            yield from self._page_items(page)


class AsyncPager(_BasePager[PageT, ItemT]):
    """The async twin of ``SyncPager``: ``async for``, ``pages()`` and ``await first_page()``.

    ``await client.models.list()`` also works (as in google-genai): it fetches the first page and
    returns the pager, whose iteration then starts from that page without fetching it again.
    """

    def __init__(
        self,
        fetch: Callable[[str | None], Awaitable[PageT]],
        *,
        page_cls: type[PageT],
        items: str,
        next_page_token: str = "nextPageToken",
    ) -> None:
        super().__init__(page_cls=page_cls, items=items, next_page_token=next_page_token)
        self._fetch = fetch
        self._first: PageT | None = None

    async def first_page(self) -> PageT:
        if self._first is None:
            self._first = await self._fetch(None)
        if self._current is None:
            self._current = self._first
        return self._first

    async def next_page(self) -> list[ItemT]:
        """Fetch the page after the current one and return its items (``IndexError`` after the
        last page)."""
        await self.first_page()
        self._current = await self._fetch(self._following())
        return self.page

    def __await__(self) -> Generator[Any, None, AsyncPager[PageT, ItemT]]:
        async def fetched() -> AsyncPager[PageT, ItemT]:
            await self.first_page()
            return self

        return fetched().__await__()

    async def pages(self) -> AsyncIterator[PageT]:
        token: str | None = None
        seen: set[str] = set()
        while True:
            page = await (self.first_page() if token is None else self._fetch(token))
            yield page
            token = self._next_token(page)
            if token is None:
                return
            self._check_new(token, seen)

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        async for page in self.pages():
            for item in self._page_items(page):
                yield item
