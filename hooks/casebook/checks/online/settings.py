"""The knobs of an online run and their defaults, in one place.

The command line, a plugin configuration and the tests all pass these to
`check_online`/`run_online`; keeping the defaults here means the three agree
without repeating numbers.  `parse_duration` reads the ages users write
(`7d`, `12h`).
"""

from __future__ import annotations

import re

__all__ = [
    "DEFAULT_BACKOFF",
    "DEFAULT_DOI_API_BASE",
    "DEFAULT_MAX_CACHE_AGE",
    "DEFAULT_MAX_RETRY_AFTER",
    "DEFAULT_PER_HOST",
    "DEFAULT_RETRIES",
    "DEFAULT_TIMEOUT",
    "DEFAULT_TOTAL_WORKERS",
    "DOI_API_ENV",
    "parse_duration",
]

DEFAULT_DOI_API_BASE = "https://doi.org/api/handles/"
#: Environment variable that points `run_online` at another handle API (end-to-end tests).
DOI_API_ENV = "CASEBOOK_DOI_API_BASE"
DEFAULT_MAX_CACHE_AGE = 7 * 24 * 3600.0
#: Seconds per request.
DEFAULT_TIMEOUT = 10.0
#: Extra attempts after a transient failure (429, 408, 5xx, timeout, connection problems).
DEFAULT_RETRIES = 2
#: Seconds before the first retry when the server sends no `Retry-After`; doubled each time.
DEFAULT_BACKOFF = 0.5
#: Requests at once against one host: polite to small sites, and what keeps 429s rare.
DEFAULT_PER_HOST = 2
#: Requests at once overall.
DEFAULT_TOTAL_WORKERS = 8
#: Longest `Retry-After` we wait for; a server asking for more is reported as unverified.
DEFAULT_MAX_RETRY_AFTER = 60.0

_DURATION_RE = re.compile(r"^\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>[smhdw]?)\s*$", re.I)
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(text: str | float | int) -> float:
    """`--max-cache-age` values: seconds, or a number with s/m/h/d/w (`0` re-checks everything)."""
    if isinstance(text, (int, float)):
        if text < 0:
            raise ValueError("a duration cannot be negative")
        return float(text)
    match = _DURATION_RE.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a duration; use e.g. 3600, 30m, 12h, 7d or 2w")
    return float(match.group("n")) * _UNITS[match.group("unit").lower()]
