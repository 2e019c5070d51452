"""Every `bib/*.bib` file read into one `Library`: the references by key, and what failed.

Keys are global across files, so duplicates (and keys that differ only in
case, which BibTeX tools treat as one) are found here, not per file; each
file is parsed once per distinct text, because several hooks and every
`mkdocs serve` rebuild load the same files.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from casebook.findings import Finding, relative
from casebook.references.bibtex.parse import Broken, parse_bib_text
from casebook.references.bibtex.reference import Reference
from casebook.text.frontmatter import read_source

__all__ = ["Library", "load_library"]


@dataclass
class Library(Mapping[str, Reference]):
    """Every usable reference by key, plus the keys of blocks that failed to parse."""

    references: dict[str, Reference] = field(default_factory=dict)
    broken: dict[str, tuple[str, int]] = field(default_factory=dict)  # key -> (path, line) of a failed block
    paths: tuple[str, ...] = ()
    style: str = "ama"  # the site's citation_style, so every caller formats the references alike

    def __getitem__(self, key: str) -> Reference:
        return self.references[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.references)

    def __len__(self) -> int:
        return len(self.references)

    def unknown_key_message(self, key: str) -> str:
        """What to tell an author who cited `key`: why it is unknown and what to do."""
        if key in self.broken:
            path, line = self.broken[key]
            return (
                f"citation [@{key}]: the BibTeX entry '{key}' at {path}:{line} could not be read; "
                "fix the error reported there"
            )
        hint = ""
        folded = {k.lower(): k for k in self.references}
        if key.lower() in folded:
            hint = f"; keys are case-sensitive, did you mean '{folded[key.lower()]}'?"
        else:
            close = difflib.get_close_matches(key, list(self.references), n=1, cutoff=0.75)
            if close:
                hint = f"; did you mean '{close[0]}'?"
        where = ", ".join(self.paths) if self.paths else "bib/*.bib"
        return f"citation [@{key}]: no BibTeX entry has this key (looked in {where}){hint}"


def load_library(paths: list[Path], root: Path | None = None) -> tuple[Library, list[Finding]]:
    """Parse every .bib file once; later duplicates of a key are reported, the first one wins."""
    library = Library(paths=tuple(relative(p, root) for p in paths))
    findings: list[Finding] = []
    seen_folded: dict[str, Reference] = {}
    for path in paths:
        shown = relative(path, root)
        text, read_findings = read_source(path)
        findings += [dataclasses.replace(f, path=shown) for f in read_findings]
        if text is None:
            continue
        refs, broken, file_findings = _parse_bib_text_cached(text, shown)
        findings += file_findings
        for key, where in broken.items():
            library.broken.setdefault(key, where)
        for ref in refs:
            findings += _add(library, ref, seen_folded, shown)
    return library, findings


def _add(library: Library, ref: Reference, seen_folded: dict[str, Reference], shown: str) -> list[Finding]:
    """Add `ref` unless its key is taken; a key that differs only in case is added but reported."""
    if ref.key in library.references:
        first = library.references[ref.key]
        return [
            Finding.error(
                shown,
                ref.line,
                "bib-duplicate-key",
                f"duplicate BibTeX key '{ref.key}': already defined at {first.path}:{first.line}; "
                "rename one of them or delete the copy",
            )
        ]
    findings: list[Finding] = []
    folded = seen_folded.get(ref.key.lower())
    if folded is not None:
        findings.append(
            Finding.warning(
                shown,
                ref.line,
                "bib-key-case",
                f"BibTeX key '{ref.key}' differs only in upper/lower case from '{folded.key}' at "
                f"{folded.path}:{folded.line}; BibTeX tools treat them as the same key, rename one",
            )
        )
    seen_folded.setdefault(ref.key.lower(), ref)
    library.references[ref.key] = ref
    return findings


def _parse_bib_text_cached(text: str, path: str) -> tuple[list[Reference], Broken, list[Finding]]:
    """parse_bib_text, memoised on the exact text: several hooks (and serve rebuilds) load the same .bib."""
    refs, broken, findings = _parse_bib_text_memo(text, path)
    return list(refs), dict(broken), list(findings)


@functools.lru_cache(maxsize=16)
def _parse_bib_text_memo(
    text: str, path: str
) -> tuple[tuple[Reference, ...], tuple[tuple[str, tuple[str, int]], ...], tuple[Finding, ...]]:
    """parse_bib_text's results as tuples, so the cache cannot be changed by a caller."""
    refs, broken, findings = parse_bib_text(text, path)
    return tuple(refs), tuple(broken.items()), tuple(findings)
