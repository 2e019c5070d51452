"""Findings: one problem in one file, at one line, with what to do about it.

Every check in Casebook (front matter, BibTeX, citations, links, spoilers)
reports through this one type, so the build log, `casebook check` and CI
annotations all say the same thing in the same words.
"""

from __future__ import annotations

import contextlib
import json
import traceback
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal, TypeVar

Level = Literal["error", "warning"]
T = TypeVar("T")


@dataclass(frozen=True, order=True)
class Finding:
    """A problem with an author's input, located as precisely as we can."""

    path: str
    line: int
    col: int
    level: Level
    rule: str
    message: str

    @classmethod
    def error(cls, path: str | Path, line: int, rule: str, message: str, col: int = 1) -> Finding:
        return cls(str(path), max(line, 1), max(col, 1), "error", rule, message)

    @classmethod
    def warning(cls, path: str | Path, line: int, rule: str, message: str, col: int = 1) -> Finding:
        return cls(str(path), max(line, 1), max(col, 1), "warning", rule, message)

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    def text(self) -> str:
        """The `path:line:col: level: message [rule]` form editors and CI parse."""
        return f"{self.path}:{self.line}:{self.col}: {self.level}: {self.message} [{self.rule}]"

    def github(self) -> str:
        """A GitHub Actions workflow command, shown as an annotation on the file."""
        message = _gh_escape(f"{self.message} [{self.rule}]")
        return f"::{self.level} file={self.path},line={self.line},col={self.col},title={self.rule}::{message}"


def _gh_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def relative(path: str | Path, root: str | Path | None) -> str:
    """Show paths relative to the project root when possible (shorter, clickable in CI)."""
    path = Path(path)
    if root is not None:
        root = Path(root)
        if path.is_absolute() and root.is_absolute() and ".." not in path.parts:
            # The usual case (a path found under the root): no file system access, which
            # `resolve()` needs for every part of both paths and which dominated `check`.
            with contextlib.suppress(ValueError):
                return path.relative_to(root).as_posix()
        with contextlib.suppress(ValueError):
            return path.resolve().relative_to(root.resolve()).as_posix()
    return path.as_posix()


def format_findings(findings: Iterable[Finding], fmt: str = "text") -> str:
    """Render findings for a terminal (`text`), GitHub Actions (`github`) or tools (`json`)."""
    items = sorted(findings)
    if fmt == "json":
        return json.dumps([asdict(f) for f in items], indent=2, ensure_ascii=False)
    if fmt == "github":
        return "\n".join(f.github() for f in items)
    return "\n".join(f.text() for f in items)


def summary(findings: Iterable[Finding]) -> str:
    items = list(findings)
    errors = sum(1 for f in items if f.is_error)
    warnings = len(items) - errors
    return f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"


class Guard:
    """Turn an unexpected exception into an `internal-error` finding naming the file at hand.

    A bug in Casebook on one file must not hide every other finding, nor show
    the author a traceback.
    """

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings

    def run(self, where: str, fn: Callable[[], T], default: T) -> T:
        try:
            return fn()
        except (Exception, RecursionError) as exc:
            frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
            at = f" at {Path(frame.filename).name}:{frame.lineno}" if frame else ""
            self.findings.append(
                Finding.error(
                    where,
                    1,
                    "internal-error",
                    f"Casebook failed while checking this file ({type(exc).__name__}: {exc}{at}); the other checks "
                    "still ran. Please report this with the file attached",
                )
            )
            return default
