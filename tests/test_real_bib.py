# ruff: noqa: E501  (each golden is one reference, kept on one line so it can be compared with the source entry)
"""AMA goldens on real-world BibTeX: three bibliographies from public repositories (../shared/real-bib/).

The files are other people's, read in place and never copied (SOURCES.md there says where each
comes from). Each golden below was checked by hand against AMA 11 and the rules of docs/cite.md:
journal abbreviations without periods, article titles in sentence case and book titles in title
case (words the file braces kept as written), page ranges in full, biblatex dates written out,
`eprint` with `eprinttype = {pmid}` as PMID, worded editions, LaTeX decoded.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from casebook.references.ama import format_reference_text, reference_segments
from casebook.references.bibtex import Reference, parse_bib_text
from casebook.references.bibtex.coverage import is_accounted

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "real-bib"
FILES = ("ohdsi_book.bib", "survival_refer.bib", "harrelfe_excerpt.bib")
pytestmark = pytest.mark.skipif(
    not all((REAL / name).is_file() for name in FILES), reason="../shared/real-bib is not next to this checkout"
)

GOLDENS = [
    (
        "survival_refer.bib",
        "Allen18",
        "Allen AM, Therneau TM, Larson JJ, Coward A, Somers VK, Kamath PS. Nonalcoholic fatty liver disease incidence and impact on metabolic burden and death: a 20 year-community study. Hepatology. 2018;67:1726-1736. doi:10.1002/hep.29546",
    ),
    (
        "survival_refer.bib",
        "Altman00",
        "Altman DG, Royston P. What do we mean by validating a prognostic model? Stat in Medicine. 2000;19:453-473.",
    ),
    (
        "survival_refer.bib",
        "Aitkin78",
        "Aitkin M. The analysis of unbalanced cross classifications (with discussion). J Royal Stat Soc A. 1978;141:195-223.",
    ),
    (
        "survival_refer.bib",
        "Aalen88",
        "Aalen OO. Heterogeneity in survival analysis. Stat in Medicine. 1988;7:1121-1137.",
    ),
    (
        "survival_refer.bib",
        "Andersen92",
        "Andersen PK, Borgan Ø, Gill RD, Keiding N. Statistical Models Based on Counting Processes. Springer-Verlag; 1993.",
    ),
    (
        "survival_refer.bib",
        "Bergstralh88",
        "Bergstralh EJ, Offord KP. Conditional Probabilities Used in Calculating Cohort Expected Survival. Department of Health Sciences Research, Mayo Clinic; 1988. Report 37.",
    ),
    (
        "survival_refer.bib",
        "Hodges61",
        "Hodges Jr JL, Lehmann EL. Comparison of the normal scores and Wilcoxon tests. In: Proceedings of the Fourth Berkeley Symposium on Mathematical Statistics and Probability. Vol 1. 1961:307-317.",
    ),
    (
        "survival_refer.bib",
        "Hettmansperger98",
        "Hettmansperger T. Median. In: Armitage P, Colton T, eds. Encyclopedia of Biostatics. Vol 4. Wiley; 1998:2525-2526.",
    ),
    (
        "survival_refer.bib",
        "Parner96",
        "Parner E. Inference in Semiparametric Frailty Models. Dissertation. University of Aarhus, Denmark; 1997.",
    ),
    (
        "survival_refer.bib",
        "AdjCurves",
        "Therneau TM, Crowson CS, Atkinson EJ. Adjusted survival curves. Published 2015. https://cran.r-project.org/web/packages/survival/vignettes/adjcurve.pdf",
    ),
    (
        "survival_refer.bib",
        "Oakes92",
        "Oakes D. Frailty models for multiple event times. In: Klein JP, Goel PK, eds. Survival Analysis, State of the Art. Kluwer; 1992.",
    ),
    (
        "survival_refer.bib",
        "Ederer77",
        "Ederer F, Heise H. Instructions to IBM 650 Programmers in Processing Survival Computations. End Results Evaluation Section, National Cancer Institute; 1977:101-121. Methodological Note No. 10.",
    ),
    (
        "survival_refer.bib",
        "Deng95",
        "Deng Y, Quigley JM, Van Order R. Mortgage Terminations. Institute of Business and Economic Research, University of California at Berkeley; 1995. Working Paper 95-230.",
    ),
    (
        "ohdsi_book.bib",
        "sabroe_1997",
        "Sabroe RA, Black AK. Angiotensin-converting enzyme (ACE) inhibitors and angio-oedema. Br J Dermatol. 1997;136(2):153-158.",
    ),
    (
        "ohdsi_book.bib",
        "schuemie_2018",
        "Schuemie MJ, Hripcsak G, Ryan PB, Madigan D, Suchard MA. Empirical confidence interval calibration for population-level effect estimation studies in observational healthcare data. Proc Natl Acad Sci U S A. 2018;115(11):2571-2577.",
    ),
    (
        "ohdsi_book.bib",
        "maclure_1991",
        "Maclure M. The case-crossover design: a method for studying transient effects on the risk of acute events. Am J Epidemiol. 1991;133(2):144-153.",
    ),
    (
        "ohdsi_book.bib",
        "keogh2011",
        "Keogh C, Wallace E, Dillon C, Dimitrov BD, Fahey T. Validation of the CHADS2 clinical prediction rule to predict ischaemic stroke. A systematic review and meta-analysis. Thromb Haemost. 2011;106(3):528-538.",
    ),
    (
        "ohdsi_book.bib",
        "fuller2009measurement",
        "Fuller WA. Measurement Error Models. Vol 305. John Wiley & Sons; 2009.",
    ),
    (
        "ohdsi_book.bib",
        "Martin_2008",
        "Martin RC. Clean Code: A Handbook of Agile Software Craftsmanship. 1st ed. Prentice Hall PTR; 2008.",
    ),
    ("ohdsi_book.bib", "Wickham_2015", "Wickham H. R Packages. 1st ed. O'Reilly Media, Inc.; 2015."),
    (
        "ohdsi_book.bib",
        "rosenbaum_2005",
        "Rosenbaum P. Sensitivity analysis in observational studies. In: Encyclopedia of Statistics in Behavioral Science. American Cancer Society; 2005. doi:10.1002/0470013192.bsa606",
    ),
    (
        "ohdsi_book.bib",
        "wiki:Open_science",
        "Wikipedia. Open science — Wikipedia, the free encyclopedia. Published 2019. Accessed June 24, 2019. http://en.wikipedia.org/w/index.php?title=Open%20science&oldid=900178688",
    ),
    (
        "ohdsi_book.bib",
        "callahan2017comparison",
        "Callahan TJ, Bauck AE, Bertoch D, et al. A comparison of data quality assessment checks in six data sharing networks. eGEMs. 2017;5(1).",
    ),
    (
        "ohdsi_book.bib",
        "stang2010omop",
        "Stang PE, Ryan PB, Racoosin JA, et al. Advancing the science for active surveillance: rationale and design for the Observational Medical Outcomes Partnership. Ann Intern Med. 2010;153(9):600-606.",
    ),
    (
        "ohdsi_book.bib",
        "Rubbo2015phenotypes",
        "Rubbo B, Fitzpatrick NK, Denaxas S, et al. Use of electronic health records to ascertain, validate and phenotype acute myocardial infarction: A systematic review and recommendations. Int J Cardiol. 2015;187:705-711.",
    ),
    (
        "harrelfe_excerpt.bib",
        "har17ehr",
        "Harrell F, Lazzeroni L. EHRs and RCTs: Outcome Prediction vs. Optimal Treatment Selection. Statistical Thinking. Published June 1, 2017. Accessed November 22, 2020. https://www.fharrell.com/post/ehrs-rcts/",
    ),
    (
        "harrelfe_excerpt.bib",
        "har20vio",
        "Harrell F. Violation of Proportional Odds Is Not Fatal. Statistical Thinking. Published September 20, 2020. Accessed November 22, 2020. https://www.fharrell.com/post/po/",
    ),
    (
        "harrelfe_excerpt.bib",
        "har00ana",
        "Harrell F. Analysis of covariance in randomized studies. Accessed November 22, 2020. https://hbiostat.org/bbr/md/ancova.html",
    ),
    (
        "harrelfe_excerpt.bib",
        "bra12eff",
        "Bray GA, Smith SR, de Jonge L, et al. Effect of Dietary Protein Content on Weight Gain, Energy Expenditure, and Body Composition During Overeating. JAMA. 2012;307(1):47-55. doi:10.1001/jama.2011.1918. PMID: 22215165. PMCID: PMC3777747",
    ),
    (
        "harrelfe_excerpt.bib",
        "col18sta",
        "Colantuoni E, Scharfstein DO, Wang C, et al. Statistical methods to compare functional outcomes in randomized controlled trials with high mortality. BMJ. 2018;360:j5748. doi:10.1136/bmj.j5748. PMID: 29298779",
    ),
    (
        "harrelfe_excerpt.bib",
        "hem20use",
        "Hemming K, Taljaard M, Weijer C, Forbes AB. Use of multiple period, cluster randomised, crossover trial designs for comparative effectiveness research. BMJ. 2020;371:m3800. doi:10.1136/bmj.m3800. PMID: 33148538",
    ),
    ("harrelfe_excerpt.bib", "agresti", "Agresti A. Categorical Data Analysis. 2nd ed. Wiley; 2002."),
    ("harrelfe_excerpt.bib", "latex", "Lamport L. LᴬTEX: A Document Preparation System. 2nd ed. Addison-Wesley; 1994."),
    (
        "harrelfe_excerpt.bib",
        "gel20bay",
        "Gelman A, Vehtari A, Simpson D, et al. Bayesian Workflow. Published November 3, 2020. Comment: 77 pages, 35 figures. arXiv:2011.01808. Accessed September 8, 2021. http://arxiv.org/abs/2011.01808",
    ),
    (
        "harrelfe_excerpt.bib",
        "gje77pro",
        "Gjertsen WR, Harrell FE. Producing Kolmogorov-Smirnov type statistics and plotting empirical distributions on a line plotter within SAS. In: Proceedings of the Second Annual Conference of the SAS User's Group International. SAS Institute; 1977:37-43.",
    ),
    (
        "harrelfe_excerpt.bib",
        "fre88imp",
        "Freedman D, Navidi W, Peters S. On the Impact of Variable Selection in Fitting Regression Equations. Lecture Notes in Economics and Mathematical Systems. Springer-Verlag; 1988:1-16.",
    ),
    (
        "harrelfe_excerpt.bib",
        "bur03mod",
        "Burnham KP, Anderson DR. Model Selection and Multimodel Inference: A Practical Information-Theoretic Approach. 2nd ed. Kindle Edition. Springer; 2003. From http://stats.stackexchange.com/questions/134464/the-best-model-of-an-aicc-based-model-selection-on-a-very-small-sample-has-an-hi/134478?noredirect=1#comment256033_134478 : Even keen proponents of the use of AIC in model selection such as Burnham & Anderson (2002), Model Selection and Multi-model Inference: A Practical Information-Theoretic Approach, recommend selecting the model with lowest AIC from among a few, theoretically well-founded, candidate models, & inveigh against data dredging. The issues aren't peculiar to the use of AIC. http://www.amazon.com/exec/obidos/redirect?tag=citeulike07-20&path=ASIN/B000QCQT0C",
    ),
    (
        "harrelfe_excerpt.bib",
        "ban85",
        "Banks J. Nomograms. In: Kotz S, Johnson NL, eds. Encyclopedia of Statistical Sciences. Vol 6. Wiley; 1985.",
    ),
    (
        "harrelfe_excerpt.bib",
        "blu11lik",
        "Blume JD. Likelihood and its evidential framework. In: Gabbay DM, Woods J, eds. Handbook of the Philosophy of Science: Philosophy of Statistics. North Holland; 2011:493-511.",
    ),
    (
        "harrelfe_excerpt.bib",
        "coh94ear",
        "Cohen J. The earth is round (p < .05). Am Psychologist. 1994;49(12):997-1003. doi:10.1037/0003-066x.49.12.997",
    ),
    (
        "harrelfe_excerpt.bib",
        "rob21eig",
        "Robert Frost H. Eigenvectors from Eigenvalues Sparse Principal Component Analysis. Journal of Computational and Graphical Statistics. 2021;0(0):1-16. R package https://cran.r-project.org/web/packages/EESPCA/index.html Excellent simulation setup and measuring quality of result by ability to recover original dataset. doi:10.1080/10618600.2021.1987254",
    ),
    (
        "harrelfe_excerpt.bib",
        "gol90res",
        'Goldman L, Cook EF, Orav J, et al. Research training in clinical effectiveness: Replacing "in my experience …” with rigorous clinical investigation. Clin Res. 1990;38:686-693.',
    ),
    (
        "harrelfe_excerpt.bib",
        "bla86",
        "Blackstone EH. Analysis of death (survival analysis) and other time-related events. In: Macartney FJ, ed. Current Status of Clinical Cardiology. MTP Press Limited; 1986:55-101.",
    ),
    (
        "harrelfe_excerpt.bib",
        "koo92log",
        "Kooperberg C, Stone CJ. Logspline Density Estimation for Censored Data. Department of Statistics, University of Washington; 1992. Report 226.",
    ),
    (
        "harrelfe_excerpt.bib",
        "abr96tim",
        "Abrahamowicz M, MacKenzie T, Esdaile JM. Time-dependent hazard ratio: Modeling and hypothesis testing with applications in lupus nephritis. JAMA. 1996;91:1432-1439.",
    ),
    # Checked entry by entry against pandoc's citeproc and american-medical-association.csl
    # (benchmarks/csl_compare.py); where the two differ, AMA 11 decided (see benchmarks/README.md).
    (
        "survival_refer.bib",
        "Therneau00",
        "Therneau TM, Grambsch PM. Modeling Survival Data: Extending the Cox Model. Springer-Verlag; 2000.",
    ),
    (
        "survival_refer.bib",
        "Pugh92",
        "Pugh M, Robbins J, Lipsitz S, Harrington D. Inference in the Cox Proportional Hazards Model With Missing Covariates. Department of Biostatistics, Harvard School of Public Health; 1992. Report 758Z.",
    ),
    (
        "survival_refer.bib",
        "Little87",
        "Little RJA, Rubin DB. Statistical Analysis With Missing Data. John Wiley & Sons; 1987.",
    ),
    ("survival_refer.bib", "Broca66", "Broca PP. Traites de Tumerus, Volumes 1 and 2. Asselin; 1866."),
    (
        "survival_refer.bib",
        "Ederer61",
        "Ederer F, Axtell LM, Cutler SJ. The relative survival rate: a statistical methodology. National Cancer Inst Monographs. 1961;6:101-121.",
    ),
    (
        "survival_refer.bib",
        "Goff14",
        "Goff DC Jr, Lloyd-Jones DM, Bennett G, et al. 2013 ACC/AHA guideline on the assessment of cardiovascular risk: a report of the American College of Cardiology/American Heart Association Task Force on Practice Guidelines. J Am Coll Cardiol. 2014;63:2935-2959.",
    ),
    (
        "survival_refer.bib",
        "DAgostino08",
        "D'Agostino RB Sr, Vasan RS, Pencina MJ, et al. General cardiovascular risk profile for use in primary care: the Framingham Heart Study. Circulation. 2008;117:743-754.",
    ),
    (
        "survival_refer.bib",
        "Elveback70",
        "Elveback LR, Guillier CL, Keating FR Jr. Health, normality, and the ghost of Gauss. J Am Med Assoc. 1970;211:69-75.",
    ),
    (
        "survival_refer.bib",
        "Gooley1999",
        "Gooley TA, Leisenring W, Crowley J, Storer BE. Estimation of failure probabilities in the presence of competing risks: new representations of old estimators. Stat in Medicine. 1999;18:695-706.",
    ),
    (
        "survival_refer.bib",
        "Hurvich98",
        "Hurvich CM, Simonoff JS, Tsai C-L. Smoothing parameter selection in nonparametric regression using an improved Akaike information criterion. J Royal Stat Soc B. 1998;60:271-293.",
    ),
    (
        "survival_refer.bib",
        "Goodnight78",
        'Goodnight J. Tests of Hypotheses in Fixed-Effects Linear Models. SAS Institute, Inc.; 1978. Technical Report R-101. author formally changed to "SAS Institute" at a later date.',
    ),
    (
        "survival_refer.bib",
        "Stone85",
        "Stone CJ, Koo CY. Additive splines in statistics. In: Computational Statistics Section. American Statistical Association; 1985:646-651.",
    ),
    (
        "ohdsi_book.bib",
        "schuemie_2018b",
        "Schuemie MJ, Ryan PB, Hripcsak G, Madigan D, Suchard MA. Improving reproducibility by using high-throughput observational studies with empirical calibration. Philos Trans A Math Phys Eng Sci. 2018;376(2128).",
    ),
    (
        "ohdsi_book.bib",
        "farrington_2011",
        "Farrington CP, Anaya-Izquierdo K, Whitaker HJ, Hocine MN, Douglas I, Smeeth L. Self-controlled case series analysis with event-dependent observation periods. Journal of the American Statistical Association. 2011;106(494):417-426. doi:10.1198/jasa.2011.ap10108",
    ),
    (
        "ohdsi_book.bib",
        "slater_1988",
        "Slater EE, Merrill DD, Guess HA, et al. Clinical Profile of Angioedema Associated With Angiotensin Converting-Enzyme Inhibition. JAMA. 1988;260(7):967-970. doi:10.1001/jama.1988.03410070095035",
    ),
    (
        "ohdsi_book.bib",
        "wikiquote:Ronald_Fisher",
        "Wikiquote. Ronald Fisher — Wikiquote. Published 2019. Accessed August 2, 2019. https://en.wikiquote.org/w/index.php?title=Ronald_Fisher&oldid=2638030",
    ),
    (
        "ohdsi_book.bib",
        "reps_2019",
        "Reps JM, Rijnbeek PR, Ryan PB. Identifying the DEAD: Development and Validation of a Patient-Level Model to Predict Death Status in Population-Level Claims Data. Drug Saf. Published online May 2019.",
    ),
    (
        "ohdsi_book.bib",
        "ryan2013omop",
        "Ryan PB, Stang PE, Overhage JM, et al. A comparison of the empirical performance of methods for a risk identification system. Drug Saf. 2013;36 Suppl 1:S143-S158.",
    ),
    (
        "harrelfe_excerpt.bib",
        "loc13sig",
        "Lockhart R, Taylor J, Tibshirani RJ, Tibshirani R. A Significance Test for the Lasso. arXiv; 2013. arXiv:1301.7161. http://arxiv.org/abs/1301.7161",
    ),
]

#: Each behaviour of issue 13 and the goldens above that show it on a real entry.
BEHAVIOURS = {
    "journal abbreviation without periods": ["sabroe_1997", "schuemie_2018", "keogh2011"],
    "journal abbreviation keeps a series letter": ["schuemie_2018b"],
    "article title lowered to sentence case": ["bra12eff", "abr96tim", "coh94ear", "har00ana"],
    "word after a colon lowered": ["maclure_1991", "Allen18", "Ederer61", "Goff14", "DAgostino08"],
    "braced words kept, also inside a word": ["bra12eff", "Therneau00", "Pugh92", "Rubbo2015phenotypes"],
    "acronyms and internal capitals kept": ["keogh2011", "sabroe_1997", "Oakes92", "reps_2019"],
    "book, report, thesis, proceedings in title case": [
        "fuller2009measurement",
        "Bergstralh88",
        "Parner96",
        "Hodges61",
    ],
    "prepositions of four letters capitalised, particles kept": ["Little87", "Pugh92", "Broca66"],
    "page ranges in full": ["Allen18", "Aitkin78", "ryan2013omop", "sabroe_1997"],
    "biblatex dates written out": ["har17ehr", "har20vio", "gel20bay"],
    "online first": ["reps_2019"],
    "organization on @inproceedings": ["gje77pro", "Stone85"],
    "pages on a report": ["Ederer77"],
    "series on @incollection": ["fre88imp"],
    "howpublished on @book": ["bur03mod"],
    "eprint with eprinttype pmid as PMID": ["col18sta", "hem20use", "bra12eff"],
    "arXiv eprint": ["gel20bay", "loc13sig"],
    "a full-text eprint link left out beside the DOI": ["farrington_2011", "slater_1988", "rosenbaum_2005"],
    "worded editions": ["agresti", "latex", "Martin_2008"],
    "LaTeX decoded": ["latex", "coh94ear", "gol90res", "rob21eig", "Andersen92"],
    "report numbers as written": ["Bergstralh88", "Deng95", "Goodnight78", "koo92log"],
    "particles, suffixes and names in PubMed order": ["Hodges61", "Deng95", "Goff14", "Elveback70", "Gooley1999"],
    "web page access date": ["har00ana", "wikiquote:Ronald_Fisher", "wiki:Open_science"],
    "PMID after DOI": ["bra12eff", "col18sta"],
}


def _load(name: str):
    return parse_bib_text((REAL / name).read_text(encoding="utf-8"), name)


@pytest.fixture(scope="module")
def real() -> dict[str, tuple[dict[str, Reference], list]]:
    out = {}
    for name in FILES:
        refs, _, findings = _load(name)
        out[name] = ({r.key: r for r in refs}, findings)
    return out


@pytest.mark.parametrize("name, key, expected", GOLDENS, ids=[f"{n[:4]}-{k}" for n, k, _ in GOLDENS])
def test_real_entry_in_ama(real, name, key, expected):
    assert format_reference_text(real[name][0][key]) == expected


def test_goldens_cover_every_entry_type_and_at_least_forty_entries(real):
    types = {real[name][0][key].entry_type for name, key, _ in GOLDENS}
    assert len(GOLDENS) >= 40 and len({(name, key) for name, key, _ in GOLDENS}) == len(GOLDENS)
    assert types >= {"article", "book", "incollection", "inproceedings", "inbook", "phdthesis", "techreport"}
    assert types >= {"online", "misc"}


def test_every_behaviour_of_the_issue_has_a_real_golden():
    keys = {key for _, key, _ in GOLDENS}
    for behaviour, shown_by in BEHAVIOURS.items():
        assert set(shown_by) <= keys, (behaviour, set(shown_by) - keys)


@pytest.mark.parametrize("style", ["ama", "vancouver"])
def test_every_real_entry_formats_in_both_styles(real, style):
    count = 0
    for refs, _ in real.values():
        for ref in refs.values():
            text = format_reference_text(ref, style)
            assert text.strip(), ref.key
            count += 1
    assert count == 599


def test_no_field_is_lost_silently(real):
    """Each field is printed, on the documented ignored list, or reported once per file [bib-field-ignored]."""
    for name, (refs, findings) in real.items():
        reported = {
            m.group(1)
            for f in findings
            if f.rule == "bib-field-ignored"
            for m in [re.search(r"field '([^']+)'", f.message)]
            if m
        }
        for ref in refs.values():
            for field, _ in ref.field_lines:
                assert is_accounted(ref.entry_type, field) or field in reported, (name, ref.key, field)
    survival = real["survival_refer.bib"][1]
    texts = [f.text() for f in survival if f.rule == "bib-field-ignored"]
    assert any(t.startswith("survival_refer.bib:2418:1: warning: entry 'Schemper96': field 'volumne'") for t in texts)


def test_the_systematic_behaviours_are_gone(real):
    """No journal with periods, no elided page range, no raw date, no raw LaTeX in any AMA reference."""
    for refs, _ in real.values():
        for ref in refs.values():
            text = format_reference_text(ref)
            segments = reference_segments(ref)
            if ref.entry_type == "article":
                journal = next((s.text for s in segments if s.kind == "title"), "")
                assert "." not in journal, (ref.key, journal)
            for first, last in re.findall(r";[^;]*?:(\d+)-(\d+)\b", text):
                assert len(last) >= len(first), (ref.key, text)
            assert "T00:00" not in text and "$" not in text and "\\href" not in text, (ref.key, text)
            assert not re.search(r"\\[A-Za-z]+", text), (ref.key, text)


def test_undecodable_latex_is_reported_at_its_line(real):
    findings = real["harrelfe_excerpt.bib"][1]
    texts = [f.text() for f in findings if f.rule == "bib-latex-undecoded"]
    assert texts[0].startswith(
        "harrelfe_excerpt.bib:1846:1: warning: entry 'goo97lat', field 'title': Casebook cannot turn '\\textsubscript{E}'"
    )


def test_a_written_out_journal_is_reported_with_the_nlm_abbreviation_when_known(tmp_path):
    from casebook.references.lint import reference_findings

    refs, _, _ = _load("ohdsi_book.bib")
    by_key = {r.key: r for r in refs}
    liaw = [f.text() for f in reference_findings(by_key["liaw2013towards"]) if f.rule == "bib-journal-not-abbreviated"]
    assert len(liaw) == 1 and "journal 'International journal of medical informatics' looks written out" in liaw[0]
    found = [
        f.message
        for r in refs
        for f in reference_findings(r)
        if f.rule == "bib-journal-not-abbreviated" and "Annals of Internal Medicine" in f.message
    ]
    for message in found:
        assert "shortjournal = {Ann Intern Med}" in message
