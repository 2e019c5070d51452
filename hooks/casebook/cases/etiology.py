"""The etiology table: structured data in the case, checked, then rendered as a real table.

Authors write it as a YAML data block so that rows stay aligned with columns
and the renderer can emit `<caption>` and header cells (accessible tables),
which a hand-drawn Markdown pipe table cannot guarantee.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from casebook.findings import Finding
from casebook.text.frontmatter import MAX_DEPTH, deepest

BLOCK_NAME = "etiology-table"
MAX_COLUMNS = 8
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class EtiologyTable:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def parse_table(
    caption: str, content: str, path: str | Path = "<case>", first_line: int = 1
) -> tuple[EtiologyTable | None, list[Finding]]:
    """Parse a block's YAML; `first_line` is the file line of the block's first content line."""

    def error(line: int, rule: str, message: str) -> tuple[None, list[Finding]]:
        return None, [Finding.error(path, line, rule, message)]

    opening = first_line - 1
    if not caption.strip():
        return error(
            opening,
            "etiology-caption",
            f"the etiology table needs a caption: write '/// {BLOCK_NAME} | Caption of the table'",
        )
    if "\t" in content:
        line = first_line + content.count("\n", 0, content.index("\t"))
        return error(line, "etiology-yaml", "the etiology table contains a tab; indent its YAML with spaces")
    try:
        node, data, too_deep = _read_yaml(content)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + (mark.line if mark else 0)
        return error(
            line,
            "etiology-yaml",
            f"the etiology table is not valid YAML ({getattr(exc, 'problem', exc)}); "
            "quote cells that contain ':' or start with '[' or '*'",
        )
    except RecursionError:  # PyYAML composes nested collections recursively
        too_deep = True
    if too_deep:
        return error(
            first_line,
            "etiology-yaml",
            "the etiology table is nested too deeply to read; a table is 'columns' and 'rows' lists only",
        )
    if not isinstance(data, dict) or set(data) - {"columns", "rows"} or not {"columns", "rows"} <= set(data):
        return error(
            first_line,
            "etiology-shape",
            "the etiology table must have exactly two keys: 'columns' (a list of headers) "
            "and 'rows' (a list of rows, each a list of cells)",
        )
    lines = _child_lines(node, first_line)
    columns = data["columns"]
    if not isinstance(columns, list) or not 2 <= len(columns) <= MAX_COLUMNS or not all(_is_cell(c) for c in columns):
        return error(
            lines.get("columns", first_line),
            "etiology-shape",
            f"'columns' must be a list of 2 to {MAX_COLUMNS} header texts",
        )
    rows = data["rows"]
    if not isinstance(rows, list) or not rows:
        return error(lines.get("rows", first_line), "etiology-shape", "'rows' must be a non-empty list of rows")
    row_lines = _item_lines(node, "rows", first_line)
    out_rows = []
    for i, row in enumerate(rows):
        line = row_lines[i] if i < len(row_lines) else first_line
        if isinstance(row, list) and (colon := next((c for c in row if _is_colon_cell(c)), None)) is not None:
            ((key, value),) = colon.items()
            return error(
                line,
                "etiology-shape",
                f"row {i + 1}: the cell '{key}: {value}' contains ': ', which YAML reads as a key and a value; "
                f'put the cell in double quotes: "{key}: {value}"',
            )
        if not isinstance(row, list) or not all(_is_cell(c) for c in row):
            return error(line, "etiology-shape", f"row {i + 1} must be a list of cell texts")
        if len(row) != len(columns):
            return error(
                line,
                "etiology-row-length",
                f"row {i + 1} has {len(row)} cells but the table has {len(columns)} columns",
            )
        out_rows.append(tuple(_cell(c) for c in row))
    return EtiologyTable(caption.strip(), tuple(_cell(c) for c in columns), tuple(out_rows)), []


@lru_cache(maxsize=4096)
def _read_yaml(content: str) -> tuple[Any, Any, bool]:
    """The block's YAML node (for line numbers), its data, and whether it is nested too deeply.

    Parsed once with libyaml and cached: the build reads each table three times
    (validation, the etiology index, rendering). Callers only read the result.
    """
    node = yaml.compose(content, Loader=_LOADER)
    if node is None:
        return None, None, False
    if deepest(node, MAX_DEPTH) is not None:  # the constructor would recurse once per level
        return node, None, True
    return node, yaml.SafeLoader("").construct_document(node), False


def _is_cell(value: Any) -> bool:
    return value is None or (isinstance(value, (str, int, float)) and not isinstance(value, bool))


def _is_colon_cell(value: Any) -> bool:
    """A cell written `[a, b: c]`: YAML makes `b: c` a one-pair mapping."""
    return isinstance(value, dict) and len(value) == 1 and all(_is_cell(v) for pair in value.items() for v in pair)


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _child_lines(node: Any, first_line: int) -> dict[str, int]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: first_line + k.start_mark.line for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def _item_lines(node: Any, key: str, first_line: int) -> list[int]:
    if not isinstance(node, yaml.MappingNode):
        return []
    for k, v in node.value:
        if getattr(k, "value", None) == key and isinstance(v, yaml.SequenceNode):
            return [first_line + item.start_mark.line for item in v.value]
    return []
