"""Related cases, listed at the end of an answer: same specialty or a shared cause.

"Shared cause" means the two cases' etiology tables have a row with the same
first cell (e.g. both discuss "Idiopathic" causes). The list shows only the
other cases' spoiler-free titles and the reason in general words, never the
other case's diagnosis or the shared cause itself: the reader of this answer
may not have solved those cases yet.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from casebook.cases.etiology import BLOCK_NAME as ETIOLOGY_BLOCK
from casebook.cases.etiology import EtiologyTable, parse_table
from casebook.cases.model import Case
from casebook.cases.spoilers import normalise
from casebook.render.case_index import facet_key, newest_first
from casebook.text.blocks import scan_blocks

MAX_RELATED = 3


def etiology_tables(case: Case) -> list[EtiologyTable]:
    """The case's etiology tables, parsed (load_case already reported bad ones)."""
    return list(_tables_of(case.body))


@lru_cache(maxsize=8192)
def _tables_of(body: str) -> tuple[EtiologyTable, ...]:
    """Parsed once per body text: the etiology page and RelatedIndex both ask, and YAML is slow."""
    tables = []
    for block in scan_blocks(body):
        if block.name == ETIOLOGY_BLOCK and block.end is not None:
            table, _ = parse_table(block.argument, block.content)
            if table is not None:
                tables.append(table)
    return tuple(tables)


def etiology_terms(case: Case) -> set[str]:
    """Normalised first cells of every etiology table row: the causes the case discusses."""
    return {normalise(row[0]).strip() for table in etiology_tables(case) for row in table.rows if row}


@dataclass(frozen=True)
class Related:
    case: Case
    reason: str


class RelatedIndex:
    """Built once per build: cases by specialty and by cause, so lookups stay cheap with many cases.

    A lookup costs O(cases sharing a cause + limit), not O(cases in the specialty):
    with one specialty per ~N/7 cases, ranking the whole specialty for every page
    made the build quadratic in N.
    """

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
        # Each specialty's cases newest first, so the newest few are read off the front.
        self.specialty_newest = {k: sorted(v, key=self.order.__getitem__) for k, v in self.by_specialty.items()}

    def related(self, case: Case, limit: int = MAX_RELATED) -> list[Related]:
        """Up to `limit` other cases: those sharing both specialty and a cause first, then newest."""
        specialty = facet_key(case.meta.specialty)
        same_specialty = self.by_specialty.get(specialty, set())
        shared_cause: set[str] = set()
        for term in self.terms.get(case.slug) or etiology_terms(case):
            shared_cause |= self.by_term.get(term, set())
        shared_cause.discard(case.slug)
        both = heapq.nsmallest(limit, shared_cause & same_specialty, key=self.order.__getitem__)
        cause_only = heapq.nsmallest(limit, shared_cause - same_specialty, key=self.order.__getitem__)
        specialty_only = islice(
            (s for s in self.specialty_newest.get(specialty, ()) if s != case.slug and s not in shared_cause), limit
        )
        one_reason = heapq.merge(
            ((s, "same specialty") for s in specialty_only),
            ((s, "a cause in common") for s in cause_only),
            key=lambda item: self.order[item[0]],
        )
        ranked = [(s, "same specialty and a cause in common") for s in both] + list(islice(one_reason, limit))
        return [Related(self.cases[slug], reason) for slug, reason in ranked[:limit]]
