"""``client.caches``: context caching; ``update`` moves a cache's expiration.

``create`` is the generated one (its ``ttl`` / ``expire_time`` take a ``timedelta`` / ``datetime``
as every time argument does, and ``system_instruction`` / ``contents`` their short forms).

```py
cache = client.caches.create(model="gemini-2.5-flash", contents=[...], ttl=timedelta(minutes=5))
client.models.generate_content(model="gemini-2.5-flash", contents=[...], cached_content=cache)
client.caches.update(cache, ttl="600s")        # PATCH ...?updateMask=ttl
client.caches.delete(name=cache.name)
```
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from .._core import NOT_GIVEN, Headers, NotGiven, RequestOptions, Timeout, path_param
from .._core._times import Duration, Timestamp, to_duration, to_timestamp
from ..resources import cached_contents as _cached_contents
from ._spellings import spelled, with_config

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from .. import types
    from .._core import AsyncPager, SyncPager

__all__ = ["AsyncCaches", "CacheUpdateConfig", "Caches", "cache_name", "expiration"]


def cache_name(cache: types.CachedContent | str) -> str:
    """``cachedContents/abc`` from a ``CachedContent``, a name or a bare id."""
    name = cache if isinstance(cache, str) else (cache.name or "")
    return path_param(name, name="cache", prefix="cachedContents/")


def expiration(ttl: Duration | None, expire_time: Timestamp | None) -> dict[str, str]:
    """The wire fields for one of ``ttl`` / ``expire_time`` (both is an error)."""
    if ttl is not None and expire_time is not None:
        raise ValueError("pass ttl= or expire_time=, not both")
    if ttl is not None:
        return {"ttl": to_duration(ttl)}
    if expire_time is not None:
        return {"expireTime": to_timestamp(expire_time)}
    return {}


class CacheUpdateConfig(TypedDict, total=False):
    """google-genai's `config=` of `caches.update`: the same options as keywords."""

    ttl: Duration
    expire_time: Timestamp
    http_options: types.HttpOptions | types.HttpOptionsDict


def _one_cache(
    cache: types.CachedContent | str | None, name: str | None
) -> types.CachedContent | str:
    """The cache given positionally (or `cache=`), or by google-genai's `name=`."""
    if cache is not None and name is None:
        return cache
    if name is not None and cache is None:
        return name
    raise TypeError("update(): pass the cache (or google-genai's name=), once")


@spelled
class Caches(_cached_contents.CachedContents):
    """Context caches: create, get, list, update (ttl or expire_time), delete."""

    if TYPE_CHECKING:  # google-genai's `config=` (spread by `spelled`)

        def create(
            self,
            *,
            model: str,
            config: _cached_contents.CreateOptions | None = None,
            **options: Unpack[_cached_contents.CreateOptions],
        ) -> types.CachedContent: ...

        def list(
            self,
            *,
            config: _cached_contents.ListOptions | None = None,
            **options: Unpack[_cached_contents.ListOptions],
        ) -> SyncPager[types.ListCachedContentsResponse, types.CachedContent]: ...

    def update(
        self,
        cache: types.CachedContent | str | None = None,
        *,
        ttl: Duration | None = None,
        expire_time: Timestamp | None = None,
        name: str | None = None,
        config: CacheUpdateConfig | None = None,
        extra_headers: Headers | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> types.CachedContent:
        """Move the cache's expiration (the only thing a cache can change); sends the matching
        ``updateMask`` (``ttl`` or ``expireTime``)."""
        from .. import types

        given: dict[str, Any] = {"ttl": ttl, "expire_time": expire_time}
        given |= {"extra_headers": extra_headers, "timeout": timeout}
        a = with_config("Caches.update()", config, given)
        body = expiration(a["ttl"], a["expire_time"])
        if not body:
            raise ValueError("pass ttl= or expire_time=")
        extra_headers, timeout = a["extra_headers"], a["timeout"]
        return self._client.request(
            "PATCH",
            cache_name(_one_cache(cache, name)),
            cast_to=types.CachedContent,
            body=body,
            query={"updateMask": next(iter(body))},
            options=RequestOptions(extra_headers=extra_headers, timeout=timeout),
        )


@spelled
class AsyncCaches(_cached_contents.AsyncCachedContents):
    """Context caches for asyncio: create, get, list, update (ttl or expire_time), delete."""

    if TYPE_CHECKING:  # google-genai's `config=` (spread by `spelled`)

        async def create(
            self,
            *,
            model: str,
            config: _cached_contents.CreateOptions | None = None,
            **options: Unpack[_cached_contents.CreateOptions],
        ) -> types.CachedContent: ...

        def list(
            self,
            *,
            config: _cached_contents.ListOptions | None = None,
            **options: Unpack[_cached_contents.ListOptions],
        ) -> AsyncPager[types.ListCachedContentsResponse, types.CachedContent]: ...

    async def update(
        self,
        cache: types.CachedContent | str | None = None,
        *,
        ttl: Duration | None = None,
        expire_time: Timestamp | None = None,
        name: str | None = None,
        config: CacheUpdateConfig | None = None,
        extra_headers: Headers | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> types.CachedContent:
        """Move the cache's expiration; sends the matching ``updateMask``."""
        from .. import types

        given: dict[str, Any] = {"ttl": ttl, "expire_time": expire_time}
        given |= {"extra_headers": extra_headers, "timeout": timeout}
        a = with_config("AsyncCaches.update()", config, given)
        body = expiration(a["ttl"], a["expire_time"])
        if not body:
            raise ValueError("pass ttl= or expire_time=")
        extra_headers, timeout = a["extra_headers"], a["timeout"]
        return await self._client.request(
            "PATCH",
            cache_name(_one_cache(cache, name)),
            cast_to=types.CachedContent,
            body=body,
            query={"updateMask": next(iter(body))},
            options=RequestOptions(extra_headers=extra_headers, timeout=timeout),
        )
