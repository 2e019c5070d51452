"""The link cache: definitive answers with the time they were checked, so CI runs do not ask again.

Only `ok`, `broken` and `redirect` verdicts are kept (transient answers are
asked again every run), each with its `checked` time so an entry can age out.
The file follows the MkDocs plugin cache convention (`.cache/plugin/<plugin>/`,
as Material's plugins use), a folder projects already git-ignore and keep
between CI runs; it is never inside cases/, bib/ or docs/.  An unreadable cache is a warning, and is
rewritten.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from casebook.checks.online.outcomes import CACHEABLE
from casebook.fileio import write_atomically
from casebook.findings import Finding

__all__ = ["CACHE_VERSION", "DEFAULT_CACHE_PATH", "default_cache_path", "fresh", "load_cache", "write_cache"]

#: Relative to the project root; git-ignored, never inside cases/, bib/ or docs/.
DEFAULT_CACHE_PATH = Path(".cache") / "plugin" / "casebook" / "links.json"
CACHE_VERSION = 1


def default_cache_path(root: str | Path) -> Path:
    """`.cache/plugin/casebook/links.json` under the project root (git-ignored)."""
    return Path(root) / DEFAULT_CACHE_PATH


def load_cache(path: Path) -> tuple[dict[str, dict[str, Any]], list[Finding]]:
    """The usable entries of the cache at `path`, and a warning if the file cannot be read."""
    if not path.exists():
        return {}, []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
            raise ValueError(f"not a version {CACHE_VERSION} cache")
        entries = data.get("entries")
        if not isinstance(entries, dict):
            raise ValueError("no 'entries' object")
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return {}, [
            Finding.warning(
                path, 1, "online-cache", f"link cache is unreadable ({error}); ignoring it, it will be rewritten"
            )
        ]
    good = {
        key: entry
        for key, entry in entries.items()
        if isinstance(entry, dict)
        and entry.get("status") in CACHEABLE
        and isinstance(entry.get("checked"), (int, float))
    }
    return good, []


def fresh(entry: dict[str, Any], now: float, max_age: float) -> bool:
    """Whether `entry` was checked less than `max_age` seconds before `now` (and not in the future)."""
    age = now - float(entry["checked"])
    return 0 <= age < max_age


def write_cache(path: Path, entries: dict[str, dict[str, Any]]) -> None:
    """Write atomically (casebook.fileio): a reader (or a crash) never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = (
        json.dumps({"version": CACHE_VERSION, "entries": dict(sorted(entries.items()))}, indent=1, ensure_ascii=False)
        + "\n"
    )
    write_atomically(path, payload.encode("utf-8"))
