"""Validate case front matter against Casebook's schema.

The schema is data (FIELDS), so the authors' guide, the scaffold and the
validator cannot drift apart. Every problem becomes a Finding that names the
file, the line and the field, and says what to write instead.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casebook.cases.model import CaseMeta, DifferentialOption, Figure, Patient
from casebook.findings import Finding
from casebook.text.frontmatter import FrontMatter

SEXES = ("female", "male", "intersex", "unspecified")
AGE_GROUPS = ("neonate", "infant", "child", "adolescent", "adult", "older adult")
DEFAULT_QUESTION = "What's your diagnosis?"
#: What the figures of a case are, for publication (docs/authoring.md, Consent).
CONSENT_VALUES = ("written-consent", "not-identifiable", "schematic")
#: Figures in these formats may be photographs, so a case with one must say `consent`; SVG is a drawing.
RASTER_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".avif"})


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text | date | boolean | text-list | patient | figures | consent | differential
    required: bool
    help: str


FIELDS: tuple[Field, ...] = (
    Field("title", "text", True, "spoiler-free title shown in the nav, the index and <title>"),
    Field("summary", "text", True, "one-sentence spoiler-free teaser (also the meta description)"),
    Field("date", "date", True, "publication date, YYYY-MM-DD"),
    Field("draft", "boolean", False, "true keeps the case out of the built site; mkdocs serve shows it, marked Draft"),
    Field("authors", "text-list", True, "list of author names"),
    Field("specialty", "text", True, "e.g. Dermatology"),
    Field("patient", "patient", True, "mapping with age (e.g. '12 months'), sex and optional age_group"),
    Field("presenting_complaint", "text", True, "the complaint in a few words, spoiler-free"),
    Field("question", "text", False, f"the question asked before the reveal (default: {DEFAULT_QUESTION!r})"),
    Field("diagnosis", "text", True, "the final diagnosis; shown only inside the answer"),
    Field("synonyms", "text-list", False, "other names of the diagnosis (kept out of everything before the answer)"),
    Field("figures", "figures", False, "list of figures: file, alt, caption, optional credit and in_answer"),
    Field(
        "consent",
        "consent",
        False,
        f"{', '.join(CONSENT_VALUES)}; required when a figure is a photograph (a JPEG, PNG, WebP, GIF or TIFF file)",
    ),
    Field("body_sites", "text-list", False, "body sites for the index filter, e.g. [heel]"),
    Field("learning_objectives", "text-list", False, "what the reader should be able to do afterwards (spoiler-free)"),
    Field("key_points", "text-list", False, "take-home points, shown inside the answer"),
    Field("differential", "differential", False, "multiple-choice options: option, correct, explanation"),
)
FIELD_NAMES = tuple(f.name for f in FIELDS)
FIGURE_KEYS = {"file": True, "alt": True, "caption": True, "credit": False, "in_answer": False}
PATIENT_KEYS = {"age": True, "sex": True, "age_group": False}
DIFFERENTIAL_KEYS = {"option": True, "correct": False, "explanation": True}
#: The fields of the top-level mappings (a key of these at column 0 was meant to be indented).
NESTED_KEYS = {"patient": PATIENT_KEYS}


class _Checker:
    def __init__(self, fm: FrontMatter, path: str | Path) -> None:
        self.fm = fm
        self.path = path
        self.findings: list[Finding] = []

    def error(self, key: tuple[Any, ...], rule: str, message: str) -> None:
        self.findings.append(Finding.error(self.path, self.fm.line_of(*key), rule, message))

    def text(self, value: Any, key: tuple[Any, ...]) -> str | None:
        label = _label(key)
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.error(key, "field-type", f"field '{label}' must be text, not {_kind(value)}")
            return None
        text = str(value).strip()
        if not text:
            self.error(key, "field-empty", f"field '{label}' is empty; write a value or remove the field")
            return None
        return text

    def text_list(self, value: Any, key: tuple[Any, ...]) -> tuple[str, ...] | None:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.error(key, "field-type", f"field '{_label(key)}' must be a list of text, not {_kind(value)}")
            return None
        items = [self.text(item, key + (i,)) for i, item in enumerate(value)]
        return None if None in items else tuple(items)  # type: ignore[arg-type]

    def date(self, value: Any, key: tuple[Any, ...]) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.error(key, "field-type", f"field '{_label(key)}' must be a date written YYYY-MM-DD, not {value!r}")
        return None

    def mapping(self, value: Any, key: tuple[Any, ...], allowed: dict[str, bool]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.error(
                key, "field-type", f"'{_label(key)}' must be a mapping with {', '.join(allowed)}, not {_kind(value)}"
            )
            return None
        ok = True
        for name in value:
            if name not in allowed:
                ok = False
                self.error(
                    key + (name,),
                    "field-unknown",
                    f"unknown field '{_label(key + (name,))}'{_suggest(name, allowed)}; allowed: {', '.join(allowed)}",
                )
        for name, required in allowed.items():
            if required and name not in value:
                ok = False
                self.error(key, "field-missing", f"'{_label(key)}' is missing required field '{name}'")
        return value if ok else None

    def boolean(self, value: Any, key: tuple[Any, ...]) -> bool | None:
        if not isinstance(value, bool):
            self.error(key, "field-type", f"field '{_label(key)}' must be true or false, not {value!r}")
            return None
        return value


def validate_case_meta(fm: FrontMatter, path: str | Path) -> tuple[CaseMeta | None, list[Finding]]:
    """Check parsed front matter; return the model, or None and the reasons."""
    if fm.data is None:
        return None, []
    c = _Checker(fm, path)
    data = fm.data
    # Fields an unknown one stands for are not reported missing as well: one mistake, one error.
    meant: set[str] = set()
    moved: set[str] = set()  # "'patient' is missing required field 'sex'" when 'sex' was dedented
    for name in data:
        if name not in FIELD_NAMES:
            parent = next((p for p, keys in NESTED_KEYS.items() if name in keys and p in data), None)
            if parent is not None:  # a key dedented out of its mapping
                moved.add(f"'{parent}' is missing required field '{name}'")
                c.error(
                    (name,),
                    "field-unknown",
                    f"unknown front matter field '{name}': it belongs to '{parent}', so indent it "
                    f"like the lines under '{parent}:' (two spaces)",
                )
                continue
            match = difflib.get_close_matches(str(name), [n for n in FIELD_NAMES if n not in data], n=1)
            meant.update(match)
            c.error(
                (name,),
                "field-unknown",
                f"unknown front matter field '{name}'{_suggest(str(name), FIELD_NAMES)}; "
                "see docs/authoring.md for the fields a case may have",
            )
    for f in FIELDS:
        if f.required and f.name not in data and f.name not in meant:
            c.findings.append(
                Finding.error(path, 1, "field-missing", f"required front matter field '{f.name}' is missing: {f.help}")
            )

    checkers: dict[str, Callable[[Any, tuple[Any, ...]], Any]] = {
        "text": c.text,
        "text-list": c.text_list,
        "date": c.date,
        "patient": lambda v, k: _patient(c, v, k),
        "figures": lambda v, k: _figures(c, v, k),
        "differential": lambda v, k: _differential(c, v, k),
        "boolean": c.boolean,
        "consent": lambda v, k: _consent(c, v, k),
    }
    values: dict[str, Any] = {}
    for f in FIELDS:
        if f.name in data:
            values[f.name] = checkers[f.kind](data[f.name], (f.name,))
    if "consent" not in data:
        _require_consent(c, values.get("figures") or ())
    c.findings = [f for f in c.findings if f.message not in moved]
    if c.findings:
        return None, c.findings
    meta = CaseMeta(
        title=values["title"],
        summary=values["summary"],
        date=values["date"],
        authors=values["authors"],
        specialty=values["specialty"],
        patient=values["patient"],
        presenting_complaint=values["presenting_complaint"],
        question=values.get("question") or DEFAULT_QUESTION,
        diagnosis=values["diagnosis"],
        synonyms=values.get("synonyms") or (),
        figures=values.get("figures") or (),
        body_sites=values.get("body_sites") or (),
        learning_objectives=values.get("learning_objectives") or (),
        key_points=values.get("key_points") or (),
        differential=values.get("differential") or (),
        draft=bool(values.get("draft")),
        consent=values.get("consent"),
    )
    return meta, []


def _consent(c: _Checker, value: Any, key: tuple[Any, ...]) -> str | None:
    text = c.text(value, key)
    if text is None:
        return None
    if text.lower() not in CONSENT_VALUES:
        c.error(key, "field-value", f"'consent' must be one of {', '.join(CONSENT_VALUES)}, not {text!r}")
        return None
    return text.lower()


def _require_consent(c: _Checker, figures: tuple[Figure, ...]) -> None:
    """A raster figure may be a photograph of the patient: the case must say what kind of image it is."""
    photo = next((f for f in figures if Path(f.file).suffix.lower() in RASTER_SUFFIXES), None)
    if photo is None:
        return
    c.findings.append(
        Finding.error(
            c.path,
            photo.line,
            "field-missing",
            f"figure {photo.number} ({photo.file}) is a raster image, which Casebook treats as a photograph, so "
            "the front matter needs 'consent': written-consent (the patient, or a parent or guardian, gave "
            "written informed consent to publish an image that could identify them), not-identifiable (no one "
            "could recognise the patient from the image or its caption) or schematic (a drawing, not a "
            "photograph); see docs/authoring.md, Consent",
        )
    )


def _patient(c: _Checker, value: Any, key: tuple[Any, ...]) -> Patient | None:
    m = c.mapping(value, key, PATIENT_KEYS)
    if m is None:
        return None
    age, sex = c.text(m["age"], key + ("age",)), c.text(m["sex"], key + ("sex",))
    group = c.text(m["age_group"], key + ("age_group",)) if "age_group" in m else None
    if sex is not None and sex.lower() not in SEXES:
        c.error(key + ("sex",), "field-value", f"'patient.sex' must be one of {', '.join(SEXES)}, not {sex!r}")
        return None
    if group is not None and group.lower() not in AGE_GROUPS:
        c.error(
            key + ("age_group",),
            "field-value",
            f"'patient.age_group' must be one of {', '.join(AGE_GROUPS)}, not {group!r}",
        )
        return None
    if age is None or sex is None:
        return None
    return Patient(age=age, sex=sex.lower(), age_group=group.lower() if group else None)


def _figures(c: _Checker, value: Any, key: tuple[Any, ...]) -> tuple[Figure, ...] | None:
    if not isinstance(value, list):
        c.error(key, "field-type", f"'figures' must be a list of figures, not {_kind(value)}")
        return None
    figures = []
    for i, item in enumerate(value):
        k = key + (i,)
        m = c.mapping(item, k, FIGURE_KEYS)
        if m is None:
            continue
        file, alt, caption = (c.text(m[n], k + (n,)) for n in ("file", "alt", "caption"))
        credit = c.text(m["credit"], k + ("credit",)) if "credit" in m else None
        in_answer = c.boolean(m["in_answer"], k + ("in_answer",)) if "in_answer" in m else False
        if file is None or alt is None or caption is None or in_answer is None or ("credit" in m and credit is None):
            continue
        figures.append(
            Figure(
                number=i + 1,
                file=file,
                alt=alt,
                caption=caption,
                credit=credit,
                in_answer=bool(in_answer),
                line=c.fm.line_of(*k),
            )
        )
    return tuple(figures)


def _differential(c: _Checker, value: Any, key: tuple[Any, ...]) -> tuple[DifferentialOption, ...] | None:
    if not isinstance(value, list):
        c.error(key, "field-type", f"'differential' must be a list of options, not {_kind(value)}")
        return None
    options = []
    for i, item in enumerate(value):
        k = key + (i,)
        m = c.mapping(item, k, DIFFERENTIAL_KEYS)
        if m is None:
            continue
        option, explanation = c.text(m["option"], k + ("option",)), c.text(m["explanation"], k + ("explanation",))
        correct = c.boolean(m["correct"], k + ("correct",)) if "correct" in m else False
        if option is not None and explanation is not None and correct is not None:
            options.append(DifferentialOption(option, correct, explanation))
    if len(options) == len(value) and value:
        if not 2 <= len(options) <= 6:
            c.error(key, "differential-size", f"'differential' needs 2 to 6 options, not {len(options)}")
        elif sum(o.correct for o in options) != 1:
            c.error(key, "differential-correct", "'differential' must mark exactly one option with 'correct: true'")
    return tuple(options)


def _label(key: tuple[Any, ...]) -> str:
    out = ""
    for part in key:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, bool):
        return f"true/false ({value})"
    return {dict: "a mapping", list: "a list", str: "text", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


def _suggest(name: str, choices: Any) -> str:
    match = difflib.get_close_matches(str(name), list(choices), n=1)
    return f" (did you mean '{match[0]}'?)" if match else ""
