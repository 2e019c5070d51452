"""Which fields the reference styles print, which they knowingly leave out, and the rest reported.

Every field of every entry is accounted for: printed in its place (PRINTED,
by entry type), or on the documented IGNORED list (an abstract, keywords, a
reference manager's bookkeeping, what AMA 11 itself omits), or reported once
per file at its first line as `bib-field-ignored`, so a typo (`volumne`) or a
field no style prints is never dropped silently. tests/test_ama.py checks that
each PRINTED field really appears in the formatted reference.
"""

from __future__ import annotations

from collections.abc import Iterable

from casebook.findings import Finding
from casebook.references.bibtex.reference import Reference

__all__ = ["CASED_FIELDS", "IGNORED", "IGNORED_PREFIXES", "PRINTED", "is_accounted", "unprinted_field_findings"]

#: Fields whose case the styles change (titles of works and of journals); read with braces marked.
CASED_FIELDS = frozenset({"title", "booktitle", "maintitle", "chapter", "journal", "journaltitle", "series"})

_EVERY = frozenset({"author", "editor", "title", "note", "addendum", "year", "date", "doi", "url", "urldate"})
_EVERY |= {"pmid", "pmcid", "eprint", "eprinttype", "archiveprefix", "primaryclass", "eprintclass", "crossref"}
_PLACE = frozenset({"address", "location"})  # printed by Vancouver; AMA 11 omits the place (IGNORED_AMA)
_BOOKISH = frozenset({"edition", "volume", "series", "number", "publisher", "pages", "howpublished", "maintitle"})

#: Fields each entry type prints (in AMA or Vancouver), besides _EVERY.
PRINTED: dict[str, frozenset[str]] = {
    "article": frozenset({"journal", "journaltitle", "shortjournal", "volume", "number", "issue", "pages", "eid"})
    | {"month", "day"},
    "book": _BOOKISH | _PLACE,
    "incollection": _BOOKISH | _PLACE | {"booktitle", "chapter", "organization"},
    "inproceedings": _BOOKISH | _PLACE | {"booktitle", "chapter", "organization"},
    "inbook": _BOOKISH | _PLACE | {"booktitle", "chapter"},
    "phdthesis": _PLACE | {"school", "institution", "type"},
    "mastersthesis": _PLACE | {"school", "institution", "type"},
    "thesis": _PLACE | {"school", "institution", "type"},
    "techreport": _PLACE | {"institution", "publisher", "type", "number", "pages", "series", "howpublished"},
    "online": frozenset({"organization", "publisher", "institution", "howpublished", "journal", "month", "day"})
    | {"lastchecked", "updated"},
    "misc": _PLACE
    | {"howpublished", "organization", "publisher", "institution", "journal", "booktitle", "month", "day"}
    | {"lastchecked", "updated"},
}

#: Fields no style prints, on purpose (docs/cite.md lists them).
IGNORED = frozenset(
    {"abstract", "keywords", "file", "isbn", "issn", "language", "langid", "langidopts", "annotation", "annote"}
    | {"comment", "comments", "owner", "timestamp", "posted-at", "priority", "shorttitle", "shortauthor", "key"}
    | {"sortkey", "sortname", "acmid", "articleno", "numpages", "issue_date", "interhash", "intrahash"}
    | {"description", "options", "ids", "pagetotal", "pubstate", "month", "day", "mrclass", "mrnumber"}
    | {"publisher", "address", "location", "lccn", "copyright", "urlaccessdate"}
)
#: Reference managers' bookkeeping (`citeulike-article-id`, `bdsk-url-1`, `date-added`, `mendeley-tags`).
IGNORED_PREFIXES = ("citeulike-", "bdsk-", "date-", "mendeley-", "zotero-", "jabref-")


def is_accounted(entry_type: str, name: str) -> bool:
    """Whether field `name` of an entry of `entry_type` is printed or knowingly left out."""
    if name in _EVERY or name in PRINTED.get(entry_type, frozenset()) or name in IGNORED:
        return True
    return name.startswith(IGNORED_PREFIXES)


def unprinted_field_findings(refs: Iterable[Reference], path: str) -> list[Finding]:
    """Each field no style prints and no list names, once per file, at its first line."""
    first: dict[str, tuple[int, Reference]] = {}
    counts: dict[str, int] = {}
    for ref in refs:
        for name, line in ref.field_lines:
            if is_accounted(ref.entry_type, name):
                continue
            counts[name] = counts.get(name, 0) + 1
            first.setdefault(name, (line, ref))
    findings = []
    for name, (line, ref) in first.items():
        others = counts[name] - 1
        more = f" (and {others} more entr{'y' if others == 1 else 'ies'} in this file)" if others else ""
        findings.append(
            Finding.warning(
                path,
                line,
                "bib-field-ignored",
                f"entry '{ref.key}'{more}: field '{name}' is not printed in a @{ref.entry_type} reference; "
                "check its spelling, or move what it says into a field that is (see the Cite page)",
            )
        )
    return findings
