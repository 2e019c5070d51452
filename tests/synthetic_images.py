"""Synthetic test images with every kind of metadata a phone or an editor writes (nothing real).

Every value is obviously synthetic ("Synthetic Artist", serial "SYN-SERIAL-0001", a position
in the sea off Null Island). `MARKERS` are byte strings that must never appear in a published file.
"""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

from PIL import Image, PngImagePlugin

ARTIST = "Synthetic Artist"
SERIAL = "SYN-SERIAL-0001"
CREATOR = "Synthetic XMP Creator"
IPTC_BYLINE = "Synthetic IPTC Byline"
COMMENT = "Synthetic comment naming Synthetic condition alpha"
DATE = "2026:01:15 10:00:00"
#: Never in a published file.
MARKERS = (ARTIST, SERIAL, CREATOR, IPTC_BYLINE, "Synthetic comment", "Exif\x00\x00", "adobe:ns:meta", "Photoshop 3.0")

XMP = (
    '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:exif="http://ns.adobe.com/exif/1.0/"'
    ' exif:GPSLatitude="0,30.0N" exif:GPSLongitude="0,30.0W">'
    f"<dc:creator><rdf:Seq><rdf:li>{CREATOR}</rdf:li></rdf:Seq></dc:creator>"
    '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
).encode()


def exif(*, gps: bool = True, identifying: bool = True, orientation: int | None = None) -> bytes:
    data = Image.Exif()
    if identifying:
        data[0x013B] = ARTIST
        data[0x0132] = DATE
        sub = data.get_ifd(0x8769)
        sub[0x9003] = DATE
        sub[0xA431] = SERIAL
    if gps:
        data.get_ifd(0x8825).update({1: "N", 2: (0.0, 30.0, 0.0), 3: "W", 4: (0.0, 30.0, 0.0)})
    if orientation is not None:
        data[0x0112] = orientation
    return data.tobytes()


def gradient(size: tuple[int, int], *, noise: float = 0.0, grain: int = 4) -> Image.Image:
    """A colour gradient, with photographic-looking noise at `grain` pixels when `noise` > 0."""
    w, h = size
    horizontal = Image.linear_gradient("L").resize((w, h))
    vertical = horizontal.transpose(Image.Transpose.ROTATE_90).resize((w, h))
    img = Image.merge("RGB", (horizontal, vertical, Image.new("L", (w, h), 128)))
    if noise:
        speckle = Image.effect_noise((max(1, w // grain), max(1, h // grain)), 64).resize(
            (w, h), Image.Resampling.BICUBIC
        )
        img = Image.blend(img, Image.merge("RGB", (speckle, speckle, speckle)), noise)
    return img


def app13_iptc(byline: str = IPTC_BYLINE) -> bytes:
    """A Photoshop APP13 segment holding an IPTC By-line (2:80), as Photoshop and phones write it."""
    value = byline.encode()
    iptc = b"\x1c\x02\x50" + struct.pack(">H", len(value)) + value
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    if len(iptc) % 2:
        resource += b"\x00"
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def jpeg(
    size: tuple[int, int] = (640, 480),
    *,
    gps: bool = True,
    identifying: bool = True,
    orientation: int | None = None,
    img: Image.Image | None = None,
    quality: int = 90,
) -> bytes:
    """A JPEG with EXIF (GPS IFD, DateTimeOriginal, BodySerialNumber, Artist), XMP, IPTC and a comment."""
    buffer = io.BytesIO()
    options: dict[str, Any] = {"exif": exif(gps=gps, identifying=identifying, orientation=orientation)}
    if identifying:
        options |= {"comment": COMMENT.encode(), "xmp": XMP}
    (img or gradient(size)).save(buffer, "JPEG", quality=quality, **options)
    data = buffer.getvalue()
    return data[:2] + app13_iptc() + data[2:] if identifying else data


def png_with_text(size: tuple[int, int] = (320, 240)) -> bytes:
    """A PNG with tEXt, zTXt and iTXt chunks (one names the synthetic diagnosis) and an eXIf chunk."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", COMMENT)
    info.add_text("Author", ARTIST, zip=True)
    info.add_itxt("Description", f"Synthetic condition alpha, by {CREATOR}", lang="en")
    buffer = io.BytesIO()
    gradient(size).save(buffer, "PNG", pnginfo=info, exif=exif())
    return buffer.getvalue()


def webp_with_metadata(size: tuple[int, int] = (320, 240)) -> bytes:
    buffer = io.BytesIO()
    gradient(size).save(buffer, "WEBP", exif=exif(), xmp=XMP)
    return buffer.getvalue()


def png_bomb(width: int = 50_000, height: int = 50_000) -> bytes:
    """A PNG whose header claims `width` x `height` pixels (the data is a few bytes: it is never decoded)."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def truncated_jpeg() -> bytes:
    data = jpeg((400, 300), gps=False, identifying=False)
    return data[: len(data) // 2]


HTML_AS_PNG = b"<!DOCTYPE html>\n<html><head><title>Synthetic page</title></head><body>Not an image</body></html>\n"


def from_exiftool(listing: str, suffix: str) -> bytes:
    """An image with what an `exiftool FILE` listing says (docs/checks.md shows photos this way).

    Understood: `Image Size : WxH`, `GPS Position`, `Date/Time Original`, `Serial Number`, `Artist`,
    `Comment`, `Creator`; any other line is ignored. SVG (`suffix` .svg) is the listing itself.
    """
    if suffix == ".svg":
        return listing.encode()
    tags = dict(
        (name.strip(), value.strip()) for name, _, value in (line.partition(":") for line in listing.splitlines())
    )
    width, _, height = tags.get("Image Size", "640x480").partition("x")
    data = Image.Exif()
    if "Artist" in tags:
        data[0x013B] = tags["Artist"]
    if "Date/Time Original" in tags:
        data.get_ifd(0x8769)[0x9003] = tags["Date/Time Original"]
    if "Serial Number" in tags:
        data.get_ifd(0x8769)[0xA431] = tags["Serial Number"]
    if "GPS Position" in tags:
        data.get_ifd(0x8825).update({1: "N", 2: (0.0, 30.0, 0.0), 3: "W", 4: (0.0, 30.0, 0.0)})
    options: dict[str, Any] = {"exif": data.tobytes()}
    if "Comment" in tags:
        options["comment"] = tags["Comment"].encode()
    if "Creator" in tags:
        options["xmp"] = XMP.replace(CREATOR.encode(), tags["Creator"].encode()).replace(b" exif:GPS", b" exif:X")
    buffer = io.BytesIO()
    fmt = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}[suffix]
    gradient((int(width), int(height))).save(buffer, fmt, **options)
    return buffer.getvalue()
