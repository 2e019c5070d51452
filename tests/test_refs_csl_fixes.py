"""What the comparison with an independent CSL processor found wrong (issue 13), each on a synthetic entry.

benchmarks/csl_compare.py formats the real bibliographies with Casebook and with pandoc's citeproc;
each test here pins one behaviour that was fixed after it, on made-up data (DOIs under 10.5555).
The real entries that showed it are goldens in tests/test_real_bib.py.
"""

from __future__ import annotations

import textwrap

import pytest

from casebook.references.ama import format_reference_text
from casebook.references.bibtex import Reference, initials, parse_bib_text


def ref(bibtex: str) -> Reference:
    refs, _, findings = parse_bib_text(textwrap.dedent(bibtex), "synthetic.bib")
    assert not findings, [f.text() for f in findings]
    assert len(refs) == 1
    return refs[0]


def text(bibtex: str, style: str = "ama") -> str:
    return format_reference_text(ref(bibtex), style)


def test_a_word_braced_in_part_keeps_its_letters_and_is_cased_as_one_word():
    """`{C}ox` printed `COx`: the braced capital and the rest of the word were two words to the case rules."""
    assert text("""
        @book{s, author = {Author, Synthetic}, title = {Synthetic models: extending the {C}ox model},
              publisher = {Synthetic Press}, year = {2000}}""") == (
        "Author S. Synthetic Models: Extending the Cox Model. Synthetic Press; 2000."
    )
    assert text("""
        @article{s, author = {Author, Synthetic}, title = {Synthetic Tables for the {U}nited {S}tates Test Divisions},
                 journal = {Synth J}, year = {1965}}""") == (
        "Author S. Synthetic tables for the United States test divisions. Synth J. 1965."
    )


def test_an_article_after_a_colon_is_lowered_in_a_sentence_case_title():
    """AMA writes the subtitle of an article in lower case too (`: a synthetic study`)."""
    assert text("""
        @article{s, author = {Author, Synthetic}, title = {Synthetic signs in example disease: A synthetic study},
                 journal = {Synth J}, year = {2020}}""") == (
        "Author S. Synthetic signs in example disease: a synthetic study. Synth J. 2020."
    )


def test_a_capital_after_a_colon_that_may_be_a_proper_noun_is_kept():
    assert text("""
        @article{s, author = {Author, Synthetic}, title = {Synthetic course of example disease: Olmsted example},
                 journal = {Synth J}, year = {2020}}""") == (
        "Author S. Synthetic course of example disease: Olmsted example. Synth J. 2020."
    )


def test_a_single_capital_in_a_journal_abbreviation_is_not_lowered():
    """`Philos Trans A Math Phys Eng Sci` printed `Philos Trans a …`: `A` is a series there, not an article."""
    assert text("""
        @article{s, author = {Author, Synthetic}, title = {Synthetic}, journal = {Synth Trans A Math Test Sci},
                 year = {2018}, volume = {376}, number = {2128}}""") == (
        "Author S. Synthetic. Synth Trans A Math Test Sci. 2018;376(2128)."
    )


def test_particles_in_a_work_title_stay_lower_case():
    assert text("""
        @book{s, author = {Author, Synthetic}, title = {Traités de synthèse, volumes 1 and 2},
              publisher = {Synthetic Press}, year = {1866}}""") == (
        "Author S. Traités de Synthèse, Volumes 1 and 2. Synthetic Press; 1866."
    )


@pytest.mark.parametrize(
    "author, shown",
    [
        ("Sample, SR, Sr.", "Sample SR Sr"),  # BibTeX reads `SR` as Jr and `Sr.` as the given name
        ("Sample SR, Jr.", "Sample SR Jr"),  # PubMed order with the suffix after a comma
        ("S. R. Sample, Jr.", "Sample SR Jr"),  # `First Last, Jr.`
        ("Sample S.R., Jr.", "Sample SR Jr"),
        ("Sample-Example SR", "Sample-Example SR"),  # PubMed order: BibTeX would read SR as the family name
        ("Sample S. R.", "Sample SR"),
        ("Sample, Jr., Synthetic R.", "Sample SR Jr"),  # BibTeX's own form, unchanged
    ],
)
def test_suffixes_and_pubmed_order_names(author, shown):
    assert text(
        f"@article{{s, author = {{{author}}}, title = {{Synthetic}}, journal = {{Synth J}}, year = {{2020}}}}"
    ) == (f"{shown}. Synthetic. Synth J. 2020.")


def test_initials_of_a_hyphenated_name_keep_the_hyphen_however_written():
    assert initials("C.-L.") == initials("Chia-Ling") == "C-L"
    assert initials("C. L.") == "CL"


def test_a_report_number_that_says_what_it_is_is_printed_as_written():
    bib = """
        @techreport{s, author = {Author, Synthetic}, title = {Synthetic tests}, institution = {Synthetic Institute},
                    year = {1978}, number = {Technical Report R-101}}"""
    assert text(bib) == "Author S. Synthetic Tests. Synthetic Institute; 1978. Technical Report R-101."
    assert text(bib, "vancouver") == "Author S. Synthetic tests. Synthetic Institute; 1978. Technical Report R-101."
    assert text(bib.replace("Technical Report R-101", "101")).endswith("1978. Report 101.")


def test_a_full_text_eprint_link_is_left_out_beside_a_doi_and_is_the_url_without_one():
    assert text("""
        @article{s, author = {Author, Synthetic}, title = {Synthetic}, journal = {Synth J}, year = {2011},
                 doi = {10.5555/synthetic.2011}, url = {https://doi.org/10.5555/synthetic.2011},
                 eprint = {https://example.org/synthetic.pdf}}""") == (
        "Author S. Synthetic. Synth J. 2011. doi:10.5555/synthetic.2011"
    )
    assert text("""
        @article{s, author = {Author, Synthetic}, title = {Synthetic}, journal = {Synth J}, year = {2011},
                 eprint = {https://example.org/synthetic.pdf}}""") == (
        "Author S. Synthetic. Synth J. 2011. https://example.org/synthetic.pdf"
    )


def test_a_url_written_with_the_url_macro_is_read():
    assert text(r"""
        @misc{s, author = {Example}, title = {Synthetic page}, year = {2019}, urldate = {2019-08-02},
              url = {\url{https://example.org/w/index.php?title=Synthetic_page&oldid=1}}}""") == (
        "Example. Synthetic page. Published 2019. Accessed August 2, 2019. "
        "https://example.org/w/index.php?title=Synthetic_page&oldid=1"
    )


def test_wikipedia_s_online_accessed_note_is_the_access_date():
    assert text("""
        @misc{s, author = {Example}, title = {Synthetic page}, year = {2019}, url = {https://example.org/p},
              note = {[Online; accessed 24-June-2019]}}""") == (
        "Example. Synthetic page. Published 2019. Accessed June 24, 2019. https://example.org/p"
    )
    kept = "[Online; accessed sometime]"
    refs, _, findings = parse_bib_text(
        f"@misc{{s, title = {{S}}, url = {{https://example.org/p}}, note = {{{kept}}}}}", "s.bib"
    )
    assert kept in format_reference_text(refs[0])
    assert [f.rule for f in findings] == ["bib-missing-field"]  # not a date: the access date is still missing


def test_an_article_with_a_month_but_no_volume_is_published_online():
    """AMA 3.11: an article ahead of print is `Published online Month Year`; Vancouver keeps its own date."""
    bib = """
        @article{s, author = {Author, Synthetic}, title = {Synthetic}, journal = {Synth J}, year = {2019},
                 month = may, pages = {103258}, doi = {10.5555/synthetic.2019}}"""
    assert text(bib) == "Author S. Synthetic. Synth J. Published online May 2019:103258. doi:10.5555/synthetic.2019"
    assert text(bib, "vancouver") == "Author S. Synthetic. Synth J. 2019 May:103258. doi:10.5555/synthetic.2019"
    no_month = "@article{s, author = {Author, Synthetic}, title = {Synthetic}, journal = {Synth J}, year = {1982}}"
    assert text(no_month) == "Author S. Synthetic. Synth J. 1982."
