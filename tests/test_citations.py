"""Citation grammar, scanner and Markdown extension, without MkDocs (synthetic references only)."""

from __future__ import annotations

import re
import textwrap

import markdown
import pytest

from casebook.references.bibtex import Library, parse_bib_text
from casebook.references.citekeys import Citation, parse_items, scan_citations
from casebook.render.citations import CitationExtension, format_locator
from casebook.render.markdown_ext import CasebookExtension


def synthetic_library(n: int = 9) -> Library:
    text = "\n".join(
        f"@article{{s{i}, author = {{Author{i}, Synthetic}}, title = {{Synthetic title {i}}}, "
        f"journal = {{Synth J}}, year = {{20{i:02d}}}, volume = {{{i}}}, doi = {{10.5555/s{i}}}}}"
        for i in range(1, n + 1)
    )
    refs, _, findings = parse_bib_text(text, "synthetic.bib")
    assert not findings
    return Library({r.key: r for r in refs})


LIB = synthetic_library()


def render(src: str, library: Library = LIB) -> tuple[str, CitationExtension, list[str]]:
    unknown: list[str] = []
    ext = CitationExtension(library=library, on_unknown=unknown.append)
    html = markdown.markdown(
        textwrap.dedent(src),
        extensions=[
            "toc",
            "attr_list",
            "md_in_html",
            "admonition",
            "pymdownx.details",
            "pymdownx.superfences",
            CasebookExtension(),
            ext,
        ],
    )
    return html, ext, unknown


def numbers(html: str) -> list[str]:
    """The visible superscripts of each citation group, e.g. ['1', '2-4,6']."""
    groups = re.findall(r'<sup class="casebook-cites"[^>]*>(.*?)</sup>', html, re.S)
    return [re.sub(r"<[^>]+>", "", re.sub(r'<span class="casebook-cite-preview".*?</span>', "", g)) for g in groups]


def references(html: str) -> list[tuple[str | None, list[str]]]:
    """Each reference list: its start attribute and the keys it lists."""
    out = []
    for m in re.finditer(r'<ol class="casebook-references"(?: start="(\d+)")?>(.*?)</ol>', html, re.S):
        # Inside the answer an entry's id is held as data-casebook-id (no URL fragment may open the answer).
        out.append((m.group(1), re.findall(r'<li (?:data-casebook-)?id="ref-([^"]+)"', m.group(2))))
    return out


def split_answer(html: str) -> tuple[str, str]:
    m = re.search(r'<details class="casebook-answer.*?</details>', html, re.S)
    assert m
    return html[: m.start()] + html[m.end() :], m.group()


# --- grammar and scanner ---------------------------------------------------------------------


def test_parse_items_with_locators():
    assert parse_items("@a; @b, p. 12 ;@c:d.e/f") == [
        parse_items("@a")[0],
        parse_items("@b, p. 12")[0],
        parse_items("@c:d.e/f")[0],
    ]
    assert [(i.key, i.locator) for i in parse_items("@a; @b, p. 12")] == [("a", ""), ("b", "p. 12")]


@pytest.mark.parametrize(
    "locator, shown",
    [
        ("p. 12", "p12"),
        ("pp. 12-15", "pp12-15"),
        ("pp 3–5", "pp3-5"),
        ("p12", "p12"),
        ("chap 3", "chap 3"),
        ("fig. 2", "fig. 2"),
    ],
)
def test_ama_locators(locator, shown):
    assert format_locator(locator) == shown


def test_scan_finds_keys_with_line_and_column_in_every_kind_of_block():
    src = textwrap.dedent("""\
        ---
        title: "Front matter [@s9] is not Markdown"
        ---
        A paragraph [@s1].

        - a list item [@s2; @s3, p. 4]

        !!! note
            An admonition [@s4].

        /// answer
        In the answer [@s5].

        /// etiology-table | Caption [@s6]
        columns: [A, B]
        rows:
          - [x, "cell [@s7]"]
        ///
        ///
        """)
    assert scan_citations(src) == [
        Citation("s1", 4, 14),
        Citation("s2", 6, 16),
        Citation("s3", 6, 21),
        Citation("s4", 9, 20),
        Citation("s5", 12, 16),
        Citation("s6", 14, 31),
        Citation("s7", 17, 16),
    ]


def test_scan_skips_code_comments_urls_emails_links_and_escapes():
    src = textwrap.dedent("""\
        Inline `[@s1]` code and ``[@s1] `tick` `` code.

        ```markdown
        Fenced [@s1]
        ```

        ~~~~
        [@s1]
        ~~~~

        <!-- a comment [@s1]
        over lines [@s1] -->

        Mail synthetic.author@example.org or [name@example.org] and https://example.org/[@s1]/x
        and <https://example.org/@s1> and [@s1](https://example.org/@user) and [@s1][ref] and \\[@s1].

        Real one [@s2].
        """)
    assert scan_citations(src) == [Citation("s2", 17, 11)]


def test_scan_does_not_fire_on_near_misses():
    assert scan_citations("[ @s1] [@] [@-x] [@s1 p. 4] @s1 [s1]") == []


# --- rendering --------------------------------------------------------------------------------


def test_contract_markup():
    html, _, _ = render("Text [@s1].")
    assert '<a class="casebook-cite" href="#ref-s1" aria-describedby="cite-1-1" aria-label="Reference 1">1</a>' in html
    assert '<ol class="casebook-references">' in html and '<li id="ref-s1">' in html
    assert 'doi:<a href="https://doi.org/10.5555/s1">10.5555/s1</a>' in html


def test_numbering_in_order_of_first_citation_and_reuse():
    html, ext, _ = render("""\
        First [@s3]. Second [@s1]. Again [@s3]. Third [@s2].
        """)
    assert numbers(html) == ["1", "2", "1", "3"]
    assert references(html) == [(None, ["s3", "s1", "s2"])]
    assert ext.last_page.visible == ["s3", "s1", "s2"]


def test_consecutive_runs_collapse_and_groups_are_sorted():
    html, _, _ = render("""\
        Intro [@s1; @s2; @s3; @s4; @s5; @s6].

        Runs [@s1; @s2; @s3; @s5]. Pair [@s2; @s1]. Unsorted [@s6; @s4; @s5; @s1]. Repeat [@s1; @s1].
        """)
    assert numbers(html) == ["1-6", "1-3,5", "1,2", "1,4-6", "1"]


def test_locator_breaks_a_run_and_is_shown_in_ama_form():
    html, _, _ = render("A [@s1; @s2]. B [@s3, p. 12]. C [@s1; @s2, pp. 3-5; @s3].")
    assert numbers(html) == ["1,2", "3(p12)", "1,2(pp3-5),3"]


def test_hover_preview_is_a_tooltip_described_by_the_link():
    html, _, _ = render("Text [@s1].")
    link = re.search(
        r'<a class="casebook-cite" href="#ref-s1" aria-describedby="([^"]+)" aria-label="Reference 1">', html
    )
    assert link
    tip = re.search(
        rf'<span class="casebook-cite-preview" hidden="hidden" id="{link.group(1)}" role="tooltip">'
        r"(.*?)</span>",
        html,
    )
    assert tip and tip.group(1) == "Author1 S. Synthetic title 1. Synth J. 2001."
    assert "title=" not in html.split('<ol class="casebook-references"')[0]


def test_space_before_a_citation_is_removed():
    html, _, _ = render("Word [@s1] and a list:\n\n- item [@s2]\n")
    assert "Word<sup" in html and "item<sup" in html


def test_backlinks_to_every_place():
    html, _, _ = render("One [@s1]. Two [@s2]. Three [@s1; @s2; @s3].")
    s1 = re.search(r'<li id="ref-s1">.*?</li>', html).group()
    assert re.findall(r'href="#(cite-\d+)">(\w)</a>', s1) == [("cite-1", "a"), ("cite-3", "b")]
    assert '<span class="casebook-backlinks"> ↩ ' in s1
    s3 = re.search(r'<li id="ref-s3">.*?</li>', html).group()
    assert '<a aria-label="Back to citation 3" class="casebook-backlink" href="#cite-3">↩</a>' in s3
    for target in set(re.findall(r'href="#(cite-\d+)"', html)):
        assert f'id="{target}"' in html


def test_answer_only_references_are_listed_inside_the_answer_and_continue_the_numbering():
    html, ext, _ = render("""\
        Presentation [@s2].

        /// answer
        ## Discussion

        Answer cites [@s4; @s2] and [@s5].

        - in a list [@s6]
        ///

        After the answer [@s3].
        """)
    outside, answer = split_answer(html)
    assert numbers(outside) == ["1", "2"]
    assert numbers(answer) == ["1,3", "4", "5"]
    assert references(outside) == [(None, ["s2", "s3"])]
    assert references(answer) == [("3", ["s4", "s5", "s6"])]
    assert "Synthetic title 4" not in outside and "Synthetic title 6" not in outside
    assert (ext.last_page.visible, ext.last_page.answer_only) == (["s2", "s3"], ["s4", "s5", "s6"])
    # the answer's heading has no id and is not in the TOC (it is a spoiler)
    assert re.search(r'<h2 class="casebook-references-heading">References cited in the answer</h2>', answer)


def test_all_citations_in_the_answer_gives_no_visible_list():
    html, _, _ = render("""\
        Presentation without citations.

        /// answer
        Discussion [@s1; @s2].
        ///
        """)
    outside, answer = split_answer(html)
    assert "casebook-references" not in outside
    assert references(answer) == [(None, ["s1", "s2"])]
    assert '<h2 class="casebook-references-heading">References</h2>' in answer


def test_citations_in_admonitions_and_etiology_tables():
    html, _, _ = render("""\
        !!! note "Synthetic note"
            Admonition text [@s1].

        /// answer
        /// etiology-table | Synthetic causes [@s2]
        columns: [Group, Examples]
        rows:
          - [One, "Example [@s3]"]
        ///
        ///
        """)
    assert numbers(html) == ["1", "2", "3"]
    assert re.search(r"<caption>Synthetic causes<sup", html)
    assert re.search(r"<td>Example<sup", html)


def test_code_and_links_are_left_alone():
    html, _, unknown = render("""\
        Code `[@s1]`, link [@s1](https://example.org/@s1), escaped \\[@s1], url https://example.org/[@s1].

        ```
        [@s1]
        ```
        """)
    assert "casebook-cites" not in html and unknown == []
    assert "<code>[@s1]</code>" in html and "[@s1]" in html


def test_unknown_key_is_reported_and_marked():
    html, ext, unknown = render("Known [@s1; @nope] and [@other].")
    assert unknown == ["nope", "other"]
    assert ext.last_page.unknown == ["nope", "other"]
    assert '<span class="casebook-cite-unknown">[@nope?]</span>' in html
    assert references(html) == [(None, ["s1"])]


def test_no_citations_no_list():
    html, ext, _ = render("Nothing cited here.")
    assert "casebook-references" not in html and ext.last_page.visible == []


def test_reference_text_is_escaped_in_the_page():
    refs, _, _ = parse_bib_text(
        "@article{x, author = {Author, Synthetic}, title = {Synthetic <img src=x onerror=alert(1)> & title},"
        " journal = {J}, year = {2020}}",
        "x.bib",
    )
    html, _, _ = render("Text [@x].", Library({"x": refs[0]}))
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt; &amp; title" in html


def test_each_page_is_numbered_on_its_own():
    ext = CitationExtension(library=LIB)
    first = markdown.markdown("A [@s5].", extensions=[ext])
    second = markdown.markdown("B [@s7].", extensions=[ext])
    assert numbers(first) == ["1"] and numbers(second) == ["1"]
    assert ext.last_page.visible == ["s7"]
