"""LaTeX in BibTeX values, decoded for display; link fields only unescaped.

Decoding is done here rather than by bibtexparser's middleware so that
`url`/`doi` stay raw (LaTeX decoding cuts a URL at its first `%`) and a bare
`%` in a title is text, not a comment that swallows the rest of it.
"""

from __future__ import annotations

import re

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

__all__ = ["decode_latex", "unescape_raw"]

_UNESCAPED_PERCENT_RE = re.compile(r"(?<!\\)%")
_WS_RE = re.compile(r"\s+")
_NEEDS_DECODING_RE = re.compile(r"[\\{}$~]|--|``|''")
# Letters, digits, spaces, dashes, plain punctuation: pylatexenc would only turn -- and --- into dashes.
_PLAIN_DASHES_RE = re.compile(r"[A-Za-z0-9 .,:;()/+\-]*")

_DECODER: LatexNodes2Text | None = None


def _decoder() -> LatexNodes2Text:
    """pylatexenc's decoder, built once (it is slow to set up), with `\\url{x}` read as `x`."""
    global _DECODER
    if _DECODER is None:
        db = get_default_latex_context_db()
        db.add_context_category("casebook", prepend=True, macros=[MacroTextSpec("url", simplify_repl="%s")])
        _DECODER = LatexNodes2Text(latex_context=db, math_mode="text", strict_latex_spaces=False)
    return _DECODER


def decode_latex(value: str) -> str:
    """LaTeX -> Unicode for display ({\\"u} -> ü, -- -> en dash); a bare % is text, not a comment."""
    text = _UNESCAPED_PERCENT_RE.sub(r"\\%", value)
    if _PLAIN_DASHES_RE.fullmatch(text):  # e.g. `pages = {12--19}`: skip pylatexenc, same result
        text = text.replace("---", "\u2014").replace("--", "\u2013")
    elif _NEEDS_DECODING_RE.search(text):
        try:
            text = _decoder().latex_to_text(text)
        except Exception:  # pylatexenc is tolerant; never let one odd title stop the build
            text = value.replace("{", "").replace("}", "")
    text = text.replace("\u00a0", " ")
    return _WS_RE.sub(" ", text).strip()


def unescape_raw(value: str) -> str:
    """Raw fields: only undo the escapes BibTeX exporters add (\\_ \\% \\& \\#), and braces."""
    value = re.sub(r"\\([_%&#$])", r"\1", value.strip())
    return value.replace("{", "").replace("}", "").strip()
