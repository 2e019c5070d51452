"""casebook.fileio.write_atomically: the one writer of the .bib file and the link cache."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from casebook.fileio import write_atomically


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_replaces_content_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    umask = os.umask(0o027)
    try:
        write_atomically(tmp_path / "links.json", b"{}")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "links.json").stat().st_mode) == 0o640


def test_abandoned_write_leaves_the_target_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    target.write_bytes(b"old")

    def refuse() -> None:
        raise RuntimeError("changed meanwhile")

    with pytest.raises(RuntimeError, match="changed meanwhile"):
        write_atomically(target, b"new", before_replace=refuse)
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []
