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
