"""A published image that MkDocs links into the site instead of copying.

A photo site publishes about nine files per photograph, from the image cache.
Copying them made up most of what photographs add to a warm build; a hard link
costs one system call and lets the output check recognise the file it judged
(casebook.images.publish). Where the site is on another file system the file
is copied, as MkDocs would.
"""

from __future__ import annotations

from mkdocs.structure.files import File

from casebook.images.cache import link_or_copy


class LinkedFile(File):
    """`File.generated(config, uri, abs_src_path=...)` whose `copy_file` links where it can."""

    def copy_file(self, dirty: bool = False) -> None:
        if self.abs_src_path is None:  # in-memory content: MkDocs' own way
            super().copy_file(dirty)
        elif not dirty or self.is_modified():
            link_or_copy(self.abs_src_path, self.abs_dest_path)
