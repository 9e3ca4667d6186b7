"""Client defaults."""

__all__ = [
    "CONNECT_TIMEOUT",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "INITIAL_RETRY_DELAY",
    "MAX_CONNECTIONS",
    "MAX_RESPONSE_SIZE",
    "MAX_RETRY_AFTER",
    "MAX_RETRY_DELAY",
    "RAW_RESPONSE_HEADER",
    "RETRY_STATUSES",
    "SDK_VERSION",
]

DEFAULT_TIMEOUT = 600.0
"""Seconds a whole call may take: connecting, sending, waiting, reading every byte, retries and
their sleeps. Long, since a thinking model can take minutes before its first byte."""
CONNECT_TIMEOUT = 10.0
"""Upper bound on opening one connection, within the call's total."""
DEFAULT_MAX_RETRIES = 2
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
"""HTTP statuses retried (up to the retries and the deadline left). README.md and docs/client.md
state these facts; tests/generator/test_prose_facts.py keeps them in step."""
MAX_CONNECTIONS = 100
"""Connections the client's own pool opens to the API at once; each may be kept alive. Calls
beyond it wait for a free one (threads and tasks alike in the order they came, see ``_pool``)
within the pool timeout, which the call's deadline cuts."""
MAX_RESPONSE_SIZE = 128 * 1024 * 1024
"""The default ``max_response_size``, in bytes: the most a JSON answer (or one stream event) may
take once decoded, and the most a gzip/deflate-compressed body may inflate to, downloads too.
Past it the call raises ``ResponseTooLargeError`` with memory bounded. Media that arrive
uncompressed stream to a file (``write_to``) with no cap: their size is what the server sends."""

INITIAL_RETRY_DELAY = 0.5
"""Seconds before the first retry when the server gives no hint; doubled on each retry."""
MAX_RETRY_DELAY = 8.0
"""Upper bound of the exponential backoff, in seconds."""
MAX_RETRY_AFTER = 60.0
"""The longest server-requested delay (``Retry-After``, ``RetryInfo``) the client waits out; a
longer one raises at once, with the delay in ``err.retry_after``."""

RAW_RESPONSE_HEADER = "x-gemini-client-raw-response"
"""Marker header set by ``with_raw_response``; the client strips it before sending."""

SDK_VERSION = "0.1.0"
"""The version of gemini-codegen that made this client (tests check it matches), sent in the
``User-Agent`` and ``x-goog-api-client`` headers."""
