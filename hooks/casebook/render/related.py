"""Related cases, listed at the end of an answer: same specialty, same body site, or a linked diagnosis.

"A linked diagnosis" means the two cases have the same diagnosis, or one case's
etiology table names the other's diagnosis (or a synonym) in a cell. The first
column of an etiology table is a type label ("Idiopathic", "Dystrophic"): two
tables that both have an "Idiopathic" row say nothing about each other's
cases, so that column alone never relates them. The list shows only the other
cases' spoiler-free titles and the reason in general words, never the other
case's diagnosis or the shared condition: the reader of this answer may not
have solved those cases yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from casebook.cases.etiology import BLOCK_NAME as ETIOLOGY_BLOCK
from casebook.cases.etiology import EtiologyTable, parse_table
from casebook.cases.model import Case
from casebook.cases.spoilers import normalise
from casebook.project.settings import Labels
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
    """Normalised first cells of every etiology table row: the causes the case discusses (the etiology index)."""
    return {normalise(row[0]).strip() for table in etiology_tables(case) for row in table.rows if row}


#: What separates the conditions a cell lists ("A, B; C (D)") and its citations.
_ITEM_SPLIT_RE = re.compile(r"[,;()\[\]]|\band\b|\bor\b")


def named_conditions(case: Case) -> set[str]:
    """Every item the case's etiology cells list, normalised: matched against other cases' diagnoses."""
    return {
        item
        for table in etiology_tables(case)
        for row in table.rows
        for cell in row
        for item in (normalise(part) for part in _ITEM_SPLIT_RE.split(cell.replace("*", "").replace("_", " ")))
        if item.strip()
    }


def diagnosis_names(case: Case) -> set[str]:
    return {normalise(name) for name in (case.meta.diagnosis, *case.meta.synonyms) if name.strip()}


@dataclass(frozen=True)
class Related:
    case: Case
    reason: str


class RelatedIndex:
    """Built once per build: cases by specialty, body site and diagnosis, so lookups stay cheap with many cases.

    A lookup scores a bounded set of candidates (the cases with a linked
    diagnosis, and the newest few of the same specialty and of each body site),
    not every case of a specialty: with one specialty per ~N/7 cases, ranking
    the whole specialty for every page made the build quadratic in N.
    """

    def __init__(self, cases: list[Case], labels: Labels | None = None) -> None:
        self.labels = labels or Labels()
        self.order = {c.slug: i for i, c in enumerate(newest_first(cases))}
        self.cases = {c.slug: c for c in cases}
        self.by_specialty: dict[str, list[str]] = {}
        self.by_site: dict[str, list[str]] = {}
        self.by_diagnosis: dict[str, set[str]] = {}
        self.named: dict[str, set[str]] = {}
        for c in newest_first(cases):
            self.by_specialty.setdefault(facet_key(c.meta.specialty), []).append(c.slug)
            for site in dict.fromkeys(facet_key(s) for s in c.meta.body_sites):
                self.by_site.setdefault(site, []).append(c.slug)
            for name in diagnosis_names(c):
                self.by_diagnosis.setdefault(name, set()).add(c.slug)
        for c in cases:
            for item in named_conditions(c):
                for other in self.by_diagnosis.get(item, ()):
                    if other != c.slug:  # both ways: A's table names B's diagnosis, so B relates to A too
                        self.named.setdefault(c.slug, set()).add(other)
                        self.named.setdefault(other, set()).add(c.slug)
        for names in self.by_diagnosis.values():
            for slug in names:
                self.named.setdefault(slug, set()).update(names - {slug})

    def related(self, case: Case, limit: int = MAX_RELATED) -> list[Related]:
        """Up to `limit` other cases: the most reasons first (a linked diagnosis weighs most), then newest."""
        if limit <= 0:
            return []
        specialty = facet_key(case.meta.specialty)
        sites = {facet_key(s) for s in case.meta.body_sites}
        linked = self.named.get(case.slug, set())
        reach = limit * 4
        candidates = set(linked)
        candidates.update(islice(self.by_specialty.get(specialty, ()), reach))
        for site in sites:
            candidates.update(islice(self.by_site.get(site, ()), reach))
        candidates.discard(case.slug)
        scored = []
        for slug in candidates:
            other = self.cases[slug]
            shared = (
                (4, self.labels.related_diagnosis, slug in linked),
                (2, self.labels.related_specialty, facet_key(other.meta.specialty) == specialty),
                (1, self.labels.related_body_site, bool(sites & {facet_key(s) for s in other.meta.body_sites})),
            )
            weight = sum(w for w, _, holds in shared if holds)
            scored.append((-weight, self.order[slug], slug, [reason for _, reason, holds in shared if holds]))
        scored.sort()
        return [
            Related(self.cases[slug], self.labels.related_joiner.join(reasons))
            for _, _, slug, reasons in scored[:limit]
        ]
