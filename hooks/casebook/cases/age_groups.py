"""The patient's age group for the case index filter, from `patient.age_group` or `patient.age`.

Authors may write `age_group` explicitly; when they do not, it is derived from
the free-text age ("12 months", "40 years", "3-day-old", "6 wk"). The bands
follow the MeSH age groups, so a filter means the same thing in every case:

    neonate      under 1 month            (MeSH "Infant, Newborn": birth to 1 month)
    infant       1 to 23 months           (MeSH "Infant")
    child        2 to 12 years            (MeSH "Child, Preschool" + "Child")
    adolescent   13 to 18 years           (MeSH "Adolescent")
    adult        19 to 64 years           (MeSH "Adult" + "Middle Aged")
    older adult  65 years and over        (MeSH "Aged")

An age that cannot be read ("late teens") gives no group: the case is still
listed, and only shows under "All age groups".
"""

from __future__ import annotations

import re

from casebook.cases.model import Patient

AGE_GROUP_LABELS = {
    "neonate": "Neonate",
    "infant": "Infant",
    "child": "Child",
    "adolescent": "Adolescent",
    "adult": "Adult",
    "older adult": "Older adult",
}

_UNIT_DAYS = {"day": 1.0, "week": 7.0, "month": 365.25 / 12, "year": 365.25}
_UNITS = {
    "d": "day",
    "day": "day",
    "days": "day",
    "w": "week",
    "wk": "week",
    "wks": "week",
    "week": "week",
    "weeks": "week",
    "m": "month",
    "mo": "month",
    "mos": "month",
    "month": "month",
    "months": "month",
    "y": "year",
    "yr": "year",
    "yrs": "year",
    "year": "year",
    "years": "year",
}
_AGE_RE = re.compile(r"(?P<n>\d+(?:[.,]\d+)?)\s*-?\s*(?P<unit>[a-z]+)", re.I)
_NEWBORN_RE = re.compile(r"\b(?:newborn|neonate|neonatal)\b", re.I)


def age_in_days(age: str) -> float | None:
    """Age in days from free text, or None when it cannot be read unambiguously."""
    matches = [m for m in _AGE_RE.finditer(age) if m.group("unit").lower() in _UNITS]
    if not matches:
        return 0.0 if _NEWBORN_RE.search(age) else None
    # "2 years 3 months" adds up; in a range ("3-4 years") the number next to the unit counts.
    total = 0.0
    for m in matches:
        total += float(m.group("n").replace(",", ".")) * _UNIT_DAYS[_UNITS[m.group("unit").lower()]]
    return total


def group_for_days(days: float) -> str:
    """The MeSH band for an age in days (boundaries in the module docstring)."""
    months = days / _UNIT_DAYS["month"]
    years = days / _UNIT_DAYS["year"]
    if months < 1:
        return "neonate"
    if months < 24:
        return "infant"
    if years < 13:
        return "child"
    if years < 19:
        return "adolescent"
    if years < 65:
        return "adult"
    return "older adult"


def age_group(patient: Patient) -> str | None:
    """The explicit `age_group`, else the one derived from `age`, else None."""
    if patient.age_group:
        return patient.age_group
    days = age_in_days(patient.age)
    return None if days is None else group_for_days(days)
