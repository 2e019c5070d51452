"""References in AMA 11th edition style (the default) or NLM/Vancouver, as safe HTML and as plain text.

Each entry type is laid out once, as a list of segments (text, a title of a
work, a link); the HTML and plain-text renderers walk the same segments, so the
golden plain-text tests pin down exactly what readers see. The two styles share
these layouts: a `Style` (casebook.references.styles) only says how a piece is
written (authors, title case, dates, page ranges, place). All text is escaped;
the only links are https://doi.org/, PubMed/PMC and the entry's own http(s) URL.

Everything is cached per (reference, style): a reference is formatted once per
build however many pages cite it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import Literal

from casebook.references.bibtex import Person, Reference, parse_iso_date
from casebook.references.casing import sentence_case, title_case
from casebook.references.dates import PartialDate, ama_date, from_fields, parse_date
from casebook.references.doi import doi_url
from casebook.references.journals import strip_periods
from casebook.references.pages import full_pages
from casebook.references.styles import AMA, Style, style_named

Kind = Literal["text", "title", "link"]


@dataclass(frozen=True)
class Segment:
    text: str
    kind: Kind = "text"
    href: str = ""


Segments = list[Segment]


@lru_cache(maxsize=16384)
def format_reference(ref: Reference, style: str = "ama") -> str:
    """The reference as HTML: journal and book titles in <cite> (AMA), identifiers as links.

    Cached (references are frozen): one entry is cited by many cases and rendered
    in their lists, previews, spoiler checks and the site bibliography.
    """
    return render_html(reference_segments(ref, style))


@lru_cache(maxsize=16384)
def format_reference_text(ref: Reference, style: str = "ama") -> str:
    """The same reference as plain text (what a reader would copy); cached like format_reference."""
    return render_text(reference_segments(ref, style))


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
def preview_text(ref: Reference, style: str = "ama") -> str:
    """A short hover preview: first author, title, where, year (cached: shown wherever it is cited)."""
    chosen = style_named(style)
    people, truncated = (ref.authors, ref.authors_truncated) if ref.authors else (ref.editors, ref.editors_truncated)
    parts = []
    if people:
        first = person_name(people[0])
        parts.append(first + (", et al" if len(people) > 1 or truncated else ""))
    if title := _title_text(ref, chosen):
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


def author_list(people: tuple[Person, ...], truncated: bool = False, style: Style = AMA) -> str:
    """Up to 6 names; more (or a list ending in "and others"): AMA the first 3, NLM the first 6, then et al."""
    names = [person_name(p) for p in people]
    if len(names) > style.max_authors or (truncated and names):
        names = names[: style.et_al_after] + [style.et_al]
    return ", ".join(names)


def _editors(ref: Reference, style: Style) -> str:
    if not ref.editors:
        return ""
    plural = len(ref.editors) > 1 or ref.editors_truncated
    return f"{author_list(ref.editors, ref.editors_truncated, style)}, {style.editors if plural else style.editor}"


# --- entry types -------------------------------------------------------------------------------


def reference_segments(ref: Reference, style: str = "ama") -> Segments:
    """The entry's layout in `style`; a fresh list each call, from a per-reference cache."""
    return list(_segments(ref, style))


@lru_cache(maxsize=16384)
def _segments(ref: Reference, style: str) -> tuple[Segment, ...]:
    """Laid out once per reference and style (Segments are frozen): an entry is cited by many cases."""
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
    return tuple(_join(layout(ref, style_named(style))))


def _article(ref: Reference, style: Style) -> list[Segments]:
    groups = [_authors(ref, style), _plain(_sentence(ref, "title"))]
    groups.append(_work(_container(ref), style))
    online_first = _online_first(ref) if style is AMA else ""
    groups.append(_plain(online_first or _year_volume_pages(ref, style)))
    return groups + _notes(ref) + _online(ref, style)


def _book(ref: Reference, style: Style) -> list[Segments]:
    groups = [_authors(ref, style, editors_as_authors=True), _work(_title_text(ref, style), style)]
    groups.append(_work(_work_title(ref, style, "maintitle"), style))
    if ref.authors and ref.editors:
        groups.append(_plain(_editors(ref, style)))
    groups += [_plain(_volume(ref, style)), _plain(_edition(ref))]
    if style is AMA:
        groups.append(_plain(_series(ref)))
    groups.append(_plain(_number(ref)))
    groups += [_plain(_howpublished(ref)), _plain(_publisher_year(ref, style, pages=True))]
    if style is not AMA:
        groups.append(_plain(f"({_series(ref)})" if _series(ref) else ""))
    return groups + _notes(ref) + _online(ref, style)


def _chapter(ref: Reference, style: Style) -> list[Segments]:
    """Chapter, conference paper: `Title. In: Editors, eds. Book. Edition. Publisher; year:pages.`"""
    groups = [_authors(ref, style), _plain(_sentence(ref, "title"))]
    book = _work_title(ref, style, "booktitle") or _work_title(ref, style, "maintitle")
    in_part: Segments = [Segment("In: ")]
    if eds := _editors(ref, style):
        in_part += [Segment(eds), Segment(". ")]
    in_part += _work(book, style)
    groups.append(in_part if book or eds else [])
    if ref.get("booktitle"):
        groups.append(_work(_work_title(ref, style, "maintitle"), style))
    groups += [_plain(_volume(ref, style)), _plain(_edition(ref)), _plain(_series(ref)), _plain(_number(ref))]
    groups.append(_plain(_howpublished(ref)))
    if ref.get("publisher") and ref.get("organization"):
        groups.append(_plain(ref.get("organization")))
    where = _publisher_year(ref, style, pages=True, chapter=True)
    chapter = ref.get("chapter")
    if chapter and not ref.get("pages"):
        where += (f":chap {chapter}" if style is AMA else f". Chapter {chapter}") if where else f"Chapter {chapter}"
    groups.append(_plain(where))
    return groups + _notes(ref) + _online(ref, style)


def _inbook(ref: Reference, style: Style) -> list[Segments]:
    """BibTeX @inbook: with `booktitle` it is a chapter; else `title` is the book, `chapter` the part."""
    if ref.get("booktitle"):
        return _chapter(ref, style)
    return _inbook_classic(ref, style) + _notes(ref) + _online(ref, style)


def _inbook_classic(ref: Reference, style: Style) -> list[Segments]:
    """@inbook without `booktitle`: the book's own layout, with the chapter's title or number."""
    chapter = ref.get("chapter")
    if chapter and not chapter.isdigit():
        groups = [_authors(ref, style, editors_as_authors=True), _plain(_sentence(ref, "chapter"))]
        groups.append([Segment("In: ")] + _work(_title_text(ref, style), style))
        groups += [_plain(_volume(ref, style)), _plain(_edition(ref)), _plain(_series(ref)), _plain(_number(ref))]
        groups.append(_plain(_publisher_year(ref, style, pages=True, chapter=True)))
    else:
        groups = [_authors(ref, style, editors_as_authors=True), _work(_title_text(ref, style), style)]
        groups += [_plain(_volume(ref, style)), _plain(_edition(ref)), _plain(_series(ref)), _plain(_number(ref))]
        where = _publisher_year(ref, style, pages=True, chapter=True)
        if chapter and not ref.get("pages"):
            where += f":chap {chapter}" if style is AMA else f". Chapter {chapter}"
        groups.append(_plain(where))
    groups.insert(len(groups) - 1, _work(_work_title(ref, style, "maintitle"), style))
    groups.insert(len(groups) - 1, _plain(_howpublished(ref)))
    return groups


def _thesis(ref: Reference, style: Style) -> list[Segments]:
    kind = ref.get("type") or {"phdthesis": "Dissertation", "mastersthesis": "Master’s thesis"}.get(
        ref.entry_type, "Thesis"
    )
    school = ref.first("school", "institution")
    if style is AMA:
        groups = [_authors(ref, style), _work(_title_text(ref, style), style), _plain(kind)]
        groups.append(_plain(_join_nonempty("; ", school, ref.year)))
    else:
        groups = [_authors(ref, style), _plain(_join_nonempty(" ", _title_text(ref, style), f"[{kind.lower()}]"))]
        groups.append(_plain(_join_nonempty("; ", _join_nonempty(": ", _place(ref), school), ref.year)))
    return groups + _notes(ref) + _online(ref, style)


#: A report `number` that already says what it is (`Technical Report R-101`): printed without `Report`.
_WORDED_NUMBER_RE = re.compile(r"[A-Za-z][A-Za-z.]*\s+\S")


def _report(ref: Reference, style: Style) -> list[Segments]:
    groups = [_authors(ref, style, editors_as_authors=True), _work(_title_text(ref, style), style)]
    groups.append(_plain(_series(ref)))
    publisher = _join_nonempty(": ", _place(ref) if style.place else "", ref.first("institution", "publisher"))
    where = _join_nonempty("; ", publisher, ref.year)
    number = ref.get("number")
    pages = style.pages(ref.get("pages"))
    kind = ref.get("type") or ("" if _WORDED_NUMBER_RE.match(number) else "Report")
    if style is AMA:
        groups.append(_plain(where + (f":{pages}" if pages and where else pages)))
        groups.append(_plain(_join_nonempty(" ", kind, number) if number else ref.get("type")))
    else:
        groups.append(_plain(where))
        groups.append(_plain(_join_nonempty(" No.: ", kind, number) if number else ref.get("type")))
        groups.append(_plain(f"p. {pages}" if pages else ""))
    groups.append(_plain(_howpublished(ref)))
    return groups + _notes(ref) + _online(ref, style)


def _web(ref: Reference, style: Style) -> list[Segments]:
    """`Author. Title. Website. Published date. Updated date. Accessed date. URL`."""
    title = _sentence(ref, "title")
    groups = [_authors(ref, style, editors_as_authors=True)]
    groups.append(_plain(title if style is AMA else _join_nonempty(" ", title, "[Internet]")))
    site = ref.first("howpublished", "organization", "publisher", "institution", "journal")
    if site and site != ref.get("title") and not _same_as_author(ref, site):
        groups.append(_plain(site))
    published = _published(ref, style)
    updated = _date_text(ref.get("lastchecked") or ref.get("updated"), style)
    if style is AMA:
        groups.append(_plain(f"Published {published}" if published else ""))
        groups.append(_plain(f"Updated {updated}" if updated else ""))
    else:
        groups.append(_plain(published + (f" [updated {updated}]" if updated else "")))
    return groups + _notes(ref) + _online(ref, style)


def _misc(ref: Reference, style: Style) -> list[Segments]:
    groups = [_authors(ref, style, editors_as_authors=True), _plain(_sentence(ref, "title"))]
    groups.append(_plain(ref.get("howpublished")))
    if ref.get("booktitle") and ref.get("booktitle") != ref.get("title"):
        groups.append([Segment("In: "), *_work(_work_title(ref, style, "booktitle"), style)])
    if journal := _container(ref):
        groups.append(_work(journal, style))
    publisher = _join_nonempty(": ", _place(ref) if style.place else "", ref.first("organization", "publisher"))
    publisher = _join_nonempty("; ", publisher, ref.get("institution"))
    groups.append(_plain(_join_nonempty("; ", publisher, _published(ref, style) or ref.year)))
    return groups + _notes(ref) + _online(ref, style)


# --- pieces ------------------------------------------------------------------------------------


def _authors(ref: Reference, style: Style, editors_as_authors: bool = False) -> Segments:
    if ref.authors:
        return _plain(author_list(ref.authors, ref.authors_truncated, style))
    if editors_as_authors and ref.editors:
        return _plain(_editors(ref, style))
    return []


def _sentence(ref: Reference, name: str) -> str:
    """An article, chapter or web page title in sentence case (braced words kept as written)."""
    return sentence_case(ref.marked_text(name)) if ref.get(name) else ""


def _work_title(ref: Reference, style: Style, name: str) -> str:
    """A book, report, thesis or proceedings title: title case in AMA, sentence case in NLM."""
    if not ref.get(name):
        return ""
    marked = ref.marked_text(name)
    return title_case(marked) if style.title_case_works else sentence_case(marked)


def _title_text(ref: Reference, style: Style) -> str:
    """The entry's own title as its type is cased: a work's title, or an article's."""
    if ref.entry_type in {"book", "inbook", "techreport", "phdthesis", "mastersthesis", "thesis"}:
        return _work_title(ref, style, "title")
    return _sentence(ref, "title")


def _container(ref: Reference) -> str:
    """AMA and NLM cite journals by their abbreviation, without periods: prefer `shortjournal`."""
    name = ref.first("shortjournal", "journal", "journaltitle")
    if not name:
        return ""
    source = next(n for n in ("shortjournal", "journal", "journaltitle") if ref.get(n))
    return title_case(strip_periods(ref.marked_text(source)), lower_minor=False)


def _work(text: str, style: Style) -> Segments:
    """A title of a work: italic (<cite>) in AMA, plain in NLM."""
    if not text:
        return []
    return [Segment(text, "title")] if style.italic_works else [Segment(text)]


def _year_volume_pages(ref: Reference, style: Style) -> str:
    """`2011;65(1):1-14` (NLM: `2011 Jul;65(1):1-14`), with whatever of it the entry has."""
    text = ref.year
    if style is not AMA and text:
        date = _entry_date(ref)
        if date is not None and date.month:
            text = style.date(date)
    volume, number = ref.get("volume"), ref.first("number", "issue")
    pages = style.pages(ref.first("pages", "eid"))
    if volume or number:
        text += ";" if text else ""
        text += volume + (f"({number})" if number else "")
    if pages:
        text += f":{pages}" if text else pages
    return text


def _online_first(ref: Reference) -> str:
    """AMA 3.11: an article with a month but no volume or issue is online ahead of print, `Published online May 2019`.

    Without a month (`Biometrics. 1982:233-243`) the entry is more likely incomplete, and only the year is given.
    """
    date = _entry_date(ref)
    if date is None or date.month is None or ref.get("volume") or ref.first("number", "issue"):
        return ""
    pages = full_pages(ref.first("pages", "eid"))
    return f"Published online {ama_date(date)}" + (f":{pages}" if pages else "")


def _publisher_year(ref: Reference, style: Style, pages: bool = False, chapter: bool = False) -> str:
    """AMA `Publisher; year:pages`; NLM `Place: Publisher; year. p. pages`."""
    publisher = ref.first("publisher", "organization") if chapter else ref.get("publisher")
    if style.place:
        publisher = _join_nonempty(": ", _place(ref), publisher)
    text = _join_nonempty("; ", publisher, ref.year)
    page_text = style.pages(ref.get("pages")) if pages else ""
    if page_text:
        if style is AMA:
            text += f":{page_text}" if text else page_text
        else:
            text = _join_nonempty(". ", text, f"p. {page_text}")
    if ref.get("origdate") and (orig := _date_text(ref.get("origdate"), style)):
        text = _join_nonempty(". ", text, f"Originally published {orig}")
    return text


def _place(ref: Reference) -> str:
    return ref.first("location", "address")


def _volume(ref: Reference, style: Style) -> str:
    volume = ref.get("volume")
    return f"{style.volume_label} {volume}" if volume else ""


def _series(ref: Reference) -> str:
    """`Series title; vol 3` (the series number is BibTeX's `number` on a book)."""
    series = ref.get("series")
    if not series:
        return ""
    number = ref.get("number") if ref.entry_type != "techreport" else ""
    return f"{series}; {number}" if number else series


def _number(ref: Reference) -> str:
    """A book's `number` without a `series` (a number in a series the entry does not name)."""
    return f"No. {ref.get('number')}" if ref.get("number") and not ref.get("series") else ""


def _howpublished(ref: Reference) -> str:
    return ref.get("howpublished")


_ORDINAL_WORDS = {
    word: n
    for n, word in enumerate(
        [
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
            "twentieth",
        ],
        start=1,
    )
}
_EDITION_RE = re.compile(r"\b(\d+)(?:st|nd|rd|th)?\b|\b([A-Za-z]+)\b")


def _edition(ref: Reference) -> str:
    """`2`, `Second`, `2nd edition`, `..., second edition` -> `2nd ed`; `Kindle Edition` -> `Kindle ed`."""
    edition = ref.get("edition").strip()
    if not edition:
        return ""
    if edition.isdigit():
        return f"{_ordinal(int(edition))} ed"
    m = re.search(r"\b(\d+)(?:st|nd|rd|th)?\s*(?:edition|ed\b\.?)|\b([A-Za-z]+)\s+(?:edition|ed\b\.?)", edition, re.I)
    if m and m.group(1):
        return f"{_ordinal(int(m.group(1)))} ed"
    word = (m.group(2) if m else edition).lower()
    if word in _ORDINAL_WORDS:
        return f"{_ordinal(_ORDINAL_WORDS[word])} ed"
    m_digits = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", edition, re.I)
    if m_digits:
        return f"{_ordinal(int(m_digits.group(1)))} ed"
    if word in {"revised", "rev"}:
        return "Rev ed"
    edition = re.sub(r"\s*(?:edition|ed\.?)$", "", edition, flags=re.I)
    return f"{edition} ed"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _notes(ref: Reference) -> list[Segments]:
    """`note`, `addendum`, and an arXiv or other e-print identifier, each as its own element."""
    return [_plain(ref.get("note")), _plain(ref.get("addendum")), _plain(ref.get("eprint"))]


def _online(ref: Reference, style: Style) -> list[Segments]:
    """Identifiers: the DOI (preferred over a URL), PMID/PMCID, else `Accessed date. URL`."""
    groups: list[Segments] = []
    if ref.doi:
        groups.append([Segment("doi:"), Segment(ref.doi, "link", doi_url(ref.doi))])
    elif ref.url:
        accessed = _date_text(ref.get("urldate"), style) if parse_iso_date(ref.get("urldate")) else ""
        if style is AMA:
            if accessed:
                groups.append(_plain(f"Accessed {accessed}"))
            groups.append([Segment(ref.url, "link", ref.url)])
        else:
            if accessed:
                groups.append(_plain(f"[cited {accessed}]"))
            groups.append([Segment("Available from: "), Segment(ref.url, "link", ref.url)])
    if ref.pmid:
        groups.append([Segment("PMID: "), Segment(ref.pmid, "link", f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/")])
    if ref.pmcid:
        groups.append(
            [Segment("PMCID: "), Segment(ref.pmcid, "link", f"https://pmc.ncbi.nlm.nih.gov/articles/{ref.pmcid}/")]
        )
    return groups


def _entry_date(ref: Reference) -> PartialDate | None:
    """The entry's date: biblatex `date` in any ISO form, else `year`, `month`, `day`."""
    if date := ref.get("date"):
        parsed = parse_date(date)
        if parsed is not None:
            return parsed
    if ref.get("year"):
        return from_fields(ref.get("year"), ref.get("month"), ref.get("day"))
    return None


def _published(ref: Reference, style: Style) -> str:
    """`March 3, 2019` (NLM `2019 Mar 3`) from date or year/month/day; as much of it as the entry has."""
    date = _entry_date(ref)
    if date is not None:
        return style.date(date)
    return ref.get("date") or ref.year


def _date_text(value: str, style: Style) -> str:
    date = parse_date(value) if value else None
    return style.date(date) if date else ""


def _same_as_author(ref: Reference, name: str) -> bool:
    return any(p.corporate and p.family == name for p in ref.authors)


# --- punctuation -------------------------------------------------------------------------------


def _plain(text: str) -> Segments:
    return [Segment(text)] if text else []


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
        if group[-1].kind == "text" and group[-1].text.endswith((",", ";", ":")):
            group = [*group[:-1], Segment(group[-1].text.rstrip(",;: "))]  # `Title,` ends as `Title.`
        out += group
        last = group[-1]
        if last.kind == "link" and i == len(kept) - 1:
            continue
        if not last.text.endswith((".", "?", "!")):
            out.append(Segment("."))
    return out
