"""The Atom feed of the published cases (RFC 4287): what a feed reader shows must not spoil a case.

Each entry carries only what a case card shows before the answer: the spoiler-free
title, the summary, the date, the authors and the link to the case page. Never the
diagnosis, the synonyms, the figures' texts or anything of the answer. With a
`site_url` every IRI is absolute (feed readers need that); without one the links are
relative to the feed's own address and the ids are name-based UUID URNs, stable across
builds. The XML is written by ElementTree, so every text is escaped.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import date

from casebook.cases.model import Case
from casebook.render.urls import SiteUrls, relative_url

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_URI = "feed.xml"
FEED_TYPE = "application/atom+xml"
#: The newest cases, as feed readers expect a bounded feed.
FEED_LIMIT = 50


def _timestamp(day: date) -> str:
    """An RFC 3339 date-time (Atom's atom:updated): cases have a date only, so midnight UTC."""
    return f"{day.isoformat()}T00:00:00Z"


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
    element.text = text
    return element


def _person(parent: ET.Element, tag: str, name: str) -> None:
    person = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}")
    _text(person, "name", name)


def feed_cases(cases: Sequence[Case]) -> list[Case]:
    """The cases the feed lists, in its order: the newest `FEED_LIMIT`."""
    return sorted(cases, key=lambda c: (c.meta.date, c.slug), reverse=True)[:FEED_LIMIT]


def atom_feed(
    cases: Sequence[Case],
    *,
    site_name: str,
    site_url: str | None = None,
    urls: SiteUrls | None = None,
    feed_uri: str = FEED_URI,
    index_uri: str | None = None,
    site_author: str | None = None,
) -> str:
    """The feed of `cases` (the published ones: the caller leaves drafts out), newest first.

    `feed_uri` is where the feed is published (site-root relative), `index_uri` the
    src_uri of the case index, linked as the feed's alternate page.
    """
    urls = urls or SiteUrls()
    base = site_url.rstrip("/") + "/" if site_url else None

    def iri(target_url: str) -> str:
        """`target_url` (site-root relative) as the feed links it: absolute, or relative to the feed."""
        return base + target_url if base is not None else relative_url(target_url, feed_uri)

    def ident(target_url: str) -> str:
        if base is not None:
            return base + target_url
        return uuid.uuid5(uuid.NAMESPACE_URL, f"casebook:{site_name}/{target_url}").urn

    newest = feed_cases(cases)
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _text(feed, "id", ident(""))
    _text(feed, "title", site_name, type="text")
    _text(feed, "subtitle", "New cases. Each entry gives the case's title and summary, never its answer.", type="text")
    _text(feed, "updated", _timestamp(newest[0].meta.date if newest else date(1970, 1, 1)))
    _person(feed, "author", site_author or site_name)
    ET.SubElement(feed, f"{{{ATOM_NS}}}link", {"rel": "self", "type": FEED_TYPE, "href": iri(feed_uri)})
    if index_uri is not None:
        ET.SubElement(
            feed, f"{{{ATOM_NS}}}link", {"rel": "alternate", "type": "text/html", "href": iri(urls.url(index_uri))}
        )
    _text(feed, "generator", "Casebook")
    for case in newest:
        page = urls.url(urls.case_page(case.slug))
        entry = ET.SubElement(feed, f"{{{ATOM_NS}}}entry")
        _text(entry, "id", ident(page))
        _text(entry, "title", case.meta.title, type="text")
        _text(entry, "updated", _timestamp(case.meta.date))
        _text(entry, "published", _timestamp(case.meta.date))
        for name in case.meta.authors:
            _person(entry, "author", name)
        ET.SubElement(entry, f"{{{ATOM_NS}}}link", {"rel": "alternate", "type": "text/html", "href": iri(page)})
        _text(entry, "summary", case.meta.summary, type="text")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def feed_texts(xml: bytes) -> list[str]:
    """What a feed reader may show of each entry (its texts and link targets), in order, for the spoiler check."""
    texts = []
    for entry in ET.fromstring(xml).iter(f"{{{ATOM_NS}}}entry"):
        parts = [e.get("href", "") for e in entry.iter(f"{{{ATOM_NS}}}link")]
        parts += [e.text.strip() for e in entry.iter() if e.text and e.text.strip()]
        texts.append(" ".join(parts))
    return texts
