"""Run the privacy lint on every case of a project (drafts and cases with errors too).

A draft is not published, but its source sits in the repository, which may be
public; a case with other errors is still the author's text. Each case file is
read once more here, as the other source checks do.
"""

from __future__ import annotations

from casebook.findings import relative
from casebook.privacy.lint import PrivacyResult, lint_case_source, reference_names
from casebook.project.load import Project
from casebook.text.frontmatter import read_source


def check_privacy(project: Project) -> PrivacyResult:
    """The privacy findings of every case file, and how many its opt-outs allowed."""
    people = [p for ref in project.library.values() for p in (*ref.authors, *ref.editors)]
    names = reference_names(people)
    level = project.settings.privacy.level
    total = PrivacyResult()
    for entry in project.catalog.entries:
        text, _ = read_source(entry.path)
        if text is None:
            continue  # reported by the loader (not-utf8, file-unreadable)
        result = lint_case_source(text, relative(entry.path, project.root), level=level, known_names=names)
        total.findings += result.findings
        total.allowed += result.allowed
    return total
