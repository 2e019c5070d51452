"""One parsed BibTeX entry -> a `Reference`: its key, its type, its fields, what it lacks.

Problems become findings and the usable parts are kept, so one bad field
costs the reader that field, not the whole reference.
"""

from __future__ import annotations

from collections.abc import Mapping

from bibtexparser import model as bm

from casebook.findings import Finding
from casebook.references.bibtex.fields import EntryContext, FieldValues, read_fields
from casebook.references.bibtex.reference import KEY_RE, Reference

__all__ = ["REQUIRED", "TYPE_ALIASES", "block_line", "reference_from_entry"]

#: Field groups each entry type needs (any one field of a group will do), after BibTeX's own rules.
_YEAR = ("year", "date")
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "article": (("author",), ("title",), ("journal", "journaltitle", "shortjournal"), _YEAR),
    "book": (("author", "editor"), ("title",), ("publisher",), _YEAR),
    "incollection": (("author",), ("title",), ("booktitle",), ("publisher",), _YEAR),
    "inbook": (("author", "editor"), ("title",), ("publisher",), _YEAR),
    "inproceedings": (("author",), ("title",), ("booktitle",), _YEAR),
    "phdthesis": (("author",), ("title",), ("school", "institution"), _YEAR),
    "mastersthesis": (("author",), ("title",), ("school", "institution"), _YEAR),
    "thesis": (("author",), ("title",), ("school", "institution"), _YEAR),
    "techreport": (("author",), ("title",), ("institution",), _YEAR),
    "misc": (("title",),),
    "online": (("title",), ("url",), ("urldate",)),
}
#: Other spellings of the types above.
TYPE_ALIASES = {
    "conference": "inproceedings",
    "report": "techreport",
    "electronic": "online",
    "webpage": "online",
    "www": "online",
}


def block_line(block: bm.Block) -> int:
    """bibtexparser counts lines from 0; editors and Findings from 1."""
    return (block.start_line or 0) + 1


def reference_from_entry(
    entry: bm.Entry, path: str, strings: Mapping[str, str] | None = None
) -> tuple[Reference | None, list[Finding]]:
    """Validate and decode one entry (`strings`: the file's @string macros); problems become findings."""
    line = block_line(entry)
    key = entry.key.strip()
    if not key:
        return None, [Finding.error(path, line, "bib-syntax", "entry has no key; write @type{key, ...}")]
    raw_type = entry.entry_type.strip().lower()
    entry_type, findings = _entry_type(raw_type, key, path, line)
    findings = _key_form(key, path, line) + findings
    context, fields = read_fields(entry, key, path, line, strings)
    findings += fields.findings
    findings += _missing_fields(entry_type, raw_type, context, fields)
    return _build(entry_type, context, fields), findings


def _key_form(key: str, path: str, line: int) -> list[Finding]:
    """A key Markdown cannot cite as `[@key]` is accepted but reported."""
    if KEY_RE.match(key):
        return []
    return [
        Finding.warning(
            path,
            line,
            "bib-key-form",
            f"key '{key}' cannot be cited as [@{key}]: use letters, digits and : . / + - _ "
            "(starting and ending with a letter or digit)",
        )
    ]


def _entry_type(raw_type: str, key: str, path: str, line: int) -> tuple[str, list[Finding]]:
    """The type with aliases resolved; one Casebook does not know is formatted like @misc."""
    entry_type = TYPE_ALIASES.get(raw_type, raw_type)
    if entry_type in REQUIRED:
        return entry_type, []
    return "misc", [
        Finding.warning(
            path,
            line,
            "bib-entry-type",
            f"entry '{key}' has type @{raw_type}, which Casebook formats like @misc; use one of "
            f"{', '.join('@' + t for t in sorted(REQUIRED))}",
        )
    ]


def _missing_fields(entry_type: str, raw_type: str, context: EntryContext, fields: FieldValues) -> list[Finding]:
    """Every field group the type needs for an AMA reference, and a web page its access date."""
    present = fields.present()
    groups = list(REQUIRED[entry_type])
    if entry_type == "misc" and fields.links.get("url"):
        groups.append(("urldate",))  # a web page: AMA needs the date it was accessed
    findings: list[Finding] = []
    for group in groups:
        if not present.intersection(group):
            wanted = " or ".join(f"'{g}'" for g in group)
            findings.append(
                Finding.error(
                    context.path,
                    context.line,
                    "bib-missing-field",
                    f"@{raw_type}{{{context.key}}} needs {wanted} for an AMA reference; add "
                    f"{group[0]} = {{...}} to the entry"
                    + (" (the date you accessed the page, YYYY-MM-DD)" if group == ("urldate",) else ""),
                )
            )
    return findings


def _build(entry_type: str, context: EntryContext, fields: FieldValues) -> Reference:
    """The `Reference` made of the kept values."""
    authors, authors_truncated = fields.persons("author")
    editors, editors_truncated = fields.persons("editor")
    links = fields.links
    return Reference(
        key=context.key,
        entry_type=entry_type,
        path=context.path,
        line=context.line,
        authors=authors,
        authors_truncated=authors_truncated,
        editors=editors,
        editors_truncated=editors_truncated,
        fields=tuple(fields.display.items()),
        doi=links.get("doi"),
        url=links.get("url"),
        pmid=links.get("pmid"),
        pmcid=links.get("pmcid"),
        field_lines=tuple(context.lines.items()),
        marked=tuple(fields.marked.items()),
    )
