"""Client defaults."""

import httpx

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "INITIAL_RETRY_DELAY",
    "MAX_RETRY_AFTER",
    "MAX_RETRY_DELAY",
    "RAW_RESPONSE_HEADER",
]

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
DEFAULT_MAX_RETRIES = 2

INITIAL_RETRY_DELAY = 0.5
"""Seconds before the first retry when the server gives no hint; doubled on each retry."""
MAX_RETRY_DELAY = 8.0
"""Upper bound of the exponential backoff, in seconds."""
MAX_RETRY_AFTER = 60.0
"""Upper bound of a server-requested delay (``Retry-After`` or ``RetryInfo``), in seconds."""

RAW_RESPONSE_HEADER = "x-gemini-client-raw-response"
"""Marker header set by ``with_raw_response``; the client strips it before sending."""
