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

from typing import TYPE_CHECKING

from .._core import NOT_GIVEN, Headers, NotGiven, RequestOptions, Timeout, path_param
from .._core._times import Duration, Timestamp, to_duration, to_timestamp
from ..resources import cached_contents as _cached_contents
from ._spellings import spelled

if TYPE_CHECKING:
    from .. import types

__all__ = ["AsyncCaches", "Caches", "cache_name", "expiration"]


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


@spelled
class Caches(_cached_contents.CachedContents):
    """Context caches: create, get, list, update (ttl or expire_time), delete."""

    def update(
        self,
        cache: types.CachedContent | str,
        *,
        ttl: Duration | None = None,
        expire_time: Timestamp | None = None,
        extra_headers: Headers | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> types.CachedContent:
        """Move the cache's expiration (the only thing a cache can change); sends the matching
        ``updateMask`` (``ttl`` or ``expireTime``)."""
        from .. import types

        body = expiration(ttl, expire_time)
        if not body:
            raise ValueError("pass ttl= or expire_time=")
        return self._client.request(
            "PATCH",
            cache_name(cache),
            cast_to=types.CachedContent,
            body=body,
            query={"updateMask": next(iter(body))},
            options=RequestOptions(extra_headers=extra_headers, timeout=timeout),
        )


@spelled
class AsyncCaches(_cached_contents.AsyncCachedContents):
    """Context caches for asyncio: create, get, list, update (ttl or expire_time), delete."""

    async def update(
        self,
        cache: types.CachedContent | str,
        *,
        ttl: Duration | None = None,
        expire_time: Timestamp | None = None,
        extra_headers: Headers | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> types.CachedContent:
        """Move the cache's expiration; sends the matching ``updateMask``."""
        from .. import types

        body = expiration(ttl, expire_time)
        if not body:
            raise ValueError("pass ttl= or expire_time=")
        return await self._client.request(
            "PATCH",
            cache_name(cache),
            cast_to=types.CachedContent,
            body=body,
            query={"updateMask": next(iter(body))},
            options=RequestOptions(extra_headers=extra_headers, timeout=timeout),
        )
