"""`mkdocs serve --dirty` for Casebook: the edited case and every page that depends on it.

MkDocs' dirty build re-renders only pages whose source is newer than their
output. A case is also shown elsewhere: on the pages that list cases (the case
index, the home page's latest cases), on the site bibliography (which cases
cite what), in other cases' "Related cases", and on the browse pages (those
are generated, so MkDocs rebuilds them anyway). `dependents` works out which
pages those are, from the project before and after the edit, and `mark_modified`
makes MkDocs see them as modified by setting their *output* file's mtime to
0 (the output in the serve folder, never an author's file).

Material's search plugin keeps its index across dirty rebuilds but merges it
for one page only; with several pages rebuilt it drops or duplicates entries.
`SearchEntries` keeps the full list of the last build and replaces the entries
of the pages rebuilt now, in the order a full build writes them, so the index
is the one a full build would write.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from casebook.cases.model import Case

#: slug -> what other pages show of a case, and the stat of its source.
Snapshot = dict[str, tuple[Any, ...]]


def snapshot(cases: Iterable[Case], related: Callable[[Case], list[str]]) -> Snapshot:
    """Per case: its source's size and mtime, its front matter, and the slugs of its related cases."""
    out: Snapshot = {}
    for case in cases:
        try:
            st = os.stat(case.path)
            stamp: tuple[int, int] = (st.st_size, st.st_mtime_ns)
        except OSError:
            stamp = (-1, -1)
        out[case.slug] = (stamp, repr(case.meta), tuple(related(case)))
    return out


@dataclass(frozen=True)
class Dependents:
    """What changed between two builds, and the case pages to rebuild because of it."""

    changed: frozenset[str]
    case_slugs: frozenset[str]

    @property
    def any(self) -> bool:
        return bool(self.changed)


def dependents(before: Snapshot, after: Snapshot) -> Dependents:
    """Changed cases (edited, added, removed) and the cases whose "Related cases" show or showed one."""
    changed = {slug for slug in before.keys() | after.keys() if before.get(slug) != after.get(slug)}
    meta_changed = {
        slug for slug in changed if (before.get(slug) or (0, 0, 0))[1:2] != (after.get(slug) or (0, 0, 0))[1:2]
    }
    pages: set[str] = set()
    for slug, entry in after.items():
        old = before.get(slug)
        if old is None or old[2] != entry[2] or meta_changed & set(entry[2]):
            pages.add(slug)
    return Dependents(frozenset(changed), frozenset(pages))


def mark_modified(dest_paths: Iterable[str]) -> int:
    """Make MkDocs' dirty build see these outputs as stale (mtime 0); returns how many were marked."""
    marked = 0
    for path in dest_paths:
        if os.path.isfile(path):
            os.utime(path, (0, 0))
            marked += 1
    return marked


@dataclass
class SearchEntries:
    """The search index entries of the last complete build, per page URL, in build order."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    order: dict[str, int] = field(default_factory=dict)
    built: list[str] = field(default_factory=list)

    def page_built(self, url: str) -> None:
        self.built.append(url)

    def merge(self, current: list[dict[str, Any]], dirty: bool) -> list[dict[str, Any]]:
        """The full index: this build's entries for the pages it built, the last build's for the others."""
        built = set(self.built)
        if dirty and self.entries:
            kept = [e for e in self.entries if _page(e) not in built]
            for url in self.built:
                self.order.setdefault(url, len(self.order))
            merged = kept + list(current)
            rank = {id(e): i for i, e in enumerate(merged)}
            merged.sort(key=lambda e: (self.order.get(_page(e), len(self.order)), rank[id(e)]))
        else:
            merged = list(current)
            self.order = {url: i for i, url in enumerate(dict.fromkeys(self.built))}
        self.entries = merged
        self.built = []
        return merged


def _page(entry: dict[str, Any]) -> str:
    return str(entry.get("location", "")).split("#", 1)[0]
