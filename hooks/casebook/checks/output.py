"""Checks on the published HTML, which only the build has.

Source checks (`html-unsafe`, `link-unsafe`) read Markdown with patterns and
can be fooled by what a browser reads differently: an attr_list `{: onclick }`,
an entity inside a scheme (`java&#9;script:`), an HTML5 comment that is not one
(`<!-->`). So the build also parses every page it writes with an HTML5 parser
(lexbor, through selectolax: the parser mkdocs-glightbox already uses, built to
the WHATWG algorithm browsers follow, and fast enough to run on every page)
and judges what a browser would run:

- no event-handler attribute (`on*`) on any element;
- every URL-bearing attribute, decoded as a browser decodes it, is http(s),
  mailto, relative or a fragment;
- no `<script>`, `<iframe>`, `<object>`, `<embed>`, `<base>`, `<form>`,
  `<meta http-equiv>` or SVG `<foreignObject>` inside the page's content (the
  theme's own scripts are outside it), except JSON data blocks;
- no `url(...)` with another scheme, or `expression(...)`, in a `style`.

Rule `output-unsafe` (and `output-marker` for a page marker that was not
replaced), build only: they are judged on the rendered HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from selectolax.lexbor import LexborHTMLParser, LexborNode

from casebook.cases.spoilers import leaked_term
from casebook.project.load import MARKER_PREFIX
from casebook.text.urls import URL_ATTRIBUTES, style_problem, unsafe_url, url_scheme

_MARKER_RE = re.compile(re.escape(MARKER_PREFIX) + r"[^>]{0,80}?-->")
#: Elements that may not come from page content (the theme's are outside `.md-content`).
ACTIVE_ELEMENTS = frozenset(
    {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "foreignobject", "portal"}
)
DATA_SCRIPT_TYPES = frozenset({"application/ld+json", "application/json"})
OWN_FORMS = frozenset({"casebook-quiz", "casebook-filters"})
#: The inline scripts the theme writes (Material's `__md_*` helpers, its palette and anchor scripts,
#: mkdocs-glightbox's initialiser), by how their text starts. Any other inline script on a page,
#: in the head or the body, came from some input (a docs page's `title` closing `<title>`, say).
THEME_INLINE_SCRIPTS = (
    "__md_scope=",
    "var palette=__md_get(",
    "var target=document.getElementById(location.hash.slice(1))",
    "function __md_analytics(",
    "const lightbox = GLightbox(",
)


@dataclass(frozen=True)
class OutputProblem:
    """Something a browser would run, and the text to look for in the source to say where."""

    message: str
    #: Texts to look for in the source, most precise first.
    needles: tuple[str, ...]


def surviving_markers(html: str) -> list[str]:
    """Casebook page markers (`<!-- casebook:... -->`) that reached the output, in order, once each."""
    if MARKER_PREFIX not in html:
        return []
    return list(dict.fromkeys(_MARKER_RE.findall(html)))


def unsafe_output(html: str) -> list[OutputProblem]:
    """Everything on the page a browser would run that no Casebook input may bring."""
    tree = LexborHTMLParser(html)
    problems: list[OutputProblem] = []
    root = tree.root
    if root is None:
        return problems
    for node in root.traverse():
        tag = (node.tag or "").lower()
        if tag.startswith("-"):  # text and comment nodes
            continue
        problems += _attribute_problems(node, tag)
        if tag == "meta" and "http-equiv" in {k.lower() for k in node.attributes}:
            problems.append(
                OutputProblem(
                    "a <meta http-equiv> element, which can redirect or refresh the page; remove it", ("http-equiv",)
                )
            )
    for script in tree.css("script"):
        # One inside the article is judged below, where not even the theme's own texts are allowed.
        if not _in_article(script) and (problem := _foreign_script(script)) is not None:
            problems.append(problem)
    # The theme's scripts and forms are outside the article; everything in it comes from a page's source,
    # except Casebook's own quiz and case-index filter forms.
    for article in tree.css("article"):
        for node in article.traverse():
            tag = (node.tag or "").lower()
            if tag not in ACTIVE_ELEMENTS or _casebook_own(node, tag):
                continue
            problems.append(
                OutputProblem(
                    f"a <{tag}> element in the page content, which would run or load "
                    "active content; remove it (Casebook allows no raw HTML that runs)",
                    (f"<{tag}",),
                )
            )
    return problems


def _in_article(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if (parent.tag or "").lower() == "article":
            return True
        parent = parent.parent
    return False


def _foreign_script(script: LexborNode) -> OutputProblem | None:
    """A `<script>` anywhere on the page that neither the theme nor Casebook wrote (None when it is theirs)."""
    if (script.attributes.get("type") or "").strip().lower() in DATA_SCRIPT_TYPES:
        return None
    src = script.attributes.get("src")
    if src is not None:
        if url_scheme(src) is not None or src.strip().startswith("//"):
            # Sites may load scripts from elsewhere through extra_javascript; the theme never does.
            return None if src.strip().lower().startswith("https://") else _script_problem(f"src={src[:40]}")
        return None  # served by the site itself (theme, plugins, extra_javascript)
    text = (script.text(deep=True) or "").strip()
    if text.startswith(THEME_INLINE_SCRIPTS):
        return None
    return _script_problem(text[:40])


def _script_problem(what: str) -> OutputProblem:
    return OutputProblem(
        f"an inline or foreign <script> ({what!r}) that neither the theme nor Casebook wrote; an input "
        "(a page's title or description, raw HTML) put it there: remove the markup from that input",
        ("<script", "</title>", what[:20]),
    )


def _casebook_own(node: LexborNode, tag: str) -> bool:
    """JSON data blocks, and the forms Casebook writes itself (they have no action and run nothing)."""
    if tag == "script":
        return (node.attributes.get("type") or "").strip().lower() in DATA_SCRIPT_TYPES
    if tag == "form":
        classes = (node.attributes.get("class") or "").split()
        return bool(OWN_FORMS & set(classes)) and not {"action", "method"} & set(node.attributes)
    return False


def _attribute_problems(node: LexborNode, tag: str) -> list[OutputProblem]:
    found: list[OutputProblem] = []
    for name, value in node.attributes.items():
        key = name.lower()
        if key.startswith("on"):
            found.append(
                OutputProblem(
                    f"the attribute {name}= on <{tag}> runs script; remove it "
                    "(attr_list `{: ... }` and raw HTML may not add event handlers)",
                    (f"{name}=", name),
                )
            )
        elif value is None:
            continue
        elif key in URL_ATTRIBUTES or key == "srcset":
            bad = unsafe_url(value, srcset=key == "srcset")
            if bad is not None:
                found.append(
                    OutputProblem(
                        f"the {name}= of <{tag}> is {bad[:60]!r}: only http, https, mailto, relative and #fragment "
                        "links are allowed",
                        (bad[:20], f"{name}="),
                    )
                )
        elif key == "style" and (problem := style_problem(value)) is not None:
            found.append(OutputProblem(f"a style attribute on <{tag}> loads {problem}; remove it", ("style=",)))
    return found


def locate(source: str, needles: tuple[str, ...]) -> tuple[int, int]:
    """(line, column) of the first needle found in the source, case-insensitively; (1, 1) if none is."""
    lowered = source.lower()
    index = next((i for i in (lowered.find(n.lower()) for n in needles if n) if i >= 0), -1)
    if index < 0:
        return 1, 1
    line = source.count("\n", 0, index) + 1
    return line, index - (source.rfind("\n", 0, index) + 1) + 1


#: What may name the diagnosis on a case page: the answer (but not its summary, which shows while it is
#: closed) and the quiz's options (the one allowed place).
ANSWER = "details.casebook-answer"
QUIZ_OPTIONS = "ul.casebook-quiz-options"


def pre_reveal_texts(html: str) -> list[tuple[str, str]]:
    """(where, text) of everything a reader or a machine can read on a case page before the reveal.

    The page without the answer's content and the quiz options: its text (read with and
    without a space between elements, so `Zebra<b>fold</b>` reads "Zebrafold"),
    every attribute (URLs percent-decoded) and every comment, head included.
    """
    tree = LexborHTMLParser(html)
    for answer in tree.css(ANSWER):
        for child in list(answer.iter(include_text=True)):
            if child.tag != "summary":
                child.decompose()
    for node in tree.css(QUIZ_OPTIONS):
        node.decompose()
    texts: list[tuple[str, str]] = []
    root = tree.root
    if root is None:
        return texts
    for node in root.traverse(include_text=True):
        tag = node.tag or ""
        if tag == "-comment":
            texts.append(("an HTML comment", node.html or ""))
        elif not tag.startswith("-"):
            for name, value in node.attributes.items():
                if value:
                    texts.append((f"the {name}= of <{tag}>", unquote(value) if name in URL_ATTRIBUTES else value))
    for where, part in (("the page head", tree.head), ("the page text", tree.body)):
        if part is not None:
            texts += [(where, part.text(separator=" ")), (where, part.text(separator=""))]
    return texts


def spoilers_in_page(html: str, terms: tuple[str, ...]) -> list[tuple[str, str]]:
    """(where, term) for each place before the reveal that names one of `terms`, once per place."""
    texts = pre_reveal_texts(html)
    if not leaked_term("\n".join(text for _, text in texts), terms):  # one pass; places only on a hit
        return []
    found: dict[tuple[str, str], None] = {}
    for where, text in texts:
        if term := leaked_term(text, terms):
            found[(where, term)] = None
    return list(found)
