"""Structured data (schema.org JSON-LD) for a case page, without the diagnosis.

Search engines show JSON-LD in result snippets, and anyone can read it in the
page source, so it is held to the same rule as the visible page before the
reveal: every string is checked against the case's spoiler terms and dropped
if it names the answer. Cited works are listed by identifier (DOI, PubMed,
URL) and year only — their titles usually name the diagnosis.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from casebook.cases.model import Case
from casebook.cases.spoilers import leaked_term
from casebook.references.bibtex import Reference
from casebook.references.doi import doi_url


def reference_jsonld(ref: Reference) -> dict[str, Any] | None:
    """A cited work by identifier only; None when it has no DOI, PMID or URL to point at."""
    item: dict[str, Any] = {"@type": "ScholarlyArticle" if ref.entry_type == "article" else "CreativeWork"}
    same_as = []
    if ref.doi:
        item["@id"] = doi_url(ref.doi)
        item["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": ref.doi}
    if ref.pmid:
        same_as.append(f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/")
    if ref.url:
        item["url"] = ref.url
    if same_as:
        item["sameAs"] = same_as
    if len(item) == 1:
        return None
    if ref.year:
        item["datePublished"] = ref.year
    return item


def case_jsonld(
    case: Case,
    *,
    url: str | None = None,
    image: str | None = None,
    language: str = "en",
    site_name: str | None = None,
    references: Iterable[Reference] = (),
) -> dict[str, Any]:
    """The page's `MedicalWebPage` + `ScholarlyArticle` description, scrubbed of spoilers."""
    meta = case.meta
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": ["MedicalWebPage", "ScholarlyArticle"],
        "headline": meta.title,
        "name": meta.title,
        "description": meta.summary,
        "datePublished": meta.date.isoformat(),
        "inLanguage": language,
        "author": [{"@type": "Person", "name": name} for name in meta.authors],
        "specialty": meta.specialty,
        "audience": {"@type": "MedicalAudience", "audienceType": "Clinician"},
        "educationalUse": "Case-based learning",
        "learningResourceType": "Case study",
        "isAccessibleForFree": True,
    }
    if url:
        data["url"] = url
        data["@id"] = url
    if image:
        data["image"] = image
    if site_name:
        data["isPartOf"] = {"@type": "WebSite", "name": site_name}
    citations = [item for ref in references if (item := reference_jsonld(ref)) is not None]
    if citations:
        data["citation"] = citations
    scrubbed: dict[str, Any] = scrub(data, meta.spoiler_terms)
    return scrubbed


def scrub(value: Any, terms: tuple[str, ...]) -> Any:
    """Drop every string (and the key or item holding it) that names a spoiler term."""
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            cleaned = scrub(item, terms)
            if cleaned is not _DROP:
                out[key] = cleaned
        return out if out else _DROP
    if isinstance(value, list):
        items = [c for c in (scrub(v, terms) for v in value) if c is not _DROP]
        return items if items else _DROP
    if isinstance(value, str) and leaked_term(value, terms):
        return _DROP
    return value


_DROP: Any = object()


def script_json(data: Mapping[str, Any]) -> str:
    """JSON safe inside `<script type="application/ld+json">`: no `</script>`, `<!--` or `&` can form."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
