"""Generated pages that reveal answers by design: browse by diagnosis, and the etiology index.

They are built from the cases' front matter (diagnosis, synonyms) and their
etiology tables, say at the top that they reveal the answers, and are kept
out of the site search (`search: exclude: true`) so a search never shows a
diagnosis. Everything from a case is HTML-escaped; links point at the case
pages relative to the generated page's own URL.
"""

from __future__ import annotations

import posixpath
import re
from html import escape

from casebook.cases.model import Case
from casebook.cases.spoilers import normalise
from casebook.render.inline import inline_html
from casebook.render.related import etiology_tables
from casebook.render.urls import SiteUrls
from casebook.text.rawhtml import passthrough

DIAGNOSES_PAGE = "browse/diagnoses.md"
ETIOLOGY_PAGE = "browse/etiology.md"
_CITATION_RE = re.compile(r"\s*\[@[^\]]*\]")


def _front_matter(title: str, description: str) -> str:
    """Out of the search; `casebook_reveals` keeps the footer's Next/Previous links of other pages off it."""
    return (
        f"---\ntitle: {title}\ndescription: {description}\nsearch:\n  exclude: true\ncasebook_reveals: true\n---\n\n"
        f"# {title}\n\n"
    )


def _behind_a_click(listing: str, what: str) -> str:
    """The list inside a closed <details>: a reader who arrived by accident sees no diagnosis (works without JS)."""
    return passthrough(f"<details><summary>Show {what} (this reveals the answers)</summary>{listing}</details>") + "\n"


def _warning(page_uri: str, cases_index: str | None) -> str:
    """The warning on top; it links the case index (a Markdown link, so MkDocs checks it) when there is one."""
    start = "start from the case index instead"
    if cases_index is not None:
        start = (
            f"start from the [case index]({posixpath.relpath(cases_index, posixpath.dirname(page_uri) or '.')}) instead"
        )
    return (
        '!!! warning "This page reveals the answers"\n'
        f"    Every case here is listed with its diagnosis. To work the cases out first, {start}.\n\n"
    )


def _plain(cell: str) -> str:
    """A table cell without its citations (the index is not the place for references), as inline HTML.

    Its emphasis renders as on the case page; raw HTML stays escaped text.
    """
    return inline_html(_CITATION_RE.sub("", cell).strip())


def _link(case: Case, page_uri: str, urls: SiteUrls) -> str:
    return f'<a href="{escape(urls.to_case(page_uri, case.slug))}">{escape(case.meta.title)}</a>'


def diagnoses_page(
    cases: list[Case],
    page_uri: str = DIAGNOSES_PAGE,
    urls: SiteUrls | None = None,
    cases_index: str | None = "cases/index.md",
) -> str:
    """Every diagnosis A-Z (synonyms alongside), with the cases that have it."""
    urls = urls or SiteUrls()
    groups: dict[str, tuple[str, set[str], list[Case]]] = {}
    for case in sorted(cases, key=lambda c: (c.meta.title.lower(), c.slug)):
        key = normalise(case.meta.diagnosis)
        name, synonyms, members = groups.setdefault(key, (case.meta.diagnosis, set(), []))
        synonyms.update(case.meta.synonyms)
        members.append(case)
    text = _front_matter("Browse by diagnosis", "Every case listed under its diagnosis. This page reveals the answers.")
    text += _warning(page_uri, cases_index)
    if not groups:
        return text + '<p class="casebook-empty">No cases yet.</p>\n'
    items = []
    for _, (name, synonyms, members) in sorted(groups.items(), key=lambda kv: kv[1][0].lower()):
        also = (
            f' <span class="casebook-synonyms">(also called {escape("; ".join(sorted(synonyms)))})</span>'
            if synonyms
            else ""
        )
        links = "".join(f"<li>{_link(c, page_uri, urls)}</li>" for c in members)
        items.append(f"<div><dt>{escape(name)}{also}</dt><dd><ul>{links}</ul></dd></div>")
    listing = f'<dl class="casebook-browse casebook-browse-diagnoses">{"".join(items)}</dl>'
    return text + _behind_a_click(listing, "the diagnoses and their cases")


def etiology_page(
    cases: list[Case],
    page_uri: str = ETIOLOGY_PAGE,
    urls: SiteUrls | None = None,
    cases_index: str | None = "cases/index.md",
) -> str:
    """Every cause named in the cases' etiology tables (their first column), with the cases."""
    urls = urls or SiteUrls()
    groups: dict[str, tuple[str, list[tuple[Case, str, str]]]] = {}
    for case in sorted(cases, key=lambda c: (c.meta.title.lower(), c.slug)):
        for table in etiology_tables(case):
            for row in table.rows:
                if not row or not row[0].strip():
                    continue
                detail = " — ".join(_plain(cell) for cell in row[1:] if cell.strip())
                entry = groups.setdefault(normalise(row[0]), (_plain(row[0]), []))
                entry[1].append((case, _plain(table.caption), detail))
    text = _front_matter(
        "Etiology index", "The causes discussed in the cases' etiology tables. This page reveals the answers."
    )
    text += _warning(page_uri, cases_index)
    if not groups:
        return text + '<p class="casebook-empty">No case has an etiology table yet.</p>\n'
    items = []
    for _, (cause, entries) in sorted(groups.items(), key=lambda kv: kv[1][0].lower()):
        lis = "".join(
            f"<li>{_link(case, page_uri, urls)} (diagnosis: {escape(case.meta.diagnosis)})"
            f'<br><span class="casebook-browse-detail"><em>{caption}</em>'
            f"{': ' + detail if detail else ''}</span></li>"
            for case, caption, detail in entries
        )
        items.append(f"<div><dt>{cause}</dt><dd><ul>{lis}</ul></dd></div>")
    listing = f'<dl class="casebook-browse casebook-browse-etiology">{"".join(items)}</dl>'
    return text + _behind_a_click(listing, "the causes and their cases")
