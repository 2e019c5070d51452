"""The patient-privacy lint (`phi-*`) and the `consent` field: messages, opt-outs, levels, precision, linear time."""

from __future__ import annotations

import re
import re._parser as sre_parse  # the parsed form of a pattern, to prove it has no nested quantifier
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from casebook.cases.loader import load_case
from casebook.checks.registry import RULES as REGISTRY
from casebook.checks.run import check_project
from casebook.cli.check import main as check_main
from casebook.mkdocs.config import settings_from_mkdocs_yml
from casebook.privacy import lint as lint_module
from casebook.privacy import optout as optout_module
from casebook.privacy import patterns as patterns_module
from casebook.privacy.lint import lint_case_source
from casebook.privacy.patterns import PATTERNS, RULES, find_identifiers
from reader_sites import CASES as READER_CASES
from reader_sites import ETIOLOGY_BODY
from sitebuilder import (
    PNG_1X1,
    REPO,
    SEED_CASE,
    SYNTHETIC_BODY,
    Project,
    case_text,
    new_project,
    shipped_site,
    synthetic_front_matter,
)

PATH = "cases/synthetic-case/index.md"
PRIVACY_RULES = sorted(RULES)


def message(rule: str, found: str) -> str:
    what, advice = RULES[rule]
    return f"'{found}': {what}; {advice}"


def line_of(path: str, line: int, col: int, rule: str, found: str, level: str = "warning") -> str:
    return f"{path}:{line}:{col}: {level}: {message(rule, found)} [{rule}]"


def lint(text: str, **kwargs):
    return lint_case_source(text, PATH, **kwargs)


def texts(text: str, **kwargs) -> list[str]:
    return [f.text() for f in lint(text, **kwargs).findings]


FRONT = """\
---
title: Synthetic case title
summary: Synthetic summary.
date: 2026-01-15
authors: [Synthetic Author, Dr Example Writer]
specialty: Synthetic specialty
patient:
  age: 40 years
  sex: female
presenting_complaint: Synthetic complaint
diagnosis: Synthetic condition alpha
---

"""
BODY_LINE = FRONT.count("\n") + 1  # the first line of the body


def body_case(presentation: str, answer: str = "Synthetic discussion.") -> str:
    return FRONT + presentation + "\n\n/// answer\n\n" + answer + "\n\n///\n"


# --------------------------------------------------------------------------- every rule, exactly, with file:line:col

#: rule -> (a line of synthetic history, the text the finding quotes)
EXAMPLES = {
    "phi-date": ("Seen on 15 March 2024 in clinic.", "15 March 2024"),
    "phi-age": ("A 93-year-old synthetic patient.", "93-year-old"),
    "phi-phone": ("The family was called on 555-010-4477 at once.", "555-010-4477"),
    "phi-email": ("Photos were sent to synthetic.person@example.org first.", "synthetic.person@example.org"),
    "phi-id-number": ("Synthetic record MRN: 55501234 was reviewed.", "MRN: 55501234"),
    "phi-postal-code": ("The synthetic patient lives near SW1A 1AA today.", "SW1A 1AA"),
    "phi-address": ("The synthetic patient lives at 12 Example Street now.", "12 Example Street"),
    "phi-ip": ("The photo came from 192.0.2.44 by mail.", "192.0.2.44"),
    "phi-url": ("Her photo is at https://example.org/synthetic-photo today.", "https://example.org/synthetic-photo"),
    "phi-name": ("Mrs Samplewood came with her daughter.", "Mrs Samplewood"),
}


def test_the_examples_cover_every_rule_of_the_lint_and_the_registry_has_them_all():
    assert sorted(EXAMPLES) == PRIVACY_RULES
    for rule in [*PRIVACY_RULES, "phi-optout"]:
        assert REGISTRY[rule].level == "warning", rule


@pytest.mark.parametrize("rule", PRIVACY_RULES)
def test_each_rule_reports_its_identifier_at_its_line_and_column(rule):
    sentence, found = EXAMPLES[rule]
    text = body_case("Synthetic first paragraph.\n\n" + sentence)
    col = sentence.index(found) + 1
    assert texts(text) == [line_of(PATH, BODY_LINE + 2, col, rule, found)]


def test_two_messages_word_for_word():
    """What the author reads: which identifier, why it is one, and how to rewrite it."""
    text = body_case("Seen on 15 March 2024, aged 95.")
    assert texts(text) == [
        f"{PATH}:{BODY_LINE}:9: warning: '15 March 2024': a full date (day, month and year) can identify the "
        "patient (Safe Harbor keeps only the year); write the time relative to the presentation ('two weeks "
        "later', 'at the age of 3 years') or the season or year alone ('in the spring', 'in 2019') [phi-date]",
        f"{PATH}:{BODY_LINE}:24: warning: 'aged 95': an age over 89 is an identifier under Safe Harbor, which "
        "puts every such age in one group, 90 or older; write 'over 90' or 'in her 90s' in the text, and "
        "`age: 90 years or older` (age group older adult, the '90+' group) in the front matter [phi-age]",
    ]


@pytest.mark.parametrize(
    "written",
    [
        "2024-03-15",
        "15/03/2024",
        "03/15/2024",
        "15.03.2024",
        "3/15/24",
        "15th March 2024",
        "15 Mar. 2024",
        "15-Mar-2024",
        "March 15, 2024",
        "Mar 15th 2024",
        "the 15th of March 2024",
    ],
)
def test_full_dates_in_common_formats(written):
    hits = find_identifiers(f"Seen {written} again.")
    assert [h.rule for h in hits] == ["phi-date"], written


@pytest.mark.parametrize(
    "written, rule",
    [
        ("a 95 year old man", "phi-age"),
        ("a 101-year-old woman", "phi-age"),
        ("92 y/o", "phi-age"),
        ("91yo", "phi-age"),
        ("at the age of 94,", "phi-age"),
        ("+44 20 7946 0958", "phi-phone"),
        ("(555) 010 4477", "phi-phone"),
        ("fax 5550104", "phi-phone"),
        ("123-45-6789", "phi-id-number"),
        ("account no. 99887766", "phi-id-number"),
        ("NHS number 9434765919", "phi-id-number"),
        ("a 12345678 reference", "phi-id-number"),
        ("Springfield, IL 62704", "phi-postal-code"),
        ("K1A 0B1", "phi-postal-code"),
        ("postcode 1010", "phi-postal-code"),
        ("PO Box 1234", "phi-address"),
        ("2001:db8::7", "phi-ip"),
        ("www.example.org/synthetic", "phi-url"),
        ("Dr. Example", "phi-name"),
        ("Prof Exampleson", "phi-name"),
    ],
)
def test_more_forms_of_each_identifier(written, rule):
    assert [h.rule for h in find_identifiers(f"Synthetic {written} text.")] == [rule], written


@pytest.mark.parametrize(
    "written",
    [
        "in March 2024",  # month and year: not a full date
        "in 1855",
        "12 months old",
        "an 89-year-old",
        "aged 90 or older",
        "an age of 90 or more",
        "a 90-day-old infant, aged 90 days",
        "BP 120/80 mmHg, HR 72, platelets 250,000/µL",
        "values 3.5 4.5 5.5 6.5 and 1 000 000",
        "at 10:30:00",
        "PMID 12345678",
        "doi 10.5555/example.2020.12345",
        "version 1.10.2",
        "127.0.0.1",
        "Figure 2, section 1.2.10",
        "MS, not Ms",
        "type 2 diabetes, CD4 count 350",
        "in the 1990s",
        "grade 3 of 4",
    ],
)
def test_what_is_not_an_identifier(written):
    assert find_identifiers(f"Synthetic {written} text.") == [], written


# --------------------------------------------------------------------------- front matter


def test_front_matter_values_are_linted_at_their_line_except_the_date_and_the_authors():
    text = FRONT.replace("  age: 40 years", "  age: 93 years").replace(
        "summary: Synthetic summary.", "summary: Seen on 2024-03-15 by Dr. Example Writer."
    )
    text = text.replace(
        "diagnosis: Synthetic condition alpha",
        "diagnosis: Synthetic condition alpha\nfigures:\n  - file: synthetic-2024-03-15.svg\n"
        "    alt: Synthetic drawing.\n    caption: Synthetic caption, 16 April 2024.\n"
        '    credit: "Drawing: Dr. Exampler, https://example.org/synthetic"',
    )
    text += "Synthetic presentation.\n\n/// answer\n\nSynthetic.\n\n///\n"
    assert texts(text) == [
        line_of(PATH, 3, 18, "phi-date", "2024-03-15"),
        f"{PATH}:8:8: warning: 'patient.age: 93 years': {RULES['phi-age'][0]}; {RULES['phi-age'][1]} [phi-age]",
        line_of(PATH, 15, 33, "phi-date", "16 April 2024"),
    ]


def test_a_bare_or_written_age_of_90_or_more_in_the_front_matter():
    for age, found in (("95", True), ("1100 months", True), ("90 years or older", False), ("89 years", False)):
        text = FRONT.replace("  age: 40 years", f"  age: {age}") + "Synthetic.\n\n/// answer\n\nx\n\n///\n"
        assert [f.rule for f in lint(text).findings] == (["phi-age"] if found else []), age


def test_web_addresses_count_in_the_history_only():
    text = body_case("Synthetic history.", "See https://example.org/guideline for the synthetic guideline.")
    assert texts(text) == []


def test_names_of_reference_authors_are_not_reported():
    text = body_case("Mrs Reference and Dr Example Writer saw her.")
    assert [f.rule for f in lint(text).findings] == ["phi-name"]
    assert lint(text, known_names={"Reference"}).findings == []


def test_code_comments_and_citations_are_not_prose():
    presentation = textwrap.dedent("""\
        Synthetic `2024-03-15` span and a citation [@example2024-03-15].

        <!-- seen on 2024-03-15 by Mrs Example -->

        ```text
        Mrs Example, 555-010-4477
        ```""")
    assert texts(body_case(presentation)) == []


def test_a_front_matter_that_cannot_be_read_is_not_linted():
    text = "---\ntitle: Synthetic\ndate: 2026-01-15\n\nSeen 15 March 2024.\n"  # never closed
    assert lint(text).findings == []


# --------------------------------------------------------------------------- opt-outs


def test_an_opt_out_alone_on_its_line_covers_the_next_paragraph_only():
    presentation = textwrap.dedent("""\
        <!-- casebook: allow phi-date "date of a published historical report" -->

        The report of 15 March 1855 described it,
        first on 16 March 1855.

        Seen again on 17 March 2024.""")
    result = lint(body_case(presentation))
    assert [f.text() for f in result.findings] == [line_of(PATH, BODY_LINE + 5, 15, "phi-date", "17 March 2024")]
    assert result.allowed == 2


def test_an_opt_out_inside_a_paragraph_covers_that_paragraph_and_only_its_rules():
    presentation = textwrap.dedent("""\
        Seen on 15 March 1855 by Dr. Samplewood,
        as reported <!-- casebook: allow phi-date "historical report" --> then.""")
    result = lint(body_case(presentation))
    assert [f.rule for f in result.findings] == ["phi-name"]
    assert result.allowed == 1


def test_an_opt_out_names_several_rules():
    presentation = '<!-- casebook: allow phi-date phi-name "historical report" -->\nDr. Samplewood, 15 March 1855.'
    result = lint(body_case(presentation))
    assert (result.findings, result.allowed) == ([], 2)


def test_an_opt_out_without_a_reason_or_with_a_typo_is_ignored_and_reported():
    presentation = textwrap.dedent("""\
        <!-- casebook: allow phi-date -->
        Seen on 15 March 2024.

        <!-- casebook: allow phi-dates "a typo" -->
        Seen on 16 March 2024.""")
    result = lint(body_case(presentation))
    assert [f.text() for f in result.findings] == [
        line_of(PATH, BODY_LINE + 1, 9, "phi-date", "15 March 2024"),
        line_of(PATH, BODY_LINE + 4, 9, "phi-date", "16 March 2024"),
        f"{PATH}:{BODY_LINE}:1: warning: this privacy opt-out is ignored: it gives no reason; add one in double "
        'quotes, e.g. allow phi-date "date of a published report" [phi-optout]',
        f"{PATH}:{BODY_LINE + 3}:1: warning: this privacy opt-out is ignored: it names 'phi-dates', which is not "
        f"a privacy rule ({', '.join(PRIVACY_RULES)}) [phi-optout]",
    ]
    assert result.allowed == 0


def test_an_opt_out_in_code_is_an_example_not_an_opt_out():
    presentation = '`<!-- casebook: allow phi-date "x" -->`\nSeen on 15 March 2024.'
    assert [f.rule for f in lint(body_case(presentation)).findings] == ["phi-date"]


def test_an_opt_out_in_the_front_matter_is_a_yaml_comment_before_or_after_the_field():
    text = FRONT.replace(
        "summary: Synthetic summary.",
        '# casebook: allow phi-date "date of a published report"\nsummary: >-\n  Reported\n  on 15 March 1855.\n'
        'specialty: Synthetic, 16 March 1855  # casebook: allow phi-date "historical"',
    ).replace("specialty: Synthetic specialty\n", "")
    text += "Synthetic.\n\n/// answer\n\nOn 17 March 1855.\n\n///\n"
    result = lint(text)
    assert [f.line for f in result.findings] == [text.split("\n").index("On 17 March 1855.") + 1]
    assert result.allowed == 2


# --------------------------------------------------------------------------- both front ends, the summary, the level


def write_case(project: Project, text: str, slug: str = "synthetic-case") -> None:
    project.add_case(slug, text)


def phi_case(extra: str = "") -> str:
    fm = synthetic_front_matter()
    body = SYNTHETIC_BODY.replace(
        "Synthetic presentation paragraph: a test patient with a test sign.",
        "Synthetic presentation paragraph: seen on 15 March 2024 by Mrs Example." + extra,
    )
    return case_text(fm, body)


def case_line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), start=1) if needle in line)


def test_check_and_build_report_the_same_lines_and_level_error_fails_both(tmp_path, capsys):
    project = new_project(tmp_path)
    text = phi_case()
    write_case(project, text)
    line = case_line(text, "15 March 2024")
    written = text.split("\n")[line - 1]
    expected = [
        line_of(PATH, line, written.index("15 March") + 1, "phi-date", "15 March 2024"),
        line_of(PATH, line, written.index("Mrs") + 1, "phi-name", "Mrs Example"),
    ]
    build = project.build()
    assert not build.ok, "warnings fail the strict build"
    assert [m for m in build.messages if "[phi-" in m] == expected
    assert check_main(["--root", str(project.root), "--no-cache"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:-1] == expected

    project.extra_config["plugins"] = ["search", {"casebook": {"privacy": {"level": "error"}}}]
    as_errors = [e.replace(": warning: ", ": error: ") for e in expected]
    build = project.build()
    assert not build.ok
    assert [m for m in build.messages if "[phi-" in m] == as_errors
    assert {r.levelname for r in build.records if "[phi-" in r.getMessage()} == {"ERROR"}
    assert check_main(["--root", str(project.root), "--no-cache"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:-1] == as_errors
    settings = settings_from_mkdocs_yml(project.root / "mkdocs.yml", project.root)
    assert settings.privacy.level == "error"


def test_the_summary_line_counts_the_opt_outs(tmp_path, capsys):
    project = new_project(tmp_path)
    write_case(
        project,
        phi_case().replace(
            "Synthetic presentation", '<!-- casebook: allow phi-date phi-name "x" -->\nSynthetic presentation'
        ),
    )
    report = check_project(project.root)
    assert [f.rule for f in report.findings] == []
    assert report.summary_line() == (
        "0 errors, 0 warnings in 1 case, 0 references, 2 other pages; 2 privacy findings allowed by opt-out comments"
    )
    assert check_main(["--root", str(project.root), "--no-cache"]) == 0
    assert re.match(
        r"^0 errors, 0 warnings in .*; 2 privacy findings allowed by opt-out comments \(\d+\.\d s\)$",
        capsys.readouterr().out.strip(),
    )
    build = project.build()
    assert build.ok
    assert "2 privacy findings allowed by opt-out comments" in [r.getMessage() for r in build.records]


def test_an_unknown_level_is_a_config_error(tmp_path):
    project = new_project(tmp_path)
    project.extra_config["plugins"] = ["search", {"casebook": {"privacy": {"level": "loud"}}}]
    result = project.build()
    assert not result.ok and "level" in (result.error or "") + result.log


# --------------------------------------------------------------------------- precision: the project's own texts


def test_no_finding_on_the_seed_case_nor_the_docs_pages(tmp_path):
    config = shipped_site(tmp_path)
    report = check_project(config.parent)
    assert [f.text() for f in report.findings if f.rule.startswith("phi-")] == []
    assert report.allowed == 0


def test_the_docs_pages_are_not_linted_even_when_they_show_identifiers(tmp_path):
    project = new_project(tmp_path)
    project.write("docs/synthetic-page.md", "# Synthetic\n\nMrs Example, seen on 15 March 2024.\n")
    write_case(project, case_text())
    assert [f.rule for f in check_project(project.root).findings] == []


def test_no_finding_on_the_tests_synthetic_cases():
    sources = [case_text(), case_text(body=ETIOLOGY_BODY)]
    sources += [case_text(synthetic_front_matter(**fm), ETIOLOGY_BODY) for fm in READER_CASES.values()]
    sources += [
        p.read_text(encoding="utf-8")
        for p in sorted((REPO / "tests" / "bad").glob("*/cases/*/index.md"))
        if p.parent.parent.parent.name
        not in {"not-utf8", "byte-order-mark", "crlf-line-endings", "privacy-identifiers"}
    ]
    found = [f.text() for text in sources for f in lint(text).findings]
    assert found == []


# --------------------------------------------------------------------------- linear time


def _nested_repeats(parsed, inside: bool = False) -> list[str]:
    out = []
    for op, av in parsed:
        name = str(op)
        if name in {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}:
            if inside:
                out.append(name)
            out += _nested_repeats(av[2], True)
        elif name in {"SUBPATTERN", "ATOMIC_GROUP"}:
            out += _nested_repeats(av[-1], inside)
        elif name == "BRANCH":
            for branch in av[1]:
                out += _nested_repeats(branch, inside)
        elif name in {"ASSERT", "ASSERT_NOT"}:
            out += _nested_repeats(av[1], inside)
    return out


def _all_patterns() -> list[re.Pattern[str]]:
    found = [p for patterns in PATTERNS.values() for p in patterns]
    for module in (patterns_module, lint_module, optout_module):
        found += [v for v in vars(module).values() if isinstance(v, re.Pattern)]
    return found


@pytest.mark.parametrize("pattern", _all_patterns(), ids=lambda p: p.pattern[:40])
def test_no_pattern_repeats_something_that_repeats(pattern):
    assert _nested_repeats(sre_parse.parse(pattern.pattern, pattern.flags)) == []


#: 100,000 characters each, shaped to make a backtracking pattern explode.
HOSTILE = {
    "digits and spaces": "1 " * 50_000,
    "one long number": "9" * 100_000,
    "dotted numbers": "1." * 50_000,
    "letters then @": "a" * 99_999 + "@",
    "at signs": "a@" * 50_000,
    "titles": "Mr " * 33_333 + "x",
    "street-like words": "12 Aaaa " * 12_500,
    "hex and colons": "a:" * 50_000,
    "date-like": "1/" * 50_000,
    "month words": "March " * 16_666 + "1234",
    "opt-out comments": '<!-- casebook: allow phi-date "' * 3_226,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_100000_character_text_is_read_in_one_pass(name):
    text = HOSTILE[name]
    assert len(text) >= 99_999
    hits = find_identifiers(text)
    assert all(0 <= h.start < h.end <= len(text) for h in hits)
    result = lint(body_case(text))
    assert result.allowed == 0


# --------------------------------------------------------------------------- consent


def consent_case(tmp_path: Path, figure: str, consent: str | None) -> tuple[Path, list[str]]:
    fm = synthetic_front_matter(
        figures=[{"file": figure, "alt": "Synthetic image.", "caption": "Synthetic caption."}], consent=consent
    )
    folder = tmp_path / "cases" / "synthetic-case"
    folder.mkdir(parents=True)
    (folder / figure).write_bytes(
        PNG_1X1 if not figure.endswith(".svg") else b'<svg xmlns="http://www.w3.org/2000/svg"/>'
    )
    path = folder / "index.md"
    path.write_text(case_text(fm), encoding="utf-8")
    _, findings = load_case(path, tmp_path)
    return path, [f.text() for f in findings]


def test_a_raster_figure_needs_consent(tmp_path):
    path, found = consent_case(tmp_path, "figure-one.jpg", None)
    line = case_line(path.read_text(encoding="utf-8"), "- file: figure-one.jpg")
    assert found == [
        f"{PATH}:{line}:1: error: figure 1 (figure-one.jpg) is a raster image, which Casebook treats as a "
        "photograph, so the front matter needs 'consent': written-consent (the patient, or a parent or guardian, "
        "gave written informed consent to publish an image that could identify them), not-identifiable (no one "
        "could recognise the patient from the image or its caption) or schematic (a drawing, not a photograph); "
        "see docs/authoring.md, Consent [field-missing]"
    ]


@pytest.mark.parametrize("consent", ["written-consent", "not-identifiable", "schematic"])
def test_each_consent_value_is_accepted(tmp_path, consent):
    assert consent_case(tmp_path, "figure-one.png", consent)[1] == []


def test_a_drawing_needs_no_consent_and_a_wrong_value_is_named(tmp_path):
    assert consent_case(tmp_path / "a", "figure-one.svg", None)[1] == []
    path, found = consent_case(tmp_path / "b", "figure-one.png", "yes")
    line = case_line(path.read_text(encoding="utf-8"), "consent:")
    assert found == [
        f"{PATH}:{line}:1: error: 'consent' must be one of written-consent, not-identifiable, schematic, "
        "not 'yes' [field-value]"
    ]


def test_a_case_with_a_photograph_and_no_consent_fails_the_build(tmp_path):
    project = new_project(tmp_path)
    fm = synthetic_front_matter()
    del fm["consent"]
    project.add_case(text=case_text(fm))
    result = project.build()
    assert not result.ok
    assert any(
        m.startswith(f"{PATH}:") and "needs 'consent'" in m and m.endswith("[field-missing]") for m in result.messages
    )
    assert not (result.site / "cases/synthetic-case/index.html").exists()


def test_the_seed_case_draws_its_figures_and_needs_no_consent():
    seed = REPO / "cases" / SEED_CASE / "index.md"
    data = yaml.safe_load(seed.read_text(encoding="utf-8").split("---\n")[1])
    assert all(f["file"].endswith(".svg") for f in data["figures"])
    assert load_case(seed, REPO)[1] == []


def test_a_date_written_into_a_copy_of_the_seed_case_is_found(tmp_path):
    """The shipped site with one full date added: the one finding, at its line and column."""
    config = shipped_site(tmp_path)
    root = config.parent
    case = root / "cases" / "pearl-like-heel-nodule" / "index.md"
    text = case.read_text(encoding="utf-8").replace("It appeared about a month ago.", "It appeared on 3 October 2026.")
    case.write_text(text, encoding="utf-8")
    report = check_project(settings_from_mkdocs_yml(config, root))
    phi = [f.text() for f in report.findings if f.rule.startswith("phi-")]
    line = case_line(text, "3 October 2026")
    col = text.split("\n")[line - 1].index("3 October 2026") + 1
    assert phi == [line_of("cases/pearl-like-heel-nodule/index.md", line, col, "phi-date", "3 October 2026")]


IDENTIFIER_ALPHABET = (
    list("0123456789 -/.:@()+#,")
    + list("aAbBcdDefhHiMmnNoOprRsStTwWxXyYzZ")
    + [
        "\n",
        "MRN ",
        "Dr ",
        "Mrs ",
        "Street",
        " Box ",
        "www.",
        "http://",
        "zip ",
        "years old",
        "aged ",
        "NHS no ",
        "\u0663",
        "\u0661",  # Arabic-Indic digits: `\d` matches them too
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(IDENTIFIER_ALPHABET), max_size=60).map("".join))
def test_skipping_patterns_whose_hint_is_absent_changes_no_finding(text):
    """The lint skips a pattern when the text lacks what every match of it has (a digit, '@', ...)."""
    guarded = find_identifiers(text)
    saved = patterns_module._NEEDS
    patterns_module._NEEDS = {rule: (None,) * len(found) for rule, found in PATTERNS.items()}
    try:
        unguarded = find_identifiers(text)
    finally:
        patterns_module._NEEDS = saved
    assert guarded == unguarded, text


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(IDENTIFIER_ALPHABET),
            st.sampled_from(
                [
                    "\n" * 3,
                    "\n\n\n\n\n\n",
                    "Lorem ipsum dolor.\n",
                    "June",
                    "June\n",
                    " 3,",
                    "\n3,",
                    " 2020",
                    "\n2020",
                    "aged\n",
                    "\n95",
                    "Dr\n",
                    "3 June\n",
                    "\n1999",
                ]
            ),
        ),
        max_size=80,
    ).map("".join)
)
@example("Seen in\nJune\n\n\n3,\n\n\n2020 and aged\n95.")
@example("She lived at 12 Harbour View And Long Meadow Street until the record number ABCD-12.")
def test_scanning_only_near_digits_changes_no_finding(text):
    """Patterns that need a digit are run around the digits only; over the whole text they find the same."""
    saved = patterns_module._digit_windows
    patterns_module._digit_windows = lambda t: [(0, len(t))]
    try:
        whole = find_identifiers(text)
    finally:
        patterns_module._digit_windows = saved
    assert find_identifiers(text) == whole, text
