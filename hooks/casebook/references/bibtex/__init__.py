"""Read `bib/*.bib` into validated references, reporting every problem with file and line.

bibtexparser 2 never raises on bad input: syntax errors, duplicate keys and
duplicate fields become `failed_blocks` that are easy to lose. This package
turns each of them (and every check of our own: required fields, DOI, URL,
dates) into a `Finding`, and decodes LaTeX for display itself so that
`url`/`doi` stay raw (LaTeX decoding cuts a URL at its first `%`) and braced
corporate authors (`{World Health Organization}`) stay whole.

One concern per module:

- `library`: `load_library`, every file into one `Library`; keys across files.
- `parse`: `parse_bib_text`, one file's blocks, and its syntax errors.
- `entry`: one entry into a `Reference`: key, type, required fields.
- `fields`: one rule per field (normalised value and findings), applied in order.
- `names`: author and editor lists (`Person`, AMA initials).
- `latex`: LaTeX decoding for display, unescaping for link fields.
- `values`: what a month, an ISO date, a web address is.
- `reference`: `Reference` itself, and what a citation key looks like.

This package re-exports the names callers use, so they import from
`casebook.references.bibtex` and the layout inside can change.
"""

from __future__ import annotations

from casebook.references.bibtex.entry import REQUIRED, TYPE_ALIASES
from casebook.references.bibtex.fields import NAME_FIELDS, RAW_FIELDS
from casebook.references.bibtex.latex import decode_latex
from casebook.references.bibtex.library import Library, load_library
from casebook.references.bibtex.names import Person, initials, parse_names
from casebook.references.bibtex.parse import parse_bib_text
from casebook.references.bibtex.reference import KEY_PATTERN, KEY_RE, Reference
from casebook.references.bibtex.values import is_web_url, month_name, parse_iso_date

__all__ = [
    "KEY_PATTERN",
    "KEY_RE",
    "NAME_FIELDS",
    "RAW_FIELDS",
    "REQUIRED",
    "TYPE_ALIASES",
    "Library",
    "Person",
    "Reference",
    "decode_latex",
    "initials",
    "is_web_url",
    "load_library",
    "month_name",
    "parse_bib_text",
    "parse_iso_date",
    "parse_names",
]
