"""The BibTeX entry as Casebook writes it: fixed field order, every value in braces.

One way of writing entries, whatever the metadata source, keeps diffs of the
author's .bib file small and makes the entries read back (by the site's own
BibTeX reader) exactly as they were meant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from casebook.references.bibtex import RAW_FIELDS

__all__ = ["FIELD_ORDER", "NewEntry", "first_family", "latex_escape"]

# Field order of every entry Casebook writes, so diffs of the .bib stay small.
FIELD_ORDER = (
    "author",
    "editor",
    "title",
    "journal",
    "booktitle",
    "publisher",
    "school",
    "institution",
    "year",
    "volume",
    "number",
    "pages",
    "doi",
    "pmid",
)


@dataclass
class NewEntry:
    """One BibTeX entry `casebook cite` is about to write.

    Not the site's `references.bibtex.Reference`, which is what a .bib file holds when read.
    """

    entry_type: str
    fields: dict[str, str]
    key: str = ""
    notes: list[str] = field(default_factory=list)  # what the author should know (e.g. a renamed key)

    @property
    def doi(self) -> str | None:
        """The entry's DOI, the field duplicates are found by."""
        return self.fields.get("doi")

    def bibtex(self) -> str:
        """The entry, fields in FIELD_ORDER, every value in braces."""
        lines = [f"@{self.entry_type}{{{self.key},"]
        for name in FIELD_ORDER:
            if value := self.fields.get(name):
                lines.append(f"  {name} = {{{value if name in RAW_FIELDS else latex_escape(value)}}},")
        lines.append("}")
        return "\n".join(lines) + "\n"

    def describe(self) -> str:
        """`Reiter et al. 2011, "Calcinosis cutis…"` for the author's terminal."""
        names = self.fields.get("author") or self.fields.get("editor") or ""
        first = first_family(names) or "Anonymous"
        more = " et al." if " and " in names else ""
        year = self.fields.get("year", "n.d.")
        return f'{first}{more} {year}, "{self.fields.get("title", "untitled")}"'


def latex_escape(text: str) -> str:
    """Escape what LaTeX would misread (`50%` would start a comment), so the file works in LaTeX too.

    Casebook's own reader (bibtex.decode_latex) turns these back into the plain characters.
    """
    return re.sub(r"[&%$#_]", lambda m: "\\" + m.group(), text).replace("~", "{\\textasciitilde}")


def first_family(names: str) -> str:
    """The family name of the first person in a BibTeX name list (`Family, Given and ...`)."""
    first = re.split(r"\s+and\s+", names.strip(), maxsplit=1)[0].strip()
    if first.startswith("{") and first.endswith("}"):
        return first.strip("{}").split()[0] if first.strip("{}").split() else ""
    if "," in first:
        return first.split(",", 1)[0].strip()
    return first.split()[-1] if first.split() else ""
