"""Case pages end to end: build tiny sites and assert on the HTML readers get."""

from __future__ import annotations

import json
import re

from sitebuilder import (
    SYNTHETIC_BODY,
    SYNTHETIC_DIAGNOSIS,
    assert_clean,
    case_text,
    outside_answer,
    synthetic_front_matter,
)

SPOILERS = (SYNTHETIC_DIAGNOSIS, "Synthetic syndrome beta")


def test_case_page_has_reveal_table_and_figures(project, clean_build):
    project.add_case()
    result = clean_build()
    html = result.html("cases/synthetic-case")

    answer = re.search(r'<details class="casebook-answer[^"]*"([^>]*)>(.*?)</details>', html, re.S)
    assert answer, "the answer must be a <details class=casebook-answer>"
    attrs, inner = answer.groups()
    assert "data-search-exclude" in attrs and 'id="answer"' in attrs
    assert " open" not in attrs, "the answer must start closed"
    assert re.match(
        r'\s*<summary><span class="casebook-reveal-label">Show the answer</span>'
        r'<span class="casebook-hide-label">Hide the answer</span>'
        r'<span class="casebook-print-label" hidden="hidden">Answer</span></summary>',
        inner,
    )
    assert f'<span class="casebook-diagnosis-name">{SYNTHETIC_DIAGNOSIS}</span>' in inner
    assert "Synthetic key point." in inner and "Synthetic discussion paragraph." in inner

    table = re.search(r'<table class="casebook-etiology">(.*?)</table>', inner, re.S).group(1)
    assert "<caption>Synthetic causes</caption>" in table
    assert re.findall(r'<th scope="col">([^<]*)</th>', table) == ["Group", "Mechanism", "Examples"]
    assert re.findall(r'<th scope="row">([^<]*)</th>', table) == ["Group one", "Group two"]
    assert "<td>Mechanism <em>one</em></td>" in table

    figure = re.search(r'<figure class="casebook-figure" id="figure-1">(.*?)</figure>', html, re.S).group(1)
    assert 'alt="Synthetic image one, a single grey pixel."' in figure
    assert (
        '<span class="casebook-figure-label">Figure 1.</span> '
        '<span class="casebook-caption-1">Synthetic caption one.</span>'
    ) in figure
    assert 'class="glightbox"' in figure, "figures open in Material's lightbox (zoom)"
    assert (result.site / "cases/synthetic-case/figure-one.png").is_file()
    assert html.index('id="figure-1"') < html.index("casebook-question") < html.index("casebook-answer")


def test_diagnosis_absent_everywhere_before_the_reveal(project):
    project.add_case()
    result = project.build()
    assert_clean(result)
    html = result.html("cases/synthetic-case")
    before = outside_answer(html)
    for term in SPOILERS:
        assert term not in before, f"{term!r} leaks outside the answer"
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert title.startswith("Synthetic case: a test patient")
    assert 'content="A synthetic test case used by Casebook' in html
    index = json.loads((result.site / "search/search_index.json").read_text())
    dump = json.dumps(index)
    for term in SPOILERS + ("Synthetic discussion", "Group one"):
        assert term not in dump, f"{term!r} is in the search index"
    assert any(d["location"] == "cases/synthetic-case/" for d in index["docs"]), "the case itself is searchable"
    home = result.html("cases")
    assert "Synthetic case: a test patient" in home and SYNTHETIC_DIAGNOSIS not in home


def test_headings_inside_the_answer_have_no_anchor_or_toc_entry(project):
    project.add_case()
    result = project.build()
    html = result.html("cases/synthetic-case")
    assert "<h2>Synthetic discussion heading</h2>" in html
    assert "synthetic-discussion-heading" not in html
    assert 'href="#the-case"' in html, "headings before the answer stay in the TOC"


def test_answer_only_figure_is_inside_the_answer(project):
    fm = synthetic_front_matter(
        figures=[
            {"file": "figure-one.png", "alt": "Synthetic alt one.", "caption": "Synthetic caption one."},
            {
                "file": "figure-two.png",
                "alt": f"Histology of {SYNTHETIC_DIAGNOSIS}.",
                "caption": f"Typical {SYNTHETIC_DIAGNOSIS}.",
                "in_answer": True,
            },
        ]
    )
    project.add_case(text=case_text(fm), images=("figure-one.png", "figure-two.png"))
    result = project.build()
    assert_clean(result)
    html = result.html("cases/synthetic-case")
    assert SYNTHETIC_DIAGNOSIS not in outside_answer(html)
    answer = re.search(r'<details class="casebook-answer.*?</details>', html, re.S).group(0)
    # Its id is held back (no URL fragment may open the answer); the reader script follows links to it.
    assert 'data-casebook-id="figure-2"' in answer and "Figure 2." in answer
    assert not re.search(r'\sid="figure-2"', html)


def test_front_matter_is_html_escaped(project):
    evil = "<script>alert(1)</script>"
    fm = synthetic_front_matter(
        title=f"Synthetic {evil} title",
        summary=f"Synthetic {evil} summary",
        presenting_complaint=f"Synthetic {evil}",
        authors=[f"Synthetic {evil}"],
        diagnosis=f"Synthetic {evil} diagnosis",
        synonyms=[],
        figures=[
            {
                "file": "figure-one.png",
                "alt": f'Synthetic "{evil}',
                "caption": f"Synthetic {evil}",
                "credit": f"Synthetic {evil}",
            }
        ],
        key_points=[f"Synthetic {evil}"],
        learning_objectives=[f"Synthetic {evil}"],
    )
    body = SYNTHETIC_BODY.replace('"Example one"', '"<script>alert(1)</script> & <b>bold</b>"')
    project.add_case(text=case_text(fm, body))
    # Markup in plain-text fields is reported (readers would see it literally) and fails --strict...
    strict = project.build()
    assert not strict.ok
    assert any(
        "field 'title' contains HTML markup ('<script>')" in m and "[markup-in-text]" in m for m in strict.messages
    )
    assert any(
        re.search(r"index\.md:\d+:\d+: error: <script> runs script.*\[html-unsafe\]", m) for m in strict.messages
    )
    # ...and, built anyway, every front-matter string is escaped, never interpreted.
    result = project.build(strict=False)
    html = result.html("cases/synthetic-case")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert 'alt="Synthetic &quot;&lt;script&gt;' in html


def test_javascript_links_in_the_body_are_dropped(project):
    body = "Synthetic [link](javascript:alert(1)) and [ok](https://example.org/).\n\n" + SYNTHETIC_BODY
    project.add_case(text=case_text(None, body))
    result = project.build(strict=False)
    html = result.html("cases/synthetic-case")
    assert "javascript:" not in html
    assert 'href="https://example.org/"' in html
    # Said once, at the line (the Markdown extension that drops it only logs a debug line, without a place).
    unsafe = [m for m in result.messages if "javascript:" in m]
    assert len(unsafe) == 1 and unsafe[0].startswith("cases/synthetic-case/index.md:"), result.log
    assert unsafe[0].endswith("[link-unsafe]"), result.log


def test_case_index_lists_cases_newest_first(project):
    project.add_case("older-case", case_text(synthetic_front_matter(title="Synthetic older", date="2020-01-01")))
    project.add_case("newer-case", case_text(synthetic_front_matter(title="Synthetic newer", date="2025-01-01")))
    result = project.build()
    assert_clean(result)
    html = result.html("cases")
    assert html.index("Synthetic newer") < html.index("Synthetic older")
    assert 'href="newer-case/"' in html


def test_clean_build_fixture_fails_on_unexpected_warnings(project, clean_build):
    """The fixture itself must be able to fail: an unexpected warning is an assertion error."""
    import pytest

    project.add_case()
    project.write("docs/extra.md", "# Synthetic\n\n[broken](no-such-page.md)\n")
    with pytest.raises(AssertionError, match=r"no-such-page\.md"):
        clean_build()
