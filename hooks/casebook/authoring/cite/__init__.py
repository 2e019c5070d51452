"""`casebook cite`: add references to the bibliography by DOI (or PMID), never by hand.

Metadata comes from doi.org content negotiation: CSL-JSON first (structured,
so the entry is written the same way whatever the publisher), BibTeX as a
fallback. PMIDs are looked up in NCBI E-utilities and then fetched by their
DOI when they have one. Each entry gets a stable `firstauthorYEARword` key.

The bibliography is the author's file: every identifier is fetched and checked
before anything is written, and the file is replaced atomically (temporary
file in the same folder, then rename), so a failed run leaves it byte for byte
as it was.

One concern per module:

- `identifiers`: DOIs and PMIDs as the author pastes them.
- `fetch`: the HTTP requests (doi.org, E-utilities) and their error messages.
- `convert`: CSL-JSON, BibTeX and PubMed esummary answers to a `NewEntry`.
- `reference`: the entry as Casebook writes it.
- `keys`: choosing a citation key no .bib file uses yet.
- `bibfile`: reading the .bib files and appending to one atomically.
- `add`: `add_references`, the whole run, all or nothing.

This package re-exports the names callers use (`casebook.cli.main`, the tests).
"""

from __future__ import annotations

from casebook.authoring.cite.add import add_references
from casebook.authoring.cite.bibfile import DEFAULT_BIB, Bibliography, append_entries, read_bibliography
from casebook.authoring.cite.convert import (
    clean,
    reference_from_bibtex,
    reference_from_csl,
    reference_from_esummary,
)
from casebook.authoring.cite.entry import FIELD_ORDER, NewEntry, latex_escape
from casebook.authoring.cite.fetch import (
    BIBTEX,
    CSL_JSON,
    DEFAULT_DOI_BASE,
    DEFAULT_EUTILS_BASE,
    DEFAULT_TIMEOUT,
    DOI_BASE_ENV,
    EUTILS_BASE_ENV,
    MAX_RESPONSE_BYTES,
    Sources,
    fetch_doi,
    fetch_pubmed_summary,
)
from casebook.authoring.cite.identifiers import Identifier, parse_identifier
from casebook.authoring.cite.keys import assign_key, base_key, check_requested_key

__all__ = [
    "BIBTEX",
    "CSL_JSON",
    "DEFAULT_BIB",
    "DEFAULT_DOI_BASE",
    "DEFAULT_EUTILS_BASE",
    "DEFAULT_TIMEOUT",
    "DOI_BASE_ENV",
    "EUTILS_BASE_ENV",
    "FIELD_ORDER",
    "MAX_RESPONSE_BYTES",
    "Bibliography",
    "Identifier",
    "NewEntry",
    "Sources",
    "add_references",
    "append_entries",
    "assign_key",
    "base_key",
    "check_requested_key",
    "clean",
    "fetch_doi",
    "fetch_pubmed_summary",
    "latex_escape",
    "parse_identifier",
    "read_bibliography",
    "reference_from_bibtex",
    "reference_from_csl",
    "reference_from_esummary",
]
