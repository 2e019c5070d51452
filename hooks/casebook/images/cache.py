"""Derivatives kept by content hash, so an unchanged photograph is never re-encoded.

The key is the SHA-256 of the source's bytes and of everything that changes
the outputs (the encoder version, the size limit). A source's hash is
remembered with its size and modification time (`index.json`), so a warm build
does not read unchanged photos at all. An entry is a folder of
output files and a `manifest.json`; it is written to a temporary folder and
renamed into place, so a build that is interrupted leaves no half entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casebook.images.encode import Encoded

#: Under the project root, beside the online checks' link cache.
CACHE_DIR = ".cache/plugin/casebook/images"


@dataclass(frozen=True)
class Entry:
    """A cached output: what it is, and the file that holds it (a plain path string: there are thousands)."""

    role: str
    suffix: str
    width: int
    height: int
    path: str


def key(digest: str, *params: object) -> str:
    """An entry's name: the source's content digest and the parameters that shape the outputs."""
    return hashlib.sha256(json.dumps([digest, *(str(p) for p in params)]).encode()).hexdigest()


class Cache:
    """Entries by content, and one index: each source's hash by (size, mtime), like make, and each manifest.

    A warm build reads the index once and nothing else of an unchanged photo. An entry whose folder
    has gone (the cache was partly deleted) is written again.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._index_path = folder / "index.json"
        self._digests: dict[str, list[Any]] = {}
        self._manifests: dict[str, list[list[Any]]] = {}
        self._loaded = False
        self._dirty = False
        self._lock = threading.Lock()

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        try:
            loaded = json.loads(self._index_path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict) and loaded.get("version") == 1:
                self._digests = dict(loaded.get("digests", {}))
                self._manifests = dict(loaded.get("entries", {}))
        except (OSError, ValueError, TypeError):
            pass

    def digest(self, path: Path) -> str:
        """The SHA-256 of a file's bytes, read again only when its size or modification time changed."""
        self._load()
        stat = os.stat(path)
        known = self._digests.get(str(path))
        if isinstance(known, list) and len(known) == 3 and known[0] == stat.st_size and known[1] == stat.st_mtime_ns:
            return str(known[2])
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        self._digests[str(path)] = [stat.st_size, stat.st_mtime_ns, digest]
        self._dirty = True
        return digest

    def save(self) -> None:
        """Write the index (atomically); a failure only costs re-hashing next time."""
        if not self._dirty:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            staging = self._index_path.with_suffix(".tmp")
            data = {"version": 1, "digests": self._digests, "entries": self._manifests}
            staging.write_text(json.dumps(data), encoding="utf-8")
            os.replace(staging, self._index_path)
            self._dirty = False
        except OSError:
            pass

    def _entry_dir(self, name: str) -> str:
        return os.path.join(self.folder, name[:2], name)

    def get(self, name: str) -> list[Entry] | None:
        self._load()
        items = self._manifests.get(name)
        folder = self._entry_dir(name)
        if not items or not os.path.isdir(folder):
            return None
        try:
            return [Entry(r, x, int(w), int(h), os.path.join(folder, f"{r}{x}")) for r, x, w, h in items]
        except (TypeError, ValueError):
            return None

    def put(self, name: str, outputs: list[Encoded]) -> list[Entry]:
        """Store one entry. Figures are encoded in a thread pool, and two figures with the same bytes have
        the same entry: one lock, and an entry already complete is kept (same key, same content)."""
        final = Path(self._entry_dir(name))
        files = {f"{out.role}{out.suffix}" for out in outputs}
        with self._lock:
            final.parent.mkdir(parents=True, exist_ok=True)
            if not (final.is_dir() and files <= set(os.listdir(final))):
                staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=final.parent))
                try:
                    for out in outputs:
                        (staging / f"{out.role}{out.suffix}").write_bytes(out.data)
                    if final.exists():
                        shutil.rmtree(final, ignore_errors=True)
                    os.replace(staging, final)
                finally:
                    if staging.exists():
                        shutil.rmtree(staging, ignore_errors=True)
            self._load()
            self._manifests[name] = [[o.role, o.suffix, o.width, o.height] for o in outputs]
            self._dirty = True
            entries = self.get(name)
        if entries is None:
            raise OSError(f"the image cache entry {final} could not be read back")
        return entries
