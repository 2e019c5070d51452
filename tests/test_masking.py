"""One answer to "is this code or a comment?" for every scanner of Markdown sources (casebook.text.masking)."""

from __future__ import annotations

import textwrap

import markdown
import pytest

from casebook.checks.links import extract_links, find_headings, heading_text, mask_code
from casebook.references.citekeys import Citation, scan_citations
from casebook.text.blocks import outside_fences, scan_blocks
from casebook.text.masking import code_spans, fenced_lines, mask
from casebook.text.rawhtml import replace_marker

MARKER = "<!-- casebook:case-index -->"


def masked_lines(text: str, **flags: bool) -> list[str]:
    return mask(text, **flags).split("\n")


def code_lines(text: str) -> list[int]:
    return sorted(fenced_lines(text.split("\n")))


# --------------------------------------------------------------------------- the issue's case


# A ``` fence with a line that starts with three backticks but has text after them:
# not a closing fence, so everything down to the real closing ``` is code.
ISSUE = textwrap.dedent(f"""\
    Intro [@s1].

    ```markdown
    ```not a close
    {MARKER}
    /// answer
    [@s2] [x](missing.md)
    ```

    After [@s3].
    """)


def test_a_fence_line_with_text_after_it_does_not_close_the_fence():
    assert code_lines(ISSUE) == [2, 3, 4, 5, 6, 7]


def test_every_scanner_agrees_the_marker_in_that_fence_is_code():
    assert replace_marker(ISSUE, MARKER, "<p>index</p>") == ISSUE, "the marker is code: left as it is"
    assert scan_blocks(ISSUE) == [], "`/// answer` is code"
    assert scan_citations(ISSUE) == [Citation("s1", 1, 8), Citation("s3", 10, 8)]
    masked = mask_code(ISSUE).split("\n")
    assert all(not line.strip() for line in masked[2:8])
    assert masked[0] == "Intro [@s1]." and masked[9] == "After [@s3]."
    assert extract_links(ISSUE) == []
    assert [i for i, _ in outside_fences(ISSUE.split("\n"))] == [0, 1, 8, 9, 10]


def test_superfences_renders_that_fence_as_code_too():
    html = markdown.markdown(ISSUE, extensions=["pymdownx.superfences"])
    assert "```not a close" in html and "&lt;!-- casebook:case-index --&gt;" in html
    assert "<p>After [@s3].</p>" in html


def test_the_marker_outside_fences_is_still_replaced():
    text = ISSUE + f"\n{MARKER}\n"
    out = replace_marker(text, MARKER, "<p>index</p>")
    assert out.count("<p>index</p>") == 1 and out.count(MARKER) == 1
    assert out.index(MARKER) < out.index("<p>index</p>")


# --------------------------------------------------------------------------- fences


@pytest.mark.parametrize(
    "text, code",
    [
        ("a\n~~~\n```\nx\n~~~\nb", [1, 2, 3, 4]),  # a tilde fence is not closed by backticks
        ("~~~~\nx\n~~~\ny\n~~~~~\nb", [0, 1, 2, 3, 4]),  # shorter does not close; longer does
        ("````\n```\nx\n`````\nb", [0, 1, 2, 3]),
        ("```\nx\n```  \nb", [0, 1, 2]),  # trailing whitespace is fine
        ("```\nx\n``` y\nb\n```", [0, 1, 2, 3, 4]),  # text after it: not a closing fence
        ("```\nx\n   ```\nb", [0, 1, 2]),  # indented up to 3 columns
        ("```\nx\n    ```\nb", [0, 1, 2, 3]),  # indented 4: code, not a fence
        ("```py\nx\n\nb", [0, 1, 2, 3]),  # never closed: runs to the end
        ("```x```\nb", []),  # a backtick info string with a backtick: a code span, not a fence
        ("~~~ a`b\nx\n~~~\nb", [0, 1, 2]),  # tilde info strings may contain backticks
        ("``\nx\n``", []),  # two backticks are not a fence
        ("!!! note\n    ```yaml\n    k: v\n    ```\n\nb", [1, 2, 3]),  # indented in an admonition
        ("- item\n\n    ```\n    x\n  ```\nb", [2, 3, 4]),
        ("> ```\n> x\n> ```\nb", [0, 1, 2]),  # in a blockquote
        (">```\n>```not\n>```\nb", [0, 1, 2]),
        ("> ```\n> x\n\n> y\nb [@s1]", [0, 1, 2, 3]),  # a line with fewer `>` ends the quote and the fence
        ("> ```\n> x\n```\ny", [0, 1, 2, 3]),  # ... and may open a fence of its own
        ("```\n> ```\nx\n```\nb", [0, 1, 2, 3]),  # a quoted fence line inside a fence is code
    ],
)
def test_fences(text, code):
    assert code_lines(text) == code
    masked = masked_lines(text, spans=False, comments=False)
    assert [i for i, line in enumerate(masked) if line.strip() != text.split("\n")[i].strip()] == [
        i for i in code if text.split("\n")[i].strip()
    ]


def test_front_matter_is_not_looked_into_for_fences():
    text = "---\nsummary: |\n  ```\n---\nText [@s1].\n"
    assert scan_citations(text) == [Citation("s1", 5, 7)]
    assert masked_lines(text, front_matter=True) == ["   ", " " * 10, "     ", "   ", "Text [@s1].", ""]
    assert masked_lines(text)[4] == " " * 11, "as a body, the ``` line opens a fence"


def test_masking_keeps_lines_and_columns():
    text = "a `b` c <!-- d\ne --> f\n```\ng\n```\nh `i\nj` k\n\t`x`"
    out = mask(text)
    assert len(out) == len(text) and [len(line) for line in out.split("\n")] == [len(line) for line in text.split("\n")]
    assert out == "a     c       \n      f\n   \n \n   \nh   \n   k\n\t   "


def test_flags_choose_what_is_masked():
    text = "`a` <!-- b -->\n```\nc\n```"
    assert mask(text, code=False, spans=False) == "`a`           \n```\nc\n```"
    assert mask(text, comments=False, spans=False) == "`a` <!-- b -->\n   \n \n   "
    assert mask(text, code=False, comments=False) == "    <!-- b -->\n```\nc\n```"
    assert mask(text, code=False, spans=False, comments=False) == text


# --------------------------------------------------------------------------- code spans


@pytest.mark.parametrize(
    "text, spans",
    [
        ("a `b` c", ["`b`"]),
        ("a ``b ` c`` d", ["``b ` c``"]),  # a shorter run inside a longer span
        ("a ```b `` c``` d `e`", ["```b `` c```", "`e`"]),
        ("a ``b` c", []),  # no partner of the same length: literal
        ("a `` b ` c `` d ` e", ["`` b ` c ``"]),
        ("a \\`b` c`", ["` c`"]),  # an escaped backtick does not open
        ("a \\``b` c", ["`b`"]),  # ... the rest of its run does
        ("a \\\\`b` c", ["`b`"]),  # an escaped backslash does not escape
        ("a `b\nc` d", ["`b\nc`"]),  # across a line break in one paragraph
        ("a `b\n\nc` d", []),  # not across a blank line
        ("> a `b\n>\n> c` d", []),  # nor a quoted blank line
        ("a `<!--` b -->", ["`<!--`"]),  # a comment opener in a code span is code
        ("<!-- `a --> b` c", []),  # a backtick in a comment is comment
        ("`a`\n```\nb\n```\n`c`", ["`a`", "`c`"]),  # fences are not code spans
        ("`a\n```\n`b", []),  # and a span does not run through one
    ],
)
def test_code_spans(text, spans):
    assert [text[start:end] for start, end in code_spans(text)] == spans


def test_heading_text_keeps_the_text_of_its_code_spans():
    assert heading_text("The ``a ` b`` and `c` flags") == "The a ` b and c flags"
    assert [h.text for h in find_headings("# A `x`\n\n```\n# not a heading\n```not a close\n```\n")] == ["A `x`"]


# --------------------------------------------------------------------------- comments


def test_comments_span_lines_and_hide_what_is_in_them():
    text = "a <!-- b [@s1]\n\n```\n[@s2] --> c [@s3]\n<!-- x -->\n```\nd --> [@s4]\n[@s5]"
    # The fence is found first: the `-->` and `<!--` in it are code, so the comment ends after it
    # (and hides the fence with the rest).
    lines = mask(text, code=False, spans=False).split("\n")
    assert lines[0] == "a" + " " * 13 and not "".join(lines[1:6]).strip() and lines[6] == " " * 6 + "[@s4]"
    assert scan_citations(text) == [Citation("s4", 7, 8), Citation("s5", 8, 2)]
    assert scan_citations("a <!-- b\n\nc --> [@s1]") == [Citation("s1", 3, 8)]


def test_an_unclosed_comment_is_text():
    text = "a <!-- b [@s1]\n\nc [@s2]"
    assert mask(text) == text
    assert scan_citations(text) == [Citation("s1", 1, 11), Citation("s2", 3, 4)]


def test_the_body_image_check_skips_comments_and_the_spoiler_lint_reads_them(tmp_path):
    """An image in a comment is not shown; a comment's text ships in the page source, so it is no hiding place."""
    from casebook.cases.loader import _check_body_images, outside_answer
    from casebook.text.blocks import scan_blocks

    body = "![](a.png) <!-- ![](b.png) -->\n`![](c.png)`\n```\n![](d.png)\n```not a close\n```\n![x](e.png)\n"
    findings = _check_body_images(body, 5, tmp_path, "index.md")
    assert [(f.rule, f.line, f.col) for f in findings] == [
        ("image-alt", 5, 1),
        ("image-missing", 5, 1),
        ("image-missing", 11, 1),
    ]
    body = "a <!-- the\ndiagnosis --> b\n/// answer | shown\nhidden\n///\nafter\n"
    (answer,) = scan_blocks(body)
    assert outside_answer(body, answer) == "a <!-- the\ndiagnosis --> b\nshown\n\n\nafter\n"


# --------------------------------------------------------------------------- size


N = 100_000


@pytest.mark.parametrize(
    "text",
    [
        "`" * N,  # one run
        "` " * N,  # pairs
        "``` " * N,  # runs of three with spaces: all pairs
        "".join("`" * (i % 50 + 1) + " x " for i in range(N)),  # many lengths, partners far apart
        "a `" + "`` b " * N,  # one opener whose partner never comes
        "<!-- " * N,  # unclosed comments
        "<!-- `" * N + "-->",
        "`<!--" * N,
        "\\`" * N,  # escaped backticks
        "\\" * N + "`x`",
        "```\n" + "```x\n" * N,  # a fence that never closes, with lines that almost do
        "> ```\n" + "> ```not\n" * N,
        "```\n" * N,  # fences opening and closing
        "~~~\n" * N + "`a` " * N,
        "[@a] `x` <!-- y --> " * N,
        "[@a]x" * N,  # one long token full of citations (each one asks whether it is in a URL)
    ],
)
def test_large_inputs_take_linear_time(text):
    out = mask(text, front_matter=True)
    assert len(out) == len(text)
    scan_citations(text)
    fenced_lines(text.split("\n"))
    mask_code(text)


def test_results_are_cached_per_text():
    text = "a `b` <!-- c -->\n" * 1000
    assert mask(text) is mask(text)
    assert mask_code(text) is mask_code(text)
