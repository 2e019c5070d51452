"""Related cases, listed at the end of an answer: same specialty or a shared cause.

"Shared cause" means the two cases' etiology tables have a row with the same
first cell (e.g. both discuss "Idiopathic" causes). The list shows only the
other cases' spoiler-free titles and the reason in general words, never the
other case's diagnosis or the shared cause itself: the reader of this answer
may not have solved those cases yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from .blocks import scan_blocks
from .case_index import facet_key, newest_first
from .etiology import BLOCK_NAME as ETIOLOGY_BLOCK
from .etiology import EtiologyTable, parse_table
from .model import Case
from .spoilers import normalise

MAX_RELATED = 3


def etiology_tables(case: Case) -> list[EtiologyTable]:
    """The case's etiology tables, parsed (load_case already reported bad ones)."""
    tables = []
    for block in scan_blocks(case.body):
        if block.name == ETIOLOGY_BLOCK and block.end is not None:
            table, _ = parse_table(block.argument, block.content)
            if table is not None:
                tables.append(table)
    return tables


def etiology_terms(case: Case) -> set[str]:
    """Normalised first cells of every etiology table row: the causes the case discusses."""
    return {normalise(row[0]).strip() for table in etiology_tables(case) for row in table.rows if row}


@dataclass(frozen=True)
class Related:
    case: Case
    reason: str


class RelatedIndex:
    """Built once per build: cases by specialty and by cause, so lookups stay cheap with many cases."""

    def __init__(self, cases: list[Case]) -> None:
        self.order = {c.slug: i for i, c in enumerate(newest_first(cases))}
        self.cases = {c.slug: c for c in cases}
        self.terms = {c.slug: etiology_terms(c) for c in cases}
        self.by_specialty: dict[str, set[str]] = {}
        self.by_term: dict[str, set[str]] = {}
        for c in cases:
            self.by_specialty.setdefault(facet_key(c.meta.specialty), set()).add(c.slug)
            for term in self.terms[c.slug]:
                self.by_term.setdefault(term, set()).add(c.slug)

    def related(self, case: Case, limit: int = MAX_RELATED) -> list[Related]:
        """Up to `limit` other cases: those sharing both specialty and a cause first, then newest."""
        same_specialty = self.by_specialty.get(facet_key(case.meta.specialty), set())
        shared_cause: set[str] = set()
        for term in self.terms.get(case.slug) or etiology_terms(case):
            shared_cause |= self.by_term.get(term, set())
        ranked = []
        for slug in (same_specialty | shared_cause) - {case.slug}:
            reasons = [r for r, on in (("same specialty", slug in same_specialty),
                                       ("a cause in common", slug in shared_cause)) if on]
            ranked.append((-len(reasons), self.order[slug], Related(self.cases[slug], " and ".join(reasons))))
        return [r for *_, r in sorted(ranked, key=lambda t: (t[0], t[1]))[:limit]]


def related_cases(case: Case, cases: list[Case], limit: int = MAX_RELATED) -> list[Related]:
    """Convenience for one lookup; the build uses one RelatedIndex for every page."""
    return RelatedIndex(cases).related(case, limit)
