"""Lint of .bib files beyond what the loader reports: things that load but would show wrongly.

An undefined `@string` macro shows its name instead of a journal, `crossref`
fields are not copied, markup in a field is shown literally, an empty file is
clutter. `casebook check` and the build (hooks/casebook_citations.py) both call
these, so `mkdocs build --strict` and `make check` agree.
"""

from __future__ import annotations

import re
from pathlib import Path

from casebook.findings import Finding
from casebook.references.bibtex import Reference
from casebook.references.journals import known_abbreviation, looks_unabbreviated, strip_periods
from casebook.text.frontmatter import read_source
from casebook.text.textlint import markup_in, markup_message

#: BibTeX's predefined month macros (`month = jan`).
_MONTH_MACROS = frozenset(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])
_STRING_DEF_RE = re.compile(r"@\s*string\s*[{(]\s*(?P<name>[^\s=,{}()]+)\s*=", re.I)
_MACRO_USE_RE = re.compile(
    r"^[ \t]*(?P<field>[A-Za-z][\w-]*)[ \t]*=[ \t]*(?P<value>[A-Za-z_][\w:.+/-]*)[ \t]*(?=,|}|\)|#|$)", re.M
)
_ENTRY_RE = re.compile(r"@\s*(?!comment\b|string\b|preamble\b)[A-Za-z]+\s*[{(]", re.I)


def bib_source_findings(path: Path, shown: str) -> list[Finding]:
    """Checks on a .bib file's text that the loader does not make: empty files, undefined macros."""
    text, _ = read_source(path)  # the loader already reported BOM / encoding problems
    if text is None:
        return []
    findings: list[Finding] = []
    if not _ENTRY_RE.search(text):
        findings.append(
            Finding.warning(
                shown,
                1,
                "bib-empty",
                "this .bib file has no entries; add references (`casebook cite DOI`) or delete the file",
            )
        )
        return findings
    defined = {m.group("name").lower() for m in _STRING_DEF_RE.finditer(text)} | _MONTH_MACROS
    for m in _MACRO_USE_RE.finditer(text):
        value = m.group("value")
        if value.lower() in defined or value.isdigit():
            continue
        line = text.count("\n", 0, m.start("value")) + 1
        col = m.start("value") - (text.rfind("\n", 0, m.start("value")) + 1) + 1
        findings.append(
            Finding.warning(
                shown,
                line,
                "bib-string-undefined",
                f"{m.group('field')} = {value}: '{value}' is not in braces or quotes, so BibTeX reads it as an "
                f"@string macro, and no @string{{{value} = ...}} defines it; the reference would show "
                f"'{value}' literally: write {m.group('field')} = {{...}}",
                col,
            )
        )
    return findings


def reference_findings(ref: Reference) -> list[Finding]:
    """Checks on a parsed reference that the loader does not make: crossref, markup in fields."""
    findings: list[Finding] = []
    if ref.get("crossref"):
        findings.append(
            Finding.warning(
                ref.path,
                ref.line_of("crossref"),
                "bib-crossref",
                f"entry '{ref.key}' uses crossref = {{{ref.get('crossref')}}}; Casebook does not copy fields "
                "from the cross-referenced entry: write booktitle, publisher, year etc. into this entry",
            )
        )
    findings += _journal_findings(ref)
    texts = [(name, value) for name, value in ref.fields if name != "crossref"]
    texts += [("author", p.family + " " + p.given) for p in ref.authors]
    texts += [("editor", p.family + " " + p.given) for p in ref.editors]
    reported: set[str] = set()  # one finding per field (a field with several names is one field)
    for name, value in texts:
        found = markup_in(value)
        if found and name not in reported:
            reported.add(name)
            findings.append(
                Finding.warning(
                    ref.path,
                    ref.line_of(name),
                    "markup-in-text",
                    markup_message(f"entry '{ref.key}', field '{name}',", found),
                )
            )
    return findings


def _journal_findings(ref: Reference) -> list[Finding]:
    """A journal cited by its written-out name: AMA and NLM cite the NLM abbreviation (`shortjournal`)."""
    if ref.entry_type != "article" or ref.get("shortjournal"):
        return []
    name_field = next((n for n in ("journal", "journaltitle") if ref.get(n)), "")
    name = ref.get(name_field) if name_field else ""
    if not name or not looks_unabbreviated(strip_periods(name)):
        return []
    known = known_abbreviation(name)
    if known:
        advice = f"add shortjournal = {{{known}}} (the NLM abbreviation)"
    else:
        advice = (
            "add shortjournal = {...} with its NLM abbreviation (the NLM Catalog, "
            "https://www.ncbi.nlm.nih.gov/nlmcatalog/journals, lists it)"
        )
    return [
        Finding.warning(
            ref.path,
            ref.line_of(name_field),
            "bib-journal-not-abbreviated",
            f"entry '{ref.key}': journal '{name}' looks written out; AMA and Vancouver cite journals by their "
            f"abbreviation, and it is printed as written until you {advice}",
        )
    ]
