"""What the site search says that Material does not: answers are not searchable, and where to look instead.

Answers are kept out of the search index on purpose (a search for a diagnosis
must not show which case it is). One element under the header carries the
words and the links to the case index and browse pages: without JavaScript
(Material removes the search box then) it is shown as a note; with it,
casebook-reader.js shows the same words under "no matching documents".
"""

from __future__ import annotations

from html import escape

from casebook.project.settings import Labels


def search_note_html(links: list[tuple[str, str]], labels: Labels | None = None) -> str:
    """The note; `links` are (title, href relative to the page) of the case index and browse pages."""
    labels = labels or Labels()
    items = ", ".join(f'<a href="{escape(href)}">{escape(title)}</a>' for title, href in links)
    where = f" {escape(labels.search_browse)} {items}." if items else ""
    return (
        '<div class="casebook-search-note" data-casebook-search-note data-search-exclude>'
        f'<p class="casebook-search-no-js">{escape(labels.search_no_js)}{where}</p>'
        f'<p class="casebook-search-none" hidden>{escape(labels.search_none)}{where}</p>'
        "</div>"
    )
