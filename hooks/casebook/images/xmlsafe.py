"""XML from authors' files (SVG drawings, XMP packets), parsed without its dangerous parts.

A DOCTYPE is refused before any element is built: without one there are no
entity definitions, so neither "billion laughs" expansion nor external entities
(local files, URLs) can happen. This is what defusedxml does, with the standard
library's expat only.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any
from xml.parsers import expat


class UnsafeXml(ValueError):
    """The XML declares a DOCTYPE or entities, or is not well-formed; `line` is where."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def parse(data: bytes) -> tuple[ET.Element, dict[int, int]]:
    """The root element and, per element `id()`, its line; raises `UnsafeXml`."""
    builder = ET.TreeBuilder(insert_comments=False, insert_pis=False)
    parser = expat.ParserCreate(namespace_separator="}")
    lines: dict[int, int] = {}

    def refuse(what: str) -> Any:
        def handler(*_: Any) -> None:
            raise UnsafeXml(f"it declares {what}, which Casebook refuses", parser.CurrentLineNumber)

        return handler

    def start(tag: str, attrs: dict[str, str]) -> None:
        element = builder.start(_clark(tag), {_clark(k): v for k, v in attrs.items()})
        lines[id(element)] = parser.CurrentLineNumber

    parser.StartDoctypeDeclHandler = refuse("a DOCTYPE")
    parser.EntityDeclHandler = refuse("an entity")
    parser.UnparsedEntityDeclHandler = refuse("an entity")
    parser.ExternalEntityRefHandler = refuse("an external entity")
    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: builder.end(_clark(tag))
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise UnsafeXml(f"it is not well-formed XML ({expat.ErrorString(exc.code)})", exc.lineno) from None
    return builder.close(), lines


def _clark(name: str) -> str:
    """expat's `ns}local` as ElementTree's `{ns}local`."""
    return "{" + name if "}" in name else name


def local(name: str) -> str:
    """`{ns}local` -> `local`."""
    return name.rsplit("}", 1)[-1]
