"""Inline opt-outs from the privacy lint: `<!-- casebook: allow phi-date "historical report" -->`.

An author who has checked a finding (a date from a published historical report,
a name that is an eponym) says so where it is, with a reason in double quotes,
so the next reader of the source knows why. An opt-out names one or more `phi-*`
rules and covers:

- in the text, written alone on its line(s): the paragraph that follows it
  (blank lines between them are skipped), up to the next blank line;
- in the text, written inside a paragraph: that whole paragraph;
- in the front matter, as a YAML comment `# casebook: allow phi-date "reason"`
  alone on its line: the field on the next line, with the lines of its value
  (the lines indented more deeply below it); at the end of a field's line:
  that field.

An opt-out without a reason, or naming no privacy rule, is ignored and reported
(`phi-optout`), so a typo cannot silence the lint. Comments are found with the
one masker (`casebook.text.masking`): an opt-out inside code is an example,
not an opt-out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from casebook.text.masking import mask

__all__ = ["OptOut", "find_optouts", "strip_optouts"]

_BODY_RE = re.compile(r"<!--[ \t\n]{0,8}casebook:[ \t]{0,8}allow\b")
_YAML_RE = re.compile(r"(?:^|[ \t])#[ \t]{0,8}casebook:[ \t]{0,8}allow\b")
_RULE_RE = re.compile(r"[A-Za-z0-9*_-]+")
_FRONT_OPEN_RE = re.compile(r"\A---[ \t]*\n")
_FRONT_CLOSE_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


@dataclass(frozen=True)
class OptOut:
    """One opt-out comment: the rules it allows, why, and the file lines it covers (1-based)."""

    line: int
    col: int
    rules: frozenset[str]
    reason: str
    scope: frozenset[int]
    #: Why it is ignored (None: it is honoured).
    problem: str | None = None

    def covers(self, rule: str, line: int) -> bool:
        return self.problem is None and rule in self.rules and line in self.scope


def find_optouts(text: str, known_rules: Iterable[str]) -> list[OptOut]:
    """Every opt-out of a case file (front matter and text), in order."""
    known = frozenset(known_rules)
    lines = text.split("\n")
    front_end = _front_matter_end_line(text)
    found = _yaml_optouts(lines, front_end, known) if front_end else []
    if "casebook:" not in text:
        return found
    shown = mask(text, front_matter=True)  # comments blanked: a real comment is blank here...
    kept = mask(text, comments=False, front_matter=True)  # ...and still there when only code is blanked
    starts = _line_starts(text)
    for match in _BODY_RE.finditer(text):
        at = match.start()
        if kept[at] != "<" or shown[at] != " ":
            continue
        close = text.find("-->", match.end())
        if close == -1:
            continue
        first = _line_of(starts, at)
        last = _line_of(starts, close)
        alone = not text[starts[first - 1] : at].strip() and not _rest_of_line(text, close + 3).strip()
        scope = _paragraph_after(lines, last) if alone else _paragraph_around(lines, first, last)
        found.append(
            _parse(
                text[match.end() : close], first, at - starts[first - 1] + 1, scope | set(range(first, last + 1)), known
            )
        )
    return sorted(found, key=lambda o: o.line)


def strip_optouts(text: str) -> str:
    """A case body without its opt-out comments (newlines kept), so none reaches the published page.

    They are notes to the authors; the rendered page would otherwise carry them, and
    with them the `<!-- casebook:` prefix that `output-marker` fails on.
    """
    if "casebook:" not in text:
        return text
    shown = mask(text)  # a case's body, after its front matter
    kept = mask(text, comments=False)
    out: list[str] = []
    done = 0
    for match in _BODY_RE.finditer(text):
        at = match.start()
        close = text.find("-->", match.end())
        if at < done or close == -1 or kept[at] != "<" or shown[at] != " ":
            continue
        out += [text[done:at], "\n" * text.count("\n", at, close)]
        done = close + 3
    out.append(text[done:])
    return "".join(out)


def _parse(inner: str, line: int, col: int, scope: set[int], known: frozenset[str]) -> OptOut:
    head, quote, rest = inner.partition('"')
    rules = frozenset(_RULE_RE.findall(head))
    reason = rest.partition('"')[0].strip() if quote and '"' in rest else ""
    problem = None
    unknown = sorted(r for r in rules if r not in known)
    if not rules:
        problem = "names no rule; write the rule after 'allow', e.g. allow phi-date"
    elif unknown:
        problem = (
            f"names {', '.join(repr(r) for r in unknown)}, which is not a privacy rule ({', '.join(sorted(known))})"
        )
    elif not reason:
        problem = 'gives no reason; add one in double quotes, e.g. allow phi-date "date of a published report"'
    return OptOut(line, col, rules, reason, frozenset(scope), problem)


def _yaml_optouts(lines: list[str], front_end: int, known: frozenset[str]) -> list[OptOut]:
    """Opt-outs written as YAML comments between the front matter's `---` lines (file lines 2..front_end-1)."""
    found = []
    for index in range(1, front_end - 1):
        line = lines[index]
        match = _YAML_RE.search(line)
        if match is None:
            continue
        hash_at = line.index("#", match.start())
        alone = not line[:hash_at].strip()
        target = index
        if alone:
            target = index + 1
            while target < front_end - 1 and (not lines[target].strip() or lines[target].lstrip().startswith("#")):
                target += 1
            if target >= front_end - 1:
                target = index
        indent = len(lines[target]) - len(lines[target].lstrip())
        scope = {index + 1, target + 1}
        below = target + 1
        while below < front_end - 1 and (
            not lines[below].strip() or len(lines[below]) - len(lines[below].lstrip()) > indent
        ):
            scope.add(below + 1)
            below += 1
        found.append(_parse(line[match.end() :], index + 1, hash_at + 1, scope, known))
    return found


def _front_matter_end_line(text: str) -> int:
    """The 1-based line of the front matter's closing `---`, or 0 when there is none."""
    opening = _FRONT_OPEN_RE.match(text)
    if opening is None:
        return 0
    closing = _FRONT_CLOSE_RE.search(text, opening.end())
    return text.count("\n", 0, closing.start()) + 1 if closing else 0


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts += [m.end() for m in re.finditer("\n", text)]
    return starts


def _line_of(starts: list[int], offset: int) -> int:
    from bisect import bisect_right

    return bisect_right(starts, offset)


def _rest_of_line(text: str, offset: int) -> str:
    end = text.find("\n", offset)
    return text[offset:] if end == -1 else text[offset:end]


def _paragraph_after(lines: list[str], last: int) -> set[int]:
    """File lines of the paragraph after line `last` (1-based), blank lines before it skipped."""
    index = last  # 0-based index of the line after `last`
    while index < len(lines) and not lines[index].strip():
        index += 1
    scope = set()
    while index < len(lines) and lines[index].strip():
        scope.add(index + 1)
        index += 1
    return scope


def _paragraph_around(lines: list[str], first: int, last: int) -> set[int]:
    """File lines of the paragraph that holds lines `first`..`last` (1-based)."""
    top = first - 1
    while top > 0 and lines[top - 1].strip():
        top -= 1
    bottom = last - 1
    while bottom + 1 < len(lines) and lines[bottom + 1].strip():
        bottom += 1
    return set(range(top + 1, bottom + 2))
