"""Links from a case page to the next newer and the next older case, by their spoiler-free titles.

The cases are not in the site's navigation (there may be hundreds), so Material's
footer has no previous/next for them; this is that footer, in the order of the
case index (newest first). Only titles are shown: they are spoiler-checked.
"""

from __future__ import annotations

from html import escape

from casebook.cases.model import Case
from casebook.project.settings import Labels
from casebook.render.case_index import newest_first
from casebook.render.urls import SiteUrls


class CaseOrder:
    """The published cases newest first, built once per build; neighbours are O(1)."""

    def __init__(self, cases: list[Case]) -> None:
        self.cases = newest_first(cases)
        self.position = {c.slug: i for i, c in enumerate(self.cases)}

    def neighbours(self, case: Case) -> tuple[Case | None, Case | None]:
        """(newer, older) than `case`, either None at the ends (or when the case is not published)."""
        i = self.position.get(case.slug)
        if i is None:
            return None, None
        newer = self.cases[i - 1] if i > 0 else None
        older = self.cases[i + 1] if i + 1 < len(self.cases) else None
        return newer, older


def case_nav_html(case: Case, order: CaseOrder, urls: SiteUrls, labels: Labels | None = None) -> str:
    """`<nav>` with the newer and older case, or "" when there is no other case."""
    labels = labels or Labels()
    newer, older = order.neighbours(case)
    page = urls.case_page(case.slug)
    links = []
    pairs = (
        (newer, "prev", labels.newer_case, "casebook-case-nav-newer"),
        (older, "next", labels.older_case, "casebook-case-nav-older"),
    )
    for other, rel, word, cls in pairs:
        if other is None:
            continue
        links.append(
            f'<a class="{cls}" rel="{rel}" href="{escape(urls.to_case(page, other.slug))}">'
            f'<span class="casebook-case-nav-word">{escape(word)}</span> '
            f'<span class="casebook-case-nav-title">{escape(other.meta.title)}</span></a>'
        )
    if not links:
        return ""
    return f'<nav class="casebook-case-nav" aria-label="{escape(labels.other_cases)}">{"".join(links)}</nav>'
