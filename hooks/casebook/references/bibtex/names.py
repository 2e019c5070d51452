"""Author and editor lists: BibTeX's `A and B and others`, read into people for AMA style.

bibtexparser splits and parses the names; this module keeps braced corporate
authors (`{World Health Organization}`) whole, decodes LaTeX in each part, and
makes AMA initials (`Jean-Paul` -> `J-P`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)

from casebook.findings import Finding
from casebook.references.bibtex.latex import decode_latex

__all__ = ["People", "Person", "initials", "parse_names"]


@dataclass(frozen=True)
class Person:
    """One author or editor, decoded for display."""

    family: str  # "de la Fontaine" (von part + last name)
    given: str = ""  # "Jean-Paul"
    suffix: str = ""  # "Jr", "III"
    corporate: bool = False  # a braced group such as {World Health Organization}

    @property
    def initials(self) -> str:
        """AMA initials: "Jean-Paul" -> "J-P", "W. D." -> "WD", already-initials "SU" -> "SU"."""
        return initials(self.given)


#: A name list as read: the people, and whether it ended with "and others".
People = tuple[tuple[Person, ...], bool]


def parse_names(
    value: str, path: str, line: int, key: str, field_name: str
) -> tuple[tuple[Person, ...], bool, list[Finding]]:
    """Split `A and B and others` into people; braced groups stay whole (corporate authors)."""
    findings: list[Finding] = []
    persons: list[Person] = []
    truncated = False
    for raw in split_multiple_persons_names(value):
        raw = raw.strip()
        if raw.lower() == "others":
            truncated = True
            continue
        person, person_findings = _person(raw, path, line, key, field_name)
        findings += person_findings
        persons.append(person)
    return tuple(persons), truncated, findings


def _person(raw: str, path: str, line: int, key: str, field_name: str) -> tuple[Person, list[Finding]]:
    """One name; a name bibtexparser cannot read strictly is reported, then read leniently."""
    if raw.startswith("{") and raw.endswith("}") and _balanced_group(raw):
        return Person(family=decode_latex(raw), corporate=True), []
    if pubmed := _PUBMED_RE.fullmatch(raw):  # `Lloyd-Jones DM`: BibTeX would read DM as the family name
        return Person(family=decode_latex(pubmed.group(1)), given=pubmed.group(2).replace(" ", "")), []
    findings: list[Finding] = []
    try:
        parts = parse_single_name_into_parts(raw, strict=True)
    except InvalidNameError as exc:
        findings.append(
            Finding.error(
                path,
                line,
                "bib-name",
                f"entry '{key}': cannot read the {field_name} name '{raw}' ({exc.reason}); write each name as "
                "'Last, First' and separate names with ' and '",
            )
        )
        parts = parse_single_name_into_parts(raw, strict=False)
    family = decode_latex(" ".join(parts.von + parts.last))
    given = decode_latex(" ".join(parts.first))
    suffix = decode_latex(" ".join(parts.jr)).replace(".", "")
    if _SUFFIX_RE.fullmatch(given):
        family, given, suffix = _suffix_written_first(family, given, suffix)
    if not family:
        family, given = given, ""
    return Person(family=family, given=given, suffix=suffix), findings


#: A name in PubMed's order without a comma, `Family INITIALS` (`Lloyd-Jones DM`, `Storer B. E.`).
_PUBMED_RE = re.compile(r"([A-Z][^\s,{}]*[a-z][^\s,{}]*(?: [A-Z][^\s,{}]*[a-z][^\s,{}]*)*) ((?:[A-Z]\.? ?){1,3})")
_SUFFIX_RE = re.compile(r"(?:Jr|Sr|II|III|IV)\.?")
_INITIALS_RE = re.compile(r"(?:[A-Z]\.?-?){1,3}")


def _suffix_written_first(family: str, given: str, suffix: str) -> tuple[str, str, str]:
    """`Keating, Jr.` after `F. R.`, `Goff DC, Jr.`, `D'Agostino, RB, Sr.`: the suffix where BibTeX reads a given name.

    BibTeX's own form is `Last, Jr, First`; these misplace it, and would print `Keating FR J` or
    `D'Agostino S RB`. The suffix is moved to its place and the given name found in what is left.
    """
    if suffix and _INITIALS_RE.fullmatch(suffix.replace(" ", "")):  # `D'Agostino, RB, Sr.`
        return family, suffix, given.rstrip(".")
    if suffix:
        return family, given, suffix
    words = family.split()
    if len(words) < 2:
        return family, given, suffix
    if _INITIALS_RE.fullmatch(words[-1]):  # PubMed order, `Goff DC, Jr.` or `Meeker W.Q., Jr.`
        return " ".join(words[:-1]), words[-1], given.rstrip(".")
    return words[-1], " ".join(words[:-1]), given.rstrip(".")  # `F. R. Keating, Jr.`


def _balanced_group(text: str) -> bool:
    """True if `text` is one `{...}` group (not `{A} and {B}` or `{Van} Gogh`)."""
    depth = 0
    for i, ch in enumerate(text):
        if ch == "{" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif ch == "}" and text[i - 1] != "\\":
            depth -= 1
            if depth == 0 and i != len(text) - 1:
                return False
    return depth == 0


def initials(given: str) -> str:
    """AMA initials without periods or spaces; hyphenated given names keep the hyphen (J-P)."""
    out = []
    for token in re.split(r"[\s.]+", given):
        if not token:
            continue
        letters = re.sub(r"[^\w-]", "", token)
        if 2 <= len(letters) <= 3 and letters.isalpha() and letters.isupper():
            out.append(letters)  # already initials, e.g. "WD" or "SU"
            continue
        pieces = [p for p in letters.split("-") if p]
        joined = "-".join(_initial(p) for p in pieces if _initial(p))
        out.append(f"-{joined}" if letters.startswith("-") and out and joined else joined)  # `C.-L.` -> `C-L`
    return "".join(out)


def _initial(word: str) -> str:
    """The first letter of `word`, upper case ("" if it has none)."""
    for ch in word:
        if ch.isalpha():
            return ch.upper()
    return ""
