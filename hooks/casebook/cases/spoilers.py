"""Spoiler lint: the diagnosis must not show anywhere a reader sees before the reveal.

Matching is on normalised words (case, accents, hyphens and punctuation
ignored), so "Milia-like calcinosis" and "milia like CALCINOSIS" are the same.
Tricks a reader's eye does not see are undone first: compatibility forms
(fullwidth letters, ligatures: NFKD), invisible characters (zero-width space
and joiners, soft hyphen, word joiner, bidi controls) and letters from other
scripts that look Latin (a subset of Unicode TR39's confusables: Cyrillic and
Greek look-alikes). "Zebra-fold" also matches "Zebrafold", and the other way round.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from casebook.cases.model import CaseMeta
from casebook.findings import Finding

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
#: Format characters that render as nothing (Unicode category Cf, and the soft hyphen).
_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d"
        "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063"
        "\u2064\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f"
        "\u3164\ufeff\uffa0",
    )
)
#: Cyrillic and Greek letters that look like Latin ones (lower case; matching is case-folded).
_CONFUSABLES = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "е": "e",
        "ё": "e",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "ѕ": "s",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "ԁ": "d",
        "ԛ": "q",
        "ԝ": "w",
        "һ": "h",
        "ӏ": "l",
        "ɡ": "g",
        "ɑ": "a",
        "ı": "i",
        "α": "a",
        "β": "b",
        "ε": "e",
        "η": "n",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "χ": "x",
        "ω": "w",
        "ϲ": "c",
        "ϳ": "j",
    }
)
#: Any character of the two tables above (a regex search is far cheaper than a translate that changes nothing).
_INVISIBLE_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in _INVISIBLE) + "]")
_CONFUSABLE_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in _CONFUSABLES) + "]")
#: Combining marks (accents once NFKD has split them off): the blocks Latin, Greek and Cyrillic text uses.
_COMBINING = re.compile("[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
#: Emphasis, code or an inline tag between two letters of one word (`Zebra**fold**`, `Zebra<i>fold</i>`).
_MARKUP_IN_WORD = re.compile(r"(?<=\w)(?:[*_`~]++|<[^<>\n]{0,200}+>)(?=\w)")
_MARKUP_HINT = re.compile(r"[&*_`~<]")
#: A hyphen (any dash) between two letters, to also read "Zebra-fold" as "Zebrafold".
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_JOINED_HYPHEN = re.compile(rf"(?<=\w)[{_DASHES}](?=\w)")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Lower-case, strip accents, turn every run of non-letters into one space.

    Cached: the same terms, titles and reference fields are checked on many pages.
    """
    folded = text
    if not text.isascii():
        # str.translate walks every character in Python-level dict lookups (about 5 ms for a case page's
        # text); a regex search in C first skips it when none of the characters occurs, as is usual.
        folded = text.translate(_INVISIBLE) if _INVISIBLE_RE.search(text) else text
        folded = _COMBINING.sub("", unicodedata.normalize("NFKD", folded)).casefold()
        if _CONFUSABLE_RE.search(folded):
            folded = folded.translate(_CONFUSABLES)
    return " " + _NON_WORD.sub(" ", folded.lower()).strip() + " "


@lru_cache(maxsize=16384)
def _needles(term: str) -> tuple[str, ...]:
    """A term as whole words, and written as one word ("zebra fold" -> " zebrafold ")."""
    words = normalise(term)
    if not words.strip():
        return ()
    compact = " " + words.replace(" ", "") + " "
    return (words,) if compact == words else (words, compact)


def unmarked(text: str) -> str:
    """Markdown source as a reader sees its words: entities decoded, markup inside a word removed.

    `Zebra**fold**`, `Zebra<b>fold</b>` and `Zebra&shy;fold` all show one word.
    """
    return _MARKUP_IN_WORD.sub("", html.unescape(text))


@lru_cache(maxsize=4096)
def _separates(char: str) -> bool:
    """Whether `normalise` turns this non-ASCII character into a word break and nothing else.

    True for punctuation and symbols such as an em dash or a curly quote: its compatibility form has
    no letter or digit, and it is neither removed (invisible characters and combining marks, whose
    removal joins what surrounds them) nor a letter of any script.
    """
    if ord(char) in _INVISIBLE:
        return False
    folded = _COMBINING.sub("", unicodedata.normalize("NFKD", char)).casefold()
    return bool(folded) and _NON_WORD.fullmatch(folded) is not None


def _plainly_absent(text: str, terms: tuple[str, ...]) -> bool:
    """True when no term can match `text` in any reading: a cheap test before normalising it.

    If a term matches, each word of its normalised form is a substring of the lower-cased text
    with its dashes removed (the hyphen-joined reading only joins words), provided every
    non-ASCII character of the text is one that `normalise` turns into a plain word break.
    """
    if not text.isascii() and not all(map(_separates, set(_NON_ASCII.findall(text)))):
        return False
    for dash in _DASHES:  # removing every dash keeps each word of every reading in one piece
        if dash in text:
            text = text.replace(dash, "")
    lowered = text.lower()
    return not any(all(word in lowered for word in _term_words(term)) for term in terms)


@lru_cache(maxsize=16384)
def _term_words(term: str) -> tuple[str, ...]:
    return tuple(normalise(term).split())


def leaked_term(text: str, terms: Iterable[str], *, source: bool = False) -> str | None:
    """The first spoiler term found as whole words in `text`, if any.

    `source`: `text` is Markdown an author wrote, so entities and markup inside a word are undone
    first (`unmarked`); rendered text (the output check) has neither, and is the bulk of the work.
    Readings in which no term's words occur at all (nearly every page) skip the normalising.
    """
    terms = tuple(terms)
    texts = [text]
    if source and _MARKUP_HINT.search(text) and (plain := unmarked(text)) != text:
        texts.append(plain)
    return _first_match([t for t in texts if not _plainly_absent(t, terms)], terms)


def _first_match(texts: list[str], terms: tuple[str, ...]) -> str | None:
    """The first term found in any normalised reading of `texts` (as is, and with hyphens joined)."""
    if not texts:
        return None
    haystacks = [normalise(t) for t in texts]
    haystacks += [normalise(_JOINED_HYPHEN.sub("", t)) for t in texts if "-" in t or not t.isascii()]
    for term in terms:
        if any(needle in haystack for needle in _needles(term) for haystack in haystacks):
            return term
    return None


def lint_case(
    meta: CaseMeta,
    slug: str,
    outside_answer_text: str,
    path: str | Path,
    lines: dict[tuple[str | int, ...], int] | None = None,
    body_line: int = 1,
) -> list[Finding]:
    """Check every place a reader sees before the reveal; one finding per leak."""
    lines = lines or {}
    terms = meta.spoiler_terms
    findings: list[Finding] = []

    def check(where: str, text: str, line: int, fix: str = "reword it") -> None:
        if term := leaked_term(text, terms, source=True):
            findings.append(
                Finding.error(
                    path,
                    line,
                    "spoiler",
                    f"the {where} reveals the diagnosis ({term!r}); {fix} so the answer stays hidden",
                )
            )

    check("case folder name (URL)", slug.replace("-", " "), 1, "rename the folder (cases/<new-name>/)")
    for field in ("title", "summary", "presenting_complaint", "question"):
        check(f"'{field}'", getattr(meta, field), lines.get((field,), 1))
    # Shown in the facts box and on the case index cards, before the reveal.
    check("'specialty'", meta.specialty, lines.get(("specialty",), 1))
    check("'patient.age'", meta.patient.age, lines.get(("patient", "age"), lines.get(("patient",), 1)))
    for i, site in enumerate(meta.body_sites):
        check("'body_sites'", site, lines.get(("body_sites", i), lines.get(("body_sites",), 1)))
    for i, author in enumerate(meta.authors):
        check("'authors'", author, lines.get(("authors", i), lines.get(("authors",), 1)))
    for i, objective in enumerate(meta.learning_objectives):
        check("learning objective", objective, lines.get(("learning_objectives", i), 1))
    for fig in meta.figures:
        if fig.in_answer:
            continue
        line = fig.line
        check(f"alt text of figure {fig.number}", fig.alt, lines.get(("figures", fig.number - 1, "alt"), line))
        check(f"caption of figure {fig.number}", fig.caption, lines.get(("figures", fig.number - 1, "caption"), line))
        check(
            f"file name of figure {fig.number}",
            # Its folders too: the whole path is in the image's URL, before the answer.
            re.sub(r"[/_.-]+", " ", Path(fig.file).with_suffix("").as_posix()),
            lines.get(("figures", fig.number - 1, "file"), line),
            "rename the file (and any folder in its path)",
        )
        if fig.credit:
            check(f"credit of figure {fig.number}", fig.credit, line)
    if leaked_term(outside_answer_text, terms, source=True):  # one pass over the whole text; lines only to say where
        for offset, text_line in enumerate(outside_answer_text.split("\n")):
            check("text outside the answer", text_line, body_line + offset)
    return findings
