"""LaTeX in BibTeX values, decoded for display; link fields only unescaped.

Decoding is done here rather than by bibtexparser's middleware so that
`url`/`doi` stay raw (LaTeX decoding cuts a URL at its first `%`) and a bare
`%` in a title is text, not a comment that swallows the rest of it.

What pylatexenc does not know is done first: `\\href{url}{text}`, `\\textless`,
sub- and superscripts in math (`H$_2$O` -> H₂O, `CD4$^+$` -> CD4⁺) and in
`\\textsubscript`, and the `\\{\\vphantom\\}` debris some Zotero exports write.
What still cannot be decoded is returned with the text (the field rules report
it with its line), so nothing is printed as raw LaTeX without a finding.

With `protect=True`, words the author braced (`{COVID-19}`, `{Cox}`) come back
between PROTECT_OPEN and PROTECT_CLOSE, so the case transforms can leave them
alone; `strip_protection` removes the marks.
"""

from __future__ import annotations

import re

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
from pylatexenc.macrospec import LatexContextDb

__all__ = ["PROTECT_CLOSE", "PROTECT_OPEN", "decode_latex", "decode_latex_checked", "strip_protection", "unescape_raw"]

#: Private-use characters around a braced (case-protected) span; never in an author's text.
PROTECT_OPEN = "\ue000"
PROTECT_CLOSE = "\ue001"

_UNESCAPED_PERCENT_RE = re.compile(r"(?<!\\)%")
_WS_RE = re.compile(r"\s+")
_NEEDS_DECODING_RE = re.compile(r"[\\{}$~]|--|``|''")
# Letters, digits, spaces, dashes, plain punctuation: pylatexenc would only turn -- and --- into dashes.
_PLAIN_DASHES_RE = re.compile(r"[A-Za-z0-9 .,:;()/+\-]*")
_VPHANTOM_RE = re.compile(r"\\\{\\vphantom\\\}|\\vphantom\\\{\\\}|\\vphantom\b")
_HREF_RE = re.compile(r"\\href\s*\{([^{}]*)\}\s*\{((?:[^{}]|\{[^{}]*\})*)\}")
_TEXT_SCRIPT_RE = re.compile(r"\\text(sub|super)script\s*\{((?:[^{}]|\{[^{}]*\})*)\}")
_MATH_RE = re.compile(r"(?<!\\)\$([^$]*)(?<!\\)\$")
_SCRIPT_IN_MATH_RE = re.compile(r"([_^])\s*(\{[^{}]*\}|\\[A-Za-z]+|[^\s{}\\])")
_MACRO_RE = re.compile(r"\\([A-Za-z]+)")

_SUB = dict(zip("0123456789+-=()aehijklmnoprstuvxəβγρφχ", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓₔᵦᵧᵨᵩᵪ", strict=True))
_SUP = dict(
    zip(
        "0123456789+-=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδεθιφχ",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᶿᶥᵠᵡ",
        strict=True,
    )
)
_GREEK = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "theta": "θ",
    "iota": "ι",
    "phi": "φ",
    "chi": "χ",
    "rho": "ρ",
}
#: Macros Casebook itself handles (in the passes above) or that print nothing on purpose.
_HANDLED = frozenset({"href", "url", "par", "textsubscript", "textsuperscript", "vphantom", "textless", "textgreater"})

_DB: LatexContextDb | None = None
_DECODER: LatexNodes2Text | None = None


def _decoder() -> LatexNodes2Text:
    """pylatexenc's decoder, built once (it is slow to set up), with the macros it lacks added."""
    global _DECODER, _DB
    if _DECODER is None:
        db = get_default_latex_context_db()
        db.add_context_category(
            "casebook",
            prepend=True,
            macros=[
                MacroTextSpec("url", simplify_repl="%s"),
                MacroTextSpec("textless", simplify_repl="<"),
                MacroTextSpec("textgreater", simplify_repl=">"),
            ],
        )
        _DB = db
        _DECODER = LatexNodes2Text(latex_context=db, math_mode="text", strict_latex_spaces=False)
    return _DECODER


def _known_macro(name: str) -> bool:
    _decoder()
    assert _DB is not None
    return name in _HANDLED or _DB.get_macro_spec(name) is not None


def decode_latex(value: str) -> str:
    """LaTeX -> Unicode for display ({\\"u} -> ü, -- -> en dash); a bare % is text, not a comment."""
    return decode_latex_checked(value)[0]


def decode_latex_checked(value: str, protect: bool = False) -> tuple[str, tuple[str, ...]]:
    """The decoded text, and the LaTeX in `value` that could not be decoded (empty when all was).

    With `protect`, braced spans are kept between PROTECT_OPEN and PROTECT_CLOSE.
    """
    text = _UNESCAPED_PERCENT_RE.sub(r"\\%", value)
    if _PLAIN_DASHES_RE.fullmatch(text):  # e.g. `pages = {12--19}`: skip pylatexenc, same result
        text = text.replace("---", "\u2014").replace("--", "\u2013")
        return _WS_RE.sub(" ", text).strip(), ()
    if not _NEEDS_DECODING_RE.search(text):
        return _WS_RE.sub(" ", text.replace("\u00a0", " ")).strip(), ()
    problems: list[str] = []
    text = _VPHANTOM_RE.sub("", text)
    text = _HREF_RE.sub(lambda m: m.group(2) or m.group(1), text)
    text = _TEXT_SCRIPT_RE.sub(lambda m: _script(m.group(2), m.group(1) == "super", problems, m.group(0)), text)
    text = _MATH_RE.sub(lambda m: _math(m.group(1), problems, m.group(0)), text)
    problems += [f"\\{name}" for name in _MACRO_RE.findall(text) if not _known_macro(name)]
    if protect:
        text = _mark_protected(text)
    try:
        text = _decoder().latex_to_text(text)
    except Exception:  # pylatexenc is tolerant; never let one odd title stop the build
        problems.append(value)
        text = value.replace("{", "").replace("}", "")
    text = text.replace("\u00a0", " ")
    return _WS_RE.sub(" ", text).strip(), tuple(dict.fromkeys(problems))


def _script(body: str, superscript: bool, problems: list[str], source: str) -> str:
    """`2` -> `₂` (or `⁺` for a superscript); a character with no Unicode form is reported, shown plain."""
    inner = body.strip()
    if inner.startswith("{") and inner.endswith("}"):
        inner = inner[1:-1]
    if inner.startswith("\\") and inner[1:] in _GREEK:
        inner = _GREEK[inner[1:]]
    table = _SUP if superscript else _SUB
    if inner and all(ch in table for ch in inner):
        return "".join(table[ch] for ch in inner)
    problems.append(source)
    return inner


def _math(body: str, problems: list[str], source: str) -> str:
    """Inline math: sub/superscripts become Unicode, the rest is left to pylatexenc (`\\alpha` -> α)."""
    converted = _SCRIPT_IN_MATH_RE.sub(lambda m: _script(m.group(2), m.group(1) == "^", problems, source), body)
    return f"${converted}$" if converted.strip() else converted


def _mark_protected(text: str) -> str:
    """Put PROTECT marks inside each top-level `{...}` that is not a macro's argument or an accent group."""
    out: list[str] = []
    depth = 0
    protected_depth: list[bool] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i : i + 2])
            i += 2
            continue
        if ch == "{":
            protect = depth == 0 and text[i + 1 : i + 2] != "\\" and not _after_macro(text, i)
            protected_depth.append(protect)
            depth += 1
            out.append("{" + PROTECT_OPEN if protect else "{")
        elif ch == "}" and depth:
            depth -= 1
            out.append(PROTECT_CLOSE + "}" if protected_depth.pop() else "}")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _after_macro(text: str, index: int) -> bool:
    """Whether the `{` at `index` is a macro's argument (`\\emph{`, `\\'{`, `\\c {`)."""
    before = text[:index].rstrip()
    m = re.search(r"\\(?:[A-Za-z]+|[^A-Za-z\s])$", before)
    return m is not None


def strip_protection(text: str) -> str:
    """The text without the protection marks."""
    return text.replace(PROTECT_OPEN, "").replace(PROTECT_CLOSE, "")


def unescape_raw(value: str) -> str:
    """Raw fields: only undo the escapes BibTeX exporters add (\\_ \\% \\& \\#), and braces."""
    value = re.sub(r"\\([_%&#$])", r"\1", value.strip())
    return value.replace("{", "").replace("}", "").strip()
