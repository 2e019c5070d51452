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
    ("no-answer", VALID_FM + "\nJust a presentation.\n", 17, "answer-missing", "has no answer"),
    ("unclosed-answer", VALID_FM + "\nText.\n\n/// answer\n\nDiscussion.\n", 20, "block-unclosed", "never closed"),
    (
        "bad-table",
        VALID_FM + "\n/// answer\n\n/// etiology-table | Cap\ncolumns: [A, B]\nrows:\n  - [only one]\n///\n\n///\n",
        23,
        "etiology-row-length",
        "has 1 cells but the table has 2 columns",
    ),
    (
        "body-image-no-alt",
        VALID_FM + "\n![](figure-one.png)\n\n/// answer\n\nx\n\n///\n",
        18,
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
