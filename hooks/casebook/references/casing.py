"""Sentence case and title case for reference titles, as AMA 11 (3.9, 10.2) writes them.

The input is a decoded title in which the spans the author braced are marked
(`PROTECT_OPEN` ... `PROTECT_CLOSE`, see `bibtex.latex`): they are never
changed. Outside them a word keeps its letters when it carries its own
capitals (all-caps acronyms such as HIV, internal capitals such as mRNA,
COVID-19, HbA1c, McNemar) or is a single capital (`I`, `Type A`).

Sentence case only lowers a title that is written in Title Case (most of its
major words capitalised): a title already in sentence case is left exactly as
written, so the proper nouns in it (`Cox`, `Bayesian`) keep their capitals. A
Title Case title cannot tell a proper noun from a capitalised word: the author
braces it (`{Cox}`), or braces the whole title to keep it as written.

Both transforms only change the case of letters: they never add, drop or move
a character (the property tests check this).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from casebook.references.bibtex.latex import PROTECT_CLOSE, PROTECT_OPEN

__all__ = ["MINOR_WORDS", "is_title_case", "sentence_case", "title_case"]

#: AMA 10.2: articles, coordinating conjunctions, prepositions of three or fewer letters, `to`.
MINOR_WORDS = frozenset(
    {"a", "an", "the", "and", "but", "for", "nor", "or", "so", "yet", "as", "at", "by", "in", "of", "off", "on"}
    | {"out", "per", "to", "up", "via", "vs", "vs.", "v", "v."}
)

#: A word: plain characters and braced spans (which may hold spaces) up to the next space; or a run of space.
#: Lower-case particles of other languages and of names, never capitalised inside a title
#: (`Traités de tumeurs`, `von Willebrand Disease`); AMA keeps a name's particle as the name has it.
_PARTICLES = frozenset({"de", "del", "della", "der", "des", "di", "du", "la", "le", "les", "van", "von", "und", "et"})

_TOKEN_RE = re.compile(
    rf"(?:{PROTECT_OPEN}[^{PROTECT_CLOSE}]*{PROTECT_CLOSE}?|[^\s{PROTECT_OPEN}{PROTECT_CLOSE}]|{PROTECT_CLOSE})+|\s+"
)
_PART_RE = re.compile(r"([-/–—])")
_SENTENCE_END = (".", "?", "!")

#: A change to one part of a word: (part, is it the first part) -> the part.
_Change = Callable[[str, bool], str]


@lru_cache(maxsize=8192)
def sentence_case(marked: str) -> str:
    """Capitalise the first word and the first word of each sentence; lower the rest when it is Title Case.

    In a title already in sentence case only an article or other minor word after a colon is lowered
    (`death: A 20-year study` -> `death: a 20-year study`, AMA 3.9): any other capital there may be
    a proper noun (`: Olmsted County`), so it is kept.
    """
    lower_words = is_title_case(marked)
    out: list[str] = []
    start = True  # the next word starts the title or a sentence
    after_colon = False
    for token in _tokens(marked):
        if token.isspace():
            out.append(token)
            continue
        plain, mask = _unmarked(token)
        if all(mask):
            out.append(plain)
        elif start:
            out.append(_restore(plain, mask, _parts(plain, _start_lowering_rest if lower_words else _capitalise_start)))
        elif after_colon and _core(plain).lower() in MINOR_WORDS:
            out.append(_restore(plain, mask, _parts(plain, _lower_after_colon)))
        elif lower_words:
            out.append(_restore(plain, mask, _parts(plain, _lower_plain)))
        else:
            out.append(plain)
        start = _ends_sentence(plain)
        after_colon = plain.endswith(":")
    return "".join(out)


@lru_cache(maxsize=8192)
def title_case(marked: str, lower_minor: bool = True) -> str:
    """Capitalise every major word (and the first, the last and the first after a colon); minor words lower.

    `lower_minor=False` (journal names) only capitalises: a capital minor word is kept, since in an
    abbreviation it is not one (`Philos Trans A Math Phys Eng Sci`, series A).
    """
    tokens = _tokens(marked)
    words = [i for i, t in enumerate(tokens) if not t.isspace()]
    out: list[str] = []
    start = True
    for i, token in enumerate(tokens):
        if token.isspace():
            out.append(token)
            continue
        plain, mask = _unmarked(token)
        if all(mask):
            out.append(plain)
        elif start:
            out.append(_restore(plain, mask, _parts(plain, _capitalise_start_compound)))
        elif i == words[-1]:
            out.append(_restore(plain, mask, _parts(plain, _capitalise_first)))
        elif _core(plain).lower() in MINOR_WORDS:
            lowered = lower_minor and _is_plain_capitalised(_core(plain))
            out.append(_restore(plain, mask, _parts(plain, _lower_plain)) if lowered else plain)
        else:
            out.append(_restore(plain, mask, _parts(plain, _capitalise_first)))
        start = _ends_sentence(plain) or plain.endswith(":")
    return "".join(out)


def is_title_case(marked: str) -> bool:
    """Whether most major words after the first start with a capital (a title written in Title Case).

    Words the author braced, wholly or in part (`{C}ox`), are not counted: they say nothing of the case.
    """
    major = 0
    capitalised = 0
    first = True
    after_stop = False
    for token in _tokens(marked):
        if token.isspace():
            continue
        plain, mask = _unmarked(token)
        if any(mask):
            first = after_stop = False
            continue
        core = _core(plain)
        counted = not first and not after_stop and len(core) > 1 and core[:1].isalpha()
        if counted and core.lower() not in MINOR_WORDS and not _keeps_capitals(core.split("-")[0]):
            major += 1
            capitalised += core[0].isupper()
        first = False
        after_stop = _ends_sentence(plain) or plain.endswith(":")
    return major >= 2 and capitalised >= 0.75 * major


# --- words ------------------------------------------------------------------------------------------


def _tokens(marked: str) -> list[str]:
    """Words (with their protected spans) and runs of space, in order; joined they give `marked` back."""
    return _TOKEN_RE.findall(marked)


def _unmarked(token: str) -> tuple[str, list[bool]]:
    """The word without protection marks, and for each of its characters whether the author braced it.

    A word may be braced only in part (`{C}ox`, `{U}nited`): the case rules judge the whole word, and
    `_restore` then puts the braced characters back exactly as written.
    """
    plain: list[str] = []
    mask: list[bool] = []
    inside = False
    for ch in token:
        if ch == PROTECT_OPEN:
            inside = True
        elif ch == PROTECT_CLOSE:
            inside = False
        else:
            plain.append(ch)
            mask.append(inside)
    return "".join(plain), mask


def _restore(plain: str, mask: list[bool], changed: str) -> str:
    """`changed` with the braced characters of `plain` put back (`Cox` lowered to `cox` -> `Cox`)."""
    if len(changed) != len(plain):  # a letter whose case change is longer (`İ`): keep the word as written
        return plain
    return "".join(p if braced else c for p, c, braced in zip(plain, changed, mask, strict=True))


def _core(token: str) -> str:
    """The word without the punctuation around it: `(Methodological),` -> `Methodological`."""
    return token.strip("\"'“”‘’()[],;:.?!")


def _parts(token: str, change: _Change) -> str:
    """Apply `change` to each part of a hyphenated or slashed compound (`Milia-Like` -> `milia-like`)."""
    pieces = _PART_RE.split(token)
    return "".join(piece if i % 2 else change(piece, i == 0) for i, piece in enumerate(pieces))


def _capitalise_first(word: str, first_part: bool) -> str:
    """Upper-case the first letter of an all-lower-case word (`models` -> `Models`); others as written.

    A single letter (`p`, `x`) is left alone except at the start, and after a hyphen a minor word
    stays lower case (`Follow-up`, `Face-to-Face`).
    """
    if (not first_part and word.lower() in MINOR_WORDS) or word in _PARTICLES:
        return word
    index = next((i for i, ch in enumerate(word) if ch.isalpha()), None)
    if index is None or any(ch not in _OPENING for ch in word[:index]):
        return word  # no letter, or a number first (`2nd`, `5-year`)
    letters = _letters(word)
    if letters != letters.lower() or len(letters) < 2:
        return word
    return _upper_first(word, index)


def _capitalise_start(word: str, first_part: bool) -> str:
    """The first word of a sentence: its first letter upper case (`a` -> `A`); the rest as written."""
    if not first_part:
        return word
    index = next((i for i, ch in enumerate(word) if ch.isalpha()), None)
    if index is None or any(ch not in _OPENING for ch in word[:index]) or _keeps_capitals(word):
        return word
    return _upper_first(word, index)


def _start_lowering_rest(word: str, first_part: bool) -> str:
    """The first word of a sentence in a Title Case title: `Time-Dependent` -> `Time-dependent`."""
    return _capitalise_start(word, True) if first_part else _lower_plain(word, False)


def _capitalise_start_compound(word: str, first_part: bool) -> str:
    """The first word of a title in title case: the first part always, the others as major words."""
    return _capitalise_start(word, True) if first_part else _capitalise_first(word, False)


def _upper_first(word: str, index: int) -> str:
    return word[:index] + word[index].upper() + word[index + 1 :]


_OPENING = "\"'“‘([¿¡"


def _lower_plain(word: str, first_part: bool) -> str:
    """Lower a plainly capitalised word (`Models` -> `models`); acronyms and mixed case are kept."""
    return word.lower() if _is_plain_capitalised(word) else word


def _lower_after_colon(word: str, first_part: bool) -> str:
    """The article or other minor word that starts a subtitle: `A` -> `a` too (AMA lowers it in references)."""
    return word.lower() if _letters(word) == "A" else _lower_plain(word, first_part)


def _is_plain_capitalised(word: str) -> bool:
    """`Models`, `(Methodological)`, `Kaplan’s`: one capital, then lower case; not `A`, `I`, `HIV`, `mRNA`.

    A single capital is never lowered inside a title (`Vitamin A`, `Type A`, `Hepatitis A`), only at
    the start of a subtitle (`_lower_after_colon`).
    """
    letters = _letters(word)
    if len(letters) < 2:
        return False
    return letters[:1].isupper() and (letters[1:].islower() or not letters[1:])


def _keeps_capitals(word: str) -> bool:
    """An acronym or a word with internal capitals: never lowered."""
    rest = _letters(word)[1:]
    return rest != rest.lower()


def _letters(word: str) -> str:
    return _NON_LETTER_RE.sub("", word)


_NON_LETTER_RE = re.compile(r"[\W\d_]+")


def _ends_sentence(token: str) -> bool:
    core = token.rstrip("\"'”’)")
    return core.endswith(_SENTENCE_END) and not _is_abbreviation(core)


def _is_abbreviation(word: str) -> bool:
    """`vs.`, `e.g.`, `St.`, `Dr.`, `U.S.` end in a period without ending a sentence."""
    bare = word.rstrip(".").lower()
    return bare in {"vs", "v", "e.g", "i.e", "cf", "st", "dr", "mr", "mrs", "no", "vol", "et al", "al"} or bool(
        re.fullmatch(r"(?:[a-z]\.)+[a-z]?", word.lower())
    )
