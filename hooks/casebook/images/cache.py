"""Derivatives kept by content hash, so an unchanged photograph is never re-encoded.

The key is the SHA-256 of the source's bytes and of everything that changes
the outputs (the encoder version, the size limit). A source's hash is
remembered with its size and modification time (`index.json`), so a warm build
does not read unchanged photos at all. An entry is a folder of
output files and a `manifest.json`; it is written to a temporary folder and
renamed into place, so a build that is interrupted leaves no half entry.

Each output's size and modification time are remembered when it is written.
The site gets hard links to these files where the file system allows
(`link_or_copy`), so a tool that later rewrote a published image in place
would rewrite the cache entry too: an entry whose files no longer have the
remembered stamps is treated as missing and encoded again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import PIL

import casebook
from casebook.images import inspect as inspect_module
from casebook.images import metadata as metadata_module
from casebook.images.encode import Encoded
from casebook.images.inspect import BadImage, SourceInfo, inspect_source, max_pixels
from casebook.images.metadata import Identifying

#: Under the project root, beside the online checks' link cache.
CACHE_DIR = ".cache/plugin/casebook/images"
#: Changes whenever `inspect_source` judges a file differently.
INSPECTION_VERSION = 1


@functools.cache
def inspection_code() -> str:
    """A digest of the code that judges a source (and words its messages) and Casebook's version.

    A remembered verdict is only as good as the code that reached it: without this, a message
    reworded in `inspect.py` (or a new identifying field in `metadata.py`) would stay in the
    build's output until the photo itself changed, while `casebook check` showed the new one.
    """
    h = hashlib.sha256(f"casebook {casebook.__version__}\n".encode())
    for module in (inspect_module, metadata_module):
        h.update(Path(str(module.__file__)).read_bytes())
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class Entry:
    """A cached output: what it is, and the file that holds it (a plain path string: there are thousands)."""

    role: str
    suffix: str
    width: int
    height: int
    path: str
    #: (size, mtime_ns) of the file when it was written and judged.
    stamp: tuple[int, int] | None = None
    #: (st_dev, st_ino) of the file as found: a published hard link to it has the same.
    inode: tuple[int, int] | None = None


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
        self._sources: dict[str, dict[str, Any]] = {}
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
                self._sources = dict(loaded.get("sources", {}))
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
            data = {"version": 1, "digests": self._digests, "entries": self._manifests, "sources": self._sources}
            staging.write_text(json.dumps(data), encoding="utf-8")
            os.replace(staging, self._index_path)
            self._dirty = False
        except OSError:
            pass

    def source_info(self, path: Path) -> SourceInfo:
        """`inspect_source(path)` (its verdict, or its `BadImage`), remembered by the file's content.

        The inspection decodes the whole photo (at 1/8 scale for a JPEG) to prove it is usable: about
        5 ms a photo, every build, for files that have not changed. The verdict depends on the bytes,
        the inspecting code, Pillow and its pixel limit only, so it is kept under their hash.
        """
        name = key(self.digest(path), "inspect", INSPECTION_VERSION, inspection_code(), PIL.__version__, max_pixels())
        known = self._sources.get(name)
        if isinstance(known, dict) and "bad" in known:
            raise BadImage(str(known["bad"]))
        if isinstance(known, dict):
            try:
                found = Identifying(bool(known["gps"]), tuple(str(f) for f in known["fields"]))
                width, height, size = int(known["width"]), int(known["height"]), int(known["bytes"])
                return SourceInfo(str(known["format"]), width, height, size, found)
            except (KeyError, TypeError, ValueError):
                pass  # written by something else: inspected again
        try:
            info = inspect_source(path)
        except BadImage as exc:
            self._sources[name] = {"bad": str(exc)}
            self._dirty = True
            raise
        self._sources[name] = {
            "format": info.format,
            "width": info.width,
            "height": info.height,
            "bytes": info.size_bytes,
            "gps": info.identifying.gps,
            "fields": list(info.identifying.fields),
        }
        self._dirty = True
        return info

    def _entry_dir(self, name: str) -> str:
        return os.path.join(self.folder, name[:2], name)

    def get(self, name: str) -> list[Entry] | None:
        """The entry's files, or None when it is missing, partial, or a file changed since it was written."""
        self._load()
        items = self._manifests.get(name)
        if not items:
            return None
        folder = self._entry_dir(name)
        entries = []
        try:
            for item in items:
                role, suffix, width, height = item[:4]
                path = os.path.join(folder, f"{role}{suffix}")
                st = os.stat(path)
                if len(item) == 4:  # written before stamps, when the site only ever got copies: stamped now
                    item.extend([st.st_size, st.st_mtime_ns])
                    self._dirty = True
                stamp = (int(item[4]), int(item[5]))
                if (st.st_size, st.st_mtime_ns) != stamp:
                    return None
                entries.append(Entry(role, suffix, int(width), int(height), path, stamp, (st.st_dev, st.st_ino)))
        except (OSError, TypeError, ValueError, IndexError):
            return None
        return entries

    def put(self, name: str, outputs: list[Encoded]) -> list[Entry]:
        """Store one entry. Figures are encoded in a thread pool, and two figures with the same bytes have
        the same entry: one lock, and an entry already complete is kept (same key, same content)."""
        final = Path(self._entry_dir(name))
        with self._lock:
            final.parent.mkdir(parents=True, exist_ok=True)
            if self.get(name) is None:  # missing, partial or changed: written afresh
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
            self._manifests[name] = [
                [o.role, o.suffix, o.width, o.height, *_stamp(final / f"{o.role}{o.suffix}")] for o in outputs
            ]
            self._dirty = True
            entries = self.get(name)
        if entries is None:
            raise OSError(f"the image cache entry {final} could not be read back")
        return entries


def _stamp(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


def link_or_copy(source: str, target: str) -> None:
    """Publish a cached file: a hard link where the file system allows it, a copy otherwise.

    A link costs no bytes and no reading, and lets the output check see that the
    published file is the very one judged when it was made (same inode, same stamp).
    """
    try:
        try:
            os.link(source, target)  # one system call in the common case: a new file in a clean site
        except FileNotFoundError:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.link(source, target)
        except FileExistsError:
            os.unlink(target)
            os.link(source, target)
    except OSError:  # another file system, or one without hard links
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(source, target)
