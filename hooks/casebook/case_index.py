"""The list of cases on the case index page: spoiler-free fields only, newest first."""

from __future__ import annotations

import posixpath
from html import escape

from .model import Case


def render_case_list(cases: list[Case], index_src_uri: str) -> str:
    """HTML list of case links relative to the index page's own URL."""
    if not cases:
        return '<p class="casebook-empty">No cases yet.</p>'
    base = posixpath.dirname(index_src_uri)
    items = []
    for case in sorted(cases, key=lambda c: (c.meta.date, c.slug), reverse=True):
        href = posixpath.relpath(f"cases/{case.slug}/", base or ".") + "/"
        meta = case.meta
        items.append(
            f'<li class="casebook-case-card"><a href="{escape(href)}">{escape(meta.title)}</a>'
            f'<p>{escape(meta.summary)}</p>'
            f'<p class="casebook-card-facts">{escape(meta.specialty)} · {escape(meta.patient.age)} · '
            f'<time datetime="{meta.date.isoformat()}">{meta.date.isoformat()}</time></p></li>'
        )
    return f'<ul class="casebook-case-list">{"".join(items)}</ul>'
