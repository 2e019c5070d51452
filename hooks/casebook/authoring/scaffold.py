"""`casebook new`: scaffold `cases/<slug>/index.md` for a new case.

Authors are clinicians: the scaffold is the documentation they actually read,
so every field is there with a comment saying what it is for. The front matter
is generated from `schema.FIELDS`, so a field added to the schema shows up in
the scaffold (a test checks it). The scaffold is a valid case as written: the
placeholders all start with "TODO" so they are easy to find and replace, and
it starts as a draft (`draft: true`): checked, previewed by `mkdocs serve`, left
out of the built site; a TODO left in a case that is no longer a draft is an
error (`case-todo`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import yaml

from casebook.cases.etiology import BLOCK_NAME as ETIOLOGY_BLOCK
from casebook.cases.schema import AGE_GROUPS, DEFAULT_QUESTION, FIELDS, SEXES, Field
from casebook.errors import CasebookError

CASE_FILE = "index.md"
MAX_SLUG_LENGTH = 60
PLACEHOLDER = "TODO"


def _yaml_string(text: str) -> str:
    """A double-quoted YAML scalar: any title (colons, quotes, '#', control characters) stays text."""
    return yaml.safe_dump(text, allow_unicode=True, default_style='"', width=float("inf")).rstrip("\n")


# Active placeholder values (YAML), by field. Fields that only make sense once
# the author has real content (figure files, a multiple-choice question) are
# given as commented-out examples in _COMMENTED instead.
_ACTIVE: dict[str, str] = {
    "draft": "true  # delete this line when the case is ready: a draft is checked but left out of the site",
    "summary": '"TODO: one spoiler-free sentence that makes readers want to solve the case"',
    "authors": '\n  - "TODO: Author Name"',
    "specialty": '"TODO: specialty"',
    "patient": (
        '\n  age: "TODO: age, e.g. 12 months"'
        f"\n  sex: unspecified  # one of: {', '.join(SEXES)}"
        f"\n  # age_group: adult  # optional, one of: {', '.join(AGE_GROUPS)}"
    ),
    "presenting_complaint": '"TODO: the complaint in a few words, without the diagnosis"',
    "question": _yaml_string(DEFAULT_QUESTION),
    "diagnosis": '"TODO: final diagnosis"',
    "synonyms": '\n  - "TODO: another name of the diagnosis (or delete this field)"',
    "body_sites": '\n  - "TODO: body site, e.g. heel"',
    "learning_objectives": '\n  - "TODO: what the reader can do after this case"',
    "key_points": '\n  - "TODO: take-home point"',
}
_COMMENTED: dict[str, str] = {
    "figures": """\
# figures:
#   - file: figure-1.jpg  # an image file next to this index.md
#     alt: "TODO: what the image shows, for readers who cannot see it (no diagnosis)"
#     caption: "TODO: caption (no diagnosis)"
#     credit: "Image provided by the authors"  # optional
#   - file: figure-2.jpg
#     alt: "TODO: ..."
#     caption: "TODO: ..."
#     in_answer: true  # shown only after the reveal; may name the diagnosis""",
    "consent": "# consent: not-identifiable  # or written-consent; schematic for drawings (docs/authoring.md)",
    "differential": """\
# differential:  # 2 to 6 options, exactly one with 'correct: true'
#   - option: "TODO: first option"
#     explanation: "TODO: why it fits or does not"
#   - option: "TODO: second option"
#     explanation: "TODO: why this is the answer"
#     correct: true""",
}

_BODY = f"""\
<!--
PRESENTATION: the case as the clinician met it: history, examination, course.
Everything above the '/// answer' line is shown before the reveal, so it must
not name the diagnosis or its synonyms (the build stops if it does).

FIGURES: put the image files next to this index.md and list them under
'figures:' in the front matter. They are shown after this text, numbered in
that order; refer to them as (Figure 1), (Figure 2).

The question ('question:' in the front matter) is shown after the figures.
-->

TODO: Describe the patient and the presentation.

/// answer

<!--
ANSWER: everything down to the closing '///' stays hidden until the reader
opens it. The diagnosis and the key points from the front matter are shown
here automatically. Use '### Heading' lines for sections, for example
### Evaluation and work-up, ### Management, ### Conclusion.

REFERENCES: add one with  make cite DOI="10.xxxx/yyyy"  (it prints the key),
then cite it in the text as [@key], for example "... in children [@key]."
-->

TODO: Discuss the diagnosis: what it is, its causes, how it was made, its management.

<!--
ETIOLOGY TABLE: one row per cause, one cell per column, each row in [ ].
Put a cell in "double quotes" if it contains a colon or starts with [ or *.
Cells may contain Markdown and citations. Delete the table if the case has none.
-->

/// {ETIOLOGY_BLOCK} | TODO: Caption of the table
columns: [Cause, Mechanism, Associated conditions]
rows:
  - ["TODO: cause", "TODO: mechanism", "TODO: associated conditions"]
///

///
"""


def fold_ascii(text: str) -> str:
    """Latin letters without accents (Ötter -> Otter, ß -> ss), for URLs and citation keys."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    for letter, ascii_letters in (
        ("ß", "ss"),
        ("æ", "ae"),
        ("Æ", "AE"),
        ("ø", "o"),
        ("Ø", "O"),
        ("œ", "oe"),
        ("Œ", "OE"),
        ("ł", "l"),
        ("Ł", "L"),
        ("đ", "d"),
        ("Đ", "D"),
    ):
        folded = folded.replace(letter, ascii_letters)
    return folded


def slugify(title: str) -> str:
    """Lower-case ASCII words joined by hyphens, at most MAX_SLUG_LENGTH long, for the URL."""
    folded = fold_ascii(title).lower().replace("'", "").replace("\u2019", "")
    words = re.findall(r"[a-z0-9]+", folded)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_SLUG_LENGTH:
            break
        slug = candidate
    return slug or "-".join(words)[:MAX_SLUG_LENGTH].strip("-")


def front_matter(title: str, today: dt.date) -> str:
    """The scaffold's YAML, one commented entry per schema field, in schema order."""
    out = ["---"]
    for field in FIELDS:
        out.append(f"# {field.name}{'' if field.required else ' (optional)'}: {field.help}")
        out.append(_field_yaml(field, title, today))
    out.append("---")
    return "\n".join(out) + "\n"


def _field_yaml(field: Field, title: str, today: dt.date) -> str:
    if field.name == "title":
        return f"title: {_yaml_string(title)}"
    if field.kind == "date":
        return f"{field.name}: {today.isoformat()}"
    if field.name in _ACTIVE:
        value = _ACTIVE[field.name]
        return f"{field.name}:{value}" if value.startswith("\n") else f"{field.name}: {value}"
    if field.name in _COMMENTED:
        return _COMMENTED[field.name]
    # A field added to the schema after this scaffold: never break the scaffold.
    if field.kind == "text" and field.required:
        return f'{field.name}: "{PLACEHOLDER}: {field.name.replace("_", " ")}"'
    if field.kind == "text-list" and field.required:
        return f'{field.name}:\n  - "{PLACEHOLDER}: {field.name.replace("_", " ")}"'
    return f"# {field.name}: ..."


def case_template(title: str, today: dt.date | None = None) -> str:
    """The whole `index.md` of a new case titled `title`."""
    return front_matter(title, today or dt.date.today()) + "\n" + _BODY


def new_case(cases_dir: Path, title: str, slug: str | None = None, today: dt.date | None = None) -> Path:
    """Create `cases_dir/<slug>/index.md`; never touches an existing folder."""
    title = " ".join(title.split())
    if not title:
        raise CasebookError('the case needs a title: casebook new "Spoiler-free title"')
    if slug is None:
        slug = slugify(title)
        if not slug:
            raise CasebookError(
                f"the title {title!r} gives no usable folder name; "
                "pass one with --slug, or SLUG= with make new (lower-case letters, digits and hyphens)"
            )
    elif not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        raise CasebookError(f"--slug {slug!r} must be lower-case letters, digits and hyphens, e.g. infant-heel-nodule")
    if not cases_dir.is_dir():
        raise CasebookError(
            f"there is no cases folder at {cases_dir}; run this from the project folder "
            "(the one with mkdocs.yml) or pass --cases-dir"
        )
    folder = cases_dir / slug
    try:
        folder.mkdir()
    except FileExistsError:
        raise CasebookError(
            f"{folder} already exists; nothing was changed. Choose another title or pass --slug (SLUG= with make new)"
        ) from None
    except OSError as exc:
        raise CasebookError(f"cannot create {folder}: {exc.strerror}") from None
    target = folder / CASE_FILE
    try:
        with target.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(case_template(title, today))
    except OSError as exc:
        target.unlink(missing_ok=True)
        folder.rmdir()
        raise CasebookError(f"cannot write {target}: {exc.strerror}") from None
    return target
