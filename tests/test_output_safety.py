"""Safety judged on what is published: the build parses every page it writes (casebook.checks.output).

Each hostile input below got past the source checks once (they read Markdown
with patterns); the output check reads the HTML as a browser does and fails
the strict build at the input's line.
"""

from __future__ import annotations

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from casebook.checks.output import unsafe_output, unsafe_url, url_scheme
from casebook.checks.run import check_project
from sitebuilder import SYNTHETIC_BODY, case_text, synthetic_front_matter

HOSTILE = {
    "attr_list onclick on a paragraph": ('Synthetic paragraph.\n{: onclick="alert(1)" }\n', "onclick="),
    "attr_list onload on an image": ("![Synthetic alt](figure-one.png){: onload=alert(1) }\n", "onload="),
    "entity inside the scheme": ('<a href="java&#9;script:alert(1)">synthetic</a>\n', "the href= of <a>"),
    "HTML5 comment confusion": ("<!--> <img src=x onerror=alert(1)> -->\n", "onerror="),
    "formaction": ('<button formaction="javascript:alert(1)">synthetic</button>\n', "formaction="),
    "svg xlink:href": ('<svg><a xlink:href="javascript:alert(1)"><text>synthetic</text></a></svg>\n', "xlink:href="),
    "style url": ('<span style="background:url(javascript:alert(1))">synthetic</span>\n', "style attribute"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_html_in_a_case_is_found_at_its_line_by_check_and_by_the_build(project, name):
    """The source rules read raw HTML and attr_lists as a browser does, so both front ends agree."""
    snippet, _ = HOSTILE[name]
    body = "Synthetic presentation paragraph.\n\n" + snippet + "\n" + SYNTHETIC_BODY.split("\n", 1)[1]
    project.add_case("synthetic-case", case_text(body=body))
    hostile_line = next(s for s in snippet.split("\n") if "=" in s)  # the line with the attribute
    line = case_text(body=body).split("\n").index(hostile_line) + 1
    rules = ("[html-unsafe]", "[link-unsafe]")
    checked = [f.text() for f in check_project(project.root).findings]
    assert [t for t in checked if t.endswith(rules)] == checked, checked
    assert checked and all(t.startswith(f"cases/synthetic-case/index.md:{line}:") for t in checked), checked
    result = project.build()
    assert not result.ok
    built = [m for m in result.messages if m.endswith((*rules, "[output-unsafe]"))]
    assert built == checked, result.log  # the output check does not say it a second time


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_output_check_alone_catches_each_hostile_construct(name):
    """The second guard: the rendered HTML of each snippet, judged with no help from the source rules."""
    snippet, expected = HOSTILE[name]
    html = markdown.markdown(snippet, extensions=["attr_list", "md_in_html"])
    problems = unsafe_output(f"<html><body><article>{html}</article></body></html>")
    assert any(expected in p.message for p in problems), (html, [p.message for p in problems])


def test_a_clean_case_has_no_output_findings(clean_build, project):
    project.add_case()
    result = clean_build()
    assert unsafe_output((result.site / "cases/synthetic-case/index.html").read_text(encoding="utf-8")) == []


def test_the_theme_and_casebook_scripts_are_not_flagged():
    page = (
        '<html><head><script src="assets/javascripts/bundle.js"></script>'
        '<script>__md_scope=new URL(".",location)</script></head>'
        '<body><article class="md-content__inner"><form class="casebook-quiz" data-casebook-quiz></form>'
        '<script type="application/ld+json">{}</script></article>'
        '<script>var palette=__md_get("__palette")</script>'
        "<script>const lightbox = GLightbox({})</script></body></html>"
    )
    assert unsafe_output(page) == []


@pytest.mark.parametrize(
    "script",
    [
        "<script>alert(1)</script>",  # what a docs page's title closing <title> would add to the head
        '<script src="http://example.org/x.js"></script>',  # loaded over plain http
        "<script>var theme=1; alert(1)</script>",
    ],
)
def test_a_script_the_theme_did_not_write_is_flagged_in_the_head_too(script):
    page = f"<html><head><title>Synthetic</title>{script}</head><body><article></article></body></html>"
    problems = unsafe_output(page)
    assert [p.message.split(" (")[0] for p in problems] == ["an inline or foreign <script>"]
    assert "neither the theme nor Casebook wrote" in problems[0].message


def test_a_docs_page_title_and_description_are_escaped_into_the_head(project, clean_build):
    project.add_case()
    project.write(
        "docs/synthetic-page.md",
        "---\ntitle: '</title><script>alert(1)</script>'\ndescription: '\"><script>alert(2)</script>'\n---\n\n"
        "# Synthetic page\n\nSynthetic text.\n",
    )
    html = (clean_build().site / "synthetic-page/index.html").read_text(encoding="utf-8")
    head = html.split("</head>")[0]
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in head
    assert "alert(2)" in head and "<script>alert(2)" not in head
    assert "<script>alert(1)" not in html


def test_a_script_inside_the_article_is_flagged_and_so_is_a_form_with_an_action():
    page = (
        '<body><article><script>alert(1)</script><form class="casebook-quiz" action="https://example.org/">'
        "</form></article></body>"
    )
    messages = [p.message for p in unsafe_output(page)]
    assert [m.split(" element")[0] for m in messages] == ["a <script>", "a <form>"]


@pytest.mark.parametrize(
    "url, scheme",
    [
        ("javascript:alert(1)", "javascript"),
        (" \x01JaVaScRiPt:alert(1)", "javascript"),
        ("java\tscript:alert(1)", "javascript"),
        ("java\nscript:1", "javascript"),
        ("data:text/html,x", "data"),
        ("https://example.org/", "https"),
        ("mailto:a@example.org", "mailto"),
        ("../x/", None),
        ("#ref-a", None),
        ("x.png?a=b:c", None),
        ("/a:b", None),
    ],
)
def test_schemes_are_read_as_a_browser_reads_them(url, scheme):
    assert url_scheme(url) == scheme


def test_every_candidate_of_a_srcset_is_judged():
    assert unsafe_url("a.png 1x, javascript:alert(1) 2x", srcset=True) == "javascript:alert(1)"
    assert unsafe_url("a.png 1x, b.png 2x", srcset=True) is None


@given(
    st.sampled_from(["onclick", "ONLOAD", "onError", "onfocus", "onpointerenter"]),
    st.sampled_from(['"alert(1)"', "alert(1)", "'alert(1)'", '"&#97;lert(1)"']),
    st.sampled_from(["p", "img", "svg", "a", "details", "video"]),
)
def test_every_spelling_of_an_event_handler_is_caught(attribute, value, tag):
    page = f"<body><article><{tag} {attribute}={value}>x</{tag}></article></body>"
    assert any(attribute.lower() in p.message.lower() for p in unsafe_output(page)), page


@given(
    st.lists(st.sampled_from(["", "&#9;", "&#x0A;", "&Tab;", "&NewLine;", "\t", "\n"]), min_size=4, max_size=4),
    st.sampled_from(["javascript", "JAVASCRIPT", "vbscript", "data"]),
    st.sampled_from(["href", "src", "formaction", "xlink:href", "action", "poster"]),
)
def test_every_encoding_of_an_unsafe_scheme_is_caught(noise, scheme, attribute):
    spelled = "".join(c + noise[i % 4] for i, c in enumerate(scheme))
    page = f'<body><article><a {attribute}="{spelled}:alert(1)">x</a></article></body>'
    assert any("only http, https, mailto" in p.message for p in unsafe_output(page)), page


# --------------------------------------------------------------------------- spoilers on the published page

DIAGNOSIS = "Synthetic condition alpha"  # sitebuilder's synthetic case
SPOILING_BODIES = {
    "text after the answer": SYNTHETIC_BODY + "\nAfter the answer: Synthetic condition alpha.\n",
    "a note after the answer": SYNTHETIC_BODY + "\n!!! note\n    Remember synthetic condition alpha.\n",
    "the answer's summary argument": SYNTHETIC_BODY.replace("/// answer", "/// answer | Synthetic condition alpha"),
    "an HTML comment before the answer": "<!-- Synthetic condition alpha -->\n\n" + SYNTHETIC_BODY,
}
TRICKS = {
    "zero-width space": "Synthetic condi\u200btion alpha",
    "soft hyphen entity": "Synthetic condi&shy;tion alpha",
    "markup inside a word": "Synthetic condi**tion** alpha",
    "a Cyrillic look-alike": "Synthetic c\u043endition alpha",
    "upper case, hyphenated": "SYNTHETIC-CONDITION-ALPHA",
    "fullwidth letters": "\uff33ynthetic condition alpha",
}


@pytest.mark.parametrize("name", sorted(SPOILING_BODIES))
def test_the_diagnosis_outside_the_answer_fails_the_build(project, name):
    project.add_case("synthetic-case", case_text(body=SPOILING_BODIES[name]))
    result = project.build()
    assert not result.ok
    spoilers = [m for m in result.messages if m.endswith(("[spoiler]", "[output-spoiler]"))]
    assert any(m.startswith("cases/synthetic-case/index.md:") and DIAGNOSIS.lower() in m.lower() for m in spoilers), (
        result.log
    )


@pytest.mark.parametrize("name", sorted(SPOILING_BODIES) + sorted(TRICKS))
def test_casebook_check_finds_the_same_spoilers_at_their_line(project, name):
    """The source rule reads everything outside the answer, as the page shows it: check agrees with the build."""
    if name in TRICKS:
        body = f"Synthetic presentation: {TRICKS[name]}.\n\n" + SYNTHETIC_BODY.split("\n", 1)[1]
        needle = TRICKS[name]
    else:
        body = SPOILING_BODIES[name]
        needle = next(line for line in body.split("\n") if "ondition alpha" in line.lower())
    text = case_text(body=body)
    project.add_case("synthetic-case", text)
    line = text.split("\n").index(next(t for t in text.split("\n") if t.startswith(needle) or needle in t)) + 1
    found = [f.text() for f in check_project(project.root).findings]
    assert found == [
        f"cases/synthetic-case/index.md:{line}:1: error: the text outside the answer reveals the diagnosis "
        f"('{DIAGNOSIS}'); reword it so the answer stays hidden [spoiler]"
    ]


@pytest.mark.parametrize("name", sorted(TRICKS))
def test_every_spelling_of_the_diagnosis_before_the_answer_is_caught(project, name):
    body = f"Synthetic presentation: {TRICKS[name]}.\n\n" + SYNTHETIC_BODY.split("\n", 1)[1]
    project.add_case("synthetic-case", case_text(body=body))
    result = project.build()
    assert not result.ok
    assert any(
        m.startswith("cases/synthetic-case/index.md:") and m.endswith(("[spoiler]", "[output-spoiler]"))
        for m in result.messages
    ), result.log


def test_the_quiz_options_may_name_the_diagnosis(project, clean_build):
    options = [
        {"option": DIAGNOSIS, "correct": True, "explanation": "Synthetic explanation one."},
        {"option": "Synthetic other option", "explanation": "Synthetic explanation two."},
    ]
    project.add_case("synthetic-case", case_text(synthetic_front_matter(differential=options)))
    clean_build()


def test_the_search_index_never_holds_the_diagnosis(project, clean_build):
    project.add_case()
    result = clean_build()
    index = (result.site / "search/search_index.json").read_text(encoding="utf-8").lower()
    assert "synthetic-case" in index and DIAGNOSIS.lower() not in index
