"""Operator mistakes end in one line naming the problem and the fix, exit code 2, and no
traceback: a busy port, a database that cannot be reached, PostgreSQL without its driver, and
an output file in a folder that does not exist."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.services.test_cli import _copbot


def _one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("copbot: ")
    return lines[0]


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        yield int(listener.getsockname()[1])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_busy_port_is_named_before_anything_claims_to_serve(
    tmp_path: Path, busy_port: int
) -> None:
    result = _copbot(["serve"], cwd=tmp_path, PORT=str(busy_port))

    assert result.returncode == 2
    line = _one_line(result.stderr)
    assert f"port {busy_port} is already in use" in line and "set PORT" in line


def test_an_unreachable_database_is_named_with_its_fix(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://copbot:secret-pw@127.0.0.1:{_free_port()}/copbot"
    result = _copbot(["serve"], cwd=tmp_path, DATABASE_URL=url, PORT=str(_free_port()))

    assert result.returncode == 2
    line = _one_line(result.stderr)
    assert "cannot use PostgreSQL at 127.0.0.1" in line and "Check DATABASE_URL" in line
    assert "secret-pw" not in line


def test_a_sqlite_file_in_a_folder_that_cannot_be_made(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = _copbot(["db", "upgrade"], cwd=tmp_path, DATABASE_URL=f"sqlite:///{blocker}/x.db")

    assert result.returncode == 2
    assert "DATABASE_URL" in _one_line(result.stderr)


def test_postgresql_without_psycopg_says_what_to_install(tmp_path: Path) -> None:
    hidden = tmp_path / "no-psycopg"
    (hidden / "psycopg").mkdir(parents=True)
    (hidden / "psycopg" / "__init__.py").write_text(
        'raise ModuleNotFoundError("No module named \'psycopg\'", name="psycopg")\n'
    )
    result = _copbot(
        ["db", "current"],
        cwd=tmp_path,
        DATABASE_URL="postgresql://copbot@127.0.0.1/copbot",
        PYTHONPATH=f"{hidden}:{Path.cwd()}",
    )

    assert result.returncode == 2
    assert "psycopg, is not installed" in _one_line(result.stderr)
    assert "pip install 'cop-bot[postgres]'" in result.stderr


def test_indicators_into_a_missing_folder(tmp_path: Path) -> None:
    out = tmp_path / "missing" / "q4.csv"
    result = _copbot(["indicators", "--format", "csv", "--out", str(out)], cwd=tmp_path)

    assert result.returncode == 2
    line = _one_line(result.stderr)
    assert f"the folder {out.parent}" in line and "does not exist" in line
    assert not out.parent.exists()


def test_teams_manifest_into_a_missing_folder_makes_no_folder(tmp_path: Path) -> None:
    out = tmp_path / "nonexistent" / "x.zip"
    result = _copbot(
        [
            "teams",
            "manifest",
            "--bot-id",
            "00000000-0000-0000-0000-000000000001",
            "--out",
            str(out),
        ],
        cwd=tmp_path,
    )

    assert result.returncode == 2
    assert "does not exist" in _one_line(result.stderr)
    assert not out.parent.exists()
