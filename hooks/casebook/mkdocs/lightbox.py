"""The figure lightbox (mkdocs-glightbox): added for Casebook, and its script kept out of the head.

mkdocs-glightbox writes `<script src=".../glightbox.min.js">` into `<head>`, where it blocks
the first paint of every page with a figure, and the script that starts it at the end of
`<body>`. Nothing on the page needs the library before that starter runs, so Casebook moves
the one tag to just before it: the lightbox works as before and the page paints sooner. The
move is made only on exactly the markup mkdocs-glightbox writes; anything else is left as is.
"""

from __future__ import annotations

import logging

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.plugins.casebook")

#: Images with this class are never zoomed (figures' `<picture>` fallbacks, card thumbnails).
LIGHTBOX_SKIP_CLASS = "casebook-no-zoom"
#: Where mkdocs-glightbox publishes its script (site-root relative) and the id of its starter.
LIGHTBOX_SCRIPT = "assets/javascripts/glightbox.min.js"
LIGHTBOX_STARTER = '<script id="init-glightbox">'


def add_lightbox(config: MkDocsConfig) -> None:
    """Zoomable figures: mkdocs-glightbox, added and configured for Casebook unless the site lists it."""
    if "glightbox" in config.plugins:
        return
    from mkdocs_glightbox.plugin import LightboxPlugin

    lightbox = LightboxPlugin()
    errors, warnings = lightbox.load_config({"skip_classes": [LIGHTBOX_SKIP_CLASS]})
    for _, error in (*errors, *warnings):
        log.warning("casebook: lightbox: %s", error)
    lightbox.on_config(config)
    config.plugins["glightbox"] = lightbox


def script_after_content(output: str, page_url: str) -> str:
    """`output` with mkdocs-glightbox's script tag moved from the head to just before its starter."""
    tag = f'<script src="{get_relative_url(LIGHTBOX_SCRIPT, page_url)}"></script>'
    head_end = output.find("</head>")
    at = output.find(tag)
    if at < 0 or head_end < at or output.count(tag) != 1 or output.count(LIGHTBOX_STARTER) != 1:
        return output
    output = output[:at] + output[at + len(tag) :]
    return output.replace(LIGHTBOX_STARTER, tag + LIGHTBOX_STARTER, 1)
