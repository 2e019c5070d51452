"""All cases of a project, in a stable order, valid or not.

`load_catalog` is called once per build (by the project model). `mkdocs
serve` makes a new plugin instance for every rebuild, so the one cache that
outlives a build is here, documented: per cases folder, each case's result
keyed by its file's modification time and size (and re-read when a figure it
names appears or disappears). A changed file is always parsed again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from casebook.cases.loader import discover_cases, load_case
from casebook.cases.model import Case
from casebook.findings import Finding

_Stamp = tuple[int, int]


@dataclass
class Entry:
    path: Path
    case: Case | None
    findings: list[Finding]
    stamp: _Stamp


@dataclass
class Catalog:
    """Every case folder, valid or not, in a stable order."""

    root: Path
    entries: list[Entry] = field(default_factory=list)

    @property
    def cases(self) -> list[Case]:
        return [e.case for e in self.entries if e.case is not None]

    @property
    def findings(self) -> list[Finding]:
        return [f for e in self.entries for f in e.findings]


#: cases folder -> case file -> its last result (see the module docstring).
_cache: dict[Path, dict[Path, Entry]] = {}


def load_catalog(cases_dir: Path, root: Path | None = None) -> Catalog:
    """Load (or reuse) every case under `cases_dir`; paths in findings are relative to `root`."""
    cases_dir = cases_dir.resolve()
    root = (root or cases_dir.parent).resolve()
    previous = _cache.get(cases_dir, {})
    current: dict[Path, Entry] = {}
    for path in discover_cases(cases_dir):
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        old = previous.get(path)
        if old is not None and old.stamp == stamp and not _images_changed(old):
            current[path] = old
        else:
            case, findings = load_case(path, root)
            current[path] = Entry(path, case, findings, stamp)
    _cache[cases_dir] = current
    return Catalog(root, list(current.values()))


def _images_changed(entry: Entry) -> bool:
    """A figure file added or removed changes the case's findings."""
    return any("does not exist" in f.message for f in entry.findings) or (
        entry.case is not None and any(not (entry.path.parent / fig.file).is_file() for fig in entry.case.meta.figures)
    )
