"""A table cell as inline HTML: the plain-text short cut gives what Python-Markdown gives."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from casebook.render import inline
from casebook.render.inline import inline_html

ALPHABET = list("abc XYZ019 #-+.,:;!?()[]{}<>&\"'=~^|/") + ["&amp;", "&#42;", "<b>", "1. ", "> ", "# ", "---", "\n"]


def _through_markdown(text: str) -> str:
    inline._MD.reset()
    html = inline._MD.convert(inline.escape(" ".join(text.split()), quote=False))
    match = re.match(r"^<p>(.*)</p>$", html, re.S)
    return match.group(1) if match else html


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=30).map("".join))
def test_plain_cells_skip_python_markdown_and_read_the_same(text: str) -> None:
    assert inline_html(text) == _through_markdown(text), repr(text)


def test_a_cell_with_emphasis_or_code_still_goes_through_python_markdown() -> None:
    assert inline_html("*Synthetic* `x` <b>raw</b>") == "<em>Synthetic</em> <code>x</code> &lt;b&gt;raw&lt;/b&gt;"
    assert inline_html("A & B <c>") == "A &amp; B &lt;c&gt;"
