"""What a field's text means: a month, an ISO date, a web address.

Shared by the field rules (which reject what does not parse) and the AMA
formatter (which writes the parsed value), so both read a value the same way.
"""

from __future__ import annotations

import datetime as _dt
import re
from urllib.parse import urlsplit

__all__ = ["MONTHS", "is_web_url", "month_name", "parse_iso_date"]

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_URLDATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def is_web_url(url: str) -> bool:
    """True for an http(s) address with a host and nothing a reader's browser would choke on."""
    if any(ch.isspace() for ch in url) or any(ch in url for ch in '"<>'):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


def month_name(value: str) -> str | None:
    """`jan`, `January`, `1` -> `January`; None if it is not a month."""
    v = value.strip().rstrip(".").lower()
    if v.isdigit() and 1 <= int(v) <= 12:
        return MONTHS[int(v) - 1]
    for name in MONTHS:
        if len(v) >= 3 and name.lower().startswith(v):
            return name
    return None


def parse_iso_date(value: str) -> _dt.date | None:
    """`YYYY-MM-DD` as a date; None if it is not written so or is no real day."""
    m = _URLDATE_RE.match(value.strip())
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
