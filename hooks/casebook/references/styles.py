"""The two reference styles as data: what AMA 11 and NLM (Vancouver) write differently.

The formatter (`casebook.references.ama`) lays out each entry type once, as
segments; a `Style` only says how the pieces are written: how many authors,
which titles are in title case or italic, how dates and page ranges look,
whether the publisher's place is given. So the two styles cannot drift apart
in what they print, only in how.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from casebook.references.dates import PartialDate, ama_date, nlm_date
from casebook.references.pages import elided_pages, full_pages

__all__ = ["AMA", "STYLES", "VANCOUVER", "Style", "style_named"]


@dataclass(frozen=True)
class Style:
    name: str
    max_authors: int  # more than this: the first `et_al_after`, then et al
    et_al_after: int
    et_al: str
    editor: str  # after one editor's name
    editors: str
    title_case_works: bool  # books, reports, proceedings, theses in title case (AMA); else sentence case
    italic_works: bool  # book and journal titles in <cite> (AMA); NLM uses no italics
    date: Callable[[PartialDate], str]
    pages: Callable[[str], str]
    place: bool  # the publisher's place (`location`, `address`): NLM gives it, AMA 11 does not
    volume_label: str


AMA = Style(
    name="ama",
    max_authors=6,
    et_al_after=3,
    et_al="et al",
    editor="ed",
    editors="eds",
    title_case_works=True,
    italic_works=True,
    date=ama_date,
    pages=full_pages,
    place=False,
    volume_label="Vol",
)

#: NLM's Citing Medicine, 2nd edition, which the ICMJE recommendations ("Vancouver") follow.
VANCOUVER = Style(
    name="vancouver",
    max_authors=6,
    et_al_after=6,
    et_al="et al.",
    editor="editor",
    editors="editors",
    title_case_works=False,
    italic_works=False,
    date=nlm_date,
    pages=elided_pages,
    place=True,
    volume_label="Vol.",
)

STYLES: dict[str, Style] = {style.name: style for style in (AMA, VANCOUVER)}


def style_named(name: str) -> Style:
    """The style called `name` (the plugin's `citation_style`); AMA for an unknown name."""
    return STYLES.get(name.lower(), AMA)
