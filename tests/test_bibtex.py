"""Loading .bib files: every bibtexparser failed block and every check of ours is a Finding with file:line."""

from __future__ import annotations

import logging
import textwrap
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from casebook.references.bibtex import initials, load_library, month_name, parse_bib_text

GOOD = """\
@article{synthetic2020good,
  author = {Author, Synthetic},
  title = {Synthetic good entry},
  journal = {Synth J},
  year = {2020},
  doi = {10.5555/good},
}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / "bib" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load(tmp_path: Path, *files: tuple[str, str]):
    paths = [write(tmp_path, name, text) for name, text in files]
    return load_library(paths, tmp_path)


def texts(findings) -> list[str]:
    return [f.text() for f in findings]


def test_good_file_loads_without_findings(tmp_path):
    library, findings = load(tmp_path, ("a.bib", GOOD))
    assert findings == []
    ref = library["synthetic2020good"]
    assert (ref.path, ref.line, ref.entry_type, ref.doi) == ("bib/a.bib", 1, "article", "10.5555/good")


def test_syntax_error_is_reported_with_line_and_later_entries_still_load(tmp_path):
    library, findings = load(
        tmp_path,
        (
            "a.bib",
            """\
        @article{synthetic2020ok, author = {Author, Synthetic}, title = {Ok}, journal = {J}, year = {2020}}

        @article{synthetic2020broken
          title = {Missing comma after the key},
        }

        @article{synthetic2020after, author = {Author, Synthetic}, title = {After}, journal = {J}, year = {2020}}
        """,
        ),
    )
    assert texts(findings) == [
        "bib/a.bib:3:1: error: BibTeX syntax error in this block (noticed on line 4): Expected comma after entry "
        "key, but found =; the entry is skipped until it is fixed [bib-syntax]"
    ]
    assert set(library) == {"synthetic2020ok", "synthetic2020after"}


def test_unclosed_entry_names_its_key_and_unknown_citation_points_at_it(tmp_path):
    library, findings = load(
        tmp_path,
        (
            "a.bib",
            """\
        @article{synthetic2020open,
          title = {Never closed,
        @article{synthetic2020next, author = {Author, Synthetic}, title = {Next}, journal = {J}, year = {2020}}
        """,
        ),
    )
    assert [(f.line, f.rule) for f in findings] == [(1, "bib-syntax")]
    assert "entry 'synthetic2020open'" in findings[0].message
    assert "synthetic2020next" in library
    assert library.unknown_key_message("synthetic2020open") == (
        "citation [@synthetic2020open]: the BibTeX entry 'synthetic2020open' at bib/a.bib:1 could not be read; "
        "fix the error reported there"
    )


def test_duplicate_key_in_one_file(tmp_path):
    library, findings = load(tmp_path, ("a.bib", GOOD + "\n" + GOOD.replace("good entry", "copy")))
    assert texts(findings) == [
        "bib/a.bib:9:1: error: duplicate BibTeX key 'synthetic2020good': already defined on line 1 of this file; "
        "rename one of them or delete the copy [bib-duplicate-key]"
    ]
    assert library["synthetic2020good"].get("title") == "Synthetic good entry"


def test_duplicate_key_across_files(tmp_path):
    library, findings = load(tmp_path, ("a.bib", GOOD), ("b.bib", "\n\n" + GOOD.replace("good entry", "copy")))
    assert texts(findings) == [
        "bib/b.bib:3:1: error: duplicate BibTeX key 'synthetic2020good': already defined at bib/a.bib:1; "
        "rename one of them or delete the copy [bib-duplicate-key]"
    ]
    assert library["synthetic2020good"].path == "bib/a.bib"


def test_keys_differing_only_in_case_warn(tmp_path):
    _, findings = load(tmp_path, ("a.bib", GOOD), ("b.bib", GOOD.replace("synthetic2020good", "Synthetic2020Good")))
    assert [(f.path, f.line, f.level, f.rule) for f in findings] == [("bib/b.bib", 1, "warning", "bib-key-case")]


def test_duplicate_field_is_an_error_and_the_first_value_wins(tmp_path):
    library, findings = load(
        tmp_path,
        (
            "a.bib",
            """\
        @article{synthetic2020dup,
          author = {Author, Synthetic},
          title = {First title},
          title = {Second title},
          journal = {J}, year = {2020},
        }
        """,
        ),
    )
    assert texts(findings) == [
        "bib/a.bib:4:1: error: entry 'synthetic2020dup' sets title more than once; keep one (the first one is "
        "used) [bib-duplicate-field]"
    ]
    assert library["synthetic2020dup"].get("title") == "First title"


def test_malformed_doi_is_reported_at_the_doi_line(tmp_path):
    library, findings = load(tmp_path, ("a.bib", GOOD.replace("10.5555/good", "11.5555/not-a-doi")))
    assert [(f.line, f.level, f.rule) for f in findings] == [(6, "error", "bib-malformed-doi")]
    assert "'11.5555/not-a-doi' is not a DOI" in findings[0].message
    assert library["synthetic2020good"].doi is None


def test_doi_written_as_url_or_with_prefix_is_accepted(tmp_path):
    for form in (
        "https://doi.org/10.5555/good",
        "doi:10.5555/good",
        "http://dx.doi.org/10.5555/good",
        r"10.5555/go\_od".replace(r"go\_od", "good"),
    ):
        library, findings = load(tmp_path, ("a.bib", GOOD.replace("10.5555/good", form)))
        assert findings == [] and library["synthetic2020good"].doi == "10.5555/good", form


def test_doi_with_escaped_underscore_is_unescaped(tmp_path):
    library, findings = load(tmp_path, ("a.bib", GOOD.replace("10.5555/good", r"10.5555/a\_b")))
    assert findings == [] and library["synthetic2020good"].doi == "10.5555/a_b"


def test_missing_required_fields_are_named(tmp_path):
    library, findings = load(
        tmp_path,
        (
            "a.bib",
            """\
        @article{synthetic2020bare,
          title = {Synthetic title only},
        }
        @book{synthetic2020book, author = {Author, Synthetic}, title = {Synthetic book}, year = {2020}}
        @phdthesis{synthetic2020thesis, author = {Author, Synthetic}, title = {T}, year = {2020}}
        """,
        ),
    )
    assert [(f.line, f.rule) for f in findings] == [(1, "bib-missing-field")] * 3 + [
        (4, "bib-missing-field"),
        (5, "bib-missing-field"),
    ]
    messages = [f.message for f in findings]
    assert (
        "@article{synthetic2020bare} needs 'author' for an AMA reference; add author = {...} to the entry" in messages
    )
    assert any("needs 'journal' or 'journaltitle' or 'shortjournal'" in m for m in messages)
    assert any("@book{synthetic2020book} needs 'publisher'" in m for m in messages)
    assert any("@phdthesis{synthetic2020thesis} needs 'school' or 'institution'" in m for m in messages)
    assert "synthetic2020bare" in library  # still usable: the formatter copes with missing fields


def test_web_page_needs_the_access_date(tmp_path):
    _, findings = load(tmp_path, ("a.bib", "@misc{s, title = {Synthetic page}, url = {https://example.org/}}"))
    assert [f.rule for f in findings] == ["bib-missing-field"]
    assert "needs 'urldate'" in findings[0].message and "YYYY-MM-DD" in findings[0].message


def test_bad_url_pmid_pmcid_and_urldate(tmp_path):
    library, findings = load(
        tmp_path,
        (
            "a.bib",
            """\
        @misc{synthetic2020bad,
          title = {Synthetic},
          url = {ftp://example.org/file},
          pmid = {PMID 123},
          pmcid = {12345},
          urldate = {15 January 2024},
        }
        """,
        ),
    )
    assert sorted((f.line, f.rule) for f in findings) == [
        (3, "bib-malformed-url"),
        (4, "bib-malformed-pmid"),
        (5, "bib-malformed-pmcid"),
        (6, "bib-malformed-date"),
    ]
    ref = library["synthetic2020bad"]
    assert (ref.url, ref.pmid, ref.pmcid, ref.get("urldate")) == (None, None, None, "")


def test_howpublished_url_macro_is_the_url(tmp_path):
    library, findings = load(
        tmp_path,
        (
            "a.bib",
            r"""
        @misc{s, title = {Synthetic}, howpublished = {\url{https://example.org/a%20b}}, urldate = {2024-01-01}}
        """,
        ),
    )
    assert findings == []
    assert library["s"].url == "https://example.org/a%20b"


def test_unknown_entry_type_is_a_warning_and_formats_as_misc(tmp_path):
    library, findings = load(tmp_path, ("a.bib", "@patent{s, title = {Synthetic device}, year = {2020}}"))
    assert [(f.level, f.rule) for f in findings] == [("warning", "bib-entry-type")]
    assert library["s"].entry_type == "misc"


def test_type_aliases(tmp_path):
    library, findings = load(
        tmp_path,
        (
            "a.bib",
            """
        @conference{c, author = {Author, Synthetic}, title = {T}, booktitle = {B}, year = {2020}}
        @electronic{e, title = {T}, url = {https://example.org/}, urldate = {2024-01-01}}
        """,
        ),
    )
    assert findings == []
    assert (library["c"].entry_type, library["e"].entry_type) == ("inproceedings", "online")


def test_uncitable_key_warns(tmp_path):
    _, findings = load(tmp_path, ("a.bib", GOOD.replace("synthetic2020good", "synthetic2020good-")))
    assert [(f.level, f.rule) for f in findings] == [("warning", "bib-key-form")]


def test_bad_author_name_is_reported(tmp_path):
    _, findings = load(tmp_path, ("a.bib", GOOD.replace("Author, Synthetic", "Author, Synthetic, Jr, Extra")))
    assert [(f.line, f.rule) for f in findings] == [(2, "bib-name")]


def test_latex_is_decoded_but_urls_and_dois_stay_raw(tmp_path):
    library, _ = load(
        tmp_path,
        (
            "a.bib",
            r"""
        @misc{s, author = {M{\"u}ller, Synthetic}, title = {Synthetic {\"U}bersicht -- 100\% of tests},
              url = {https://example.org/%7Euser/a_b}, urldate = {2024-01-01}, doi = {10.5555/a%2Fb}}
        """,
        ),
    )
    ref = library["s"]
    assert ref.authors[0].family == "Müller"
    assert ref.get("title") == "Synthetic Übersicht – 100% of tests"
    assert ref.url == "https://example.org/%7Euser/a_b"
    assert ref.doi == "10.5555/a%2Fb"


def test_braced_corporate_author_is_one_person(tmp_path):
    library, _ = load(
        tmp_path,
        (
            "a.bib",
            """
        @article{s, author = {{Synthetic Health Organization} and {Synthetic and Test Group}},
                 title = {T}, journal = {J}, year = {2020}}
        """,
        ),
    )
    people = library["s"].authors
    assert [(p.family, p.corporate) for p in people] == [
        ("Synthetic Health Organization", True),
        ("Synthetic and Test Group", True),
    ]


def test_string_macros_and_months(tmp_path):
    library, findings = load(
        tmp_path,
        (
            "a.bib",
            """
        @string{sj = {Synthetic Journal}}
        @article{s, author = {Author, Synthetic}, title = {T}, journal = sj, year = {2020}, month = feb}
        """,
        ),
    )
    assert findings == []
    assert (library["s"].get("journal"), library["s"].get("month")) == ("Synthetic Journal", "February")


def test_unreadable_files_are_findings(tmp_path):
    bad = tmp_path / "bib" / "latin1.bib"
    bad.parent.mkdir()
    bad.write_bytes(b"@misc{s, title = {Caf\xe9}}\n")
    library, findings = load_library([bad], tmp_path)
    assert [(f.path, f.rule) for f in findings] == [("bib/latin1.bib", "not-utf8")]
    assert len(library) == 0


def test_bibtexparser_own_log_lines_are_silenced(tmp_path, caplog):
    with caplog.at_level(logging.DEBUG):
        load(tmp_path, ("a.bib", "@article{broken\n  title = {x},\n}\n"))
    assert not [r for r in caplog.records if r.name.startswith("bibtexparser") and r.levelno >= logging.WARNING]


def test_unknown_key_message_suggests_close_keys(tmp_path):
    library, _ = load(tmp_path, ("a.bib", GOOD))
    assert library.unknown_key_message("Synthetic2020Good").endswith(
        "; keys are case-sensitive, did you mean 'synthetic2020good'?"
    )
    assert library.unknown_key_message("synthetic2020god").endswith("did you mean 'synthetic2020good'?")
    assert library.unknown_key_message("zzz") == ("citation [@zzz]: no BibTeX entry has this key (looked in bib/a.bib)")


def test_initials_and_months():
    assert initials("Jean-Paul") == "J-P"
    assert initials("W. D.") == "WD"
    assert initials("SU") == "SU"
    assert initials("Synthetic Quentin") == "SQ"
    assert initials("") == ""
    assert [month_name(m) for m in ("jan", "February", "3", "Sept.", "13", "x")] == [
        "January",
        "February",
        "March",
        "September",
        None,
        None,
    ]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            list("@{}(),=\"#%\\ \nabcAB01-_.:'~$^")
            + [
                "@article{",
                "@misc(",
                "@string{",
                " and ",
                "others",
                "author = ",
                "title = ",
                "doi = ",
                "url = ",
                '\\"u',
            ]
        ),
        max_size=80,
    )
)
def test_any_text_gives_findings_never_an_exception(tokens):
    text = "".join(tokens)
    _refs, _broken, findings = parse_bib_text(text, "fuzz.bib")
    for finding in findings:
        assert finding.path == "fuzz.bib" and finding.line >= 1
