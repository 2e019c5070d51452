"""The case model: what a validated case is, independent of Markdown or MkDocs."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Figure:
    """One image of the case; `in_answer` figures are shown only after the reveal."""

    number: int
    file: str
    alt: str
    caption: str
    credit: str | None = None
    in_answer: bool = False
    line: int = 1


@dataclass(frozen=True)
class Patient:
    age: str
    sex: str
    age_group: str | None = None


@dataclass(frozen=True)
class DifferentialOption:
    """One choice of the optional multiple-choice question."""

    option: str
    correct: bool
    explanation: str


@dataclass(frozen=True)
class CaseMeta:
    """Validated front matter of one case."""

    title: str
    summary: str
    date: _dt.date
    authors: tuple[str, ...]
    specialty: str
    patient: Patient
    presenting_complaint: str
    question: str
    diagnosis: str
    synonyms: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    body_sites: tuple[str, ...] = ()
    learning_objectives: tuple[str, ...] = ()
    key_points: tuple[str, ...] = ()
    differential: tuple[DifferentialOption, ...] = ()
    #: Left out of the built site; `mkdocs serve` shows it with a "Draft" banner.
    draft: bool = False
    #: What the figures are for publication: written-consent, not-identifiable or schematic (None: not said).
    consent: str | None = None

    @property
    def spoiler_terms(self) -> tuple[str, ...]:
        """Every name of the answer: none may show before the reveal."""
        return (self.diagnosis, *self.synonyms)


@dataclass
class Case:
    """A case as loaded from `cases/<slug>/index.md`."""

    slug: str
    path: Path
    meta: CaseMeta
    body: str
    body_line: int
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)  # front matter key path -> line

    @property
    def folder(self) -> Path:
        return self.path.parent
