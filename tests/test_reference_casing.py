"""Case transforms of reference titles: goldens for AMA's rules, and properties that hold for any title.

Every title here is synthetic or a phrase of the rules themselves.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casebook.references.bibtex.latex import PROTECT_CLOSE, PROTECT_OPEN, decode_latex_checked
from casebook.references.casing import is_title_case, sentence_case, title_case


def marked(latex: str) -> str:
    return decode_latex_checked(latex, protect=True)[0]


@pytest.mark.parametrize(
    "source, expected",
    [
        (
            "Randomization and Baseline Comparison in Clinical Trials",
            "Randomization and baseline comparison in clinical trials",
        ),
        (
            "Effect of {COVID}-19 on mRNA Levels of HbA1c: A Randomized Trial",
            "Effect of COVID-19 on mRNA levels of HbA1c: a randomized trial",
        ),
        ("Synthetic Signs in {Cox} Models. Part {II}. The Test", "Synthetic signs in Cox models. Part II. The test"),
        ("Milia-Like Synthetic Nodules in HIV Infection", "Milia-like synthetic nodules in HIV infection"),
        ("A synthetic study of Bayesian tests", "A synthetic study of Bayesian tests"),  # already sentence case: kept
        ("{{Synthetic Title Kept As Written}}", "Synthetic Title Kept As Written"),  # the per-entry escape
        ("a synthetic title", "A synthetic title"),
    ],
)
def test_sentence_case(source, expected):
    assert sentence_case(marked(source)) == expected


@pytest.mark.parametrize(
    "source, expected",
    [
        ("Measurement error models", "Measurement Error Models"),
        (
            "synthetic methods for the analysis of follow-up data: an introduction",
            "Synthetic Methods for the Analysis of Follow-up Data: An Introduction",
        ),
        ("a handbook of {pH} and mRNA with tests", "A Handbook of pH and mRNA With Tests"),
        ("the {iPhone} in synthetic practice", "The iPhone in Synthetic Practice"),
        ("synthetic journal of testing", "Synthetic Journal of Testing"),
    ],
)
def test_title_case(source, expected):
    assert title_case(marked(source)) == expected


def test_title_case_is_detected_only_for_mostly_capitalised_titles():
    assert is_title_case(marked("Synthetic Signs of Test Disease"))
    assert not is_title_case(marked("Synthetic signs of Test disease"))
    assert not is_title_case(marked("{Synthetic Signs} of Test"))


# --- properties -----------------------------------------------------------------------------------

_word = st.text(alphabet=st.sampled_from("abcXYZéÉ-19:.'"), min_size=1, max_size=8)
_words = st.lists(
    st.one_of(_word, _word.map(lambda w: "{" + w.replace("{", "").replace("}", "") + "}")), min_size=1, max_size=8
)


def _braced(latex: str) -> list[str]:
    return re.findall(r"\{([^{}]*)\}", latex)


@settings(max_examples=300, deadline=None)
@given(_words)
@pytest.mark.parametrize("transform", [sentence_case, title_case])
def test_transforms_never_change_braced_words_or_lose_characters(transform, words):
    latex = " ".join(words)
    text = marked(latex)
    out = transform(text)
    plain = text.replace(PROTECT_OPEN, "").replace(PROTECT_CLOSE, "")
    assert len(out) == len(plain)
    assert out.lower() == plain.lower()
    for span in re.findall(f"{PROTECT_OPEN}([^{PROTECT_CLOSE}]*){PROTECT_CLOSE}", text):
        assert span in out
    for braced in _braced(latex):
        assert decode_latex_checked(braced)[0] in out  # the braced word's letters, exactly
