"""The case index: cards with spoiler-free fields only, newest first, and their filters.

Every string on a card comes from a field the spoiler lint checks (title,
summary, the alt text of a figure shown before the answer) or from a field
that describes the patient, not the disease (specialty, age, body sites,
date). The list is complete HTML: without JavaScript every card is shown and
the filter form stays hidden; `casebook-reader.js` shows the form, hides the
cards that do not match (by their `data-*` facets) and marks cases the reader
has already revealed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from pathlib import PurePosixPath

from casebook.cases.age_groups import AGE_GROUP_LABELS, age_group
from casebook.cases.model import Case, Figure
from casebook.images.publish import Rendition, Variant
from casebook.project.settings import Labels
from casebook.render.picture import card_picture
from casebook.render.urls import SiteUrls

_KEY_RE = re.compile(r"[^a-z0-9]+")


def facet_key(text: str) -> str:
    """A filter value safe for a `data-*` attribute: "Pediatric dermatology" -> "pediatric-dermatology"."""
    return _KEY_RE.sub("-", text.lower()).strip("-") or "other"


def newest_first(cases: list[Case]) -> list[Case]:
    return sorted(cases, key=lambda c: (c.meta.date, c.slug), reverse=True)


def thumbnail(case: Case) -> Figure | None:
    """The first figure shown before the answer (its alt text is spoiler-checked)."""
    return next((f for f in case.meta.figures if not f.in_answer), None)


@dataclass(frozen=True)
class Facet:
    """One filter: its name, label, and the (key, label) choices present in the cases."""

    name: str
    label: str
    all_label: str
    choices: tuple[tuple[str, str], ...]


def facets(cases: list[Case]) -> tuple[Facet, ...]:
    specialties: dict[str, str] = {}
    sites: dict[str, str] = {}
    groups: set[str] = set()
    for case in cases:
        specialties.setdefault(facet_key(case.meta.specialty), case.meta.specialty)
        for site in case.meta.body_sites:
            sites.setdefault(facet_key(site), site)
        if group := age_group(case.meta.patient):
            groups.add(group)
    return (
        Facet(
            "specialty",
            "Specialty",
            "All specialties",
            tuple(sorted(specialties.items(), key=lambda kv: kv[1].lower())),
        ),
        Facet(
            "age-group",
            "Age group",
            "All age groups",
            tuple((facet_key(g), AGE_GROUP_LABELS[g]) for g in AGE_GROUP_LABELS if g in groups),
        ),
        Facet("body-site", "Body site", "All body sites", tuple(sorted(sites.items(), key=lambda kv: kv[1].lower()))),
    )


def filters_html(cases: list[Case], labels: Labels) -> str:
    """The filter form; `hidden` until the script runs, because without it the controls would do nothing."""
    groups = []
    for facet in facets(cases):
        if not facet.choices:
            continue
        options = f'<option value="">{escape(facet.all_label)}</option>' + "".join(
            f'<option value="{escape(key)}">{escape(label)}</option>' for key, label in facet.choices
        )
        groups.append(
            f'<div class="casebook-filter"><label for="casebook-filter-{facet.name}">{facet.label}</label>'
            f'<select id="casebook-filter-{facet.name}" name="{facet.name}">{options}</select></div>'
        )
    return (
        '<form class="casebook-filters" data-casebook-filters hidden aria-label="Filter the cases">'
        + "".join(groups)
        + '<div class="casebook-filter casebook-filter-reset"><button type="reset" class="md-button">'
        f"{escape(labels.show_all_cases)}</button></div></form>\n"
        '<p class="casebook-filter-status" data-casebook-filter-status role="status" aria-live="polite"></p>'
    )


def card_html(
    case: Case,
    page_uri: str,
    urls: SiteUrls,
    labels: Labels,
    heading: str = "h2",
    images: Mapping[tuple[str, str], Rendition] | None = None,
) -> str:
    meta = case.meta
    href = urls.to_case(page_uri, case.slug)
    group = age_group(meta.patient)
    attrs = {
        "class": "casebook-case-card",
        "data-casebook-case": case.slug,
        "data-specialty": facet_key(meta.specialty),
        "data-age-group": facet_key(group) if group else "",
        "data-body-site": " ".join(facet_key(s) for s in meta.body_sites),
    }
    thumb = ""
    if (fig := thumbnail(case)) is not None:
        src = urls.to_case(page_uri, case.slug, fig.file)
        # Decorative here: the card's title names the case, and the alt text is read on the case page.
        thumb = f'<img class="casebook-card-thumb casebook-no-zoom" src="{escape(src)}" alt="" loading="lazy">'
        if (rendition := (images or {}).get((case.slug, fig.file))) is not None:
            folder = PurePosixPath(rendition.source_uri[: -len(fig.file)] or ".")

            def url(variant: Variant) -> str:
                return urls.to_case(page_uri, case.slug, PurePosixPath(variant.uri).relative_to(folder).as_posix())

            thumb = card_picture(rendition, url, "casebook-card-thumb casebook-no-zoom")
    patient = meta.patient.age + (f" ({AGE_GROUP_LABELS[group].lower()})" if group else "")
    facts = [("Specialty", escape(meta.specialty)), ("Patient", escape(patient))]
    if meta.body_sites:
        facts.append(("Body site", escape(", ".join(meta.body_sites))))
    facts.append(("Published", f'<time datetime="{meta.date.isoformat()}">{meta.date.strftime("%-d %B %Y")}</time>'))
    # The spaces keep labels and values apart in the search index's text ("Patient 12 months").
    facts_dl = " ".join(f"<div><dt>{k}</dt> <dd>{v}</dd></div>" for k, v in facts)
    attr_text = " ".join(f'{k}="{escape(v)}"' for k, v in attrs.items())
    return (
        f"<li {attr_text}>{thumb}"
        f'<div class="casebook-card-body">'
        f'<{heading} class="casebook-card-title"><a href="{escape(href)}">{escape(meta.title)}</a></{heading}>'
        f'<p class="casebook-card-teaser">{escape(meta.summary)}</p>'
        f'<dl class="casebook-card-facts">{facts_dl}</dl>'
        # Kept out of the search index: it is this browser's state, not the page's content.
        f'<p class="casebook-card-seen" data-casebook-seen data-search-exclude hidden>'
        f'<span class="casebook-badge">{escape(labels.answer_seen)}</span></p>'
        f"</div></li>"
    )


def render_case_list(
    cases: list[Case],
    index_src_uri: str,
    *,
    urls: SiteUrls | None = None,
    labels: Labels | None = None,
    filters: bool = True,
    limit: int | None = None,
    heading: str = "h2",
    images: Mapping[tuple[str, str], Rendition] | None = None,
) -> str:
    """The index's HTML (filters, progress line, cards), links relative to the page's own URL."""
    urls = urls or SiteUrls()
    labels = labels or Labels()
    if not cases:
        return f'<p class="casebook-empty">{escape(labels.no_cases)}</p>'
    shown = newest_first(cases)[:limit]
    cards = "".join(card_html(case, index_src_uri, urls, labels, heading, images) for case in shown)
    parts = []
    if filters:
        parts.append(filters_html(cases, labels))
    slugs = " ".join(case.slug for case in newest_first(cases))
    parts.append(f'<p class="casebook-progress" data-casebook-progress data-cases="{escape(slugs)}" hidden></p>')
    parts.append(f'<ul class="casebook-case-list" data-casebook-case-list>{cards}</ul>')
    return "\n".join(parts)
