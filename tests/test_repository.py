"""The repository keeps its promises: the suite runs from a plain clone, CI cleans up after
itself, and SQLite's side files are never committed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
OUTSIDE = re.compile(r"""parents\[\d\]\s*/\s*["']shared["']|["']\.\./shared""")


def test_no_test_reads_files_from_beside_the_repository() -> None:
    readers = [
        str(path.relative_to(TESTS))
        for path in TESTS.rglob("*.py")
        if path != Path(__file__).resolve() and OUTSIDE.search(path.read_text(encoding="utf-8"))
    ]
    assert readers == []


def test_ci_removes_its_virtual_environment_even_when_it_fails(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "COPBOT_VENV"}
    environment.update(TMPDIR=str(tmp_path), PYTHON="false")  # fails at the first step
    result = subprocess.run(
        ["bash", str(ROOT / ".ci" / "run")],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "== install into" in result.stdout
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout"
)
@pytest.mark.parametrize(
    "name", ["copbot.sqlite3-wal", "copbot.sqlite3-shm", "x.db-wal", "x.db-shm", "copbot.sqlite3"]
)
def test_sqlite_side_files_are_ignored(name: str) -> None:
    checked = subprocess.run(["git", "check-ignore", "-q", name], cwd=ROOT, check=False)
    assert checked.returncode == 0, f"{name} is not ignored"
