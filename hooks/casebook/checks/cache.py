"""`casebook check`'s result cache: an unchanged project is not checked again.

`make check` runs again and again while nothing, or one file, changed. The
cache key is a SHA-256 over everything the offline rules read: the Casebook
version, the rule registry, the Casebook code itself (path, size and mtime of
each module, so an edited rule invalidates it), the settings, the MkDocs config
file (and the files it INHERITs), and every folder and file name under the
cases, docs and bibliography folders with the SHA-256 of its contents. The
value is the findings (and the summary line) of that run.

A file's content hash is reused while its size, mtime and inode are those it
had when it was hashed (as git's index does), so a warm run only lists and
stats the files. Without a plugin setting that depends on the environment
(`!ENV` in the config), the folders to hash are remembered for the config
file's exact text too, so a hit needs neither MkDocs nor the project model.

Any change recomputes everything: the cache is an optimisation only, and
`--no-cache` (neither read nor write it) gives the same findings. It is one
JSON file, `.cache/plugin/casebook/check-results.json` under the project
folder; nothing is written anywhere else.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import casebook
from casebook.checks.registry import RULES
from casebook.findings import Finding
from casebook.project.settings import CACHE_DIR, Settings

CACHE_FILE = "check-results.json"
#: How many recent results are kept (a project switched between two states hits both).
KEEP = 4
FORMAT = 2
PACKAGE = Path(casebook.__file__).resolve().parent
INHERIT_RE = re.compile(r"^INHERIT:\s*['\"]?([^'\"\n#]+?)['\"]?\s*(?:#.*)?$", re.M)

#: path -> (size, mtime_ns, inode, sha256 hex) of the files hashed by this process or a previous run.
FileStamps = dict[str, tuple[int, int, int, str]]


@dataclass(frozen=True)
class CachedReport:
    """What `casebook check` prints: the findings and its summary line (without the time)."""

    findings: list[Finding]
    summary: str

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.is_error)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors


def cache_path(root: Path) -> Path:
    return root / CACHE_DIR / CACHE_FILE


def _read(root: Path) -> dict[str, Any]:
    try:
        data = json.loads(cache_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("format") == FORMAT else {}


class _Hasher:
    """Content hashes of files, reusing a previous run's while a file's stat is unchanged."""

    def __init__(self, stamps: FileStamps) -> None:
        self.old = stamps
        self.new: FileStamps = {}

    def file(self, h: Any, path: str) -> None:
        try:
            st = os.stat(path)
            stamp = self.old.get(path)
            if stamp is not None and stamp[:3] == (st.st_size, st.st_mtime_ns, st.st_ino):
                digest = stamp[3]
            else:
                with open(path, "rb") as f:
                    digest = hashlib.sha256(f.read()).hexdigest()
            self.new[path] = (st.st_size, st.st_mtime_ns, st.st_ino, digest)
            h.update(f"file\0{path}\0{digest}\n".encode())
        except OSError as exc:
            h.update(f"unreadable\0{path}\0{exc.errno}\n".encode())

    def tree(self, h: Any, top: str) -> None:
        """Every folder and file name under `top` (hidden ones too: a rule may report them), with contents."""
        if os.path.isfile(top):
            self.file(h, top)
            return
        if not os.path.isdir(top):
            h.update(f"missing\0{top}\n".encode())
            return
        for folder, dirs, files in os.walk(top, followlinks=True):
            dirs.sort()
            h.update(f"dir\0{folder}\n".encode())
            for name in sorted(files):
                self.file(h, os.path.join(folder, name))


def registry_fingerprint() -> str:
    """The rule registry as text that is the same in every process.

    Not `repr()`: a rule's `front_ends` is a frozenset, whose order follows the per-process
    string hash seed, so the key changed between two runs of an unchanged project.
    """
    return "\n".join(
        f"{r.id}\0{r.level}\0{r.summary}\0{','.join(sorted(r.front_ends))}\0{r.reason}"
        for r in sorted(RULES.values(), key=lambda rule: rule.id)
    )


def _code(h: Any) -> None:
    h.update(f"casebook-check-cache {FORMAT} {casebook.__version__}\n".encode())
    h.update(registry_fingerprint().encode())
    for folder, dirs, files in os.walk(PACKAGE):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".py"):
                with contextlib.suppress(OSError):
                    st = os.stat(os.path.join(folder, name))
                    h.update(f"{folder}/{name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())


def config_key(root: Path, config_file: Path) -> tuple[str | None, list[str]]:
    """A key for "this config text, this code" (None when the config reads the environment), and its files."""
    h = hashlib.sha256()
    _code(h)
    h.update(f"root\0{root}\n".encode())
    seen: list[str] = []
    todo = [str(Path(config_file).resolve())]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.append(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            h.update(f"unreadable\0{path}\n".encode())
            continue
        if "!ENV" in text:
            return None, seen
        h.update(f"config\0{path}\0{text}\n".encode())
        todo += [str((Path(path).parent / m.group(1).strip()).resolve()) for m in INHERIT_RE.finditer(text)]
    return h.hexdigest(), seen


def tops(settings: Settings) -> list[str]:
    """The folders (and files) the offline rules read."""
    root = settings.root
    paths = [settings.cases_path, settings.docs_path, *(root / entry for entry in settings.bibliography)]
    return list(dict.fromkeys(str(p) for p in paths))


def project_key(settings_repr: str, config_files: list[str], folders: list[str], hasher: _Hasher) -> str:
    h = hashlib.sha256()
    _code(h)
    h.update(f"settings\0{settings_repr}\n".encode())
    for path in config_files:
        hasher.file(h, path)
    for top in folders:
        hasher.tree(h, top)
    return h.hexdigest()


def lookup(root: Path, config_file: Path) -> CachedReport | None:
    """The cached report if nothing changed since it was stored, without loading MkDocs or the project."""
    data = _read(root)
    ckey, _ = config_key(root, config_file)
    known = data.get("configs", {}).get(ckey) if ckey else None
    if not isinstance(known, dict):
        return None
    try:
        key = project_key(known["settings"], known["config_files"], known["folders"], _Hasher(_stamps(data)))
        entry = next(e for e in data.get("results", []) if isinstance(e, dict) and e.get("key") == key)
        return _report(entry)
    except (KeyError, TypeError, ValueError, StopIteration):
        return None


@dataclass
class Prepared:
    """The key of the project as `settings` describe it, taken before the check reads it."""

    settings: Settings
    home: Path
    config_key: str | None
    config_files: list[str]
    folders: list[str]
    key: str
    stamps: FileStamps
    previous: dict[str, Any]

    def cached(self) -> CachedReport | None:
        for entry in self.previous.get("results", []):
            if isinstance(entry, dict) and entry.get("key") == self.key:
                with contextlib.suppress(KeyError, TypeError, ValueError):
                    return _report(entry)
        return None


def _report(entry: dict[str, Any]) -> CachedReport:
    names = {f.name for f in fields(Finding)}
    findings = [Finding(**{k: v for k, v in item.items() if k in names}) for item in entry["findings"]]
    return CachedReport(findings, str(entry["summary"]))


def prepare(settings: Settings, config_file: Path, home: Path) -> Prepared:
    """Hash the project now, before the check reads it (a file edited meanwhile is not mistaken).

    `home` is the folder `casebook check` was pointed at (`--root`), whose `.cache/` holds the cache.
    """
    data = _read(home)
    ckey, config_files = config_key(home, config_file)
    hasher = _Hasher(_stamps(data))
    folders = tops(settings)
    key = project_key(repr(settings), config_files, folders, hasher)
    return Prepared(settings, home, ckey, config_files, folders, key, hasher.new, data)


def store(prepared: Prepared, report: CachedReport) -> None:
    """Keep `report` (and the `KEEP - 1` most recent others); a failure to write never fails the check."""
    data, settings = prepared.previous, prepared.settings
    entry = {"key": prepared.key, "findings": [asdict(f) for f in report.findings], "summary": report.summary}
    old = data.get("results", [])
    results = [entry, *(e for e in old if isinstance(e, dict) and e.get("key") != prepared.key)][:KEEP]
    configs = {k: v for k, v in data.get("configs", {}).items() if k != prepared.config_key}
    if prepared.config_key:
        known = {"settings": repr(settings), "config_files": prepared.config_files, "folders": prepared.folders}
        configs = {prepared.config_key: known, **configs}
    # A file changed within the last two seconds could change again within the same mtime tick:
    # its stamp is stored so that it never matches, and the next run hashes it again.
    racy = time.time_ns() - 2_000_000_000
    files = {k: (v if v[1] < racy else (v[0], -1, v[2], v[3])) for k, v in prepared.stamps.items()}
    out = {"format": FORMAT, "configs": dict(list(configs.items())[:KEEP]), "results": results, "files": files}
    path = cache_path(prepared.home)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        return


def _stamps(data: dict[str, Any]) -> FileStamps:
    files = data.get("files")
    if not isinstance(files, dict):
        return {}
    out: FileStamps = {}
    for path, stamp in files.items():
        if isinstance(stamp, list) and len(stamp) == 4:
            out[path] = (int(stamp[0]), int(stamp[1]), int(stamp[2]), str(stamp[3]))
    return out
