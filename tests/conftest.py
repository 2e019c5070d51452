"""Shared fixtures: tiny projects built in tmp_path (see sitebuilder.py)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from sitebuilder import Project, new_project  # noqa: E402


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return new_project(tmp_path)
