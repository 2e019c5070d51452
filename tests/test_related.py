"""Related cases are related: a linked diagnosis, the same specialty or a body site, never a shared type label.

Two etiology tables that both have an "Idiopathic" row (the first column is a type label) say
nothing about each other's cases; a table row that names another case's diagnosis does.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from casebook.cases.loader import load_case
from casebook.cases.model import Case
from casebook.project.settings import Labels
from casebook.render.related import RelatedIndex
from sitebuilder import case_text, synthetic_front_matter


def body(rows: list[list[str]]) -> str:
    table = "\n".join(f"  - {row!r}".replace("'", '"') for row in rows)
    return (
        textwrap.dedent("""\
        Synthetic presentation paragraph.

        /// answer

        Synthetic discussion paragraph.

        /// etiology-table | Synthetic causes
        columns: [Type, Mechanism, Associated conditions]
        rows:
        """)
        + table
        + "\n///\n\n///\n"
    )


def make_case(root: Path, slug: str, rows: list[list[str]], **front: object) -> Case:
    folder = root / "cases" / slug
    folder.mkdir(parents=True)
    (folder / "index.md").write_text(
        case_text(synthetic_front_matter(figures=None, **front), body(rows)), encoding="utf-8"
    )
    case, findings = load_case(folder / "index.md", root)
    assert case is not None, [f.text() for f in findings]
    return case


def related(index: RelatedIndex, case: Case) -> list[tuple[str, str]]:
    return [(r.case.slug, r.reason) for r in index.related(case, 3)]


IDIOPATHIC = ["Idiopathic", "Synthetic mechanism unknown.", "None found"]


def test_a_shared_type_label_alone_relates_nothing(tmp_path: Path) -> None:
    a = make_case(tmp_path, "synthetic-a", [IDIOPATHIC], specialty="Synthetic one", body_sites=["Synthetic arm"])
    b = make_case(
        tmp_path,
        "synthetic-b",
        [IDIOPATHIC],
        specialty="Synthetic two",
        body_sites=["Synthetic leg"],
        diagnosis="Synthetic condition theta",
        synonyms=[],
    )
    index = RelatedIndex([a, b])
    assert related(index, a) == [] and related(index, b) == []


def test_a_row_naming_another_cases_diagnosis_relates_both(tmp_path: Path) -> None:
    a = make_case(
        tmp_path,
        "synthetic-a",
        [IDIOPATHIC],
        specialty="Synthetic one",
        diagnosis="Synthetic condition theta",
        synonyms=["Synthetic theta syndrome"],
    )
    b = make_case(
        tmp_path,
        "synthetic-b",
        [["Dystrophic", "Synthetic damage.", "*Synthetic theta syndrome*, Synthetic condition iota"]],
        specialty="Synthetic two",
        diagnosis="Synthetic condition kappa",
        synonyms=[],
    )
    index = RelatedIndex([a, b])
    assert related(index, a) == [("synthetic-b", "a related diagnosis")]
    assert related(index, b) == [("synthetic-a", "a related diagnosis")]


def test_reasons_are_ranked_and_said_in_the_sites_words(tmp_path: Path) -> None:
    rows = [IDIOPATHIC]
    base = make_case(tmp_path, "synthetic-base", rows, specialty="Synthetic one", body_sites=["Synthetic arm"])
    same_dx = make_case(
        tmp_path, "synthetic-same-dx", rows, specialty="Synthetic two", date="2020-01-01"
    )  # the same (default) diagnosis, oldest
    both = make_case(
        tmp_path,
        "synthetic-both",
        rows,
        specialty="Synthetic one",
        body_sites=["Synthetic arm"],
        diagnosis="Synthetic condition lambda",
        synonyms=[],
        date="2021-01-01",
    )
    site_only = make_case(
        tmp_path,
        "synthetic-site",
        rows,
        specialty="Synthetic three",
        body_sites=["Synthetic arm"],
        diagnosis="Synthetic condition mu",
        synonyms=[],
        date="2026-06-01",
    )
    unrelated = make_case(
        tmp_path,
        "synthetic-unrelated",
        rows,
        specialty="Synthetic four",
        diagnosis="Synthetic condition nu",
        synonyms=[],
    )
    cases = [base, same_dx, both, site_only, unrelated]
    assert related(RelatedIndex(cases), base) == [
        ("synthetic-same-dx", "a related diagnosis"),
        ("synthetic-both", "same specialty, same body site"),
        ("synthetic-site", "same body site"),
    ]
    german = Labels(related_specialty="gleiches Fach", related_body_site="gleiche Region", related_joiner=" und ")
    assert related(RelatedIndex(cases, german), base)[1] == ("synthetic-both", "gleiches Fach und gleiche Region")
