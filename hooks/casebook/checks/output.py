"""Checks on the published HTML, which only the build has (rule `output-marker`)."""

from __future__ import annotations

import re

from casebook.project.load import MARKER_PREFIX

_MARKER_RE = re.compile(re.escape(MARKER_PREFIX) + r"[^>]{0,80}?-->")


def surviving_markers(html: str) -> list[str]:
    """Casebook page markers (`<!-- casebook:... -->`) that reached the output, in order, once each."""
    if MARKER_PREFIX not in html:
        return []
    return list(dict.fromkeys(_MARKER_RE.findall(html)))
