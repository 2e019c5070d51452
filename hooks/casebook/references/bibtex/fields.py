"""One rule per field: how its value is normalised, and what is wrong with it.

Each rule takes one field and the entry it belongs to and returns the value
to keep (None: keep nothing) and its findings. The tables below apply them
in a fixed order (names, then identifiers and links, then checks of display
values), so an entry's findings always come out in the same order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TypeVar

from bibtexparser import model as bm

from casebook.findings import Finding
from casebook.references.bibtex.latex import decode_latex, unescape_raw
from casebook.references.bibtex.names import People, parse_names
from casebook.references.bibtex.values import is_web_url, month_name, parse_iso_date
from casebook.references.doi import DOI_FORM, normalize_doi

__all__ = ["NAME_FIELDS", "RAW_FIELDS", "EntryContext", "Field", "FieldValues", "read_fields"]

#: Fields kept exactly as written (decoding LaTeX would mangle them).
RAW_FIELDS = frozenset({"url", "doi", "pmid", "pmcid", "eprint", "file", "isbn", "issn"})
NAME_FIELDS = ("author", "editor")

_PMID_RE = re.compile(r"^\d{1,9}$")
_PMCID_RE = re.compile(r"^PMC\d+$")
_URL_MACRO_RE = re.compile(r"\\url\{([^{}]*)\}")

T = TypeVar("T")


@dataclass(frozen=True)
class EntryContext:
    """What every rule may look at: the entry's key, where it is, and its fields as written."""

    key: str
    path: str
    line: int
    values: dict[str, str]  # lower-case name -> raw value; the first one when a field is repeated
    lines: dict[str, int]  # lower-case name -> line of the field

    def field_of(self, name: str, value: str | None = None) -> Field:
        """Field `name` with its raw value (or `value`, e.g. decoded) and its line."""
        return Field(name, self.values[name] if value is None else value, self.lines.get(name, self.line))


@dataclass(frozen=True)
class Field:
    """One field handed to a rule: its name, its value and the line findings point at."""

    name: str
    value: str
    line: int


#: A field rule: (field, entry) -> (the value to keep, or None; findings).
Rule = Callable[[Field, EntryContext], tuple[T | None, list[Finding]]]


@dataclass
class FieldValues:
    """Every field of one entry after its rule: what a `Reference` is made of."""

    display: dict[str, str] = field(default_factory=dict)  # decoded, in the entry's order
    people: dict[str, People] = field(default_factory=dict)  # author, editor
    links: dict[str, str] = field(default_factory=dict)  # doi, url, pmid, pmcid: validated
    findings: list[Finding] = field(default_factory=list)

    def persons(self, name: str) -> People:
        """The people of name field `name` (none if the entry has no such field)."""
        return self.people.get(name, ((), False))

    def present(self) -> set[str]:
        """Fields that count as given for the required-field check (a name list needs a name)."""
        present = set(self.display) | {n for n in NAME_FIELDS if self.persons(n)[0]}
        if self.links.get("url"):
            present.add("url")
        return present


def read_fields(entry: bm.Entry, key: str, path: str, line: int) -> tuple[EntryContext, FieldValues]:
    """The entry's fields as written, and every field's rule applied to them."""
    context = _howpublished_url(_context(entry, key, path, line))
    result = FieldValues(display=_display(context))
    result.people = _apply(_NAME_RULES, context, result.findings)
    result.links = _apply(_LINK_RULES, context, result.findings)
    _check_display(result.display, context, result.findings)
    return context, result


def _context(entry: bm.Entry, key: str, path: str, line: int) -> EntryContext:
    """Each field's first value and its line (a repeated field is reported by the parser)."""
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    for f in entry.fields:
        name = f.key.strip().lower()
        if name in values:  # duplicate field (reported by the caller): the first one wins
            continue
        values[name] = f.value if isinstance(f.value, str) else str(f.value)
        lines[name] = (f.start_line or entry.start_line or 0) + 1
    return EntryContext(key, path, line, values, lines)


def _howpublished_url(context: EntryContext) -> EntryContext:
    """`howpublished = {\\url{...}}` is the classic BibTeX way to give a web address: read it as `url`."""
    if context.values.get("url", "").strip():
        return context
    m = _URL_MACRO_RE.search(context.values.get("howpublished", ""))
    if not m:
        return context
    values = {name: value for name, value in context.values.items() if name != "howpublished"}
    values["url"] = m.group(1)
    lines = dict(context.lines)
    lines["url"] = lines["howpublished"]
    return replace(context, values=values, lines=lines)


def _apply(rules: Mapping[str, Rule[T]], context: EntryContext, findings: list[Finding]) -> dict[str, T]:
    """Run each rule, in order, on its field if the entry has it; keep the values not None."""
    kept: dict[str, T] = {}
    for name, rule in rules.items():
        if name in context.values:
            value, found = rule(context.field_of(name), context)
            findings += found
            if value is not None:
                kept[name] = value
    return kept


# --------------------------------------------------------------------------- display fields


def _display(context: EntryContext) -> dict[str, str]:
    """Every field but raw and name ones, LaTeX decoded and normalised; empty ones are dropped."""
    display: dict[str, str] = {}
    for name, value in context.values.items():
        if name in RAW_FIELDS or name in NAME_FIELDS:
            continue
        text = decode_latex(value)
        if normalise := _NORMALISE.get(name):
            text = normalise(text)
        if text:
            display[name] = text
    return display


def _pages(text: str) -> str:
    """`12 -- 19`, `12–19`: one hyphen, which AMA style prints as written."""
    return re.sub(r"\s*[–—-]+\s*", "-", text)


def _month(text: str) -> str:
    """`jan`, `1` -> `January`; anything else is shown as written."""
    return month_name(text) or text


#: Display fields rewritten after decoding; any value is shown, so they have no findings.
_NORMALISE: dict[str, Callable[[str], str]] = {"pages": _pages, "month": _month}


def _check_display(display: dict[str, str], context: EntryContext, findings: list[Finding]) -> None:
    """Run the display checks on the decoded values; a check returning None drops the field."""
    for name, check in _DISPLAY_CHECKS.items():
        if name in display:
            text, found = check(context.field_of(name, display[name]), context)
            findings += found
            if text is None:
                del display[name]


def _urldate(f: Field, context: EntryContext) -> tuple[str | None, list[Finding]]:
    """The access date of a web page must be a real YYYY-MM-DD day, or AMA cannot print it."""
    if parse_iso_date(f.value) is not None:
        return f.value, []
    return None, [
        Finding.error(
            context.path,
            f.line,
            "bib-malformed-date",
            f"entry '{context.key}': urldate '{f.value}' must be a date written YYYY-MM-DD "
            "(the day you last opened the page)",
        )
    ]


def _year(f: Field, context: EntryContext) -> tuple[str | None, list[Finding]]:
    """A year that is not four digits (and an optional letter) is suspicious but still shown."""
    if re.fullmatch(r"\d{4}[a-z]?", f.value):
        return f.value, []
    return f.value, [
        Finding.warning(
            context.path,
            f.line,
            "bib-year",
            f"entry '{context.key}': year '{f.value}' is not a four-digit year; it is shown as written",
        )
    ]


_DISPLAY_CHECKS: dict[str, Rule[str]] = {"urldate": _urldate, "year": _year}


# --------------------------------------------------------------------------- names


def _names(f: Field, context: EntryContext) -> tuple[People | None, list[Finding]]:
    """An author or editor list; names that cannot be read are reported and read leniently."""
    persons, truncated, findings = parse_names(f.value, context.path, f.line, context.key, f.name)
    return (persons, truncated), findings


_NAME_RULES: dict[str, Rule[People]] = {name: _names for name in NAME_FIELDS}


# --------------------------------------------------------------------------- identifiers and links


def _doi(f: Field, context: EntryContext) -> tuple[str | None, list[Finding]]:
    """A DOI is kept bare (`10.NNNN/...`), whatever prefix the exporter wrote."""
    if not f.value.strip():
        return None, []
    doi = normalize_doi(unescape_raw(f.value))
    if doi is not None:
        return doi, []
    return None, [
        Finding.error(
            context.path,
            f.line,
            "bib-malformed-doi",
            f"entry '{context.key}': '{f.value.strip()}' is not a DOI; write it as {DOI_FORM}",
        )
    ]


def _url(f: Field, context: EntryContext) -> tuple[str | None, list[Finding]]:
    """Only http(s) addresses become links: anything else could be a script or a typo."""
    raw_url = f.value.strip()
    if not raw_url:
        return None, []
    url = unescape_raw(raw_url)
    if is_web_url(url):
        return url, []
    return None, [
        Finding.error(
            context.path,
            f.line,
            "bib-malformed-url",
            f"entry '{context.key}': url '{raw_url}' is not a web address; only http:// and https:// links are "
            "shown (write the full address, without spaces)",
        )
    ]


def _pmid(f: Field, context: EntryContext) -> tuple[str | None, list[Finding]]:
    """A PMID is the PubMed number alone, so it can be linked."""
    pmid = f.value.strip() or None
    if pmid is None or _PMID_RE.match(pmid):
        return pmid, []
    return None, [
        Finding.error(
            context.path,
            f.line,
            "bib-malformed-pmid",
            f"entry '{context.key}': PMID '{pmid}' must be the PubMed number only, digits (e.g. pmid = {{12345678}})",
        )
    ]


def _pmcid(f: Field, context: EntryContext) -> tuple[str | None, list[Finding]]:
    """A PMCID is `PMC` and digits (upper case), so it can be linked."""
    pmcid = f.value.strip().upper() or None
    if pmcid is None or _PMCID_RE.match(pmcid):
        return pmcid, []
    return None, [
        Finding.error(
            context.path,
            f.line,
            "bib-malformed-pmcid",
            f"entry '{context.key}': PMCID '{pmcid}' must look like PMC1234567",
        )
    ]


_LINK_RULES: dict[str, Rule[str]] = {"doi": _doi, "url": _url, "pmid": _pmid, "pmcid": _pmcid}
