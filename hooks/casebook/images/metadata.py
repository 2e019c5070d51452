"""What metadata an image carries: identifying fields of a source, any field of a published file.

Two readers, on purpose. `identifying` reads a source through Pillow (EXIF and
its GPS and Exif IFDs, XMP, IPTC, comments, PNG text) to tell the author what
their file gives away. `leftovers` walks the raw structure of a published file
(JPEG segments, PNG chunks, WebP RIFF chunks, GIF blocks) against an
allow-list, so the check does not trust the encoder that wrote the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image, ImageFile, IptcImagePlugin

from casebook.images.xmlsafe import UnsafeXml, local, parse

#: EXIF IFD pointers (Pillow's `Exif.get_ifd`).
GPS_IFD = 0x8825
EXIF_IFD = 0x8769
#: EXIF tags that identify a person, a device or a moment, and what to call them.
IFD0_TAGS = {
    0x0132: "date/time",
    0x013B: "artist",
    0x9C9D: "author (XPAuthor)",
    0x010E: "description",
    0x9C9C: "comment",
}
EXIF_TAGS = {
    0x9003: "capture date/time",
    0x9004: "digitised date/time",
    0xA430: "camera owner name",
    0xA431: "camera serial number",
    0xA435: "lens serial number",
    0x9286: "user comment",
    0x927C: "maker notes (they often hold the camera's serial number)",
}
#: XMP properties (by local name) and what to call them.
XMP_NAMES = {
    "creator": "XMP creator",
    "Owner": "XMP owner",
    "CreateDate": "XMP creation date",
    "DateCreated": "XMP creation date",
    "DateTimeOriginal": "XMP capture date/time",
    "SerialNumber": "XMP camera serial number",
    "BodySerialNumber": "XMP camera serial number",
    "LensSerialNumber": "XMP lens serial number",
    "description": "XMP description",
    "UserComment": "XMP comment",
    "City": "XMP place",
    "Location": "XMP place",
    "Sublocation": "XMP place",
    "State": "XMP place",
    "Country": "XMP place",
}
XMP_GPS = frozenset({"GPSLatitude", "GPSLongitude"})
#: IPTC datasets (record 2) and what to call them.
IPTC_NAMES = {
    (2, 80): "IPTC by-line (creator)",
    (2, 55): "IPTC date created",
    (2, 60): "IPTC time created",
    (2, 90): "IPTC city",
    (2, 92): "IPTC sub-location",
    (2, 95): "IPTC province/state",
    (2, 101): "IPTC country",
    (2, 116): "IPTC copyright notice",
    (2, 120): "IPTC caption",
}


@dataclass(frozen=True)
class Identifying:
    """What a source image gives away: whether it records a position, and the other fields by name."""

    gps: bool = False
    fields: tuple[str, ...] = ()


def identifying(img: Image.Image) -> Identifying:
    """The identifying metadata of an opened (not necessarily decoded) source image."""
    found: list[str] = []
    gps = False
    exif = img.getexif()
    if exif:
        position = exif.get_ifd(GPS_IFD)
        gps = bool(position.get(2) or position.get(4))
        found += [name for tag, name in IFD0_TAGS.items() if _present(exif.get(tag))]
        sub = exif.get_ifd(EXIF_IFD)
        found += [name for tag, name in EXIF_TAGS.items() if _present(sub.get(tag))]
    comment = img.info.get("comment")
    if _present(comment):
        found.append("comment")
    text = getattr(img, "text", None) if img.format == "PNG" else None
    if isinstance(text, dict):
        found += [f"PNG text chunk '{key}'" for key in text if key != "XML:com.adobe.xmp"]
    xmp = img.info.get("xmp") or (text or {}).get("XML:com.adobe.xmp")
    if xmp:
        xmp_gps, xmp_fields = _xmp(xmp.encode("utf-8") if isinstance(xmp, str) else bytes(xmp))
        gps = gps or xmp_gps
        found += xmp_fields
    if img.format == "JPEG" and isinstance(img, ImageFile.ImageFile):
        try:
            iptc = IptcImagePlugin.getiptcinfo(img) or {}
        except Exception:  # a malformed APP13 is no reason to stop: the copy drops it anyway
            iptc = {}
        found += [name for key, name in IPTC_NAMES.items() if key in iptc]
    return Identifying(gps, tuple(dict.fromkeys(found)))


def _present(value: object) -> bool:
    if isinstance(value, bytes):
        return bool(value.strip(b"\x00 "))
    if isinstance(value, str):
        return bool(value.strip("\x00 "))
    return value is not None


def _xmp(packet: bytes) -> tuple[bool, list[str]]:
    start, end = packet.find(b"<x:xmpmeta"), packet.rfind(b"</x:xmpmeta>")
    if start >= 0 and end > start:
        packet = packet[start : end + len(b"</x:xmpmeta>")]
    try:
        root, _ = parse(packet)
    except UnsafeXml:
        return False, ["XMP (unreadable)"]
    names: set[str] = set()
    for element in root.iter():
        names.add(local(element.tag))
        names.update(local(key) for key in element.attrib)
    return bool(names & XMP_GPS), [label for name, label in XMP_NAMES.items() if name in names]


# --------------------------------------------------------------------------- published files, raw


def leftovers(data: bytes) -> list[str]:
    """Every metadata structure left in a published JPEG, PNG, WebP or GIF (empty: none)."""
    try:
        if data.startswith(b"\xff\xd8"):
            return list(_jpeg_leftovers(data))
        if data.startswith(b"\x89PNG\r\n\x1a\n"):
            return list(_png_leftovers(data))
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return list(_webp_leftovers(data))
        if data[:6] in (b"GIF87a", b"GIF89a"):
            return list(_gif_leftovers(data))
    except (IndexError, ValueError) as exc:
        return [f"a structure Casebook cannot walk ({exc})"]
    return ["an unknown file format"]


def _jpeg_leftovers(data: bytes) -> Iterator[str]:
    pos = 2
    while pos < len(data):
        if data[pos] != 0xFF:
            raise ValueError(f"no JPEG marker at byte {pos}")
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker == 0xD9:
            if data[pos + 2 :].strip(b"\x00"):
                yield f"{len(data) - pos - 2} bytes after the end of the image"
            return
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            pos += 2
            continue
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        if length < 2:
            raise ValueError(f"JPEG segment of length {length}")
        payload = data[pos + 4 : pos + 2 + length]
        if marker == 0xFE:
            yield "a JPEG comment (COM)"
        elif marker == 0xE0:
            if not payload.startswith(b"JFIF\x00") or payload[12:14] != b"\x00\x00":
                yield "an APP0 segment other than a plain JFIF header (a thumbnail?)"
        elif marker == 0xEE:
            if not payload.startswith(b"Adobe"):
                yield "an APP14 segment"
        elif 0xE1 <= marker <= 0xEF:
            kind = {0xE1: "EXIF or XMP", 0xE2: "ICC profile or FlashPix", 0xED: "IPTC/Photoshop"}.get(marker, "")
            yield f"an APP{marker - 0xE0} segment" + (f" ({kind})" if kind else "")
        pos += 2 + length
        if marker == 0xDA:  # entropy-coded data: skip to the next marker that is not stuffing or a restart
            while True:
                pos = data.index(b"\xff", pos)
                following = data[pos + 1]
                if following == 0x00 or following == 0xFF or 0xD0 <= following <= 0xD7:
                    pos += 1
                    continue
                break
    raise ValueError("the JPEG has no end marker")


#: PNG chunks that carry pixels or how to show them; everything else (text, eXIf, tIME, iCCP, ...) is refused.
PNG_ALLOWED = frozenset({b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"sBIT", b"bKGD"})
PNG_ALLOWED |= {b"pHYs", b"acTL", b"fcTL", b"fdAT"}


def _png_leftovers(data: bytes) -> Iterator[str]:
    pos = 8
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        if len(kind) < 4:
            raise ValueError("a truncated PNG chunk")
        if kind not in PNG_ALLOWED:
            yield f"a PNG {kind.decode('latin-1')} chunk"
        pos += 12 + length
        if kind == b"IEND":
            if data[pos:]:
                yield f"{len(data) - pos} bytes after the end of the image"
            return
    raise ValueError("the PNG has no IEND chunk")


WEBP_ALLOWED = frozenset({b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF"})


def _webp_leftovers(data: bytes) -> Iterator[str]:
    end = 8 + int.from_bytes(data[4:8], "little")
    pos = 12
    while pos < min(end, len(data)):
        kind = data[pos : pos + 4]
        size = int.from_bytes(data[pos + 4 : pos + 8], "little")
        if kind not in WEBP_ALLOWED:
            yield f"a WebP {kind.decode('latin-1').strip()} chunk"
        elif kind == b"VP8X" and data[pos + 8] & 0x2C:
            yield "a WebP header that announces ICC, EXIF or XMP data"
        pos += 8 + size + (size & 1)
    if data[end:]:
        yield f"{len(data) - end} bytes after the end of the image"


def _gif_leftovers(data: bytes) -> Iterator[str]:
    pos = 13
    flags = data[10]
    if flags & 0x80:
        pos += 3 * (2 ** ((flags & 7) + 1))
    while pos < len(data):
        block = data[pos]
        if block == 0x3B:
            if data[pos + 1 :]:
                yield f"{len(data) - pos - 1} bytes after the end of the image"
            return
        if block == 0x2C:
            local_flags = data[pos + 9]
            pos += 10
            if local_flags & 0x80:
                pos += 3 * (2 ** ((local_flags & 7) + 1))
            pos = _gif_sub_blocks(data, pos + 1)
        elif block == 0x21:
            label = data[pos + 1]
            first = data[pos + 3 : pos + 3 + data[pos + 2]]
            if label == 0xFE:
                yield "a GIF comment"
            elif label == 0x01:
                yield "a GIF plain-text extension"
            elif label == 0xFF and first not in (b"NETSCAPE2.0", b"ANIMEXTS1.0"):
                yield f"a GIF application extension ({first.decode('latin-1')})"
            elif label not in (0xF9, 0xFF):
                yield f"a GIF extension 0x{label:02X}"
            pos = _gif_sub_blocks(data, pos + 2)
        else:
            raise ValueError(f"unknown GIF block 0x{block:02X}")
    raise ValueError("the GIF has no trailer")


def _gif_sub_blocks(data: bytes, pos: int) -> int:
    while data[pos]:
        pos += data[pos] + 1
    return pos + 1


def pillow_leftovers(img: Image.Image) -> list[str]:
    """What Pillow itself still reads from a published file (a second, independent opinion)."""
    found = []
    if img.getexif():
        found.append("EXIF")
    for key in ("exif", "xmp", "comment", "icc_profile", "photoshop"):
        if img.info.get(key):
            found.append(key)
    text = getattr(img, "text", None) if img.format == "PNG" else None
    if text:
        found.append("PNG text")
    return found
