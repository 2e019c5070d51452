"""What the author typed: a DOI in any pasted form, or a PubMed ID.

Every identifier is parsed before any request is sent, so a typo in the third
of three DOIs fails at once, without fetching the first two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casebook.errors import CasebookError
from casebook.references.doi import DOI_FORM, normalize_doi

__all__ = ["Identifier", "parse_identifier"]

_PMID_RE = re.compile(r"^(?:pmid:?\s*)?(\d{1,9})$", re.I)


@dataclass
class Identifier:
    """A parsed DOI or PMID; `str()` names it the way messages do."""

    kind: str  # "doi" | "pmid"
    value: str

    def __str__(self) -> str:
        return self.value if self.kind == "doi" else f"PMID {self.value}"


def parse_identifier(text: str) -> Identifier:
    """A DOI in any pasted form, or a PMID (`12345678`, `pmid:12345678`)."""
    if m := _PMID_RE.match(text.strip()):
        return Identifier("pmid", str(int(m.group(1))))
    doi = normalize_doi(text)
    if doi is None:
        raise CasebookError(f"{text.strip()!r} is not a DOI: expected {DOI_FORM}, or a PubMed ID (digits only)")
    return Identifier("doi", doi)
