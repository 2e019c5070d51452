"""Metadata in the three shapes the sources send (CSL-JSON, BibTeX, PubMed esummary) to one `NewEntry`.

Sources disagree on markup (JATS tags, HTML entities), name order and page
dashes; normalising here means an entry reads the same whichever source it
came from.  Pure functions, no network: they are tested on recorded answers.
"""

from __future__ import annotations

import html
import re
from typing import Any

from casebook.authoring.cite.entry import FIELD_ORDER, NewEntry
from casebook.references.bibtex import parse_bib_text
from casebook.references.doi import normalize_doi

__all__ = ["clean", "reference_from_bibtex", "reference_from_csl", "reference_from_esummary"]

_CSL_TYPES = {
    "article-journal": "article",
    "article": "article",
    "review": "article",
    "journal-article": "article",
    "book": "book",
    "monograph": "book",
    "chapter": "incollection",
    "book-chapter": "incollection",
    "paper-conference": "inproceedings",
    "proceedings-article": "inproceedings",
    "report": "techreport",
    "thesis": "phdthesis",
    "dissertation": "phdthesis",
}
_CONTAINER_FIELD = {"article": "journal", "incollection": "booktitle", "inproceedings": "booktitle"}


def clean(value: Any) -> str:
    """Plain one-line text: no JATS/HTML markup, entities decoded, no braces or backslashes."""
    if isinstance(value, list):
        value = value[0] if value else ""
    text = html.unescape(re.sub(r"<[^>]+>", "", str(value)))
    text = text.replace("{", "").replace("}", "").replace("\\", "")
    return " ".join(text.split())


def _pages(value: Any) -> str:
    """Page ranges with BibTeX's `--`, whatever dash or minus sign the source used."""
    return re.sub(r"\s*[-\u2010-\u2015\u2212]+\s*", "--", clean(value))


def _name(family: str, given: str = "", suffix: str = "", corporate: bool = False) -> str | None:
    """One BibTeX name, `Family, Suffix, Given`; organisations in braces so they stay whole."""
    family, given, suffix = clean(family), clean(given), clean(suffix)
    if not family:
        return None
    if corporate or " and " in f" {family} ":
        return "{" + family + "}"
    return ", ".join([family] + ([suffix] if suffix else []) + ([given] if given else []))


def _csl_name(person: Any) -> str | None:
    """One CSL-JSON person (or `literal` organisation) as a BibTeX name."""
    if not isinstance(person, dict):
        return None
    if person.get("literal") or person.get("name"):
        return _name(str(person.get("literal") or person.get("name")), corporate=True)
    return _name(
        " ".join(str(person.get(p, "")) for p in ("non-dropping-particle", "family")),
        " ".join(str(person.get(p, "")) for p in ("given", "dropping-particle")),
        str(person.get("suffix", "")),
    )


def _csl_year(data: dict[str, Any]) -> str:
    """The first year among the CSL dates, preferring the issue date; agencies fill different ones."""
    for name in ("issued", "published-print", "published-online", "created"):
        try:
            year = data[name]["date-parts"][0][0]
        except (KeyError, IndexError, TypeError):
            continue
        if year:
            return str(int(year))
    return ""


def reference_from_csl(data: Any) -> NewEntry | None:
    """A NewEntry from one CSL-JSON item (as doi.org returns it), or None if it is not one."""
    if isinstance(data, list):
        data = data[0] if data else None
    if not isinstance(data, dict) or not data.get("title"):
        return None
    entry_type = _CSL_TYPES.get(str(data.get("type", "")), "misc")
    fields: dict[str, str] = {}
    for role in ("author", "editor"):
        names = [n for n in (_csl_name(p) for p in data.get(role) or []) if n]
        if names:
            fields[role] = " and ".join(names)
    fields["title"] = clean(data["title"]).rstrip(".")
    container = clean(data.get("container-title", ""))
    if container:
        fields[_CONTAINER_FIELD.get(entry_type, "journal" if entry_type == "misc" else "booktitle")] = container
    publisher = clean(data.get("publisher", ""))
    if publisher and entry_type not in ("article",):
        fields[
            "school" if entry_type == "phdthesis" else "institution" if entry_type == "techreport" else "publisher"
        ] = publisher
    fields["year"] = _csl_year(data)
    fields["volume"] = clean(data.get("volume", ""))
    fields["number"] = clean(data.get("issue", ""))
    fields["pages"] = _pages(data.get("page", ""))
    fields["doi"] = normalize_doi(clean(data.get("DOI", ""))) or ""
    return NewEntry(entry_type, {k: v for k, v in fields.items() if v})


def reference_from_bibtex(text: str) -> NewEntry | None:
    """A NewEntry from the first entry of a BibTeX answer, read by the site's own BibTeX reader."""
    if "@" not in text:
        return None
    entries, _, _ = parse_bib_text(text, "BibTeX from the DOI resolver")
    if not entries or not entries[0].get("title"):
        return None
    entry = entries[0]
    fields = {name: clean(entry.get(name)) for name in FIELD_ORDER if entry.get(name)}
    for role, people in (("author", entry.authors), ("editor", entry.editors)):
        names = [n for n in (_name(p.family, p.given, p.suffix, p.corporate) for p in people) if n]
        fields[role] = " and ".join(names)
    fields["title"] = fields["title"].rstrip(".")
    fields["pages"] = _pages(fields.get("pages", ""))
    fields["doi"] = entry.doi or ""
    fields["pmid"] = entry.pmid or ""
    return NewEntry(entry.entry_type, {k: v for k, v in fields.items() if v})


def reference_from_esummary(record: dict[str, Any]) -> NewEntry:
    """A NewEntry from a PubMed esummary record (used when PubMed has no DOI for it)."""
    names = []
    for author in record.get("authors") or []:
        name = clean(author.get("name", "")) if isinstance(author, dict) else ""
        if not name:
            continue
        family, _, initials = name.rpartition(" ")
        names.append(
            (_name(family, initials) if family and initials.isupper() else _name(name, corporate=True)) or name
        )
    fields = {
        "author": " and ".join(names),
        "title": clean(record.get("title", "")).rstrip("."),
        "journal": clean(record.get("fulljournalname") or record.get("source") or ""),
        "year": (re.match(r"\d{4}", clean(record.get("pubdate", ""))) or [""])[0],
        "volume": clean(record.get("volume", "")),
        "number": clean(record.get("issue", "")),
        "pages": _pages(record.get("pages", "")),
    }
    return NewEntry("article", {k: v for k, v in fields.items() if v})
