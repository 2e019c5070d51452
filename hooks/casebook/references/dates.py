"""Dates in references: biblatex `date`, `urldate`, `origdate` in every ISO form, as each style writes them.

biblatex writes `2017`, `2017-06`, `2017-06-01`, `2017-06-01T00:00:00+00:00`,
ranges (`2017-06-01/2017-06-05`, the start is used) and uncertain dates
(`2017?`, `2017~`). AMA writes them `June 1, 2017`, `June 2017`, `2017`;
NLM writes `2017 Jun 1`. A value that is none of these is returned as None,
so the caller can show it as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casebook.references.bibtex import month_name
from casebook.references.bibtex.values import MONTHS

__all__ = ["PartialDate", "ama_date", "from_fields", "nlm_date", "parse_date"]

_DATE_RE = re.compile(
    r"^(?P<year>\d{4})[?~%]?(?:-(?P<month>\d{1,2})[?~%]?(?:-(?P<day>\d{1,2})[?~%]?)?)?"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?:/.*)?$"
)


@dataclass(frozen=True)
class PartialDate:
    """A year, perhaps with a month, perhaps with a day."""

    year: int
    month: int | None = None
    day: int | None = None


def parse_date(value: str) -> PartialDate | None:
    """The date an ISO 8601 / EDTF value names (its start, for a range); None if it names none."""
    m = _DATE_RE.match(value.strip())
    if not m:
        return None
    year = int(m.group("year"))
    month = int(m.group("month")) if m.group("month") else None
    day = int(m.group("day")) if m.group("day") else None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= _days_in(year, month or 1):
        return None
    return PartialDate(year, month, day)


def from_fields(year: str, month: str, day: str) -> PartialDate | None:
    """The date of BibTeX's `year`, `month`, `day` fields (as much of it as is given)."""
    if not re.fullmatch(r"\d{4}", year.strip()):
        return None
    name = month_name(month) if month else None
    number = MONTHS.index(name) + 1 if name else None
    day_number = int(day) if number and day.strip().isdigit() else None
    if day_number is not None and not 1 <= day_number <= _days_in(int(year), number or 1):
        day_number = None
    return PartialDate(int(year), number, day_number)


def ama_date(date: PartialDate) -> str:
    """`June 1, 2017`, `June 2017`, `2017` (AMA 3.11)."""
    if date.month is None:
        return str(date.year)
    name = MONTHS[date.month - 1]
    return f"{name} {date.day}, {date.year}" if date.day else f"{name} {date.year}"


def nlm_date(date: PartialDate) -> str:
    """`2017 Jun 1`, `2017 Jun`, `2017` (Citing Medicine: year, abbreviated month, day)."""
    parts = [str(date.year)]
    if date.month is not None:
        parts.append(MONTHS[date.month - 1][:3])
        if date.day:
            parts.append(str(date.day))
    return " ".join(parts)


def _days_in(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31
