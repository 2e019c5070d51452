"""Shared fixtures: tiny projects built in tmp_path (see sitebuilder.py)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from sitebuilder import Project, new_project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return new_project(tmp_path)


@pytest.fixture
def clean_build(project: Project):
    """Build the test project and fail the test on any warning it did not name.

    Usage: `result = clean_build()` or `clean_build(expected=(r"regex",))`.
    """
    from sitebuilder import assert_clean

    def run(expected: tuple[str, ...] = ()):
        result = project.build()
        assert_clean(result, expected)
        return result

    return run
