"""DOI syntax: the one place that says what a DOI looks like.

Authors paste DOIs in every form a journal page shows (`doi:10.…`,
`https://doi.org/10.…`, `http://dx.doi.org/10.…`). The authoring commands and
the citation engine both accept the same forms and compare DOIs the same way,
so they import these functions instead of keeping their own regexes.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

# Prefix `10.` + registrant code of 4-9 digits (dotted sub-codes allowed), `/`, suffix without spaces.
DOI_RE = re.compile(r"^10\.\d{4,9}(?:\.\d+)*/\S+$")
DOI_FORM = "10.NNNN/suffix (optionally written as doi:10.NNNN/suffix or https://doi.org/10.NNNN/suffix)"

_URL_PREFIX_RE = re.compile(r"^(?:https?://)?(?:dx\.|www\.)?doi\.org/", re.I)
_LABEL_RE = re.compile(r"^doi:\s*", re.I)
# Characters a DOI may keep in a URL path; everything else (#, ?, %, spaces...) is percent-encoded.
_PATH_SAFE = "/:;()[]._-~+,=@!$'*"


def normalize_doi(text: str) -> str | None:
    """Return the bare DOI (`10.xxxx/yyy`) in `text`, or None if it is not a DOI.

    Strips the `doi:` and doi.org URL forms and surrounding whitespace, undoes
    percent-encoding of URL forms, and drops a trailing full stop that comes
    from pasting the end of a sentence or a reference list.
    """
    value = text.strip()
    value = unquote(value[url.end() :]) if (url := _URL_PREFIX_RE.match(value)) else _LABEL_RE.sub("", value, count=1)
    value = value.strip().rstrip(".")
    return value if DOI_RE.match(value) else None


def is_valid_doi(text: str) -> bool:
    """True if `text` is a DOI in any of the accepted written forms."""
    return normalize_doi(text) is not None


def doi_key(doi: str) -> str:
    """The comparison form of a DOI: DOIs are case-insensitive (DOI Handbook 2.4)."""
    bare = normalize_doi(doi)
    return (bare if bare is not None else doi.strip()).lower()


def doi_path(doi: str) -> str:
    """The DOI as a URL path under a resolver, percent-encoded where a URL needs it."""
    return quote(normalize_doi(doi) or doi.strip(), safe=_PATH_SAFE)


def doi_url(doi: str) -> str:
    """The resolver link for a DOI (the only DOI link Casebook emits)."""
    return "https://doi.org/" + doi_path(doi)
