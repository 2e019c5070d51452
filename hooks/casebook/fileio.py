"""Replace a file atomically, so a reader (or a crash) never sees half of it.

Casebook writes two kinds of files that must never be left half-written: the
author's .bib file (`casebook cite`) and the online checks' link cache.  Both
go through `write_atomically`: a temporary file in the same folder, flushed
to disk, then renamed over the target.  On any failure the temporary file is
removed and the target is byte for byte what it was.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path

__all__ = ["write_atomically"]

# O_EXCL: never reuse a name someone else created; O_NOFOLLOW: never write through a planted symlink.
_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_ATTEMPTS = 100


def write_atomically(path: str | Path, data: bytes, *, before_replace: Callable[[], None] | None = None) -> None:
    """Write `data` to `path` through a temporary file beside it and a rename.

    `before_replace` runs once the data is safely on disk, just before the
    rename: a last look at the target (has someone else changed it?) that
    raises to abandon the write, leaving the target untouched.

    The file keeps the permissions of the file it replaces; a new file gets
    the usual `0o666 & ~umask` (the kernel applies the umask at creation, so no
    process-wide umask juggling that would race with other threads).  The
    folder must exist.  OSError propagates after the temporary file is removed.
    """
    target = Path(path)
    temp, handle = _create_temp(target)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if target.exists():
            os.chmod(temp, target.stat().st_mode & 0o7777)
        if before_replace is not None:
            before_replace()
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _create_temp(target: Path) -> tuple[Path, int]:
    """A new hidden `.<name>.<random>.tmp` beside `target`, opened for writing."""
    for _ in range(_ATTEMPTS):
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            return temp, os.open(temp, _FLAGS, 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary file name beside {target}")
