"""`casebook cite` against a real HTTP server on 127.0.0.1 serving recorded responses.

The server behaves like doi.org (content negotiation, a redirect to the
registration agency, 404 for unknown DOIs) and like NCBI E-utilities. After
every failure the .bib file must be byte for byte what it was.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import bibtexparser
import pytest

from casebook import fileio
from casebook.authoring import cite as cite_module
from casebook.authoring.cite import Sources, add_references, base_key, clean, reference_from_csl
from casebook.cli.main import main
from casebook.errors import CasebookError
from casebook.net.http import USER_AGENT
from casebook.references.bibtex import parse_bib_text
from casebook.references.doi import doi_url, is_valid_doi, normalize_doi
from local_http import QuietHandler, serve

DATA = Path(__file__).parent / "data" / "cite"
CSL = "application/vnd.citationstyles.csl+json"
BIBTEX = "application/x-bibtex"
REITER = "10.1016/j.jaad.2010.08.038"
SYNTHETIC = "10.5555/casebook.synthetic.1"

EXISTING_BIB = """\
% Synthetic bibliography for tests.
@article{author2001synthetic,
  author = {Author, Synthetic},
  title = {Synthetic title one},
  journal = {Journal of Synthetic Test Records},
  year = {2001},
  doi = {10.5555/casebook.existing.1},
}
"""

REITER_ENTRY = """\
@article{reiter2011calcinosis,
  author = {Reiter, N and El-Shabrawi, L and Leinweber, B and Berghold, A and Aberer, E},
  title = {Calcinosis cutis: part I. Diagnostic pathway},
  journal = {J Am Acad Dermatol},
  year = {2011},
  volume = {65},
  number = {1},
  pages = {1--14},
  doi = {10.1016/j.jaad.2010.08.038},
}
"""


@dataclass
class Recorded:
    """What one path answers: a status, or a body per Accept type, or a redirect."""

    status: int = 200
    bodies: dict[str, str] = field(default_factory=dict)  # accept type -> file in DATA
    redirect: str | None = None
    hang_up: bool = False  # close the connection without answering


ROUTES: dict[str, Recorded] = {
    # doi.org answers with a redirect to the registration agency, which negotiates the content.
    f"/{REITER}": Recorded(302, redirect="/agency/reiter"),
    "/agency/reiter": Recorded(bodies={CSL: "reiter2011.csl.json", BIBTEX: "reiter2011.bib"}),
    f"/{SYNTHETIC}": Recorded(bodies={CSL: "synthetic-markup.csl.json"}),
    "/10.5555/casebook.bibtex-only": Recorded(bodies={BIBTEX: "synthetic-bibtex-only.bib"}),
    "/10.5555/casebook.server-error": Recorded(500),
    "/10.5555/casebook.gateway": Recorded(503),
    "/10.5555/casebook.rate-limited": Recorded(429),
    "/10.5555/casebook.hang-up": Recorded(hang_up=True),
    "/10.5555/casebook.no-metadata": Recorded(bodies={"text/html": "README.md"}),
    "/eutils/esummary.fcgi?db=pubmed&id=90000001&retmode=json": Recorded(bodies={"*": "esummary-with-doi.json"}),
    "/eutils/esummary.fcgi?db=pubmed&id=90000002&retmode=json": Recorded(bodies={"*": "esummary-no-doi.json"}),
    "/eutils/esummary.fcgi?db=pubmed&id=90000404&retmode=json": Recorded(bodies={"*": "esummary-unknown.json"}),
}
ROUTES_BY_PATH = {path.lower(): route for path, route in ROUTES.items()}


class _Handler(QuietHandler):
    requests: list[tuple[str, str]]

    def do_GET(self) -> None:
        accept = self.headers.get("Accept", "")
        self.server.requests.append((self.path, accept))  # type: ignore[attr-defined]
        self.server.agents.add(self.headers.get("User-Agent", ""))  # type: ignore[attr-defined]
        route = ROUTES_BY_PATH.get(urllib.parse.unquote(self.path).lower())  # DOIs are case-insensitive
        if route is None:
            return self.send_body(404, "text/html", b"<html><body>DOI Not Found</body></html>")
        if route.hang_up:
            self.close_connection = True
            return
        if route.redirect:
            self.send_response(route.status)
            self.send_header("Location", route.redirect)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if route.status != 200:
            return self.send_body(route.status, "text/plain", b"Internal Server Error")
        for media, name in route.bodies.items():
            if media in ("*", "text/html") or media in accept:
                kind = "text/html" if media == "*" else media
                return self.send_body(200, kind + "; charset=utf-8", (DATA / name).read_bytes())
        self.send_body(406, "text/plain", b"Not Acceptable")


@pytest.fixture()
def server():
    with serve(_Handler, requests=[], agents=set()) as httpd:
        yield httpd


@pytest.fixture()
def sources(server) -> Sources:
    host, port = server.server_address[:2]
    return Sources(doi_base=f"http://{host}:{port}", eutils_base=f"http://{host}:{port}/eutils", timeout=10)


@pytest.fixture()
def bib(tmp_path: Path) -> Path:
    folder = tmp_path / "bib"
    folder.mkdir()
    path = folder / "references.bib"
    path.write_text(EXISTING_BIB, encoding="utf-8")
    return path


def run_cli(capsys, sources: Sources, *args: str) -> tuple[int, str, str]:
    code = main(["cite", "--doi-base", sources.doi_base, "--eutils-base", sources.eutils_base, *args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_failed_unchanged(code: int, err: str, bib: Path, before: bytes) -> None:
    assert code == 1
    assert bib.read_bytes() == before
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert not [p.name for p in bib.parent.iterdir() if p.name.endswith(".tmp")], "a temporary file was left"


# --------------------------------------------------------------------------- happy paths


def test_cite_appends_normalised_entry_from_csl_json(server, sources, bib, capsys):
    code, out, err = run_cli(capsys, sources, f"doi:{REITER}", "--bib", str(bib))
    assert (code, err) == (0, "")
    assert bib.read_text(encoding="utf-8") == EXISTING_BIB + "\n" + REITER_ENTRY
    assert "[@reiter2011calcinosis]" in out
    assert 'Reiter et al. 2011, "Calcinosis cutis: part I. Diagnostic pathway"' in out
    # CSL-JSON asked first, through doi.org's redirect, with the Accept header kept.
    assert server.requests == [(f"/{REITER}", CSL), ("/agency/reiter", CSL)]
    assert server.agents == {USER_AGENT}  # the same client and User-Agent as the online checks
    library = bibtexparser.parse_string(bib.read_text(encoding="utf-8"))
    assert [e.key for e in library.entries] == ["author2001synthetic", "reiter2011calcinosis"]
    assert not library.failed_blocks


def test_cite_creates_missing_bib_file(sources, tmp_path, capsys):
    target = tmp_path / "new.bib"
    code, _, err = run_cli(capsys, sources, f"https://doi.org/{REITER}", "--bib", str(target))
    assert (code, err) == (0, "")
    assert target.read_text(encoding="utf-8") == REITER_ENTRY


def test_csl_markup_names_and_dashes_are_normalised(sources, bib):
    [ref] = add_references([f"https://dx.doi.org/{SYNTHETIC.upper()}"], bib, sources)
    assert ref.key == "ottersynthetique2020synthetic"
    assert ref.bibtex() == (
        "@article{ottersynthetique2020synthetic,\n"
        "  author = {Ötter-Synthétique, Ånna and {Synthetic Study Group} and van der Author, Jr., Synthetic},\n"
        "  title = {The Synthetic condition 17 \\& its mimics: a test record},\n"
        "  journal = {Journal of Synthetic Test Records},\n"
        "  year = {2020},\n"
        "  volume = {3},\n"
        "  number = {2},\n"
        "  pages = {101--109},\n"
        "  doi = {10.5555/CASEBOOK.SYNTHETIC.1},\n"
        "}\n"
    )
    # The site's own BibTeX reader gets the plain text back.
    refs, _, findings = parse_bib_text(bib.read_text(encoding="utf-8"), "references.bib")
    assert findings == []
    assert refs[-1].key == ref.key and refs[-1].doi == "10.5555/CASEBOOK.SYNTHETIC.1"
    assert refs[-1].get("title") == "The Synthetic condition 17 & its mimics: a test record"
    assert next((p.family, p.given) for p in refs[-1].authors) == ("Ötter-Synthétique", "Ånna")


def test_latex_specials_are_escaped_and_read_back():
    ref = cite_module.NewEntry(
        "article",
        {
            "author": "Author, Synthetic",
            "title": "50% of #1 cases_x cost $5 & ~3 more",
            "journal": "Synthetic",
            "year": "2020",
            "doi": "10.5555/casebook_raw%id",
        },
    )
    ref.key = "author2020cases"
    text = ref.bibtex()
    assert "  title = {50\\% of \\#1 cases\\_x cost \\$5 \\& {\\textasciitilde}3 more},\n" in text
    assert "  doi = {10.5555/casebook_raw%id},\n" in text  # identifiers stay verbatim
    [parsed], _, findings = parse_bib_text(text, "x.bib")
    assert findings == []
    assert parsed.get("title") == "50% of #1 cases_x cost $5 & ~3 more"
    assert parsed.doi == "10.5555/casebook_raw%id"


def test_bibtex_fallback_when_agency_has_no_csl_json(server, sources, bib):
    [ref] = add_references(["10.5555/casebook.bibtex-only"], bib, sources)
    assert [a for _, a in server.requests] == [CSL, BIBTEX]
    assert ref.bibtex() == (
        "@article{author2019synthetic,\n"
        "  author = {Author, Synthetic and Müller, Synthetic},\n"
        "  title = {A Synthetic bibtex-only record},\n"
        "  journal = {Synthetic Letters},\n"
        "  publisher = {Synthetic Publisher},\n"
        "  year = {2019},\n"
        "  volume = {7},\n"
        "  number = {4},\n"
        "  pages = {12--15},\n"
        "  doi = {10.5555/casebook.bibtex-only},\n"
        "}\n"
    )


def test_crossref_style_bibtex_gives_the_same_entry_as_csl_json():
    csl = reference_from_csl(json.loads((DATA / "reiter2011.csl.json").read_text(encoding="utf-8")))
    bibtex = cite_module.reference_from_bibtex((DATA / "reiter2011.bib").read_text(encoding="utf-8"))
    assert csl is not None and bibtex is not None
    assert csl.fields == bibtex.fields
    assert base_key(csl) == base_key(bibtex) == "reiter2011calcinosis"


def test_several_dois_in_one_call(sources, bib, capsys):
    code, out, _ = run_cli(capsys, sources, REITER, SYNTHETIC, "--bib", str(bib))
    assert code == 0
    keys = [e.key for e in bibtexparser.parse_string(bib.read_text(encoding="utf-8")).entries]
    assert keys == ["author2001synthetic", "reiter2011calcinosis", "ottersynthetique2020synthetic"]
    assert out.count("added [@") == 2


def test_dry_run_prints_and_writes_nothing(sources, bib, capsys):
    before = bib.read_bytes()
    code, out, _ = run_cli(capsys, sources, REITER, "--bib", str(bib), "--dry-run")
    assert code == 0
    assert REITER_ENTRY in out and "would add [@reiter2011calcinosis]" in out
    assert bib.read_bytes() == before


def test_base_url_from_environment(sources, bib, monkeypatch, capsys):
    monkeypatch.setenv("CASEBOOK_DOI_BASE", sources.doi_base)
    assert main(["cite", REITER, "--bib", str(bib)]) == 0
    assert "reiter2011calcinosis" in bib.read_text(encoding="utf-8")


def test_crlf_bib_keeps_its_line_endings(sources, bib):
    bib.write_bytes(EXISTING_BIB.replace("\n", "\r\n").encode())
    add_references([REITER], bib, sources)
    data = bib.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")


# --------------------------------------------------------------------------- PubMed IDs


def test_pmid_with_doi_is_fetched_by_doi(server, sources, bib):
    [ref] = add_references(["PMID: 90000001"], bib, sources)
    assert [p for p, _ in server.requests] == [
        "/eutils/esummary.fcgi?db=pubmed&id=90000001&retmode=json",
        "/10.5555/CASEBOOK.Synthetic.1",
    ]
    assert ref.fields["doi"] == "10.5555/CASEBOOK.Synthetic.1"  # as PubMed lists it
    assert ref.fields["pmid"] == "90000001"
    assert "  pmid = {90000001},\n" in bib.read_text(encoding="utf-8")


def test_pmid_without_doi_uses_the_pubmed_summary(sources, bib):
    [ref] = add_references(["90000002"], bib, sources)
    assert ref.bibtex() == (
        "@article{synthetic1998obviously,\n"
        "  author = {Synthetic, A and Testperson, BC and {Synthetic Consortium}},\n"
        "  title = {Obviously synthetic record without a DOI},\n"
        "  journal = {Synthetic archives},\n"
        "  year = {1998},\n"
        "  volume = {12},\n"
        "  pages = {5--8},\n"
        "  pmid = {90000002},\n"
        "}\n"
    )


def test_unknown_pmid(sources, bib, capsys):
    before = bib.read_bytes()
    code, _, err = run_cli(capsys, sources, "90000404", "--bib", str(bib))
    assert_failed_unchanged(code, err, bib, before)
    assert "PMID 90000404 was not found in PubMed" in err


def test_duplicate_pmid_refused_before_any_request(server, sources, bib, capsys):
    add_references(["90000002"], bib, sources)
    server.requests.clear()
    before = bib.read_bytes()
    code, _, err = run_cli(capsys, sources, "pmid:90000002", "--bib", str(bib))
    assert_failed_unchanged(code, err, bib, before)
    assert "PMID 90000002 is already in" in err and "[@synthetic1998obviously]" in err
    assert server.requests == []


def test_pmid_whose_doi_is_already_cited(sources, bib, capsys):
    add_references([SYNTHETIC], bib, sources)
    before = bib.read_bytes()
    code, _, err = run_cli(capsys, sources, "90000001", "--bib", str(bib))
    assert_failed_unchanged(code, err, bib, before)
    assert "is already in" in err and "[@ottersynthetique2020synthetic]" in err


# --------------------------------------------------------------------------- failures leave the file alone


def test_unknown_doi_404(sources, bib, capsys):
    before = bib.read_bytes()
    code, _, err = run_cli(capsys, sources, "10.5555/casebook.does-not-exist", "--bib", str(bib))
    assert_failed_unchanged(code, err, bib, before)
    assert "DOI 10.5555/casebook.does-not-exist is not registered at 127.0.0.1" in err
    assert "HTTP 404" in err


@pytest.mark.parametrize(
    "text",
    ["10.55/x", "casebook.synthetic.1", "https://example.org/10.5555/x", "10.5555/with space", "doi:", "10.5555"],
)
def test_malformed_doi_is_refused_without_a_request(server, sources, bib, capsys, text):
    before = bib.read_bytes()
    code, _, err = run_cli(capsys, sources, REITER, text, "--bib", str(bib))
    assert_failed_unchanged(code, err, bib, before)
    assert f"{text.strip()!r} is not a DOI: expected 10.NNNN/suffix" in err
    assert server.requests == []


@pytest.mark.parametrize(("doi", "status"), [("10.5555/casebook.server-error", 500), ("10.5555/casebook.gateway", 503)])
def test_server_error(sources, bib, capsys, doi, status):
    before = bib.read_bytes()
    code, _, err = run_cli(capsys, sources, doi, "--bib", str(bib))
    assert_failed_unchanged(code, err, bib, before)
    assert f"answered with a server error (HTTP {status}) for {doi}; try again later" in err


def test_rate_limited(sources, bib, capsys):
    before = bib.read_bytes()
    code, _, err = run_cli(capsys, sources, "10.5555/casebook.rate-limited", "--bib", str(bib))
    assert_failed_unchanged(code, err, bib, before)
    assert "is limiting requests (HTTP 429) for 10.5555/casebook.rate-limited; wait a minute" in err


def test_connection_dropped(sources, bib, capsys):
    before = bib.read_bytes()
    code, _, err = run_cli(capsys, sources, "10.5555/casebook.hang-up", "--bib", str(bib))
    assert_failed_unchanged(code, err, bib, before)
    assert "failed for DOI 10.5555/casebook.hang-up" in err and "try again later" in err


def test_doi_without_metadata(sources, bib, capsys):
    before = bib.read_bytes()
    code, _, err = run_cli(capsys, sources, "10.5555/casebook.no-metadata", "--bib", str(bib))
    assert_failed_unchanged(code, err, bib, before)
    assert "has no citation metadata for DOI 10.5555/casebook.no-metadata" in err


def test_unreachable_server(bib, capsys):
    import socket

    with socket.socket() as probe:  # a port nothing listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    before = bib.read_bytes()
    code, _, err = run_cli(
        capsys, Sources(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port}"), REITER, "--bib", str(bib)
    )
    assert_failed_unchanged(code, err, bib, before)
    assert f"cannot reach 127.0.0.1:{port}" in err


def test_duplicate_doi_refused_case_insensitively(server, sources, bib, capsys):
    before = bib.read_bytes()
    code, _, err = run_cli(capsys, sources, "doi:10.5555/CASEBOOK.Existing.1", "--bib", str(bib))
    assert_failed_unchanged(code, err, bib, before)
    assert "10.5555/CASEBOOK.Existing.1 is already in" in err
    assert "as [@author2001synthetic]" in err
    assert server.requests == []


def test_duplicate_doi_in_a_neighbouring_bib_file(sources, bib, capsys):
    (bib.parent / "seed.bib").write_text(REITER_ENTRY, encoding="utf-8")
    before = bib.read_bytes()
    code, _, err = run_cli(capsys, sources, REITER, "--bib", str(bib))
    assert_failed_unchanged(code, err, bib, before)
    assert "seed.bib as [@reiter2011calcinosis]" in err


def test_same_doi_twice_in_one_call(sources, bib, capsys):
    before = bib.read_bytes()
    code, _, err = run_cli(capsys, sources, REITER, f"https://doi.org/{REITER.upper()}", "--bib", str(bib))
    assert_failed_unchanged(code, err, bib, before)
    assert "is given twice" in err


def test_requested_key_that_exists_is_refused(sources, bib, capsys):
    before = bib.read_bytes()
    code, _, err = run_cli(capsys, sources, REITER, "--key", "author2001synthetic", "--bib", str(bib))
    assert_failed_unchanged(code, err, bib, before)
    assert "the key 'author2001synthetic' is already used in" in err


def test_requested_key_is_checked_before_any_request(server, sources, bib, capsys):
    (bib.parent / "seed.bib").write_text(REITER_ENTRY, encoding="utf-8")
    before = bib.read_bytes()
    for taken in ("Author2001Synthetic", "REITER2011calcinosis"):  # keys are compared ignoring case
        code, _, err = run_cli(capsys, sources, "10.5555/casebook.does-not-exist", "--key", taken, "--bib", str(bib))
        assert_failed_unchanged(code, err, bib, before)
        assert f"the key {taken!r} is already used in" in err
    assert server.requests == []


@pytest.mark.parametrize("key", ["_leading", "with space", "trailing-", "ünïcode?"])
def test_requested_key_that_cannot_be_cited_is_refused(server, sources, bib, capsys, key):
    before = bib.read_bytes()
    code, _, err = run_cli(capsys, sources, REITER, "--key", key, "--bib", str(bib))
    assert_failed_unchanged(code, err, bib, before)
    assert f"--key {key!r} cannot be cited as [@{key}]" in err
    assert server.requests == []


# Issue #7: after each kind of failure the .bib file is not even rewritten (same inode, same mtime).
FAILURES = {
    "unknown DOI (404)": ["10.5555/casebook.does-not-exist"],
    "malformed DOI": ["10.5555"],
    "server error (500)": ["10.5555/casebook.server-error"],
    "duplicate DOI": ["10.5555/casebook.existing.1"],
    "duplicate key": [REITER, "--key", "author2001synthetic"],
}


@pytest.mark.parametrize("args", FAILURES.values(), ids=FAILURES.keys())
def test_failures_leave_the_bib_file_untouched(sources, bib, capsys, args):
    stat, before = bib.stat(), bib.read_bytes()
    code, _, err = run_cli(capsys, sources, *args, "--bib", str(bib))
    assert_failed_unchanged(code, err, bib, before)
    after = bib.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def test_requested_key_is_used(sources, bib):
    [ref] = add_references([REITER], bib, sources, key="reiter-part-one")
    assert ref.key == "reiter-part-one"
    assert "@article{reiter-part-one,\n" in bib.read_text(encoding="utf-8")


def test_automatic_key_clash_with_another_reference_gets_a_suffix(sources, bib, capsys):
    clash = EXISTING_BIB + REITER_ENTRY.replace(REITER, "10.5555/casebook.other")
    bib.write_text(clash, encoding="utf-8")
    code, out, _ = run_cli(capsys, sources, REITER, "--bib", str(bib))
    assert code == 0
    assert "note: the key reiter2011calcinosis is already used by another reference" in out
    assert "[@reiter2011calcinosisb]" in out
    keys = [e.key for e in bibtexparser.parse_string(bib.read_text(encoding="utf-8")).entries]
    assert keys == ["author2001synthetic", "reiter2011calcinosis", "reiter2011calcinosisb"]


def test_all_or_nothing_when_a_later_doi_fails(server, sources, bib, capsys):
    before = bib.read_bytes()
    code, _, err = run_cli(capsys, sources, REITER, "10.5555/casebook.does-not-exist", "--bib", str(bib))
    assert_failed_unchanged(code, err, bib, before)
    assert f"/{REITER}" in [p for p, _ in server.requests]  # the first one was fetched, then dropped


def test_unreadable_bib_is_refused(sources, bib, capsys):
    bib.write_text(EXISTING_BIB + "@article{broken, title = {no closing brace}\n", encoding="utf-8")
    before = bib.read_bytes()
    code, _, err = run_cli(capsys, sources, REITER, "--bib", str(bib))
    assert_failed_unchanged(code, err, bib, before)
    assert f"{bib.name}:9: BibTeX syntax error in entry 'broken'" in err
    assert "Fix it before adding references (so duplicates can be found); nothing was written" in err


def test_failed_rename_leaves_file_and_no_temporary(sources, bib, capsys, monkeypatch):
    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(fileio.os, "replace", refuse)  # the one atomic writer, casebook.fileio
    before = bib.read_bytes()
    code, _, err = run_cli(capsys, sources, REITER, "--bib", str(bib))
    assert_failed_unchanged(code, err, bib, before)
    assert "cannot write" in err and "Permission denied" in err


def test_missing_bib_folder(sources, tmp_path, capsys):
    code, _, err = run_cli(capsys, sources, REITER, "--bib", str(tmp_path / "nowhere" / "refs.bib"))
    assert code == 1 and "does not exist; check --bib" in err
    assert not (tmp_path / "nowhere").exists()


def test_no_arguments_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["cite"])
    assert exit_info.value.code == 2


# --------------------------------------------------------------------------- pure helpers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.1016/j.jaad.2010.08.038", "10.1016/j.jaad.2010.08.038"),
        ("doi:10.1016/j.jaad.2010.08.038", "10.1016/j.jaad.2010.08.038"),
        ("DOI: 10.5555/abc", "10.5555/abc"),
        ("https://doi.org/10.1016/0190-9622(95)91803-5", "10.1016/0190-9622(95)91803-5"),
        ("http://dx.doi.org/10.1111/j.1525-1470.1988.tb01149.x", "10.1111/j.1525-1470.1988.tb01149.x"),
        ("https://doi.org/10.5555/a%23b", "10.5555/a#b"),
        ("  10.5555/trailing-full-stop. ", "10.5555/trailing-full-stop"),
        ("10.123/x", None),
        ("10.5555/", None),
        ("pmid:123", None),
        ("", None),
    ],
)
def test_normalize_doi(text, expected):
    assert normalize_doi(text) == expected
    assert is_valid_doi(text) is (expected is not None)


def test_doi_url_escapes_what_would_break_a_link():
    assert doi_url("doi:10.5555/a#b?c") == "https://doi.org/10.5555/a%23b%3Fc"
    assert doi_url("10.1016/0190-9622(95)91803-5") == "https://doi.org/10.1016/0190-9622(95)91803-5"


def test_clean_strips_markup_and_braces():
    assert clean("<jats:title>Ca<sub>2</sub> &lt;test&gt; {X}</jats:title>  \n more") == "Ca2 <test> X more"


def test_key_falls_back_when_fields_are_missing():
    ref = cite_module.NewEntry("misc", {"title": "The of and"})
    assert base_key(ref) == "anonnd"


def test_errors_are_casebook_errors(sources, bib):
    with pytest.raises(CasebookError, match="not registered"):
        add_references(["10.5555/casebook.does-not-exist"], bib, sources)


# --------------------------------------------------------------------------- the whole authoring workflow


@pytest.mark.slow
def test_new_then_cite_then_build_strict(project, clean_build, sources, capsys, monkeypatch):
    """What an author does: scaffold a case, import a reference by DOI, cite it, publish."""
    from sitebuilder import PNG_1X1, SYNTHETIC_DIAGNOSIS
    from test_scaffold import fill

    monkeypatch.chdir(project.root)
    assert main(["new", "Synthetic case for the authoring workflow"]) == 0
    code, out, err = run_cli(capsys, sources, f"https://doi.org/{REITER}")  # default --bib bib/references.bib
    assert (code, err) == (0, "")
    assert "[@reiter2011calcinosis]" in out
    assert (project.root / "bib" / "references.bib").read_text(encoding="utf-8") == REITER_ENTRY

    case = project.root / "cases" / "synthetic-case-for-the-authoring-workflow" / "index.md"
    text = fill(case.read_text(encoding="utf-8"))
    text = text.replace("Synthetic causes table", "Synthetic causes table [@reiter2011calcinosis]", 1)
    text = re.sub(
        r"(\n/// answer\n(?:.*\n)*?)(Synthetic paragraph \d+\.)",
        r"\1\2 A synthetic sentence that cites the seed's reference [@reiter2011calcinosis].",
        text,
        count=1,
    )
    case.write_text(text, encoding="utf-8")
    for image in ("figure-1.jpg", "figure-2.jpg"):
        project.write(f"cases/{case.parent.name}/{image}", PNG_1X1)

    html = clean_build().html(f"cases/{case.parent.name}")
    assert re.search(r'<a [^>]*class="casebook-cite" [^>]*href="#ref-reiter2011calcinosis"', html)
    assert 'href="https://doi.org/10.1016/j.jaad.2010.08.038"' in html
    # The imported entry renders as the seed's own reference list gives it (AMA).
    # Inside the answer an id is published as data-casebook-id, so no URL opens the answer (docs/theme.md).
    item = re.search(r'<li data-casebook-id="ref-reiter2011calcinosis">(.*?)</li>', html, re.S)
    assert item is not None
    assert re.sub(r"<[^>]+>", "", item.group(1)).startswith(
        "Reiter N, El-Shabrawi L, Leinweber B, Berghold A, Aberer E. Calcinosis cutis: part I. "
        "Diagnostic pathway. J Am Acad Dermatol. 2011;65(1):1-14. doi:10.1016/j.jaad.2010.08.038"
    )
    assert SYNTHETIC_DIAGNOSIS in html


def test_a_bib_option_that_is_not_a_bib_file_is_refused_and_the_file_kept(tmp_path, capsys):
    """`--bib cases/x/index.md` (a slip of the tab key) would append BibTeX into a case."""
    case = tmp_path / "cases" / "synthetic-case" / "index.md"
    case.parent.mkdir(parents=True)
    case.write_text("---\ntitle: Synthetic\n---\n\nSynthetic text.\n", encoding="utf-8")
    before = case.read_bytes()
    code, _, err = run_cli(capsys, Sources("http://127.0.0.1:9", "http://127.0.0.1:9"), REITER, "--bib", str(case))
    assert_failed_unchanged(code, err, case, before)
    assert "is not a .bib file; --bib names the BibTeX file to add to (bib/references.bib)" in err
