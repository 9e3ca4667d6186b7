"""Durations and timestamps as the API writes them: ``"300s"`` and RFC 3339 in UTC."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import TypeAlias

__all__ = ["Duration", "Timestamp", "to_duration", "to_timestamp"]

Duration: TypeAlias = "timedelta | str | int | float"
"""``timedelta(minutes=5)``, ``"300s"``, ``"1.5s"`` or a number of seconds."""
Timestamp: TypeAlias = "datetime | str"
"""A timezone-aware ``datetime``, or an RFC 3339 string sent as is."""

_DURATION = re.compile(r"\d+(\.\d{1,9})?s")


def to_duration(value: Duration) -> str:
    """``value`` as a protobuf Duration string, e.g. ``"300s"``."""
    if isinstance(value, str):
        if not _DURATION.fullmatch(value):
            raise ValueError(f"not a duration: {value!r} (expected e.g. '300s' or '1.5s')")
        return value
    seconds = value.total_seconds() if isinstance(value, timedelta) else value
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not seconds >= 0:
        raise ValueError(f"not a duration: {value!r} (expected seconds >= 0)")
    text = f"{seconds:.9f}".rstrip("0").rstrip(".")
    return f"{text}s"


def to_timestamp(value: Timestamp) -> str:
    """``value`` as an RFC 3339 UTC timestamp, e.g. ``"2026-01-01T12:00:00Z"``."""
    if isinstance(value, str):
        return value
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("a datetime sent must be timezone-aware, e.g. datetime.now(timezone.utc)")
    utc = value.astimezone(timezone.utc)
    text = utc.strftime("%Y-%m-%dT%H:%M:%S")
    if utc.microsecond:
        text += f".{utc.microsecond:06d}"
    return text + "Z"
