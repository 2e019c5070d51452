"""Lint and type checks run as part of `make test` (`make lint` runs the same three by hand).

Their configuration is in pyproject.toml ([tool.ruff], [tool.mypy]); the tools come
with the `test` extra and are pinned in requirements.lock.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

#: (test id, module run with `python -m`, its arguments): `make lint`'s commands, with one line
#: per finding so that a failure message stays readable, and no ruff cache written.
TOOLS = [
    ("ruff-check", "ruff", ["check", "--no-cache", "--output-format", "concise", "."]),
    ("ruff-format", "ruff", ["format", "--check", "--no-cache", "--output-format", "concise", "."]),
    ("mypy", "mypy", []),
]


@pytest.mark.parametrize(("module", "args"), [tool[1:] for tool in TOOLS], ids=[tool[0] for tool in TOOLS])
def test_tool_passes(module: str, args: list[str]):
    if importlib.util.find_spec(module) is None:
        pytest.fail(f"{module} is not installed in {sys.prefix}: `make test` installs the test extra")
    run = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=600,
    )
    output = (run.stdout + run.stderr).strip()
    assert run.returncode == 0, f"`{module} {' '.join(args)}` exited {run.returncode}:\n{output}"
