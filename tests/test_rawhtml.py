"""Composed HTML passes through Markdown as it is; page markers are replaced only where they stand alone."""

from __future__ import annotations

import markdown

from casebook.text.rawhtml import CLOSE, OPEN, passthrough, replace_marker

MARKER = "<!-- casebook:example -->"
EXTENSIONS = ["md_in_html", "pymdownx.superfences", "casebook.render.markdown_ext"]
HTML = '<div class="casebook-x" id="x-1">\n<p>a *b* [@key] &amp; <span>c</span></p>\n</div>'


def render(text: str, extensions: list[str] = EXTENSIONS) -> str:
    return markdown.Markdown(extensions=extensions).convert(text)


def test_passthrough_html_is_emitted_verbatim_without_the_markers():
    out = render("Before.\n\n" + passthrough(HTML) + "\n\nAfter *this*.")
    assert HTML in out, "not a character changed: no Markdown inside, no reparsing"
    assert "casebook:html" not in out
    assert out.index("<p>Before.</p>") < out.index(HTML) < out.index("<p>After <em>this</em>.</p>")


def test_passthrough_inside_the_answer_block_stays_inside_it():
    out = render("/// answer\n\n" + passthrough(HTML) + "\n\nText.\n\n///\n")
    assert out.index("<details") < out.index(HTML) < out.index("</details>")
    assert "casebook:html" not in out


def test_without_the_extension_the_wrappers_are_plain_comments_around_the_same_html():
    out = render(passthrough(HTML), ["md_in_html"])
    assert OPEN in out and CLOSE in out and HTML in out


def test_passthrough_in_a_code_example_stays_code():
    out = render("```\n" + passthrough(HTML) + "\n```\n")
    assert "&lt;!-- casebook:html --&gt;" in out and "&lt;div class" in out and HTML not in out


def test_unclosed_passthrough_is_left_as_text():
    out = render(OPEN + "\n<p>x</p>\n\nMore.")
    assert "<p>x</p>" in out and "<p>More.</p>" in out


def test_marker_is_replaced_only_alone_on_a_line_outside_code():
    page = f"{MARKER}\n\nQuoted `{MARKER}` in text.\n\n```\n{MARKER}\n```\n\n    {MARKER}\n"
    out = replace_marker(page, MARKER, HTML)
    assert out.count(HTML) == 1
    assert out.startswith(passthrough(HTML) + "\n")
    assert out.count(MARKER) == 3, "the quoted, fenced and indented ones stay"
    assert replace_marker("no marker here", MARKER, HTML) == "no marker here"


def test_empty_html_removes_the_marker_line():
    assert replace_marker(f"a\n\n{MARKER}\n\nb", MARKER, "") == "a\n\n\n\nb"
