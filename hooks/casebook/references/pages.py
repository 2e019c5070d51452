"""Page ranges: AMA writes them out in full (1726-36 -> 1726-1736); NLM elides them (1726-1736 -> 1726-36).

A range is `first-last` where both are numbers, optionally with the same letter
prefix (`e123-e130`, `S12-S19`; `e123-30` gains it back). Anything else (`xii-xv`,
an article number, `10.5070/D327553620`) is left exactly as written, and so is
each part of a list (`12-15, 20-5`) that is not such a range.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["elided_pages", "full_pages"]

_RANGE_RE = re.compile(r"^([A-Za-z]*)(\d+)-([A-Za-z]*)(\d+)$")
_ITEM_SPLIT_RE = re.compile(r"(\s*[,;]\s*)")
_Change = Callable[[str], str]


def full_pages(pages: str) -> str:
    """Every range written out: `1209-27` -> `1209-1227`, `e123-30` -> `e123-e130`."""
    return _each(pages, _full)


def elided_pages(pages: str) -> str:
    """Every numeric range shortened as NLM writes it: `1209-1227` -> `1209-27`, `93-113` -> `93-113`."""
    return _each(pages, _elided)


def _each(pages: str, change: _Change) -> str:
    parts = _ITEM_SPLIT_RE.split(pages)
    return "".join(part if i % 2 else change(part) for i, part in enumerate(parts))


def _parse(item: str) -> tuple[str, str, str] | None:
    """(prefix, first, last) of a range, the last written out; None if it is not a numeric range."""
    m = _RANGE_RE.match(item.strip())
    if not m:
        return None
    prefix, first, last_prefix, last = m.groups()
    if last_prefix and last_prefix != prefix:
        return None
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    if int(last) < int(first):
        return None  # 95-3 is not a range that can be completed; leave it as written
    return prefix, first, last


def _full(item: str) -> str:
    parsed = _parse(item)
    if parsed is None:
        return item
    prefix, first, last = parsed
    return f"{prefix}{first}-{prefix}{last}"


def _elided(item: str) -> str:
    parsed = _parse(item)
    if parsed is None:
        return item
    prefix, first, last = parsed
    if len(first) == len(last):
        common = 0
        while common < len(first) - 1 and first[common] == last[common]:
            common += 1
        last = last[common:]
    return f"{prefix}{first}-{last}"
