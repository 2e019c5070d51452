"""The source scanners of raw HTML: tags, attributes and positions, in one linear pass.

100,000 unclosed fragments once took minutes (each `<` re-scanned the rest of the
text); these tests feed that many and assert on what is found, so a return of the
quadratic scan shows up as a test run that does not end, not as a timing.
"""

from __future__ import annotations

from casebook.checks.links.extract import extract_links, unsafe_html
from casebook.text.htmlbalance import unbalanced_html, unclosed_start_tags
from casebook.text.htmltags import start_tags

HOSTILE = "<b " * 100_000


def test_a_tag_gives_its_name_attributes_decoded_values_and_offsets():
    text = "x <a href=\"java&#9;script:1\" title='a > b'>link</a>"
    (tag,) = list(start_tags(text))
    assert (tag.name, tag.offset) == ("a", 2)
    assert [(a.name, a.value) for a in tag.attributes] == [("href", "java\tscript:1"), ("title", "a > b")]
    assert text[tag.attributes[0].offset :].startswith("java&#9;")


def test_a_tag_without_a_space_after_its_name_is_still_a_tag():
    (tag,) = list(start_tags("<img/src=x/onerror=alert(1)>"))
    assert tag.name == "img"


def test_one_hundred_thousand_unclosed_fragments_are_scanned_and_counted():
    assert len(list(start_tags(HOSTILE))) == 100_000
    assert unsafe_html(HOSTILE) == []
    assert extract_links(HOSTILE) == []
    assert list(unbalanced_html(HOSTILE)) == []
    offset, message = unclosed_start_tags(HOSTILE) or (None, "")
    assert offset == 0
    assert message == (
        "'<b' starts an HTML tag that is never closed with '>' (and 99,999 more like it); close the tag, "
        "or write &lt; for a '<' meant as text"
    )


def test_unclosed_start_tags_are_not_confused_with_text():
    for text in ("p <5 years", "a < b", "<b>bold</b>", "<a\n  href='x'>multi-line</a>", "<br/>", "<!-- x -->"):
        assert unclosed_start_tags(text) is None, text
    assert (unclosed_start_tags("x <y and <b>z</b>") or (None,))[0] == 2
    assert (unclosed_start_tags("<img src=x") or (None,))[0] == 0
