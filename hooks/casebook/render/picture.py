"""The HTML of a published image: `<picture>` with WebP and a JPEG/PNG fallback, sized, zoomable.

`width` and `height` are always set (the browser reserves the space, so the
page does not jump), the first figure of a page loads at once and later ones
lazily, and the zoom link opens the largest copy. The zoom link is written
here rather than by the lightbox plugin (which would put it inside `<picture>`,
where a browser ignores the `<source>`); the image has the lightbox's own
skip class, `off-glb`, so the plugin leaves it alone.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from casebook.images.publish import Rendition, Variant

#: The figure is at most 28rem wide (casebook.css), the full width of a phone's screen below that.
FIGURE_SIZES = "(max-width: 30em) 100vw, 28rem"
#: What mkdocs-glightbox always skips.
LIGHTBOX_SKIP = "off-glb"

Url = Callable[[Variant], str]


def srcset(variants: list[Variant], url: Url) -> str:
    return ", ".join(f"{escape(url(v))} {v.width}w" for v in variants)


def figure_picture(
    rendition: Rendition, url: Url, *, alt: str, title: str, description: str, gallery: str, eager: bool
) -> str:
    """The zoom link around the picture of one figure."""
    display = rendition.display
    loading = 'fetchpriority="high"' if eager else 'loading="lazy"'
    if rendition.svg:
        picture = (
            f'<img class="{LIGHTBOX_SKIP}" src="{escape(url(display))}" alt="{escape(alt)}" '
            f'width="{display.width}" height="{display.height}" {loading} decoding="async">'
        )
    else:
        webp = rendition.sizes("image/webp")
        fallback = rendition.sizes(rendition.fallback_mime)
        picture = (
            "<picture>"
            f'<source type="image/webp" srcset="{srcset(webp, url)}" sizes="{FIGURE_SIZES}">'
            f'<img class="{LIGHTBOX_SKIP}" src="{escape(url(display))}" srcset="{srcset(fallback, url)}" '
            f'sizes="{FIGURE_SIZES}" alt="{escape(alt)}" width="{display.width}" height="{display.height}" '
            f'{loading} decoding="async">'
            "</picture>"
        )
    return (
        f'<a class="glightbox" href="{escape(url(rendition.largest))}" data-type="image" data-width="auto" '
        f'data-height="auto" data-title="{escape(title)}" data-description="{escape(description)}" '
        f'data-gallery="{escape(gallery)}">{picture}</a>'
    )


#: The card's square thumbnail box in CSS px (casebook-reader.css: 4rem below 30em, else 6rem; a rem is 20 px).
CARD_BOX_PX = {"(max-width: 30em)": 80, "": 120}


def card_sizes(width: int, height: int) -> str:
    """The card's `sizes`: the box is square and the image covers it, so a landscape one renders wider."""
    stretch = max(1.0, width / height) if height else 1.0
    return ", ".join(f"{query} {round(px * stretch)}px".strip() for query, px in CARD_BOX_PX.items())


def card_picture(rendition: Rendition, url: Url, classes: str) -> str:
    """A case card's thumbnail: decorative (the card's title names the case), lazy, never zoomed."""
    thumb = rendition.thumb
    sizes = card_sizes(thumb.width, thumb.height)
    fallback = rendition.thumbs(rendition.fallback_mime)
    candidates = f' srcset="{srcset(fallback, url)}" sizes="{sizes}"' if len(fallback) > 1 else ""
    img = (
        f'<img class="{classes} {LIGHTBOX_SKIP}" src="{escape(url(thumb))}"{candidates} alt="" width="{thumb.width}" '
        f'height="{thumb.height}" loading="lazy" decoding="async">'
    )
    webp = rendition.thumbs("image/webp")
    if not webp:
        return img
    source = f'srcset="{srcset(webp, url)}" sizes="{sizes}"' if len(webp) > 1 else f'srcset="{escape(url(webp[0]))}"'
    return f'<picture class="casebook-card-picture"><source type="image/webp" {source}>{img}</picture>'
