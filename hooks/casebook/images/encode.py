"""Re-encode a photograph: orientation applied, colours in sRGB, no metadata, at the sizes a page needs.

Pixels only cross from the source to the outputs: every output is a fresh
image whose `info` is empty, saved with explicit options, so no EXIF, XMP,
IPTC, comment, text chunk or ICC profile can ride along (Pillow's savers copy
some of these from `info` by default). A colour profile is applied to the
pixels (converted to sRGB) and then dropped, so the outputs carry no profile
at all. JPEG sources are decoded at a reduced scale when the largest output
is much smaller (`Image.draft`), which makes a 24-megapixel photo cheap.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps

from casebook.images.inspect import decode, open_image

#: Widths of the display sizes (the page's `srcset`); the largest is the display image.
DISPLAY_WIDTHS = (800, 1200)
#: The card thumbnails' short sides: the case index shows one cropped to a square of 80 px (phones) or
#: 120 px CSS; 150 serves most screens, 300 the ones of 2x density and more (the card's `srcset`).
THUMB_SHORT_SIDE = 300
SMALL_THUMB_SHORT_SIDE = 150
JPEG_QUALITY = 78
WEBP_QUALITY = 72
#: Output format per suffix of a source, for the copy published under the source's own name.
SAME_NAME = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP", ".gif": "GIF"}
MIME = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp", ".gif": "image/gif"}
#: Bumped when the outputs change, so cached derivatives are written again.
VERSION = "2"


@dataclass(frozen=True)
class Encoded:
    """One output file: its role (`full`, `thumb`, `800w`, ...), suffix, pixel size and bytes."""

    role: str
    suffix: str
    width: int
    height: int
    data: bytes

    @property
    def mime(self) -> str:
        return MIME[self.suffix]


def derive(data: bytes, suffix: str, max_side: int) -> list[Encoded]:
    """Every output for a source with file suffix `suffix`; raises `inspect.BadImage`."""
    img = open_image(data)
    with img:
        full_size = _fit(_shown_size(img), max_side)
        stored = full_size if _shown_size(img) == img.size else (full_size[1], full_size[0])
        decode(img, stored)
        upright = ImageOps.exif_transpose(img)
        pixels = _srgb(upright)
    full = _resized(pixels, full_size)
    alpha = full.mode == "RGBA" and float(full.getchannel("A").getextrema()[0]) < 255  # type: ignore[arg-type]
    if not alpha:
        full = full.convert("RGB")
    fallback = ".png" if alpha else ".jpg"
    outputs: list[Encoded] = []
    same = SAME_NAME.get(suffix.lower())
    if same is not None:
        outputs.append(_save(full, "full", suffix.lower(), same))
    sizes = {"thumb": _thumb_size(full.size, THUMB_SHORT_SIDE)}
    if (small := _thumb_size(full.size, SMALL_THUMB_SHORT_SIDE)) != sizes["thumb"]:
        sizes["thumb-sm"] = small
    widths = sorted({w for w in DISPLAY_WIDTHS if w < full.width} | {min(full.width, DISPLAY_WIDTHS[-1])})
    for width in widths:
        sizes[f"{width}w"] = (width, max(1, round(full.height * width / full.width)))
    for role, size in sizes.items():
        image = _resized(full, size)
        outputs.append(_save(image, role, ".webp", "WEBP"))
        outputs.append(_save(image, role, fallback, "PNG" if alpha else "JPEG"))
    return outputs


def _shown_size(img: Image.Image) -> tuple[int, int]:
    w, h = img.size
    return (h, w) if img.getexif().get(0x0112) in (5, 6, 7, 8) else (w, h)


def _fit(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    w, h = size
    if max(w, h) <= long_side:
        return w, h
    scale = long_side / max(w, h)
    return max(1, round(w * scale)), max(1, round(h * scale))


def _thumb_size(size: tuple[int, int], short_side: int) -> tuple[int, int]:
    w, h = size
    if min(w, h) <= short_side:
        return w, h
    scale = short_side / min(w, h)
    return max(1, round(w * scale)), max(1, round(h * scale))


def _srgb(img: Image.Image) -> Image.Image:
    """The pixels in RGB(A) sRGB; an embedded profile is applied, then forgotten."""
    alpha = "A" in img.getbands() or "transparency" in img.info
    mode = "RGBA" if alpha else "RGB"
    icc = img.info.get("icc_profile")
    if icc and img.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(img, source, ImageCms.createProfile("sRGB"), outputMode=mode)
            if converted is not None:
                return _bare(converted)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # an unusable profile: the pixels are taken as sRGB, as a browser would
    return _bare(img.convert(mode))


def _resized(img: Image.Image, size: tuple[int, int]) -> Image.Image:
    out = img if img.size == size else img.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    return _bare(out)


def _bare(img: Image.Image) -> Image.Image:
    """The same pixels with nothing else: Pillow's savers read comments, profiles and EXIF from `info`."""
    img.info = {}
    return img


def _save(img: Image.Image, role: str, suffix: str, fmt: str) -> Encoded:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        rgb = img if img.mode == "RGB" else _flatten(img)
        rgb.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, exif=b"", icc_profile=None)
    elif fmt == "WEBP":
        img.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4, exif=b"", xmp=b"", icc_profile=None)
    elif fmt == "PNG":
        img.save(buffer, "PNG", optimize=img.width * img.height <= 1_000_000)
    else:
        _flatten(img).quantize(256).save(buffer, "GIF", optimize=True)
    return Encoded(role, suffix, img.width, img.height, buffer.getvalue())


def _flatten(img: Image.Image) -> Image.Image:
    """RGBA on white, for formats without an alpha channel."""
    if img.mode != "RGBA":
        return _bare(img.convert("RGB"))
    background = Image.new("RGB", img.size, (255, 255, 255))
    background.paste(img, mask=img.getchannel("A"))
    return background
