"""Metadata over HTTP: doi.org content negotiation, and NCBI E-utilities for PubMed IDs.

CSL-JSON is asked for first (structured, so the entry reads the same whatever
the publisher), BibTeX as the fallback.  Requests go through casebook.net.http
(the same client and User-Agent as the online checks); what differs is the
reading of failures: here each one becomes a CasebookError that tells the
author what to do, and nothing is written.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import urllib.error
import urllib.parse
from dataclasses import dataclass
from typing import Any

from casebook.authoring.cite.convert import reference_from_bibtex, reference_from_csl
from casebook.authoring.cite.entry import NewEntry
from casebook.authoring.cite.identifiers import Identifier
from casebook.errors import CasebookError
from casebook.net.http import open_url
from casebook.references.doi import doi_path, normalize_doi

__all__ = [
    "BIBTEX",
    "CSL_JSON",
    "DEFAULT_DOI_BASE",
    "DEFAULT_EUTILS_BASE",
    "DEFAULT_TIMEOUT",
    "DOI_BASE_ENV",
    "EUTILS_BASE_ENV",
    "MAX_RESPONSE_BYTES",
    "Sources",
    "fetch_doi",
    "fetch_pubmed_summary",
]

DEFAULT_DOI_BASE = "https://doi.org"
DEFAULT_EUTILS_BASE = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
DOI_BASE_ENV = "CASEBOOK_DOI_BASE"
EUTILS_BASE_ENV = "CASEBOOK_EUTILS_BASE"
DEFAULT_TIMEOUT = 20.0
CSL_JSON = "application/vnd.citationstyles.csl+json"
BIBTEX = "application/x-bibtex"
MAX_RESPONSE_BYTES = 2_000_000


@dataclass(frozen=True)
class Sources:
    """Where metadata comes from; tests point these at a server on 127.0.0.1."""

    doi_base: str = DEFAULT_DOI_BASE
    eutils_base: str = DEFAULT_EUTILS_BASE
    timeout: float = DEFAULT_TIMEOUT

    @classmethod
    def from_env(
        cls, doi_base: str | None = None, eutils_base: str | None = None, timeout: float | None = None
    ) -> Sources:
        """Command-line flags win over environment variables, which win over the defaults."""
        return cls(
            doi_base=(doi_base or os.environ.get(DOI_BASE_ENV) or DEFAULT_DOI_BASE).rstrip("/"),
            eutils_base=(eutils_base or os.environ.get(EUTILS_BASE_ENV) or DEFAULT_EUTILS_BASE).rstrip("/"),
            timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
        )


def _host(url: str) -> str:
    """The server named in messages (`doi.org`), so the author knows whom to blame."""
    return urllib.parse.urlsplit(url).netloc or url


def _get(url: str, accept: str, sources: Sources, what: str) -> bytes:
    """GET `url`; HTTP errors propagate as HTTPError, everything else becomes a CasebookError."""
    host = _host(url)
    try:
        with open_url(url, accept=accept, timeout=sources.timeout) as response:
            body = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError:
        raise
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise CasebookError(
                f"{host} did not answer within {sources.timeout:g} s for {what}; try again later"
            ) from None
        raise CasebookError(f"cannot reach {host} for {what} ({reason}); check the internet connection") from None
    except TimeoutError:
        raise CasebookError(f"{host} did not answer within {sources.timeout:g} s for {what}; try again later") from None
    except (OSError, http.client.HTTPException) as exc:
        raise CasebookError(f"the connection to {host} failed for {what} ({exc!r}); try again later") from None
    if len(body) > MAX_RESPONSE_BYTES:
        raise CasebookError(f"{host} sent an unexpectedly large answer for {what}; nothing was written")
    return body


def _http_error(exc: urllib.error.HTTPError, host: str, ident: Identifier) -> CasebookError:
    """The author's message for an HTTP error status: not registered, rate-limited, server down, refused."""
    if exc.code == 404:
        if ident.kind == "doi":
            return CasebookError(
                f"DOI {ident.value} is not registered at {host} (HTTP 404); check it for typos against the article page"
            )
        return CasebookError(f"PMID {ident.value} was not found at {host} (HTTP 404)")
    if exc.code == 429:
        return CasebookError(f"{host} is limiting requests (HTTP 429) for {ident}; wait a minute and try again")
    if exc.code >= 500:
        return CasebookError(f"{host} answered with a server error (HTTP {exc.code}) for {ident}; try again later")
    return CasebookError(f"{host} refused the request for {ident} (HTTP {exc.code} {exc.reason})")


def fetch_doi(doi: str, sources: Sources) -> NewEntry:
    """Metadata for `doi`: CSL-JSON if the registration agency offers it, else its BibTeX."""
    ident = Identifier("doi", doi)
    url = f"{sources.doi_base}/{doi_path(doi)}"
    host = _host(url)
    try:
        body = _get(url, CSL_JSON, sources, f"DOI {doi}")
        reference = reference_from_csl(json.loads(body.decode("utf-8")))
    except urllib.error.HTTPError as exc:
        if exc.code in (404, 429) or exc.code >= 500:
            raise _http_error(exc, host, ident) from None
        reference = None  # e.g. 406: this agency has no CSL-JSON; ask for BibTeX
    except (ValueError, UnicodeDecodeError, TypeError, AttributeError):
        reference = None  # not CSL-JSON after all (e.g. a landing page)
    if reference is None:
        try:
            body = _get(url, BIBTEX, sources, f"DOI {doi}")
            reference = reference_from_bibtex(body.decode("utf-8", errors="replace"))
        except urllib.error.HTTPError as exc:
            if exc.code not in (406, 415):  # 406/415: no BibTeX either, said below
                raise _http_error(exc, host, ident) from None
    if reference is None:
        raise CasebookError(
            f"{host} has no citation metadata for DOI {doi} (neither CSL-JSON nor BibTeX); "
            "add this reference to the .bib file by hand"
        )
    reference.fields["doi"] = doi  # the DOI asked for, whatever form the agency echoes
    return reference


def fetch_pubmed_summary(pmid: str, sources: Sources) -> tuple[dict[str, Any], str | None]:
    """PubMed's esummary record of `pmid` and the DOI it lists, if any."""
    ident = Identifier("pmid", pmid)
    query = urllib.parse.urlencode({"db": "pubmed", "id": pmid, "retmode": "json"})
    url = f"{sources.eutils_base}/esummary.fcgi?{query}"
    not_found = CasebookError(f"PMID {pmid} was not found in PubMed ({_host(url)}); check the number")
    try:
        body = _get(url, "application/json", sources, f"PMID {pmid}")
    except urllib.error.HTTPError as exc:
        raise _http_error(exc, _host(url), ident) from None
    try:
        record = json.loads(body.decode("utf-8"))["result"][pmid]
    except (ValueError, UnicodeDecodeError, KeyError, TypeError):
        raise not_found from None
    if not isinstance(record, dict) or record.get("error") or not record.get("title"):
        raise not_found
    doi = next(
        (
            normalize_doi(str(a.get("value", "")))
            for a in record.get("articleids", [])
            if isinstance(a, dict) and a.get("idtype") == "doi"
        ),
        None,
    )
    return record, doi
