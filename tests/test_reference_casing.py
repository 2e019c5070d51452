"""Case transforms of reference titles: goldens for AMA's rules, and properties that hold for any title.

Every title here is synthetic or a phrase of the rules themselves.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casebook.references.bibtex.latex import PROTECT_CLOSE, PROTECT_OPEN, decode_latex_checked
from casebook.references.casing import _unmarked, is_title_case, sentence_case, title_case


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
        ("Adjusted Synthetic Plots for {C}ox's Example Model", "Adjusted synthetic plots for Cox's example model"),
        ("Synthetic signs: A synthetic review", "Synthetic signs: a synthetic review"),  # AMA: lower after a colon
        ("Synthetic signs: Olmsted example", "Synthetic signs: Olmsted example"),  # may be a proper noun: kept
        ("Synthetic signs? A synthetic answer", "Synthetic signs? A synthetic answer"),  # a new sentence
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
        ("synthetic survival data: extending the {C}ox model", "Synthetic Survival Data: Extending the Cox Model"),
        ("observations on the {B}ills of {M}ortality", "Observations on the Bills of Mortality"),
        ("statistical analysis with missing data", "Statistical Analysis With Missing Data"),  # 4 letters: major
        ("traites de synthese", "Traites de Synthese"),
        ("the von Willebrand synthetic factor", "The von Willebrand Synthetic Factor"),
    ],
)
def test_title_case(source, expected):
    assert title_case(marked(source)) == expected


def test_journal_names_are_only_capitalised_never_lowered():
    """`Philos Trans A Math Phys Eng Sci`: in an abbreviation a capital `A` is a series, not an article."""
    assert title_case(marked("Synth Trans A Math Test Sci"), lower_minor=False) == "Synth Trans A Math Test Sci"
    assert title_case(marked("Synth Journal Of Testing"), lower_minor=False) == "Synth Journal Of Testing"
    assert title_case(marked("Synth Journal Of Testing")) == "Synth Journal of Testing"


def test_a_single_capital_is_kept_inside_a_title():
    """`Vitamin A`, `Type A`: a lone capital is lowered only where a subtitle starts."""
    assert sentence_case(marked("Synthetic Effect of Vitamin A on Type A Tests")) == (
        "Synthetic effect of vitamin A on type A tests"
    )
    assert title_case(marked("synthetic effect of vitamin A on type A tests")) == (
        "Synthetic Effect of Vitamin A on Type A Tests"
    )
    assert title_case(marked("synthetic journal of testing"), lower_minor=False) == "Synthetic Journal of Testing"


def test_title_case_is_detected_only_for_mostly_capitalised_titles():
    assert is_title_case(marked("Synthetic Signs of Test Disease"))
    assert not is_title_case(marked("Synthetic signs of Test disease"))
    assert not is_title_case(marked("{Synthetic Signs} of Test"))


# --- properties -----------------------------------------------------------------------------------

_word = st.text(alphabet=st.sampled_from("abcXYZéÉİß-19:.'"), min_size=1, max_size=8)
_braced_word = _word.map(lambda w: "{" + w + "}")
#: A word braced in part, as real files write proper nouns: `{C}ox`, `{U}nited`, `ab{XY}c`.
_partly_braced = st.tuples(_word, _word, _word).map(lambda p: f"{p[0]}{{{p[1]}}}{p[2]}")
_words = st.lists(st.one_of(_word, _braced_word, _partly_braced), min_size=1, max_size=8)


def _braced(latex: str) -> list[str]:
    return re.findall(r"\{([^{}]*)\}", latex)


def _journal_case(text: str) -> str:
    return title_case(text, lower_minor=False)


@settings(max_examples=300, deadline=None)
@given(_words)
@pytest.mark.parametrize("transform", [sentence_case, title_case, _journal_case])
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
    kept, mask = _unmarked(text)
    assert all(o == k for o, k, braced in zip(out, kept, mask, strict=True) if braced)  # in place, too
