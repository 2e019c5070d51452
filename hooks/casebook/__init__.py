"""Casebook: the engine behind a static site of medical teaching cases.

The package is plain, typed Python in layers (text -> cases/references ->
project model -> render -> checks). Only `casebook.mkdocs` (the plugin) imports
MkDocs, so the engine can be tested without it and moved to another Markdown
site generator later; the per-page transforms are Python-Markdown extensions.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
