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
from casebook.references.bibtex.coverage import CASED_FIELDS, IGNORED, IGNORED_PREFIXES
from casebook.references.bibtex.latex import PROTECT_OPEN, decode_latex_checked, strip_protection, unescape_raw
from casebook.references.bibtex.names import People, parse_names
from casebook.references.bibtex.values import MONTHS, is_web_url, month_name, parse_iso_date
from casebook.references.doi import DOI_FORM, normalize_doi

__all__ = ["NAME_FIELDS", "RAW_FIELDS", "EntryContext", "Field", "FieldValues", "read_fields"]

#: Fields kept exactly as written (decoding LaTeX would mangle them).
RAW_FIELDS = frozenset({"url", "doi", "pmid", "pmcid", "eprint", "file", "isbn", "issn"})
NAME_FIELDS = ("author", "editor")

_PMID_RE = re.compile(r"^\d{1,9}$")
_PMCID_RE = re.compile(r"^PMC\d+$")
_URL_MACRO_RE = re.compile(r"\\url\{([^{}]*)\}")
_URLDATE_TIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")

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
    marked: dict[str, str] = field(default_factory=dict)  # title-like fields with braced spans marked
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


def read_fields(
    entry: bm.Entry, key: str, path: str, line: int, strings: Mapping[str, str] | None = None
) -> tuple[EntryContext, FieldValues]:
    """The entry's fields as written (`a # b` concatenations joined), and every field's rule applied to them."""
    context = _howpublished_url(_context(entry, key, path, line, strings or {}))
    result = FieldValues()
    result.display, result.marked = _display(context, result.findings)
    result.people = _apply(_NAME_RULES, context, result.findings)
    result.links = _apply(_LINK_RULES, context, result.findings)
    _eprint(context, result)
    _access_note(result.display)
    _check_display(result.display, context, result.findings)
    return context, result


_ACCESS_NOTE_RE = re.compile(r"\[?\s*Online;\s*accessed\s+(\d{1,2})[- ]([A-Za-z]+)[- ,]+(\d{4})\s*\]?\.?", re.I)


def _access_note(display: dict[str, str]) -> None:
    """`note = {[Online; accessed 24-June-2019]}` (Wikipedia's "Cite this page" BibTeX) is the access date.

    Read as `urldate`, so AMA prints it in its place (`Accessed June 24, 2019.`) instead of the raw note.
    """
    m = _ACCESS_NOTE_RE.fullmatch(display.get("note", "").strip())
    name = month_name(m.group(2)) if m else None
    if m is None or name is None or "urldate" in display:
        return
    iso = f"{m.group(3)}-{MONTHS.index(name) + 1:02d}-{int(m.group(1)):02d}"
    if parse_iso_date(iso) is not None:
        display["urldate"] = iso
        del display["note"]


def _context(entry: bm.Entry, key: str, path: str, line: int, strings: Mapping[str, str]) -> EntryContext:
    """Each field's first value and its line (a repeated field is reported by the parser)."""
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    for f in entry.fields:
        name = f.key.strip().lower()
        if name in values:  # duplicate field (reported by the caller): the first one wins
            continue
        values[name] = _concatenated(f.value if isinstance(f.value, str) else str(f.value), strings)
        lines[name] = (f.start_line or entry.start_line or 0) + 1
    return EntryContext(key, path, line, values, lines)


def _concatenated(value: str, strings: Mapping[str, str]) -> str:
    """`s39 # " pages"`: BibTeX's `#` joins quoted, braced, numeric and @string parts (bibtexparser leaves it)."""
    if "#" not in value:
        return value
    parts: list[str] = []
    depth = 0
    quoted = False
    start = 0
    for i, ch in enumerate(value):
        if ch == "{" and not quoted:
            depth += 1
        elif ch == "}" and not quoted:
            depth -= 1
        elif ch == '"' and depth == 0 and (i == 0 or value[i - 1] != "\\"):
            quoted = not quoted
        elif ch == "#" and depth == 0 and not quoted:
            parts.append(value[start:i])
            start = i + 1
    parts.append(value[start:])
    if len(parts) == 1:
        return value
    out: list[str] = []
    for part in (p.strip() for p in parts):
        if len(part) >= 2 and part[0] + part[-1] in ('""', "{}"):
            out.append(part[1:-1])
        elif part.isdigit():
            out.append(part)
        elif part.lower() in strings:
            out.append(strings[part.lower()])
        elif part.lower() in _MONTH_MACROS:
            out.append(_MONTH_MACROS[part.lower()])
        else:
            return value  # an undefined macro: shown as written, and reported by the lint
    return "".join(out)


_MONTH_MACROS = {m[:3].lower(): m for m in ("January", "February", "March", "April", "May", "June", "July")}
_MONTH_MACROS |= {m[:3].lower(): m for m in ("August", "September", "October", "November", "December")}


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


def _display(context: EntryContext, findings: list[Finding]) -> tuple[dict[str, str], dict[str, str]]:
    """Every field but raw and name ones, LaTeX decoded and normalised; empty ones are dropped.

    Also the title-like fields with their braced spans marked (only those that have braces), and a
    finding for LaTeX that could not be decoded in a field that is printed.
    """
    display: dict[str, str] = {}
    marked: dict[str, str] = {}
    for name, value in context.values.items():
        if name in RAW_FIELDS or name in NAME_FIELDS:
            continue
        cased = name in CASED_FIELDS
        text, problems = decode_latex_checked(value, protect=cased)
        if cased and PROTECT_OPEN in text:
            marked[name] = text
            text = strip_protection(text)
        if normalise := _NORMALISE.get(name):
            text = normalise(text)
        if text:
            display[name] = text
        if problems and name not in IGNORED and not name.startswith(IGNORED_PREFIXES):
            findings.append(_undecoded(context, name, problems))
    return display, marked


def _undecoded(context: EntryContext, name: str, problems: tuple[str, ...]) -> Finding:
    """LaTeX the reader would see raw: reported where it is written (it is shown without the markup)."""
    shown = ", ".join(f"'{p}'" for p in problems[:3])
    return Finding.warning(
        context.path,
        context.lines.get(name, context.line),
        "bib-latex-undecoded",
        f"entry '{context.key}', field '{name}': Casebook cannot turn {shown} into text, so readers see it "
        "without its markup; write the characters themselves (UTF-8) instead of the LaTeX command",
    )


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
            else:
                display[name] = text


def _urldate(f: Field, context: EntryContext) -> tuple[str | None, list[Finding]]:
    """The access date of a web page must be a real YYYY-MM-DD day (a time after it is allowed)."""
    if _URLDATE_TIME_RE.fullmatch(f.value) and parse_iso_date(f.value[:10]) is not None:
        return f.value[:10], []
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
    if m := _URL_MACRO_RE.fullmatch(raw_url):  # `url = {\url{https://...}}`, as some exporters write it
        raw_url = m.group(1).strip()
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


def _eprint(context: EntryContext, result: FieldValues) -> None:
    """biblatex `eprint` with `eprinttype = {pmid}` (or pmcid, doi) is that identifier; arXiv is shown as text."""
    eprint = unescape_raw(context.values.get("eprint", ""))
    if not eprint:
        return
    kind = (context.values.get("eprinttype") or context.values.get("archiveprefix") or "").strip().lower()
    rule = {"pmid": _pmid, "pubmed": _pmid, "pmcid": _pmcid, "pmc": _pmcid, "doi": _doi}.get(kind)
    name = {"pubmed": "pmid", "pmc": "pmcid"}.get(kind, kind)
    if rule is not None:
        if name not in result.links:
            value, found = rule(Field(name, eprint, context.lines.get("eprint", context.line)), context)
            result.findings += found
            if value is not None:
                result.links[name] = value
        return
    if not kind and is_web_url(eprint):
        # A link to the full text (often a PDF): the entry's web address when it has none; with a DOI or
        # a `url`, AMA gives that one locator, so this one is knowingly left out.
        result.links.setdefault("url", eprint)
        return
    label = {"arxiv": "arXiv", "jstor": "JSTOR", "hdl": "hdl", "googlebooks": "Google Books"}.get(kind, kind)
    result.display["eprint"] = f"{label}:{eprint}" if label else eprint
