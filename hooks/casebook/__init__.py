"""Casebook: the engine behind a static site of medical teaching cases.

The package is plain, typed Python (parse -> model -> render). The MkDocs hook
files next to this package are thin adapters around it, so the engine can be
tested without MkDocs and moved to another Markdown site generator later.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
