"""What a patient identifier looks like in text: one detector per `phi-*` rule.

The identifiers are those of the HIPAA Safe Harbor list (45 CFR 164.514(b)(2))
that can be recognised in prose: full dates, ages over 89, telephone and fax
numbers, e-mail addresses, record and account numbers, postal codes, street
addresses, IP addresses, web addresses and names written with a title.

Every regular expression here is flat: quantifiers apply to single characters
or character classes, never to a group that itself repeats, so no input can make
the regex engine backtrack more than a bounded number of steps per position
(tests/test_privacy.py walks the parsed patterns to keep it so). What a regex
cannot say without nesting (a phone number's groups, a date's range) is checked
in Python on the candidate it found.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

__all__ = ["PATTERNS", "RULES", "Hit", "find_identifiers"]


@dataclass(frozen=True)
class Hit:
    """One identifier found in a text: which rule, where (offsets into the text), and what to write."""

    rule: str
    start: int
    end: int
    message: str


#: rule -> (what it is, how to rewrite it): the two halves of every message.
RULES: dict[str, tuple[str, str]] = {
    "phi-date": (
        "a full date (day, month and year) can identify the patient (Safe Harbor keeps only the year)",
        "write the time relative to the presentation ('two weeks later', 'at the age of 3 years') or the "
        "season or year alone ('in the spring', 'in 2019')",
    ),
    "phi-age": (
        "an age over 89 is an identifier under Safe Harbor, which puts every such age in one group, 90 or older",
        "write 'over 90' or 'in her 90s' in the text, and `age: 90 years or older` (age group older adult, "
        "the '90+' group) in the front matter",
    ),
    "phi-phone": (
        "a telephone or fax number identifies a person",
        "remove it; say who was contacted instead ('the family doctor was called')",
    ),
    "phi-email": (
        "an e-mail address identifies a person",
        "remove it; a contact for the case belongs on the site's contact page, not in the case",
    ),
    "phi-id-number": (
        "a number like this looks like a social security, medical record, health plan or account number",
        "remove it; the case needs no record number ('the patient's records were reviewed')",
    ),
    "phi-postal-code": (
        "a postal code locates the patient (Safe Harbor allows at most the first three digits of a ZIP code, "
        "and only for large areas)",
        "remove it, or name a region as large as a state ('a rural area of the north-east')",
    ),
    "phi-address": (
        "a street address locates the patient",
        "write the setting instead ('at home', 'in a rural village', 'in a care home')",
    ),
    "phi-ip": (
        "an IP address can identify a person's device or home",
        "remove it",
    ),
    "phi-url": (
        "a web address in the case history can identify the patient (a personal page, a profile, a shared photo)",
        "cite published sources as references ([@key]) in the discussion, and leave personal pages out",
    ),
    "phi-name": (
        "a name with a title names the patient, a relative or a clinician",
        "write the role instead ('the patient', 'her mother', 'the referring dermatologist')",
    ),
}

_MONTH = (
    r"(?:january|jan|february|feb|march|mar|april|apr|may|june|jun|july|jul|august|aug|september|sept|sep|"
    r"october|oct|november|nov|december|dec)"
)
_SUFFIX = r"(?:st|nd|rd|th)?"
_SP = r"[ \t\n]{1,3}"

#: rule -> compiled patterns, in the order they are tried (earlier rules win an overlap).
PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    "phi-url": (re.compile(r"(?<![\w@.])(?:https?://|www\.)[^\s<>()\[\]{}\"'`]{1,2000}", re.I),),
    "phi-email": (re.compile(r"(?<![\w.%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}\.[A-Za-z0-9.-]{0,250}[A-Za-z]"),),
    "phi-ip": (
        re.compile(r"(?<![\w.])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?!\w|\.\d)"),
        re.compile(r"(?<![\w:])[0-9A-Fa-f]{1,4}:[0-9A-Fa-f:]{2,38}(?![\w:])"),
    ),
    "phi-date": (
        re.compile(r"(?<![\w./-])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\w|[-/]\d|\.\d)"),
        re.compile(r"(?<![\w./-])(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?!\w|[-/]\d|\.\d)"),
        re.compile(
            rf"(?<![\w.])(\d{{1,2}}){_SUFFIX}(?:[ \t\n-]|[ \t\n]of[ \t\n])({_MONTH})\.?,?[ \t\n-](\d{{4}})(?!\w)",
            re.I,
        ),
        re.compile(rf"(?<![\w.])({_MONTH})\.?{_SP}(\d{{1,2}}){_SUFFIX},?{_SP}(\d{{4}})(?!\w)", re.I),
    ),
    "phi-id-number": (
        re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])"),
        re.compile(
            r"\b(?:MRN|SSN|acct|medicaid|medicare|passport)\.?[ \t]{0,2}[:#]?[ \t]{0,2}"
            r"([A-Z0-9][A-Z0-9-]{3,19})(?![\w-])",
            re.I,
        ),
        re.compile(
            r"\b(?:NHS|MR|account|chart|record|hospital|insurance|policy|member|patient|licen[cs]e|serial|case|ID)"
            r"[ \t](?:no|number|num|ID|#)\.?[ \t]{0,2}[:#]?[ \t]{0,2}([A-Z0-9][A-Z0-9-]{3,19})(?![\w-])",
            re.I,
        ),
        re.compile(r"(?<![\w.,/:=#-])\d{8,40}(?![\w/-]|[.,]\d)"),
    ),
    "phi-phone": (re.compile(r"(?<![\w.+/(-])\+?[\d(][\d ().-]{5,20}\d(?![\w/-]|\.\d)"),),
    "phi-postal-code": (
        # United Kingdom (outward and inward code), Canada, a US ZIP after a state's abbreviation, after a keyword.
        re.compile(r"(?<![\w-])[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}(?![\w-])"),
        re.compile(r"(?<![\w-])[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d(?![\w-])"),
        re.compile(
            r"\b(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|"
            r"NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY),? \d{5}(?:-\d\d\d\d)?(?![\w-])"
        ),
        re.compile(
            r"\b(?:zip|zip code|postcode|post code|postal code)[ \t]{0,2}:?[ \t]{0,2}[A-Z0-9][A-Z0-9 -]{2,8}\w", re.I
        ),
    ),
    "phi-address": (
        re.compile(
            r"(?<![\w.,])\d{1,5}[A-Za-z]?,? [A-Z][A-Za-z .'-]{0,60}? (?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|"
            r"Boulevard|Blvd|Court|Ct|Place|Pl|Way|Terrace|Close|Crescent|Square|Sq|Highway|Hwy|Parkway|Pkwy|Row|"
            r"Gardens|Grove|Mews|Strasse)\b"
        ),
        re.compile(r"\bP\.? ?O\.? Box \d{1,6}\b", re.I),
    ),
    "phi-age": (
        re.compile(r"(?<![\w.,])(\d{2,3})[ -]?(?:years?|yrs?|y)(?:[ -]?old\b|[ -]of[ -]age\b|/o\b|\.o\.)", re.I),
        re.compile(r"(?<![\w.,])(\d{2,3})[ -]?yo\b", re.I),
        re.compile(
            r"\b(?:aged?|age of)[ \t\n]{1,2}(\d{2,3})(?!\w|[.,]\d|-year|[ \t]?(?:days?|weeks?|months?|wk|mo)\b)", re.I
        ),
    ),
    "phi-name": (
        re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor)\.?[ \t\n]([A-ZÀ-ÖØ-Þ][\w'\u2019-]{1,30})(?![\w-])"),
    ),
}

_PHONE_WORD_RE = re.compile(r"\b(?:tel|telephone|phone|ph|mobile|cell|fax|pager|bleep|call|contact)\b", re.I)
_ID_PREFIX_RE = re.compile(r"\b(?:pmid|pmcid|pmc|isbn|issn|nct|doi|arxiv|orcid)\b[ \t:.]{0,3}$", re.I)
_OLDER_RE = re.compile(r"\A(?:\+|[ \t]?(?:years |year |years|year)?(?:or|and)[ \t](?:older|over|above|more))", re.I)
#: Words a title is followed by that are not names ("Dr. Office hours" is rare; these are not).
_NOT_NAMES = frozenset({"The", "A", "An", "And", "Or", "Of", "In", "On"})


#: What a text must contain for a pattern of a rule to match at all, one entry per pattern of PATTERNS.
#: A search for these is far cheaper than running every pattern (most of a case's prose has no digit).
_HINTS: dict[str, re.Pattern[str]] = {
    "digit": re.compile(r"\d"),
    "scheme": re.compile(r"://|www\.", re.I),
    "at": re.compile("@"),
    "colon": re.compile(":"),
}
_NEEDS: dict[str, tuple[str | None, ...]] = {
    "phi-url": ("scheme",),
    "phi-email": ("at",),
    "phi-ip": ("digit", "colon"),
    "phi-date": ("digit",) * 4,
    # After a keyword, the candidate counts only with 4 digits or more (`_id_number`).
    "phi-id-number": ("digit",) * 4,
    "phi-phone": ("digit",),
    # `_postal` keeps a candidate only when it has a digit; a post-office box has its number.
    "phi-postal-code": ("digit",) * 4,
    "phi-address": ("digit", "digit"),
    "phi-age": ("digit",) * 3,
    "phi-name": (None,),
}


def find_identifiers(text: str, *, known_names: frozenset[str] = frozenset(), urls: bool = True) -> list[Hit]:
    """Every identifier in `text`, in order; a later rule never reports text an earlier rule has."""
    present = {name: hint.search(text) is not None for name, hint in _HINTS.items()}
    whole = [(0, len(text))]
    near_digits = _digit_windows(text) if present["digit"] else []
    taken: list[tuple[int, int]] = []
    hits: list[Hit] = []
    for rule, patterns in PATTERNS.items():
        if rule == "phi-url" and not urls:
            continue
        found: list[tuple[int, int]] = []
        for pattern, need in zip(patterns, _NEEDS[rule], strict=True):
            if need is not None and not present[need]:
                continue
            for start, end in near_digits if need == "digit" else whole:
                for match in pattern.finditer(text, start, end):
                    span = _CHECKS[rule](text, match, known_names)
                    if span is not None and not _overlaps(span, taken) and not _overlaps(span, found):
                        found.append(span)
        for start, end in found:
            what, advice = RULES[rule]
            shown = " ".join(text[start:end].split())
            hits.append(Hit(rule, start, end, f"'{_short(shown)}': {what}; {advice}"))
        taken += found
    return sorted(hits, key=lambda h: (h.start, h.rule))


#: How far a match that needs a digit reaches before its first digit (a keyword, a month, a token's
#: letters: at most about 40 characters) and after it (a street address: at most about 80, and the
#: lookaheads a few more). Both bounds are twice what the patterns allow.
_LEAD, _TAIL = 80, 160


def _digit_windows(text: str) -> list[tuple[int, int]]:
    """The parts of `text` where a pattern that needs a digit can match: the stretches around digits.

    Every match of those patterns contains a digit, so it lies within `_LEAD`/`_TAIL` characters of
    one. Scanning only there finds the same matches: a scan's start may fall inside a word, since
    lookbehinds and `\\b` still read the text before it, and its end is far enough after the last
    digit that no match or lookahead reaches it.
    """
    windows: list[tuple[int, int]] = []
    for m in _DIGIT_RUN.finditer(text):
        start, end = max(0, m.start() - _LEAD), min(len(text), m.end() + _TAIL)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


_DIGIT_RUN = re.compile(r"\d+")


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


# --------------------------------------------------------------------------- per-rule checks of a candidate

Span = tuple[int, int] | None
Check = Callable[[str, re.Match[str], frozenset[str]], Span]


def _whole(text: str, m: re.Match[str], names: frozenset[str]) -> Span:
    return m.span()


def _url(text: str, m: re.Match[str], names: frozenset[str]) -> Span:
    end = m.end()
    while end > m.start() and text[end - 1] in ".,;:!?*_~":
        end -= 1
    return (m.start(), end) if end - m.start() > 4 else None


def _email(text: str, m: re.Match[str], names: frozenset[str]) -> Span:
    local = m.group().split("@", 1)[0]
    return None if local.startswith(".") or local.endswith(".") else m.span()


def _ip(text: str, m: re.Match[str], names: frozenset[str]) -> Span:
    value = m.group()
    if "." in value:
        parts = [int(part) for part in value.split(".")]
        if parts[0] == 127 or parts == [0, 0, 0, 0]:
            return None  # this computer (loopback), never a person's
        return m.span() if all(part <= 255 for part in parts) else None
    groups = value.split(":")
    if "::" not in value and len(groups) != 8:
        return None  # times (10:30:00) and ratios have fewer parts
    if value.count("::") > 1 or len(groups) > 8 or any(len(g) > 4 for g in groups):
        return None
    return m.span() if sum(1 for g in groups if g) >= 2 else None


def _date(text: str, m: re.Match[str], names: frozenset[str]) -> Span:
    groups = m.groups()
    if len(groups) == 4:  # numeric
        first, sep, second, third = groups
        if len(first) == 4:  # year first: YYYY-MM-DD
            year, month, day = int(first), int(second), int(third)
            ok = 1900 <= year <= 2099 and 1 <= month <= 12 and 1 <= day <= 31
        else:
            a, b = int(first), int(second)
            # A two-digit year only with / or -: 1.2.10 is a section number more often than a date.
            ok = 1900 <= int(third) <= 2099 if len(third) == 4 else sep in "/-"
            ok = ok and 1 <= a <= 31 and 1 <= b <= 31 and (a <= 12 or b <= 12)
        return m.span() if ok else None
    written_day = groups[0] if groups[0].isdigit() else groups[1]
    return m.span() if 1 <= int(written_day) <= 31 and 1000 <= int(groups[2]) <= 2999 else None


def _id_number(text: str, m: re.Match[str], names: frozenset[str]) -> Span:
    if m.lastindex:  # after a keyword: the number itself, with enough digits to be a number
        token = m.group(1)
        if sum(ch.isdigit() for ch in token) < 4:
            return None
        return m.span()
    if _ID_PREFIX_RE.search(text[max(0, m.start() - 12) : m.start()]):
        return None  # PMID 12345678 is a reference, not a patient
    return m.span()


def _phone(text: str, m: re.Match[str], names: frozenset[str]) -> Span:
    value = m.group()
    digits = sum(ch.isdigit() for ch in value)
    groups = [g for g in re.split(r"[^\d]+", value) if g]
    keyword = _PHONE_WORD_RE.search(text[max(0, m.start() - 25) : m.start()]) is not None
    if keyword:
        return m.span() if 7 <= digits <= 15 else None
    if not 9 <= digits <= 15 or len(groups) < 2:
        return None
    if value.count("(") != value.count(")"):
        return None
    inner = groups[1:] if value.startswith("+") else groups
    if any(len(g) == 1 for g in inner) or any(len(g) > 5 for g in groups[1:]):
        return None  # 1 000 000, 3.5 4.5 and 7.2 8.1 are numbers, not phone numbers
    if "." in value and (" " in value or "-" in value):
        return None  # mixed dots and spaces: a list of decimals
    return m.span()


def _postal(text: str, m: re.Match[str], names: frozenset[str]) -> Span:
    return m.span() if any(ch.isdigit() for ch in m.group()) else None


def _address(text: str, m: re.Match[str], names: frozenset[str]) -> Span:
    return m.span()


def _age(text: str, m: re.Match[str], names: frozenset[str]) -> Span:
    age = int(m.group(1))
    if not 90 <= age <= 130:
        return None
    if age == 90 and _OLDER_RE.match(text[m.end() : m.end() + 20]):
        return None  # "90 or older" is the Safe Harbor group itself
    return m.span()


def _name(text: str, m: re.Match[str], names: frozenset[str]) -> Span:
    name = m.group(1).rstrip("'\u2019-")
    base = re.sub(r"['\u2019]s$", "", name)
    if base in _NOT_NAMES or base.lower() in names:
        return None
    if text[m.end() : m.end() + 4].lstrip().startswith("[@"):
        return None  # the cited author: "as Dr. Example described [@example2020]"
    return m.span()


_CHECKS: dict[str, Check] = {
    "phi-url": _url,
    "phi-email": _email,
    "phi-ip": _ip,
    "phi-date": _date,
    "phi-id-number": _id_number,
    "phi-phone": _phone,
    "phi-postal-code": _postal,
    "phi-address": _address,
    "phi-age": _age,
    "phi-name": _name,
}


def iter_rules() -> Iterator[str]:
    """The rule ids, in the order they are tried."""
    yield from PATTERNS
