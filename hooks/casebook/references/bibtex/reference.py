"""`Reference`: one validated BibTeX entry, what the formatter and the checks read.

Display fields are decoded and link fields are raw and validated, so nothing
downstream decodes LaTeX or re-checks a DOI; each field keeps its line so a
later finding (an unused reference, a spoiler in a title) points at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casebook.references.bibtex.names import Person

__all__ = ["KEY_PATTERN", "KEY_RE", "Reference"]

#: What a citation key may look like; `[@key]` in Markdown uses the same pattern.
KEY_PATTERN = r"[^\W_](?:[\w:./+-]*\w)?"
KEY_RE = re.compile(rf"^{KEY_PATTERN}$")

_YEAR_RE = re.compile(r"^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?")


@dataclass(frozen=True)
class Reference:
    """One BibTeX entry, validated; display fields are decoded, link fields are raw."""

    key: str
    entry_type: str  # lower-case, aliases resolved (`conference` -> `inproceedings`)
    path: str
    line: int
    authors: tuple[Person, ...] = ()
    authors_truncated: bool = False  # the list ended with "and others"
    editors: tuple[Person, ...] = ()
    editors_truncated: bool = False
    fields: tuple[tuple[str, str], ...] = ()  # decoded display fields, lower-case names
    doi: str | None = None  # bare `10.NNNN/...`, validated
    url: str | None = None  # http(s) only, validated, as written
    pmid: str | None = None
    pmcid: str | None = None
    field_lines: tuple[tuple[str, int], ...] = ()  # lower-case field name -> line, for findings
    #: Title-like fields with the author's braced spans marked (latex.PROTECT_OPEN/CLOSE), only those with braces.
    marked: tuple[tuple[str, str], ...] = ()

    def line_of(self, name: str) -> int:
        """The line where field `name` is written (the entry's line if unknown)."""
        return next((line for key, line in self.field_lines if key == name), self.line)

    def get(self, name: str, default: str = "") -> str:
        """Display field `name`, decoded (`default` if the entry has none)."""
        for key, value in self.fields:
            if key == name:
                return value
        return default

    def marked_text(self, name: str) -> str:
        """Field `name` with its braced spans marked, for the case transforms (the display value if none)."""
        for key, value in self.marked:
            if key == name:
                return value
        return self.get(name)

    def first(self, *names: str) -> str:
        """The first non-empty field among `names` (e.g. journal, journaltitle)."""
        for name in names:
            if value := self.get(name):
                return value
        return ""

    @property
    def year(self) -> str:
        """The year, from `year` or else the start of a biblatex `date`."""
        if year := self.get("year"):
            return year
        m = _YEAR_RE.match(self.get("date"))
        return m.group(1) if m else ""
