"""SVG drawings: an allow-list pass before publishing, and their visible text for the spoiler check.

A published SVG is a document a reader can open on its own, where script runs,
so anything that can run or fetch is refused with the line it is on: `script`,
`foreignObject`, event attributes (`on*`), links and references to anything but
a `#fragment` of the drawing itself, embedded images, animation of links and
CSS that imports or fetches. What only describes the file is stripped instead:
`title`, `desc`, `metadata`, comments, processing instructions and every
element or attribute of an editor's namespace (Inkscape and Sodipodi record
file paths and user names there). The figure's alt text, from front matter, is
what describes the image on the page.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from casebook.images.xmlsafe import UnsafeXml, local, parse

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

#: SVG elements a drawing may use.
ALLOWED = frozenset(
    {
        "svg",
        "g",
        "defs",
        "symbol",
        "use",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "textPath",
        "linearGradient",
        "radialGradient",
        "stop",
        "clipPath",
        "mask",
        "pattern",
        "marker",
        "style",
        "switch",
        "filter",
        "feBlend",
        "feColorMatrix",
        "feComponentTransfer",
        "feComposite",
        "feFlood",
        "feGaussianBlur",
        "feMerge",
        "feMergeNode",
        "feMorphology",
        "feOffset",
        "feTurbulence",
        "feFuncR",
        "feFuncG",
        "feFuncB",
        "feFuncA",
        "feDropShadow",
    }
)
#: Stripped, with their content: they describe the file, not the drawing.
STRIPPED = frozenset({"title", "desc", "metadata"})
#: Refused, by name, with the reason a reader would care about.
REFUSED = {
    "script": "runs script",
    "foreignObject": "embeds HTML (foreignObject)",
    "image": "embeds or fetches an image (make it a figure of its own)",
    "a": "is a link",
    "iframe": "embeds a page",
    "set": "animates attributes",
    "animate": "animates attributes",
    "animateMotion": "animates",
    "animateTransform": "animates",
    "feImage": "fetches an image",
}
#: Attributes that point to a resource: only a `#fragment` of the drawing itself is allowed.
REFERENCES = frozenset({"href", "src"})
#: `url(...)` that is not `url(#fragment)`, and other CSS that fetches or runs.
_CSS_FETCH = re.compile(r"url\(\s*['\"]?\s*(?!#)|@import|expression\s*\(|javascript:", re.I)
TEXT_ELEMENTS = frozenset({"text", "tspan", "textPath"})
_NUMBER = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


class SvgRefused(ValueError):
    """The drawing has something Casebook will not publish; `line` is the line of the SVG file."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class CleanSvg:
    """The drawing as published, its size for `width`/`height`, and its visible text."""

    data: bytes
    width: int
    height: int
    text: str
    #: Whether an element or attribute was stripped (comments go without saying).
    changed: bool


def sanitise(data: bytes) -> CleanSvg:
    """The published form of an SVG drawing; raises `SvgRefused`."""
    try:
        root, lines = parse(data)
    except UnsafeXml as exc:
        raise SvgRefused(str(exc), exc.line) from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise SvgRefused(f"its root element is <{local(root.tag)}>, not an SVG <svg> element", lines.get(id(root), 1))
    changed = _clean(root, lines)
    texts = [t for e in root.iter() if local(e.tag) in TEXT_ELEMENTS for t in (e.text, e.tail) if t]
    text = " ".join(" ".join(texts).split())
    width, height = _size(root)
    out = ET.tostring(root, encoding="unicode").encode("utf-8")
    return CleanSvg(out, width, height, text, changed)


def _clean(element: ET.Element, lines: dict[int, int]) -> bool:
    """Refuse what runs or fetches, strip what only describes; True when anything was stripped."""
    changed = False
    line = lines.get(id(element), 1)
    for key in list(element.attrib):
        name, value = local(key), element.attrib[key]
        namespace = key[1:].split("}")[0] if key.startswith("{") else ""
        if name.lower().startswith("on"):
            raise SvgRefused(f"the attribute '{name}' on line {line} runs script", line)
        if name in REFERENCES and namespace in ("", XLINK_NS) and not value.strip().startswith("#"):
            raise SvgRefused(f"'{name}=\"{value[:60]}\"' on line {line} points outside the drawing", line)
        if _CSS_FETCH.search(value):
            raise SvgRefused(f"the attribute '{name}' on line {line} fetches or runs something ({value[:60]!r})", line)
        if name in ("attributeName",) and value.split(":")[-1] in REFERENCES:
            raise SvgRefused(f"line {line} animates a link", line)
        if namespace not in ("", XLINK_NS, XML_NS) or name in ("aria-labelledby", "aria-describedby"):
            del element.attrib[key]  # an editor's attribute, or a label pointing to a stripped <title>
            changed = True
    for child in list(element):
        tag = child.tag
        name = local(tag)
        if not tag.startswith(f"{{{SVG_NS}}}"):
            element.remove(child)  # an editor's element (sodipodi:namedview, ...) or another vocabulary
            changed = True
            continue
        if name in STRIPPED:
            element.remove(child)
            changed = True
            continue
        child_line = lines.get(id(child), line)
        if name in REFUSED:
            raise SvgRefused(f"the <{name}> element on line {child_line} {REFUSED[name]}", child_line)
        if name not in ALLOWED:
            raise SvgRefused(f"the <{name}> element on line {child_line} is not one Casebook publishes", child_line)
        if name == "style" and _CSS_FETCH.search(child.text or ""):
            raise SvgRefused(f"the stylesheet on line {child_line} fetches or runs something", child_line)
        changed = _clean(child, lines) or changed
    return changed


def _size(root: ET.Element) -> tuple[int, int]:
    """The drawing's size in CSS pixels: width/height, else the viewBox, else the HTML default."""
    width, height = (_NUMBER.match(root.get(name, "")) for name in ("width", "height"))
    box = [float(v) for v in re.split(r"[\s,]+", root.get("viewBox", "").strip()) if _is_number(v)]
    if width and height:
        return round(float(width.group(1))), round(float(height.group(1)))
    if len(box) == 4 and box[2] > 0 and box[3] > 0:
        if width:
            w = float(width.group(1))
            return round(w), round(w * box[3] / box[2])
        return round(box[2]), round(box[3])
    return 300, 150


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
