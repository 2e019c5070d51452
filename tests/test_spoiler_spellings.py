"""Every spelling of a diagnosis a reader would read as the same words is caught (hypothesis).

The fixture diagnosis is rewritten letter by letter the ways hostile or careless
input does: case, invisible characters, soft hyphens (as characters and as the
`&shy;` entity), Cyrillic look-alikes, fullwidth forms, markup inside a word, and
hyphens or spaces between words. The source rule (`leaked_term`) must find it in
every variant; a different word must stay unflagged.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from casebook.cases.spoilers import leaked_term

DIAGNOSIS = "Synthetic condition alpha"
TERMS = (DIAGNOSIS,)
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "&shy;", "&#173;"]
LOOK_ALIKES = {"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "y": "у", "i": "і"}
MARKUP = ["**", "_", "`", "<b>", "</b>", "<span>"]
JOINERS = [" ", "  ", "-", "\u2010", "\u2011", "\u00a0", " - "]


@st.composite
def spelling(draw: st.DrawFn) -> str:
    words = []
    for word in DIAGNOSIS.split():
        out = []
        for i, ch in enumerate(word):
            kind = draw(st.sampled_from(["plain", "case", "look-alike", "fullwidth"]))
            if kind == "case":
                ch = ch.swapcase()
            elif kind == "look-alike" and ch.lower() in LOOK_ALIKES:
                ch = LOOK_ALIKES[ch.lower()]
            elif kind == "fullwidth" and ch.isascii() and ch.isalpha():
                ch = chr(ord(ch) - 0x21 + 0xFF01)
            out.append(ch)
            if 0 < i < len(word) - 1 and draw(st.integers(0, 5)) == 0:
                out.append(draw(st.sampled_from(INVISIBLE)))
        if len(out) > 2 and draw(st.booleans()):  # markup between two letters of the word
            at = draw(st.integers(1, len(out) - 1))
            if out[at - 1].isalpha() and out[at].isalpha():
                out.insert(at, draw(st.sampled_from(MARKUP)))
        words.append("".join(out))
    text = words[0]
    for word in words[1:]:
        text += draw(st.sampled_from(JOINERS)) + word
    return text


@settings(max_examples=300, deadline=None)
@given(
    spelling(),
    st.sampled_from(["", "Before: ", "The picture fits ", "("]),
    st.sampled_from(["", ".", " is likely.", ")"]),
)
def test_every_spelling_of_the_diagnosis_is_found(word: str, before: str, after: str) -> None:
    assert leaked_term(before + word + after, TERMS, source=True) == DIAGNOSIS, repr(word)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["Synthetic conditional alpha", "Synthetic condition alphabet", "Synthetic condition"]))
def test_other_words_are_not_the_diagnosis(text: str) -> None:
    assert leaked_term(text, TERMS, source=True) is None


#: Characters that stress the short cut in `leaked_term`: dashes and curly quotes (word breaks),
#: invisible characters and combining marks (removed, so they join), look-alikes, fullwidth and
#: compatibility forms (folded into letters), and letters of the terms.
TRICKY = list("abcdefhilnoprstyz -_.,") + [
    "\u2014",
    "\u2019",
    "\u00a0",
    "\u2010",
    "\u2212",
    "\u200b",
    "\u00ad",
    "\u0301",
    "\u0308",
    "а",
    "е",
    "о",
    "с",
    "ｃ",
    "ﬁ",
    "½",
    "™",
    "İ",
    "ß",
    "\u00e9",
    "\u3000",
]


@settings(max_examples=600, deadline=None)
@given(
    st.lists(st.sampled_from(TRICKY), max_size=40).map("".join),
    st.lists(st.lists(st.sampled_from(list("abcdefhilnoprst -")), min_size=1, max_size=8).map("".join), max_size=3),
)
def test_the_short_cut_never_changes_what_is_found(text: str, terms: list[str]) -> None:
    """Skipping texts in which no term's words occur gives what normalising every text gives."""
    from casebook.cases.spoilers import _first_match

    assert leaked_term(text, terms) == _first_match([text], tuple(terms)), (text, terms)


def test_a_term_joined_by_a_hyphen_is_still_found_after_the_short_cut() -> None:
    assert leaked_term("A zebra-fold lesion", ["Zebrafold"]) == "Zebrafold"
    assert leaked_term("A zebra\u2014fold lesion", ["Zebrafold"]) == "Zebrafold"
    assert leaked_term("A ze\u0301bra fold", ["zebra fold"]) == "zebra fold"
    assert leaked_term("An unrelated page \u2014 nothing here", ["zebra fold"]) is None
