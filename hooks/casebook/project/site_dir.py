"""Refuse a site_dir whose cleaning would delete an author's files.

`mkdocs build` empties site_dir before writing. A committed `site -> cases`
symlink, or `site_dir: .` in mkdocs.yml, would make that delete the cases, the
bibliography or the whole repository; MkDocs itself only refuses a site_dir
inside docs_dir. This is decided before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def unsafe_site_dir(site_dir: Path, root: Path, sources: Iterable[Path]) -> str | None:
    """Why building into `site_dir` would delete sources (`root` and `sources`), or None when it is safe."""
    if site_dir.is_symlink():
        return (
            f"site_dir {site_dir} is a symbolic link (to {site_dir.resolve()}); building empties it first, "
            "which would delete what it points to; remove the link or choose another site_dir"
        )
    target = site_dir.resolve()
    for source in (root, *sources):
        source = source.resolve()
        if target == source or source.is_relative_to(target):
            return (
                f"site_dir {site_dir} would hold {source}; building empties site_dir first, "
                "which would delete those files; choose a folder of its own, such as 'site'"
            )
        if source != root.resolve() and target.is_relative_to(source):
            return (
                f"site_dir {site_dir} is inside {source}; building would write into (and empty) authors' files; "
                "choose a folder of its own, such as 'site'"
            )
    return None
