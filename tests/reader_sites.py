"""A small synthetic site for the reader tests: several cases with different facets and a quiz.

Everything here is obviously synthetic test data; it never reaches the published site.
"""

from __future__ import annotations

from pathlib import Path

from sitebuilder import SYNTHETIC_BODY, Project, case_text, new_project, synthetic_front_matter

QUIZ_SLUG = "synthetic-quiz-case"
QUIZ_OPTIONS = [
    {"option": "Synthetic option A", "explanation": "Synthetic explanation A: the test sign is absent."},
    {"option": "Synthetic option B", "explanation": "Synthetic explanation B: the test age does not fit."},
    # The correct option names the diagnosis, as a real quiz does: the options are the one place
    # before the answer where it may appear (docs/authoring.md).
    {
        "option": "Synthetic condition gamma",
        "correct": True,
        "explanation": "Synthetic explanation C: every test finding fits.",
    },
    {"option": "Synthetic option D", "explanation": "Synthetic explanation D: the test site is wrong."},
]

ETIOLOGY_BODY = SYNTHETIC_BODY  # its table has rows "Group one" and "Group two"

#: slug -> (front matter overrides, spoiler terms)
CASES: dict[str, dict] = {
    QUIZ_SLUG: dict(
        title="Synthetic quiz case: a test rash",
        summary="A synthetic case with a multiple-choice question.",
        date="2026-03-01",
        specialty="Synthetic dermatology",
        patient={"age": "6 years", "sex": "male"},
        body_sites=["Synthetic arm"],
        diagnosis="Synthetic condition gamma",
        synonyms=["Synthetic gamma syndrome"],
        differential=QUIZ_OPTIONS,
    ),
    "synthetic-infant-case": dict(
        title="Synthetic infant case: a test spot",
        summary="A synthetic case about a test infant.",
        date="2026-02-01",
        specialty="Synthetic dermatology",
        patient={"age": "9 months", "sex": "female"},
        body_sites=["Synthetic heel"],
        diagnosis="Synthetic condition delta",
        synonyms=["Synthetic delta disease"],
    ),
    "synthetic-adult-case": dict(
        title="Synthetic adult case: a test cough",
        summary="A synthetic case about a test adult.",
        date="2026-01-01",
        specialty="Synthetic pulmonology",
        patient={"age": "72 years", "sex": "male"},
        body_sites=["Synthetic chest"],
        diagnosis="Synthetic condition epsilon",
        synonyms=[],
    ),
    "synthetic-teen-case": dict(
        title="Synthetic teenager case: a test ache",
        summary="A synthetic case about a test adolescent.",
        date="2025-12-01",
        specialty="Synthetic pulmonology",
        patient={"age": "15 years", "sex": "female", "age_group": "adolescent"},
        body_sites=["Synthetic chest", "Synthetic arm"],
        diagnosis="Synthetic condition zeta",
        synonyms=["Synthetic zeta variant"],
        figures=[
            {
                "file": "figure-one.png",
                "alt": "Synthetic image one, a single grey pixel.",
                "caption": "Synthetic caption one.",
            },
            {
                "file": "figure-two.png",
                "alt": "Synthetic image of the answer.",
                "caption": "Synthetic answer caption naming Synthetic condition zeta.",
                "in_answer": True,
            },
        ],
    ),
}

ALL_SPOILERS = tuple(sorted({term for fm in CASES.values() for term in (fm["diagnosis"], *fm["synonyms"])}))


def build_reader_site(tmp_path: Path, plugin: dict | None = None) -> tuple[Project, Path]:
    """Build the synthetic reader site (with these casebook plugin settings); return the project and its site."""
    from sitebuilder import assert_clean

    project = new_project(tmp_path)
    if plugin is not None:
        project.extra_config["plugins"] = ["search", {"casebook": plugin}]
    project.write("docs/index.md", "# Synthetic test site\n\n<!-- casebook:latest-cases -->\n")
    for slug, overrides in CASES.items():
        images = ("figure-one.png", "figure-two.png") if slug == "synthetic-teen-case" else ("figure-one.png",)
        project.add_case(slug, case_text(synthetic_front_matter(**overrides), ETIOLOGY_BODY), images=images)
    result = project.build()
    assert_clean(result)
    return project, result.site
