"""The site as MkDocs will publish it: its files by `src_uri`, and the pages among them.

Links are resolved against this model, built from the sources, exactly as
MkDocs 1.6 resolves them (relative to the page's `src_uri`), so a link the
check accepts is one the build will not warn about.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from casebook.checks.links.anchors import Anchors

__all__ = ["PageKind", "Site", "SourcePage", "docs_files", "target_uri"]

PageKind = Literal["doc", "case", "generated"]

#: Files MkDocs leaves out of docs/ by default (`exclude_docs`): dot files and templates.
_EXCLUDED_PART_RE = re.compile(r"^\.")


@dataclass
class SourcePage:
    """A page of the site as MkDocs will know it, read from its source (not mkdocs' Page)."""

    uri: str  # MkDocs src_uri: `index.md`, `cases/<slug>/index.md`
    shown: str  # path in findings, relative to the project root
    kind: PageKind
    text: str = ""  # the whole source (front matter included, so lines are file lines)
    anchors: Anchors = field(default_factory=Anchors)
    body_line: int = 1  # first line that is Markdown (after front matter)


@dataclass
class Site:
    """Every file MkDocs will publish (by src_uri) and the pages among them."""

    files: set[str] = field(default_factory=set)
    pages: dict[str, SourcePage] = field(default_factory=dict)

    def add_page(self, page: SourcePage) -> None:
        """Publish `page`: a link to it is a link to one of the site's files."""
        self.pages[page.uri] = page
        self.files.add(page.uri)


def docs_files(docs_dir: Path) -> list[str]:
    """Every file under docs/ that MkDocs publishes (its default `exclude_docs` leaves out dot files)."""
    if not docs_dir.is_dir():
        return []
    out = []
    for path in docs_dir.rglob("*"):
        rel = path.relative_to(docs_dir)
        if path.is_file() and not any(_EXCLUDED_PART_RE.match(p) for p in rel.parts) and rel.parts[0] != "templates":
            out.append(rel.as_posix())
    return sorted(out)


def target_uri(src_uri: str, path: str) -> str:
    """What MkDocs resolves a relative link to (mkdocs.structure.pages._RelativePathTreeprocessor)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), path).lstrip("/"))
