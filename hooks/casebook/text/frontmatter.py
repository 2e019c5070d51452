"""Split a Markdown file into YAML front matter and body, keeping line numbers.

MkDocs silently ignores front matter whose YAML does not parse (and PyYAML
silently keeps the last of two duplicate keys), so Casebook parses it again
itself and reports each problem with the file and line where it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from casebook.findings import Finding

# libyaml when available: parsing every case on every build must stay cheap.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPEN_RE = re.compile(r"\A---[ \t]*\n")
_CLOSE_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)

KeyPath = tuple[Any, ...]


@dataclass
class FrontMatter:
    """Parsed front matter: the data, the body after it, and where things are."""

    data: dict[str, Any] | None
    body: str
    body_line: int  # 1-based line of the file where `body` starts
    lines: dict[KeyPath, int] = field(default_factory=dict)  # key path -> 1-based line
    findings: list[Finding] = field(default_factory=list)

    def line_of(self, *path: Any) -> int:
        """Line of the deepest known prefix of `path` (a field, else its parent)."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1


def read_source(path: Path) -> tuple[str | None, list[Finding]]:
    """Read an author's file as UTF-8 text with universal newlines (as MkDocs does)."""
    findings: list[Finding] = []
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Finding.error(path, 1, "file-unreadable", f"cannot read the file: {exc.strerror}")]
    if raw.startswith(b"\xef\xbb\xbf"):
        findings.append(
            Finding.warning(
                path, 1, "byte-order-mark", "the file starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM"
            )
        )
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, findings + [
            Finding.error(path, line, "not-utf8", "the file is not valid UTF-8; save it with UTF-8 encoding")
        ]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, findings


def split_front_matter(text: str, path: str | Path) -> FrontMatter:
    """Parse the leading `---` YAML block of `text`; never raises on bad input."""
    if not _OPEN_RE.match(text):
        return FrontMatter(
            None,
            text,
            1,
            findings=[
                Finding.error(
                    path,
                    1,
                    "front-matter-missing",
                    "the file must start with YAML front matter between two '---' lines",
                )
            ],
        )
    start = _OPEN_RE.match(text).end()  # type: ignore[union-attr]
    close = _CLOSE_RE.search(text, start)
    if close is None:
        return FrontMatter(
            None,
            text,
            1,
            findings=[
                Finding.error(
                    path,
                    1,
                    "front-matter-unclosed",
                    "the front matter opened with '---' on line 1 is never closed; add a line '---' after it",
                )
            ],
        )
    yaml_text = text[start : close.start()]
    body_start = close.end() + 1 if close.end() < len(text) else close.end()
    body_line = text.count("\n", 0, body_start) + 1
    body = text[body_start:]
    result = FrontMatter(None, body, body_line)
    first_line = 2  # the YAML starts on the line after '---'

    if "\t" in yaml_text:
        offset = yaml_text.index("\t")
        line = first_line + yaml_text.count("\n", 0, offset)
        col = offset - (yaml_text.rfind("\n", 0, offset) + 1) + 1
        result.findings.append(
            Finding.error(
                path,
                line,
                "yaml-tab",
                "front matter contains a tab character; YAML indentation must use spaces",
                col=col,
            )
        )
        # Read on as if each tab were two spaces, so the other mistakes are reported in the same run.
        yaml_text = yaml_text.replace("\t", "  ")
    try:
        node = yaml.compose(yaml_text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        if result.findings:  # the tab is the mistake to fix first; what it breaks is no second error
            return result
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = first_line + (mark.line if mark else 0)
        col = (mark.column + 1) if mark else 1
        problem = getattr(exc, "problem", None) or str(exc)
        dedented = _dedented_key(yaml_text.split("\n"), line - first_line)
        if dedented is not None:
            index, key = dedented
            result.findings.append(
                Finding.error(
                    path,
                    first_line + index,
                    "yaml-syntax",
                    f"front matter is not valid YAML: line {line} is indented, but '{key}' above it already has "
                    f"a value; if '{key}' belongs to the field above it, indent it like that field's other lines",
                    col=1,
                )
            )
            return result
        result.findings.append(
            Finding.error(
                path,
                line,
                "yaml-syntax",
                f"front matter is not valid YAML ({problem}); check quoting and indentation on this line "
                "(quote values that contain ': ' or start with a special character)",
                col=col,
            )
        )
        return result
    if node is None:
        result.data = {}
        return result
    if not isinstance(node, yaml.MappingNode):
        result.findings.append(
            Finding.error(
                path,
                first_line + node.start_mark.line,
                "front-matter-not-mapping",
                "front matter must be a mapping of 'field: value' lines, not a list or a single value",
            )
        )
        return result
    too_deep = deepest(node, MAX_DEPTH)
    if too_deep is not None:
        result.findings.append(
            Finding.error(
                path,
                first_line + too_deep.start_mark.line,
                "yaml-syntax",
                f"front matter is nested more than {MAX_DEPTH} levels deep; a case needs only a few levels "
                "(look for unbalanced brackets)",
                col=too_deep.start_mark.column + 1,
            )
        )
        return result
    _record_lines(node, (), first_line, result, path, set())
    try:
        data = yaml.SafeLoader("").construct_document(node)  # from the node we already have
    except yaml.YAMLError as exc:  # constructor errors (e.g. unhashable keys)
        mark = getattr(exc, "problem_mark", None)
        line = first_line + (mark.line if mark else 0)
        result.findings.append(
            Finding.error(
                path,
                line,
                "yaml-syntax",
                f"front matter value cannot be read: {getattr(exc, 'problem', exc)}",
                col=(mark.column + 1) if mark else 1,
            )
        )
        return result
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. `date: 2026-02-30` (no such day)
        bad = _unreadable_scalar(node) or node
        result.findings.append(
            Finding.error(
                path,
                first_line + bad.start_mark.line,
                "yaml-syntax",
                f"front matter value {bad.value!r} cannot be read ({exc}); check it (a date is written YYYY-MM-DD)"
                if isinstance(bad, yaml.ScalarNode)
                else f"front matter value cannot be read: {exc}",
                col=bad.start_mark.column + 1,
            )
        )
        return result
    result.data = data
    return result


_KEY_VALUE_RE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*):[ ]+\S")


def _dedented_key(lines: list[str], error: int) -> tuple[int, str] | None:
    """(index, key) of a `key: value` line at column 0 that the indented line `error` was meant to follow.

    PyYAML reports the indented line after such a key; the mistake is the key's missing indentation.
    """
    if not 0 < error < len(lines) or not lines[error].startswith(" "):
        return None
    previous = next((i for i in range(error - 1, -1, -1) if lines[i].strip() and not lines[i].startswith("#")), None)
    if previous is None or not (match := _KEY_VALUE_RE.match(lines[previous])):
        return None
    return previous, match.group("key")


#: Deeper front matter is certainly a mistake, and PyYAML's constructor recurses once per level.
MAX_DEPTH = 50


def deepest(node: yaml.Node, limit: int) -> yaml.Node | None:
    """The first node nested deeper than `limit` levels, if any (iterative: no recursion limit)."""
    stack: list[tuple[yaml.Node, int]] = [(node, 0)]
    seen: set[int] = set()
    while stack:
        current, depth = stack.pop()
        if depth > limit:
            return current
        if id(current) in seen or isinstance(current, yaml.ScalarNode):
            continue
        seen.add(id(current))
        children = (
            current.value
            if isinstance(current, yaml.SequenceNode)
            else [child for pair in current.value for child in pair]
        )
        stack.extend((child, depth + 1) for child in reversed(children))
    return None


def _unreadable_scalar(node: yaml.Node) -> yaml.ScalarNode | None:
    """The first scalar PyYAML cannot turn into a value, to point at its line."""
    stack, seen = [node], set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.ScalarNode):
            try:
                yaml.SafeLoader("").construct_object(current)
            except (yaml.YAMLError, ValueError, TypeError, OverflowError):
                return current
            continue
        children = (
            current.value
            if isinstance(current, yaml.SequenceNode)
            else [child for pair in current.value for child in pair]
        )
        stack.extend(reversed(children))
    return None


def _record_lines(
    node: yaml.Node, path: KeyPath, first_line: int, out: FrontMatter, file: str | Path, visited: set[int]
) -> None:
    """Remember the line of every key and list item, and report duplicate keys.

    A node reached again through a YAML alias is not walked again: `&a [*b, *b, ...]`
    chains would otherwise take exponential time.
    """
    if id(node) in visited:
        return
    visited.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
            line = first_line + key_node.start_mark.line
            if key in seen:
                out.findings.append(
                    Finding.error(
                        file,
                        line,
                        "yaml-duplicate-key",
                        f"field '{key}' is given twice (first on line {seen[key]}); keep one",
                    )
                )
            seen[key] = line
            out.lines[path + (key,)] = line
            _record_lines(value_node, path + (key,), first_line, out, file, visited)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            out.lines[path + (index,)] = first_line + item.start_mark.line
            _record_lines(item, path + (index,), first_line, out, file, visited)
