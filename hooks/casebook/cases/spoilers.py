"""Spoiler lint: the diagnosis must not show anywhere a reader sees before the reveal.

Matching is on normalised words (case, accents, hyphens and punctuation
ignored), so "Milia-like calcinosis" and "milia like CALCINOSIS" are the same.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from casebook.findings import Finding
from casebook.cases.model import CaseMeta

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Lower-case, strip accents, turn every run of non-letters into one space.

    Cached: the same terms, titles and reference fields are checked on many pages.
    """
    folded = text
    if not text.isascii():
        folded = unicodedata.normalize("NFKD", text)
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " " + _NON_WORD.sub(" ", folded.lower()).strip() + " "


def leaked_term(text: str, terms: Iterable[str]) -> str | None:
    """The first spoiler term found as whole words in `text`, if any."""
    haystack = normalise(text)
    for term in terms:
        needle = normalise(term)
        if needle.strip() and needle in haystack:
            return term
    return None


def lint_case(meta: CaseMeta, slug: str, pre_answer_text: str, path: str | Path,
              lines: dict[tuple[str | int, ...], int] | None = None, pre_answer_line: int = 1) -> list[Finding]:
    """Check every place a reader sees before the reveal; one finding per leak."""
    lines = lines or {}
    terms = meta.spoiler_terms
    findings: list[Finding] = []

    def check(where: str, text: str, line: int) -> None:
        if term := leaked_term(text, terms):
            findings.append(Finding.error(
                path, line, "spoiler",
                f"the {where} reveals the diagnosis ({term!r}); reword it so the answer stays hidden"))

    check("case folder name (URL)", slug.replace("-", " "), 1)
    for field in ("title", "summary", "presenting_complaint", "question"):
        check(f"'{field}'", getattr(meta, field), lines.get((field,), 1))
    # Shown in the facts box and on the case index cards, before the reveal.
    check("'specialty'", meta.specialty, lines.get(("specialty",), 1))
    check("'patient.age'", meta.patient.age, lines.get(("patient", "age"), lines.get(("patient",), 1)))
    for i, site in enumerate(meta.body_sites):
        check("'body_sites'", site, lines.get(("body_sites", i), lines.get(("body_sites",), 1)))
    for i, author in enumerate(meta.authors):
        check("'authors'", author, lines.get(("authors", i), lines.get(("authors",), 1)))
    for i, objective in enumerate(meta.learning_objectives):
        check("learning objective", objective, lines.get(("learning_objectives", i), 1))
    for fig in meta.figures:
        if fig.in_answer:
            continue
        line = fig.line
        check(f"alt text of figure {fig.number}", fig.alt, lines.get(("figures", fig.number - 1, "alt"), line))
        check(f"caption of figure {fig.number}", fig.caption, lines.get(("figures", fig.number - 1, "caption"), line))
        check(f"file name of figure {fig.number}", Path(fig.file).stem, lines.get(("figures", fig.number - 1, "file"), line))
        if fig.credit:
            check(f"credit of figure {fig.number}", fig.credit, line)
    if leaked_term(pre_answer_text, terms):  # one pass over the whole text; lines only to say where
        for offset, text_line in enumerate(pre_answer_text.split("\n")):
            check("text before the answer", text_line, pre_answer_line + offset)
    return findings
