"""The patient-privacy lint: `phi-*` findings on a case's text and front matter.

Only cases are linted: they are where patients are described. The pages of
docs/ are the site's own guides and are not read (docs/authoring.md explains
why). The text is read as Markdown shows it: code, code spans and HTML comments
are masked with the one masker (`casebook.text.masking`), citations are set
aside, and web addresses count only in the history (before `/// answer`) and
not in a figure's credit. Front matter is read value by value; the `date`
field, the authors and the fixed-value fields are not identifiers of the
patient. A name with a title is not reported when it is a case author's or the
name of an author of a reference in the bibliography.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from casebook.cases.age_groups import age_in_days
from casebook.cases.loader import find_answer
from casebook.findings import Finding, Level
from casebook.privacy.optout import OptOut, find_optouts
from casebook.privacy.patterns import RULES, Hit, find_identifiers
from casebook.text.frontmatter import split_front_matter
from casebook.text.masking import mask

__all__ = ["OPTOUT_RULE", "PrivacyResult", "lint_case_source", "reference_names"]

#: The rule an opt-out that cannot be honoured is reported under.
OPTOUT_RULE = "phi-optout"
#: Front-matter fields that are not about the patient, or hold a fixed value.
_SKIPPED_FIELDS = frozenset({"date", "authors", "draft", "consent"})
_SKIPPED_KEYS = frozenset({"file", "in_answer", "sex", "age_group", "correct"})
#: A figure's credit names who made the image and may link to its source.
_CREDIT_SKIPS = frozenset({"phi-url", "phi-name"})
_CITATION_RE = re.compile(r"\[-?@[^\]\n]{0,300}\]")
_OLDER_RE = re.compile(r"\+|\bor (?:older|over|above|more)\b|\band (?:older|over)\b|\bover\b", re.I)
_BARE_AGE_RE = re.compile(r"\s*(\d{2,3})\s*")
_WORD_RE = re.compile(r"[^\W\d_][\w'\u2019-]*")
_AGE_DAYS_90 = 90 * 365.25


@dataclass
class PrivacyResult:
    """The findings of one case file, and how many findings its opt-outs allowed."""

    findings: list[Finding] = field(default_factory=list)
    allowed: int = 0


def lint_case_source(
    text: str, shown: str, *, level: Level = "warning", known_names: Iterable[str] = ()
) -> PrivacyResult:
    """Every privacy finding of one case file (`text` as read, `shown` its path in findings).

    Remembered for the same inputs: `mkdocs serve` lints every case again on each rebuild,
    although one file changed.
    """
    names = known_names if isinstance(known_names, frozenset) else frozenset(known_names)
    result = _lint_case_source(text, shown, level, names)
    return PrivacyResult(list(result.findings), result.allowed)


@lru_cache(maxsize=4096)
def _lint_case_source(text: str, shown: str, level: Level, known_names: frozenset[str]) -> PrivacyResult:
    fm = split_front_matter(text, shown)
    if not isinstance(fm.data, dict):
        return PrivacyResult()  # front matter that cannot be read is an error already; which line is `date:`?
    data = fm.data
    names = frozenset(n.lower() for n in known_names) | _author_names(data.get("authors"))
    lines = text.split("\n")
    located: list[tuple[int, int, str, str]] = []  # line, col, rule, message
    for key, value in _values(data, ()):
        for hit in _field_hits(key, value, names):
            line, col = _locate(lines, fm.line_of(*key), value, hit)
            located.append((line, col, hit.rule, hit.message))
    body = mask(text, front_matter=True)
    body = _CITATION_RE.sub(lambda m: " " * len(m.group()), body)
    answer = find_answer(fm.body)
    answer_line = fm.body_line - 1 + answer.start if answer is not None else len(lines) + 1
    starts = [0] + [m.end() for m in re.finditer("\n", body)]
    for hit in find_identifiers(body, known_names=names):
        line = bisect_right(starts, hit.start)
        if hit.rule == "phi-url" and line >= answer_line:
            continue  # links in the discussion are references
        located.append((line, hit.start - starts[line - 1] + 1, hit.rule, hit.message))
    optouts = find_optouts(text, RULES)
    result = PrivacyResult()
    for line, col, rule, message in sorted(set(located)):
        if any(o.covers(rule, line) for o in optouts):
            result.allowed += 1
            continue
        result.findings.append(Finding(shown, line, col, level, rule, message))
    result.findings += [_optout_finding(o, shown, level) for o in optouts if o.problem is not None]
    return result


def reference_names(people: Iterable[Any]) -> frozenset[str]:
    """The words of the family and given names of references' authors and editors (BibTeX Persons)."""
    words: set[str] = set()
    for person in people:
        for part in (getattr(person, "family", ""), getattr(person, "given", "")):
            words.update(w.lower() for w in _WORD_RE.findall(str(part)))
    return frozenset(words)


def _optout_finding(optout: OptOut, shown: str, level: Level) -> Finding:
    return Finding(
        shown,
        optout.line,
        optout.col,
        level,
        OPTOUT_RULE,
        f"this privacy opt-out is ignored: it {optout.problem}",
    )


def _author_names(authors: Any) -> frozenset[str]:
    items = authors if isinstance(authors, list) else [authors] if isinstance(authors, str) else []
    return frozenset(w.lower() for item in items if isinstance(item, str) for w in _WORD_RE.findall(item))


def _values(value: Any, key: tuple[Any, ...], seen: set[int] | None = None) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every text value of the front matter the lint reads, with its key path.

    A mapping or list reached again through a YAML alias is not read again, so
    an alias bomb (`&a [*b, *b, ...]`) costs its size in the file, not its expansion.
    """
    seen = set() if seen is None else seen
    if key and (key[0] in _SKIPPED_FIELDS or key[-1] in _SKIPPED_KEYS):
        return
    if key == ("patient", "age") and isinstance(value, int) and not isinstance(value, bool):
        yield key, str(value)
    elif isinstance(value, str):
        yield key, value
    elif isinstance(value, (dict, list)):
        if id(value) in seen:
            return
        seen.add(id(value))
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for name, item in items:
            yield from _values(item, key + (name,), seen)


def _field_hits(key: tuple[Any, ...], value: str, names: frozenset[str]) -> list[Hit]:
    hits = find_identifiers(value, known_names=names)
    if key and key[-1] == "credit":
        hits = [h for h in hits if h.rule not in _CREDIT_SKIPS]
    if key == ("patient", "age"):
        hits = [h for h in hits if h.rule != "phi-age"]
        if _age_over_89(value):
            what, advice = RULES["phi-age"]
            hits.append(Hit("phi-age", 0, len(value), f"'patient.age: {value.strip()}': {what}; {advice}"))
    return hits


def _age_over_89(age: str) -> bool:
    """Whether the front matter's age is over 89 (`90 years or older` is the Safe Harbor group, not an age)."""
    if _OLDER_RE.search(age):
        return False
    days = age_in_days(age)
    if days is None:
        bare = _BARE_AGE_RE.fullmatch(age)
        return bare is not None and int(bare.group(1)) >= 90
    return days >= _AGE_DAYS_90


def _locate(lines: list[str], first: int, value: str, hit: Hit) -> tuple[int, int]:
    """The file line and column of `hit` in a front-matter value written at line `first`."""
    needle = value[hit.start : hit.end].split("\n")[0].strip()
    for index in range(first - 1, min(len(lines), first + value.count("\n") + 4)):
        at = lines[index].find(needle) if needle else -1
        if at != -1:
            return index + 1, at + 1
    return first, 1
