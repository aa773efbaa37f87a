"""``copbot import slack-export``: a plain summary when not on a terminal, the review CSV,
and bad arguments refused with a clear line."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from copbot.cli import main
from tests.importing.conftest import FIXTURE


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)


def test_import_prints_a_plain_summary_and_writes_the_review_csv(
    env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_csv = tmp_path / "review.csv"

    assert main(["import", "slack-export", str(FIXTURE.parent), "--csv", str(out_csv)]) == 0

    out, err = capsys.readouterr()
    assert "communities: 16 new, 0 existing; 16 channel(s) newly bound" in out
    assert "people: 19 new" in out
    assert "Importing" not in err  # no progress bar off a terminal
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8")))
    assert rows and {r["kind"] for r in rows} <= {"idea", "request"}
    request = next(r for r in rows if r["ts"] == "1442764126.000012")
    assert request["channel"] == "general" and request["author"] == "ed goodwin"
    assert request["text"].startswith("Anybody have a good timeline visualization")

    assert main(["import", "slack-export", str(FIXTURE), "--dry-run"]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("Dry run, nothing written.")
    assert "0 added to participation" in out


def test_bad_arguments_are_refused(
    env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "slack-export", str(tmp_path / "nothing.zip")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert main(["import", "slack-export", str(FIXTURE), "--map", "general"]) == 2
    assert "write CHANNEL=COMMUNITY" in capsys.readouterr().err
    assert main(["import", "slack-export", str(FIXTURE), "--only", "nope"]) == 2
    assert "no channel left to import" in capsys.readouterr().err


def test_on_a_terminal_a_progress_bar_counts_the_day_files() -> None:
    import io

    from copbot.cli.importing import _Progress

    out = io.StringIO()
    progress = _Progress(None, bar=True, out=out)
    progress.start(3)
    for n in range(3):
        progress.day_file(f"general/2015-06-0{n + 1}.json", 10)
    progress.close()

    assert "Importing" in out.getvalue() and "3/3" in out.getvalue()
    assert "30 messages" in out.getvalue()
