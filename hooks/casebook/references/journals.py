"""Journal names as AMA and NLM cite them: the NLM abbreviation, without periods.

`Br. J. Dermatol.` is printed `Br J Dermatol`: a period after an abbreviated
word is dropped, one between initials becomes a space (`U.S.A.` -> `U S A`, as
NLM writes `Proc Natl Acad Sci U S A`). A name that looks written out
(`Annals of Internal Medicine`) is printed as written but reported, because
only the author can know the abbreviation; the finding suggests it only when
the small table below knows it. That table holds only pairs in which the same
journal appears both ways in the real bibliographies the tests read (the
abbreviation as PubMed writes it); it is not a list of guesses.
"""

from __future__ import annotations

import re

__all__ = ["KNOWN_ABBREVIATIONS", "known_abbreviation", "looks_unabbreviated", "strip_periods"]

#: Written-out name (lower case) -> NLM abbreviation; every pair is in ../shared/real-bib both ways.
KNOWN_ABBREVIATIONS: dict[str, str] = {
    "annals of internal medicine": "Ann Intern Med",
    "american journal of epidemiology": "Am J Epidemiol",
    "biometrical journal": "Biom J",
    "bmc medical research methodology": "BMC Med Res Methodol",
    "controlled clinical trials": "Control Clin Trials",
    "health services and outcomes research methodology": "Health Serv Outcomes Res Methodol",
    "international journal of cardiology": "Int J Cardiol",
    "journal of clinical epidemiology": "J Clin Epidemiol",
    "journal of the american medical informatics association": "J Am Med Inform Assoc",
    "pharmacoepidemiology and drug safety": "Pharmacoepidemiol Drug Saf",
    "proceedings of the national academy of sciences": "Proc Natl Acad Sci U S A",
}

#: Words NLM always shortens (ISO 4 / LTWA): a name of two or more words with one of them is written out.
_WRITTEN_OUT_WORDS = frozenset(
    {"journal", "medicine", "medical", "clinical", "research", "international", "american", "annals"}
    | {"proceedings", "statistics", "statistical", "review", "reviews", "reports", "society", "association"}
    | {"sciences", "science", "epidemiology", "controlled", "pharmaceutical", "analysis", "informatics"}
    | {"cardiology", "psychology", "physics", "biology", "health", "services", "technology", "computational"}
    | {"british", "european", "national", "quarterly", "transactions", "communications", "applied"}
)
_MINOR = frozenset({"of", "the", "and", "in", "for", "on", "&"})
_INITIALS_RE = re.compile(r"(?<=\b[A-Za-z])\.(?=[A-Za-z]\b)")


def strip_periods(name: str) -> str:
    """`Br. J. Dermatol.` -> `Br J Dermatol`; `Proc. Natl. Acad. Sci. U.S.A.` -> `Proc Natl Acad Sci U S A`."""
    if "." not in name:
        return name
    text = _INITIALS_RE.sub(" ", name)
    text = re.sub(r"\.(?=\S)", " ", text)  # `J.Clin` -> `J Clin`
    text = text.replace(".", "")
    return re.sub(r"\s+", " ", text).strip()


def looks_unabbreviated(name: str) -> bool:
    """A name with `of`/`and`/`the`, or of three or more words one of which NLM always shortens.

    One-word titles (`Biometrics`, `Lancet`) are not abbreviated; two-word names without a
    minor word (`Medical Care`) are left alone, since too many abbreviations look like them.
    """
    words = re.findall(r"[\w&]+", name.lower())
    if len(words) < 2:
        return False
    if any(w in _MINOR for w in words):
        return True
    return len(words) >= 3 and any(w in _WRITTEN_OUT_WORDS for w in words)


def known_abbreviation(name: str) -> str | None:
    """The NLM abbreviation of a written-out name, when the table knows it."""
    key = re.sub(r"\s+", " ", re.sub(r"^the\s+", "", name.strip().lower())).rstrip(".")
    return KNOWN_ABBREVIATIONS.get(key) or KNOWN_ABBREVIATIONS.get(key.split(":")[0].strip())
