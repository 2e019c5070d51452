"""Bad case input: each problem names the file and line, and the strict build fails."""

from __future__ import annotations

import logging

import pytest

from sitebuilder import SYNTHETIC_BODY, SYNTHETIC_DIAGNOSIS, assert_clean, case_text, synthetic_front_matter

VALID_FM = """\
---
title: Synthetic case title
summary: Synthetic summary.
date: 2026-01-15
authors: [Synthetic Author]
specialty: Synthetic specialty
patient:
  age: 40 years
  sex: female
presenting_complaint: Synthetic complaint
diagnosis: Synthetic condition alpha
figures:
  - file: figure-one.png
    alt: Synthetic alt text.
    caption: Synthetic caption.
consent: not-identifiable
---
"""


def fm_with(old: str, new: str) -> str:
    assert old in VALID_FM
    return VALID_FM.replace(old, new) + "\n" + SYNTHETIC_BODY


CASES = [
    # (id, text, line, rule, words in the message)
    (
        "yaml-syntax",
        fm_with("summary: Synthetic summary.", "summary: Synthetic: summary: broken"),
        3,
        "yaml-syntax",
        "not valid YAML",
    ),
    ("yaml-tab", fm_with("  sex: female", "\tsex: female"), 9, "yaml-tab", "tab character"),
    ("unclosed", VALID_FM.rstrip("-\n") + "\n\nbody\n", 1, "front-matter-unclosed", "never closed"),
    (
        "not-mapping",
        "---\n- a list\n- not a mapping\n---\n" + SYNTHETIC_BODY,
        2,
        "front-matter-not-mapping",
        "must be a mapping",
    ),
    ("missing-front-matter", SYNTHETIC_BODY, 1, "front-matter-missing", "must start with YAML front matter"),
    (
        "unknown-field",
        fm_with("diagnosis:", "diagnoses: x\ndiagnosis:"),
        11,
        "field-unknown",
        "did you mean 'diagnosis'",
    ),
    (
        "wrong-type",
        fm_with("authors: [Synthetic Author]", "authors: {name: Synthetic}"),
        5,
        "field-type",
        "'authors' must be a list of text",
    ),
    ("bad-date", fm_with("date: 2026-01-15", "date: last tuesday"), 4, "field-type", "YYYY-MM-DD"),
    (
        "missing-required",
        fm_with("diagnosis: Synthetic condition alpha\n", ""),
        1,
        "field-missing",
        "'diagnosis' is missing",
    ),
    (
        "duplicate-key",
        fm_with("specialty: Synthetic specialty", "specialty: A\nspecialty: B"),
        7,
        "yaml-duplicate-key",
        "given twice",
    ),
    ("bad-sex", fm_with("sex: female", "sex: sometimes"), 9, "field-value", "must be one of"),
    ("missing-alt", fm_with("    alt: Synthetic alt text.\n", ""), 13, "field-missing", "missing required field 'alt'"),
    ("empty-alt", fm_with("alt: Synthetic alt text.", 'alt: ""'), 14, "field-empty", "figures[1].alt"),
    (
        "missing-image",
        fm_with("file: figure-one.png", "file: no-such-file.png"),
        13,
        "figure-missing",
        "does not exist",
    ),
    (
        "spoiler-title",
        fm_with("title: Synthetic case title", f"title: A case of {SYNTHETIC_DIAGNOSIS.lower()}"),
        2,
        "spoiler",
        "reveals the diagnosis",
    ),
    (
        "spoiler-alt",
        fm_with("alt: Synthetic alt text.", f"alt: Photo of {SYNTHETIC_DIAGNOSIS}"),
        14,
        "spoiler",
        "alt text of figure 1",
    ),
    ("no-answer", VALID_FM + "\nJust a presentation.\n", 18, "answer-missing", "has no answer"),
    ("unclosed-answer", VALID_FM + "\nText.\n\n/// answer\n\nDiscussion.\n", 21, "block-unclosed", "never closed"),
    (
        "bad-table",
        VALID_FM + "\n/// answer\n\n/// etiology-table | Cap\ncolumns: [A, B]\nrows:\n  - [only one]\n///\n\n///\n",
        24,
        "etiology-row-length",
        "has 1 cells but the table has 2 columns",
    ),
    (
        "body-image-no-alt",
        VALID_FM + "\n![](figure-one.png)\n\n/// answer\n\nx\n\n///\n",
        19,
        "image-alt",
        "no alt text",
    ),
]


@pytest.mark.parametrize("text,line,rule,words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_case_fails_strict_build_with_file_and_line(project, text, line, rule, words):
    project.add_case("bad-case", text)
    result = project.build()
    assert not result.ok, "the strict build must fail"
    wanted = [m for m in result.messages if m.startswith(f"cases/bad-case/index.md:{line}:") and f"[{rule}]" in m]
    assert wanted, f"expected a [{rule}] finding at line {line}, got:\n{result.log}"
    assert words in wanted[0]
    assert "Traceback" not in result.log
    assert not (result.site / "cases/bad-case/index.html").exists(), "a broken case is not published"


def test_broken_yaml_that_mkdocs_would_swallow_is_reported(project):
    """MkDocs renders a page with unparsable front matter as if it had none; Casebook must not."""
    text = fm_with("title: Synthetic case title", "title: [unclosed")
    project.add_case("bad-case", text)
    result = project.build(strict=False)
    assert any("cases/bad-case/index.md:" in m and "[yaml-syntax]" in m for m in result.messages)


def test_other_cases_still_build_without_strict(project, caplog):
    caplog.set_level(logging.INFO, logger="mkdocs")
    project.add_case("good-case")
    project.add_case("bad-case", fm_with("date: 2026-01-15", "date: never"))
    result = project.build(strict=False)
    assert result.ok
    assert (result.site / "cases/good-case/index.html").is_file()
    # Said once, as a note: the error above is the one to fix, this line is not a second error.
    left_out = [r for r in result.records if "left out of the site" in r.getMessage()]
    assert [r.levelname for r in left_out] == ["INFO"]


def test_valid_case_builds_clean(project):
    project.add_case("good-case", VALID_FM + "\n" + SYNTHETIC_BODY)
    assert_clean(project.build())


def test_case_folder_without_index_warns(project):
    project.add_case()
    project.write("cases/empty-folder/notes.txt", "synthetic")
    result = project.build()
    assert not result.ok
    assert (
        "cases/empty-folder/:1:1: warning: case folder 'empty-folder' has no index.md, so it is not published; "
        "add one (`casebook new`) or remove the folder [case-no-index]"
    ) in result.messages


def test_synthetic_front_matter_helper_is_valid(project):
    project.add_case(text=case_text(synthetic_front_matter()))
    assert_clean(project.build())


# --------------------------------------------------------------------------- errors that point at the mistake


def _findings(tmp_path, text: str) -> list[str]:
    """Every finding of one case, as `casebook check` and the build print them."""
    from casebook.cases.loader import load_case
    from sitebuilder import PNG_1X1

    folder = tmp_path / "cases" / "bad-case"
    folder.mkdir(parents=True)
    (folder / "figure-one.png").write_bytes(PNG_1X1)
    (folder / "index.md").write_text(text, encoding="utf-8")
    _, findings = load_case(folder / "index.md", tmp_path)
    return [f.text() for f in findings]


def _line(text: str, start: str) -> int:
    return next(number for number, line in enumerate(text.split("\n"), 1) if line.startswith(start))


SHOWN = "cases/bad-case/index.md"


def test_an_unclosed_table_is_reported_at_its_opening_line_once(tmp_path):
    body = SYNTHETIC_BODY.replace('"Example two"]\n///\n', '"Example two"]\n\nMore synthetic discussion.\n')
    text = VALID_FM + "\n" + body
    opening, closing = _line(text, "/// etiology-table"), len(text.rstrip("\n").split("\n"))
    assert _findings(tmp_path, text) == [
        f"{SHOWN}:{opening}:1: error: the '/// etiology-table' block opened here is never closed: the '///' on line "
        f"{closing}, meant for the '/// answer' block, closes it instead; add a line '///' after the table's last row "
        "[block-unclosed]"
    ]


def test_an_unquoted_colon_in_a_cell_says_to_quote_it(tmp_path):
    text = VALID_FM + "\n" + SYNTHETIC_BODY.replace("[Group two, Mechanism two,", "[Group two, Mechanism: two,")
    assert _findings(tmp_path, text) == [
        f"{SHOWN}:{_line(text, '  - [Group two')}:1: error: row 2: the cell 'Mechanism: two' contains ': ', which "
        'YAML reads as a key and a value; put the cell in double quotes: "Mechanism: two" [etiology-shape]'
    ]


def test_a_key_dedented_to_column_0_is_reported_on_its_own_line(tmp_path):
    text = fm_with("  age: 40 years", "age: 40 years")
    assert _findings(tmp_path, text) == [
        f"{SHOWN}:8:1: error: front matter is not valid YAML: line 9 is indented, but 'age' above it already has a "
        "value; if 'age' belongs to the field above it, indent it like that field's other lines [yaml-syntax]"
    ]


def test_the_last_key_of_a_mapping_dedented_is_one_error_that_says_where_it_belongs(tmp_path):
    text = fm_with("  sex: female", "sex: female")
    assert _findings(tmp_path, text) == [
        f"{SHOWN}:9:1: error: unknown front matter field 'sex': it belongs to 'patient', so indent it like the "
        "lines under 'patient:' (two spaces) [field-unknown]"
    ]


def test_a_misspelled_field_is_one_error_not_two(tmp_path):
    text = fm_with("specialty: Synthetic specialty", "specialtyy: Synthetic specialty")
    assert _findings(tmp_path, text) == [
        f"{SHOWN}:6:1: error: unknown front matter field 'specialtyy' (did you mean 'specialty'?); see "
        "docs/authoring.md for the fields a case may have [field-unknown]"
    ]


def test_a_misspelled_figure_file_gets_a_did_you_mean(tmp_path):
    text = fm_with("file: figure-one.png", "file: figure-on.png")
    assert _findings(tmp_path, text) == [
        f"{SHOWN}:13:1: error: figure 1: image file 'figure-on.png' does not exist in bad-case/; check the name "
        "(did you mean 'figure-one.png'?) [figure-missing]"
    ]
    text = fm_with("file: figure-one.png", "file: Figure-One.PNG")
    assert _findings(tmp_path / "again", text) == [
        f"{SHOWN}:13:1: error: figure 1: image file 'Figure-One.PNG' does not exist in bad-case/; check the name "
        "(did you mean 'figure-one.png'?) [figure-missing]"
    ]


def test_three_independent_mistakes_are_reported_in_one_run(tmp_path):
    """A tab in the YAML, a figure without alt text and the diagnosis in the title: all three at once."""
    text = (
        fm_with("  sex: female", "\tsex: female")
        .replace("    alt: Synthetic alt text.\n", "")
        .replace("title: Synthetic case title", f"title: {SYNTHETIC_DIAGNOSIS} in a synthetic patient")
    )
    assert _findings(tmp_path, text) == [
        f"{SHOWN}:9:1: error: front matter contains a tab character; YAML indentation must use spaces [yaml-tab]",
        f"{SHOWN}:13:1: error: 'figures[1]' is missing required field 'alt' [field-missing]",
        f"{SHOWN}:2:1: error: the 'title' reveals the diagnosis ('{SYNTHETIC_DIAGNOSIS}'); reword it so the answer "
        "stays hidden [spoiler]",
    ]


def test_a_spoiling_folder_name_says_rename_the_folder(tmp_path):
    from casebook.cases.loader import load_case
    from sitebuilder import PNG_1X1

    folder = tmp_path / "cases" / "synthetic-condition-alpha"
    folder.mkdir(parents=True)
    (folder / "figure-one.png").write_bytes(PNG_1X1)
    (folder / "index.md").write_text(VALID_FM + "\n" + SYNTHETIC_BODY, encoding="utf-8")
    _, findings = load_case(folder / "index.md", tmp_path)
    assert [f.text() for f in findings] == [
        "cases/synthetic-condition-alpha/index.md:1:1: error: the case folder name (URL) reveals the diagnosis "
        "('Synthetic condition alpha'); rename the folder (cases/<new-name>/) so the answer stays hidden [spoiler]"
    ]


def test_one_mistake_aborts_with_one_error(project, caplog):
    """The "left out of the site" line is a note: one mistake, "Aborted with 1 errors"."""
    caplog.set_level(logging.INFO, logger="mkdocs")
    project.add_case("bad-case", fm_with("specialty: Synthetic specialty", "specialtyy: Synthetic specialty"))
    result = project.build()
    assert result.error == "Aborted with 1 errors in strict mode!"
    assert [(r.levelname, r.getMessage()) for r in result.records if "left out" in r.getMessage()] == [
        ("INFO", f"{SHOWN}: this case has errors (above) and is left out of the site until they are fixed")
    ]
