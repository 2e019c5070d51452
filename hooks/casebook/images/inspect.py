"""Open an author's image safely: empty, mislabelled, damaged and oversized files are refused, never raised.

The header is read first and its pixel count judged before anything is
decoded, so a 50,000 x 50,000 "decompression bomb" costs a few bytes of
reading, not gigabytes of memory. Pillow's own limit (`MAX_IMAGE_PIXELS`) is
the limit; its warning counts as a refusal too.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from casebook.images.metadata import Identifying, identifying

#: The raster formats a figure may be (TIFF and AVIF are published as WebP with a JPEG/PNG fallback only).
FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "TIFF", "AVIF")
RASTER_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".avif"})
ORIENTATION = 0x0112


class BadImage(ValueError):
    """The file is not an image Casebook can publish; the message says why, for the author."""


@dataclass(frozen=True)
class SourceInfo:
    """A readable source image: its format, size as shown (orientation applied), bytes and metadata."""

    format: str
    width: int
    height: int
    size_bytes: int
    identifying: Identifying

    @property
    def long_side(self) -> int:
        return max(self.width, self.height)


def max_pixels() -> int:
    return int(Image.MAX_IMAGE_PIXELS or 89_478_485)


def open_image(data: bytes) -> Image.Image:
    """The image, opened but not decoded; `BadImage` when the header is not a sane image."""
    if not data:
        raise BadImage("is empty (0 bytes); export the image again")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data), formats=FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise BadImage(_too_many_pixels(data)) from None
        except UnidentifiedImageError:
            raise BadImage(f"is not an image Casebook can read{_what_it_is(data)}") from None
        except Exception as exc:  # a decoder's own error on a broken header
            raise BadImage(f"is damaged: its header cannot be read ({exc})") from None
    width, height = img.size
    if width < 1 or height < 1 or width * height > max_pixels():
        raise BadImage(_too_many_pixels(data, img.size))
    return img


def decode(img: Image.Image, draft: tuple[int, int] | None = None) -> Image.Image:
    """Decode the pixels (JPEG at a reduced scale when `draft` allows); `BadImage` when damaged."""
    try:
        if draft is not None and img.format == "JPEG":
            img.draft("RGB", draft)
        img.load()
    except Exception as exc:  # Pillow's decoders raise OSError, SyntaxError, ValueError, EOFError, ...
        raise BadImage(f"is damaged or truncated and cannot be decoded ({exc}); export it again") from None
    return img


def inspect_source(path: Path) -> SourceInfo:
    """Header, metadata and a cheap full decode (JPEG at 1/8 scale): proves the file is usable."""
    data = path.read_bytes()
    img = open_image(data)
    with img:
        width, height = img.size
        fmt = str(img.format)
        try:  # reading PNG text chunks decodes the image: a damaged one fails here already
            found = identifying(img)
            turned = img.getexif().get(ORIENTATION) in (5, 6, 7, 8)
        except Exception as exc:
            raise BadImage(f"is damaged or truncated and cannot be decoded ({exc}); export it again") from None
        if turned:
            width, height = height, width
        decode(img, (max(1, img.size[0] // 8), max(1, img.size[1] // 8)))
    return SourceInfo(fmt, width, height, len(data), found)


def _too_many_pixels(data: bytes, size: tuple[int, int] | None = None) -> str:
    shown = f"is {size[0]:,} x {size[1]:,} pixels, more than" if size else "has more pixels than"
    return (
        f"{shown} the {max_pixels() / 1e6:.0f} megapixels Casebook will decode "
        "(a damaged file or a decompression bomb); export it at a normal size"
    )


def _what_it_is(data: bytes) -> str:
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in head:
        return " (its bytes are an HTML page, perhaps a web page saved under an image name)"
    if head.startswith(b"<svg") or head.startswith(b"<?xml"):
        return " (it is SVG or XML; name it .svg)"
    if head.startswith(b"%pdf"):
        return " (it is a PDF; export the figure as JPEG or PNG)"
    return f" as {', '.join(FORMATS)}"
