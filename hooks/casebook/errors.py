"""The one exception type the command line turns into a one-line message.

Authoring commands (`new`, `cite`) raise CasebookError for anything the author
can fix (a folder that exists, a DOI that is not registered); the CLI prints
its message and exits 1, so an author never sees a traceback.
"""

from __future__ import annotations


class CasebookError(Exception):
    """A problem the author can act on; `str(error)` says what and what to do."""
