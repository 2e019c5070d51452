"""Which files a case folder's images become in the site, and the proof that they carry no metadata.

`publish_images` turns every raster image of a published case folder into its
re-encoded outputs (through the cache) and every SVG into its sanitised copy;
the author's file is only read. `verify_published` reads what the build wrote
back from the site folder: a file that is not the output that was judged when
it was made (walked raw and read by Pillow) is judged again, and any metadata
left fails the build rather than trusting the encoder. "The output" is either a
hard link to the cached file with the size and modification time it was judged
with, or the same bytes.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from PIL import Image

from casebook.findings import Finding
from casebook.images import encode
from casebook.images.cache import Cache, Entry, key
from casebook.images.encode import MIME, Encoded
from casebook.images.inspect import RASTER_SUFFIXES, BadImage
from casebook.images.metadata import leftovers, pillow_leftovers
from casebook.images.svg import SvgRefused, sanitise

SVG_MIME = "image/svg+xml"


@dataclass(frozen=True)
class Variant:
    """One published file of an image: its site path, role, pixel size and type, and where its bytes are."""

    uri: str
    role: str
    width: int
    height: int
    mime: str
    path: str
    #: (size, mtime_ns) of the cached file when it was made and judged (cache.Entry.stamp).
    stamp: tuple[int, int] | None = None
    #: (st_dev, st_ino) of the cached file (cache.Entry.inode).
    inode: tuple[int, int] | None = None


#: The smaller card thumbnail's role (encode.py), left out of the figures' `srcset`.
SMALL_THUMB = "thumb-sm"


def _width(variant: Variant) -> int:
    return variant.width


@dataclass(frozen=True)
class Rendition:
    """Everything a page needs to show one source image."""

    source_uri: str
    variants: tuple[Variant, ...]

    @property
    def svg(self) -> bool:
        return any(v.mime == SVG_MIME for v in self.variants)

    def sizes(self, mime: str) -> list[Variant]:
        """The display sizes and the thumbnail of one type, narrowest first (a figure's `srcset`)."""
        return sorted((v for v in self.variants if v.mime == mime and v.role not in {"full", SMALL_THUMB}), key=_width)

    def thumbs(self, mime: str) -> list[Variant]:
        """The card thumbnails of one type, narrowest first (a card's `srcset`)."""
        return sorted((v for v in self.variants if v.mime == mime and v.role in {"thumb", SMALL_THUMB}), key=_width)

    @property
    def fallback_mime(self) -> str:
        return next((v.mime for v in self.variants if v.role != "full" and v.mime != "image/webp"), SVG_MIME)

    @property
    def display(self) -> Variant:
        """The largest display size in the fallback type (its size is the `<img>`'s `width`/`height`)."""
        sizes = self.sizes(self.fallback_mime)
        return sizes[-1] if sizes else self.variants[0]

    @property
    def thumb(self) -> Variant:
        return next((v for v in self.variants if v.role == "thumb" and v.mime == self.fallback_mime), self.display)

    @property
    def largest(self) -> Variant:
        """What the lightbox opens: the full-size copy when there is one."""
        return next((v for v in self.variants if v.role == "full"), self.display)


@dataclass
class Publication:
    """The outcome for a site: renditions by source site path, files to publish, findings."""

    renditions: dict[str, Rendition] = field(default_factory=dict)
    #: Source site paths that are not published as they are (replaced by their outputs, or refused).
    replaced: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)

    @property
    def files(self) -> dict[str, str]:
        return {v.uri: v.path for r in self.renditions.values() for v in r.variants}


@dataclass(frozen=True)
class Where:
    """Where a finding about an image points: the figure's front-matter line, or the file itself."""

    path: str
    line: int
    label: str


def is_image(uri: str) -> bool:
    suffix = PurePosixPath(uri).suffix.lower()
    return suffix in RASTER_SUFFIXES or suffix == ".svg"


def publish_images(
    sources: Mapping[str, Path], where: Mapping[str, Where], cache: Cache, max_side: int, workers: int = 0
) -> Publication:
    """Outputs for every image among `sources` (site path -> file); unreadable ones become findings."""
    images = {uri: path for uri, path in sources.items() if is_image(uri)}
    publication = Publication(replaced=set(images))
    workers = workers or min(4, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:  # Pillow releases the GIL while it codes
        results = pool.map(lambda item: _one(item[0], item[1], cache, max_side), images.items())
        for uri, (rendition, problem) in zip(images, results, strict=True):
            if rendition is not None:
                publication.renditions[uri] = rendition
            if problem is not None:
                at = where.get(uri) or Where(uri, 1, PurePosixPath(uri).name)
                rule = "svg-unsafe" if uri.lower().endswith(".svg") else "image-unreadable"
                publication.findings.append(Finding.error(at.path, at.line, rule, f"{at.label} {problem}"))
    cache.save()
    return publication


def _one(uri: str, path: Path, cache: Cache, max_side: int) -> tuple[Rendition | None, str | None]:
    digest = cache.digest(path)
    suffix = PurePosixPath(uri).suffix
    if suffix.lower() == ".svg":
        name = key(digest, "svg", encode.VERSION)
        entries = cache.get(name)
        if entries is None:
            try:
                clean = sanitise(path.read_bytes())
            except SvgRefused as exc:
                return None, f"is not published: {exc}; remove it from the drawing"
            entries = cache.put(name, [Encoded("full", ".svg", clean.width, clean.height, clean.data)])
        entry = entries[0]
        variant = Variant(uri, "full", entry.width, entry.height, SVG_MIME, entry.path, entry.stamp, entry.inode)
        return Rendition(uri, (variant,)), None
    name = key(digest, "raster", encode.VERSION, max_side, suffix.lower())
    entries = cache.get(name)
    if entries is None:
        try:
            outputs = encode.derive(path.read_bytes(), suffix, max_side)
        except BadImage as exc:
            return None, str(exc)
        for out in outputs:
            left = _published_problems(out.data, out.mime, pillow=True)
            if left:  # never cached, never published
                return None, f"could not be published without metadata ({', '.join(left)} remained)"
        entries = cache.put(name, outputs)
    return Rendition(uri, tuple(_variant(uri, e) for e in entries)), None


def _variant(uri: str, entry: Entry) -> Variant:
    if entry.role != "full":
        source = PurePosixPath(uri)
        uri = source.with_name(f"{source.stem}.{entry.role}{entry.suffix}").as_posix()
    mime = MIME[entry.suffix]
    return Variant(uri, entry.role, entry.width, entry.height, mime, entry.path, entry.stamp, entry.inode)


def verify_published(site_dir: Path, publication: Publication, where: Mapping[str, Where]) -> list[Finding]:
    """Read every published image back from the site and report any metadata still in it."""
    jobs = [(r, v) for r in publication.renditions.values() for v in r.variants]
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:  # reading releases the GIL
        results = list(pool.map(lambda job: _check_written(site_dir / job[1].uri, job[1]), jobs))
    findings = []
    for (rendition, variant), problems in zip(jobs, results, strict=True):
        if problems:
            at = where.get(rendition.source_uri) or Where(rendition.source_uri, 1, rendition.source_uri)
            findings.append(
                Finding.error(
                    at.path,
                    at.line,
                    "output-image-metadata",
                    f"{at.label}: the published {variant.uri} still carries {', '.join(problems)}; it must not be "
                    "published like this (did another plugin rewrite it?)",
                )
            )
    return findings


def _check_written(target: Path, variant: Variant) -> list[str]:
    try:
        published = os.stat(target)
    except OSError:
        return []  # not written (another plugin's choice): nothing published, nothing leaked
    linked = variant.inode is not None and (published.st_dev, published.st_ino) == variant.inode
    if linked and (published.st_size, published.st_mtime_ns) == variant.stamp:
        return []  # the very file that was walked and read by Pillow when it was made, untouched since
    try:
        data = target.read_bytes()
    except OSError:
        return []
    if not linked and _same_as(data, variant.path):
        return []  # byte for byte the output that was walked and read by Pillow when it was made
    # A link whose stamp changed was rewritten in place, cache entry and all: judged on its bytes.
    return _published_problems(data, variant.mime, pillow=True)


def _same_as(data: bytes, made: str) -> bool:
    try:
        return os.path.getsize(made) == len(data) and Path(made).read_bytes() == data
    except OSError:
        return False


def _published_problems(data: bytes, mime: str, *, pillow: bool) -> list[str]:
    """The raw structure walked against the allow-list, and (`pillow`) Pillow's own reading as well.

    Every output is judged so when it is made, before it is cached. After a build, a published file
    that is byte for byte that output needs no second walk; any other bytes (another plugin rewrote
    the file) are judged again in full.
    """
    if mime == SVG_MIME:
        try:
            clean = sanitise(data)
        except SvgRefused as exc:
            return [f"content Casebook refuses ({exc})"]
        return [] if clean.data == data else ["elements or attributes Casebook strips"]
    problems = leftovers(data)
    if not pillow:
        return problems
    try:
        with Image.open(io.BytesIO(data)) as img:
            problems += [p for p in pillow_leftovers(img) if p not in problems]
    except Exception as exc:  # unreadable is as bad as leaking: it is not what Casebook wrote
        problems.append(f"bytes Pillow cannot read ({exc})")
    return list(dict.fromkeys(problems))
