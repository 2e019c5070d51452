"""AMA Manual of Style (11th edition) references, as safe HTML and as plain text.

Each entry type is laid out once, as a list of segments (text, a title of a
work, a link); the HTML and plain-text renderers walk the same segments, so the
golden plain-text tests pin down exactly what readers see. All text is
escaped; the only links are https://doi.org/, PubMed/PMC and the entry's own
http(s) URL.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import Literal

from casebook.references.bibtex import Person, Reference, month_name, parse_iso_date
from casebook.references.doi import doi_url

MAX_AUTHORS = 6  # more than this: the first 3, then "et al"
ET_AL_AFTER = 3

Kind = Literal["text", "title", "link"]


@dataclass(frozen=True)
class Segment:
    text: str
    kind: Kind = "text"
    href: str = ""


Segments = list[Segment]


@lru_cache(maxsize=16384)
def format_reference(ref: Reference) -> str:
    """The reference as HTML: journal and book titles in <cite>, identifiers as links.

    Cached (references are frozen): one entry is cited by many cases and rendered
    in their lists, previews, spoiler checks and the site bibliography.
    """
    return render_html(reference_segments(ref))


@lru_cache(maxsize=16384)
def format_reference_text(ref: Reference) -> str:
    """The same reference as plain text (what a reader would copy); cached like format_reference."""
    return render_text(reference_segments(ref))


def render_html(segments: Segments) -> str:
    out = []
    for seg in segments:
        text = escape(seg.text, quote=False)
        if seg.kind == "title":
            out.append(f"<cite>{text}</cite>")
        elif seg.kind == "link":
            out.append(f'<a href="{escape(seg.href, quote=True)}">{text}</a>')
        else:
            out.append(text)
    return "".join(out)


def render_text(segments: Segments) -> str:
    return "".join(seg.text for seg in segments)


@lru_cache(maxsize=16384)
def preview_text(ref: Reference) -> str:
    """A short hover preview: first author, title, where, year (cached: shown wherever it is cited)."""
    people, truncated = (ref.authors, ref.authors_truncated) if ref.authors else (ref.editors, ref.editors_truncated)
    parts = []
    if people:
        first = person_name(people[0])
        parts.append(first + (", et al" if len(people) > 1 or truncated else ""))
    if title := ref.get("title"):
        parts.append(title)
    if where := _container(ref) or ref.get("publisher"):
        parts.append(where)
    if ref.year:
        parts.append(ref.year)
    return " ".join(_end(p) for p in parts)


# --- people -----------------------------------------------------------------------------------


def person_name(person: Person) -> str:
    """`Surname Initials [Suffix]`; corporate authors exactly as written."""
    name = person.family if person.corporate or not person.given else f"{person.family} {person.initials}".strip()
    return f"{name} {person.suffix}" if person.suffix else name


def author_list(people: tuple[Person, ...], truncated: bool = False) -> str:
    """Up to 6 names; more than 6 (or a list ending in "and others"): the first 3 and "et al"."""
    names = [person_name(p) for p in people]
    if len(names) > MAX_AUTHORS or (truncated and names):
        names = names[:ET_AL_AFTER] + ["et al"]
    return ", ".join(names)


def _editors(ref: Reference) -> str:
    if not ref.editors:
        return ""
    plural = len(ref.editors) > 1 or ref.editors_truncated
    return f"{author_list(ref.editors, ref.editors_truncated)}, {'eds' if plural else 'ed'}"


# --- entry types -------------------------------------------------------------------------------


def reference_segments(ref: Reference) -> Segments:
    """The entry's AMA layout; a fresh list each call, from a per-reference cache."""
    return list(_segments(ref))


@lru_cache(maxsize=16384)
def _segments(ref: Reference) -> tuple[Segment, ...]:
    """Laid out once per reference (Segments are frozen): an entry is cited by many cases."""
    layout = {
        "article": _article,
        "book": _book,
        "incollection": _chapter,
        "inproceedings": _chapter,
        "inbook": _inbook,
        "phdthesis": _thesis,
        "mastersthesis": _thesis,
        "thesis": _thesis,
        "techreport": _report,
        "online": _web,
    }.get(ref.entry_type)
    if layout is None:
        layout = _web if ref.url else _misc
    return tuple(_join(layout(ref)))


def _article(ref: Reference) -> list[Segments]:
    groups = [_authors(ref), _plain(ref.get("title"))]
    groups.append(_title(_container(ref)))
    groups.append(_plain(_year_volume_pages(ref)))
    groups.append(_plain(ref.get("note")))
    return groups + _online(ref)


def _book(ref: Reference) -> list[Segments]:
    groups = [_authors(ref, editors_as_authors=True), _title(ref.get("title"))]
    if ref.authors and ref.editors:
        groups.append(_plain(_editors(ref)))
    groups += [_plain(_volume(ref)), _plain(_edition(ref)), _plain(_publisher_year(ref))]
    groups.append(_plain(ref.get("note")))
    return groups + _online(ref)


def _chapter(ref: Reference) -> list[Segments]:
    """Chapter, conference paper: `Title. In: Editors, eds. Book. Edition. Publisher; year:pages.`"""
    groups = [_authors(ref), _plain(ref.get("title"))]
    book = ref.first("booktitle", "maintitle")
    in_part: Segments = [Segment("In: ")]
    if eds := _editors(ref):
        in_part += [Segment(eds), Segment(". ")]
    in_part += _title(book)
    groups.append(in_part if book or eds else [])
    groups += [_plain(_volume(ref)), _plain(_edition(ref)), _plain(_publisher_year(ref, pages=True))]
    groups.append(_plain(ref.get("note")))
    return groups + _online(ref)


def _inbook(ref: Reference) -> list[Segments]:
    """BibTeX @inbook: with `booktitle` it is a chapter; else `title` is the book, `chapter` the part."""
    if ref.get("booktitle"):
        return _chapter(ref)
    chapter = ref.get("chapter")
    if chapter and not chapter.isdigit():
        groups = [_authors(ref, editors_as_authors=True), _plain(chapter)]
        groups.append([Segment("In: ")] + _title(ref.get("title")))
        groups += [_plain(_volume(ref)), _plain(_edition(ref)), _plain(_publisher_year(ref, pages=True))]
    else:
        groups = [_authors(ref, editors_as_authors=True), _title(ref.get("title"))]
        groups += [_plain(_volume(ref)), _plain(_edition(ref))]
        where = _publisher_year(ref, pages=True)
        if chapter and not ref.get("pages"):
            where += f":chap {chapter}"
        groups.append(_plain(where))
    groups.append(_plain(ref.get("note")))
    return groups + _online(ref)


def _thesis(ref: Reference) -> list[Segments]:
    kind = ref.get("type") or {"phdthesis": "Dissertation", "mastersthesis": "Master’s thesis"}.get(
        ref.entry_type, "Thesis"
    )
    groups = [_authors(ref), _title(ref.get("title")), _plain(kind)]
    groups.append(_plain(_join_nonempty("; ", ref.first("school", "institution"), ref.year)))
    groups.append(_plain(ref.get("note")))
    return groups + _online(ref)


def _report(ref: Reference) -> list[Segments]:
    groups = [_authors(ref, editors_as_authors=True), _title(ref.get("title"))]
    groups.append(_plain(_join_nonempty("; ", ref.first("institution", "publisher"), ref.year)))
    number = ref.get("number")
    groups.append(_plain(f"{ref.get('type') or 'Report'} {number}" if number else ""))
    groups.append(_plain(ref.get("note")))
    return groups + _online(ref)


def _web(ref: Reference) -> list[Segments]:
    """`Author. Title. Website. Published date. Updated date. Accessed date. URL`."""
    groups = [_authors(ref, editors_as_authors=True), _plain(ref.get("title"))]
    site = ref.first("howpublished", "organization", "publisher", "institution", "journal")
    if site and site != ref.get("title") and not _same_as_author(ref, site):
        groups.append(_plain(site))
    published = _long_date(ref)
    groups.append(_plain(f"Published {published}" if published else ""))
    if updated := _iso_long(ref.get("lastchecked") or ref.get("updated")):
        groups.append(_plain(f"Updated {updated}"))
    groups.append(_plain(ref.get("note")))
    return groups + _online(ref)


def _misc(ref: Reference) -> list[Segments]:
    groups = [_authors(ref, editors_as_authors=True), _plain(ref.get("title"))]
    groups.append(_plain(ref.get("howpublished")))
    groups.append(_plain(_join_nonempty("; ", ref.first("organization", "publisher", "institution"), ref.year)))
    groups.append(_plain(ref.get("note")))
    return groups + _online(ref)


# --- pieces ------------------------------------------------------------------------------------


def _authors(ref: Reference, editors_as_authors: bool = False) -> Segments:
    if ref.authors:
        return _plain(author_list(ref.authors, ref.authors_truncated))
    if editors_as_authors and ref.editors:
        return _plain(_editors(ref))
    return []


def _container(ref: Reference) -> str:
    """AMA cites journals by their abbreviation: prefer `shortjournal` when it is given."""
    return ref.first("shortjournal", "journal", "journaltitle")


def _year_volume_pages(ref: Reference) -> str:
    """`2011;65(1):1-14`, with whatever of it the entry has."""
    text = ref.year
    volume, number, pages = ref.get("volume"), ref.first("number", "issue"), ref.get("pages")
    if volume or number:
        text += ";" if text else ""
        text += volume + (f"({number})" if number else "")
    if pages:
        text += f":{pages}" if text else pages
    return text


def _publisher_year(ref: Reference, pages: bool = False) -> str:
    text = _join_nonempty("; ", ref.get("publisher"), ref.year)
    if pages and ref.get("pages"):
        text += f":{ref.get('pages')}" if text else ref.get("pages")
    return text


def _volume(ref: Reference) -> str:
    volume = ref.get("volume")
    return f"Vol {volume}" if volume else ""


def _edition(ref: Reference) -> str:
    """`2` -> `2nd ed`; `Second` -> `Second ed`; `3rd edition` -> `3rd ed`."""
    edition = ref.get("edition").strip()
    if not edition:
        return ""
    if edition.isdigit():
        n = int(edition)
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix} ed"
    edition = re.sub(r"\s*(?:edition|ed\.?)$", "", edition, flags=re.I)
    return f"{edition} ed"


def _online(ref: Reference) -> list[Segments]:
    """Identifiers: the DOI (preferred by AMA over a URL), PMID/PMCID, else `Accessed date. URL`."""
    groups: list[Segments] = []
    if ref.doi:
        groups.append([Segment("doi:"), Segment(ref.doi, "link", doi_url(ref.doi))])
    elif ref.url:
        if accessed := _iso_long(ref.get("urldate")):
            groups.append(_plain(f"Accessed {accessed}"))
        groups.append([Segment(ref.url, "link", ref.url)])
    if ref.pmid:
        groups.append([Segment("PMID: "), Segment(ref.pmid, "link", f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/")])
    if ref.pmcid:
        groups.append(
            [Segment("PMCID: "), Segment(ref.pmcid, "link", f"https://pmc.ncbi.nlm.nih.gov/articles/{ref.pmcid}/")]
        )
    return groups


def _long_date(ref: Reference) -> str:
    """`March 3, 2019` from date or year/month/day; as much of it as the entry has."""
    if date := ref.get("date"):
        m = re.match(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$", date)
        if m:
            year, month, day = m.group(1), m.group(2), m.group(3)
        else:
            return date
    else:
        year, month, day = ref.year, ref.get("month"), ref.get("day")
    month_text = month_name(month) if month else None
    if month_text and day and day.isdigit():
        return f"{month_text} {int(day)}, {year}".strip(", ")
    if month_text:
        return f"{month_text} {year}".strip()
    return year


def _iso_long(value: str) -> str:
    date = parse_iso_date(value) if value else None
    return _long(date) if date else ""


def _long(date: _dt.date) -> str:
    return f"{date.strftime('%B')} {date.day}, {date.year}"


def _same_as_author(ref: Reference, name: str) -> bool:
    return any(p.corporate and p.family == name for p in ref.authors)


# --- punctuation -------------------------------------------------------------------------------


def _plain(text: str) -> Segments:
    return [Segment(text)] if text else []


def _title(text: str) -> Segments:
    return [Segment(text, "title")] if text else []


def _join_nonempty(sep: str, *parts: str) -> str:
    return sep.join(p for p in parts if p)


def _end(text: str) -> str:
    """AMA ends each element with a period, unless it already ends in . ? or !"""
    return text if text.endswith((".", "?", "!")) else text + "."


def _join(groups: list[Segments]) -> Segments:
    """Join elements with `. `; no period after a final DOI or URL (AMA 3.15)."""
    out: Segments = []
    kept = [g for g in groups if g and any(s.text for s in g)]
    for i, group in enumerate(kept):
        if i:
            out.append(Segment(" "))
        out += group
        last = group[-1]
        if last.kind == "link" and i == len(kept) - 1:
            continue
        if not last.text.endswith((".", "?", "!")):
            out.append(Segment("."))
    return out
