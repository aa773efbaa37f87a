"""`export csv|xlsx` and `copbot indicators`: files opened and checked against compute_all."""

from __future__ import annotations

import argparse
import csv
import io
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from bot.container import Container
from bot.indicators import DEFINITIONS, IndicatorValue, Scope, compute_all
from bot.indicators.export import COLUMNS, DEFINITION_COLUMNS
from bot.periods import quarter_period
from copbot.cli import indicators as indicators_cli
from storage.models import Person, Unit
from tests.conftest import Say
from tests.indicators.conftest import place, play

Q4 = quarter_period(2026, 4)
UTC_ZONE = ZoneInfo("UTC")
SCOPES = [
    ("org", "organisation"),
    ("community", "data"),
    ("community", "design-thinking"),
    ("unit", "Policy"),
    ("unit", "Statistics"),
    ("region", "Africa"),
]


@pytest.fixture
def org(say: Say, container: Container) -> dict[tuple[str, str], Scope]:
    """Two communities in two units of one region, some activity, a target with an owner."""
    play(
        say,
        [
            ("cora", "community create design-thinking"),
            ("cora", "community create data"),
            ("ana", "idea Mentoring circles"),
            ("ana", "feedback community 4 anon Good sessions"),
            ("bo", "ask Who knows Power BI?"),
            ("ana", "offer R-1"),
            ("ana", "log 2.5h"),
            ("cora", "target set ideas_submitted 4 @ana scope=all"),
        ],
    )
    assert not say("bo", "idea Open data portal", channel="data").error
    place(container, "design-thinking", "Policy", "Africa")
    place(container, "data", "Statistics", "Africa")
    with container.uow() as uow:
        ids = {u.name: u.id for u in uow.session.query(Unit)}
    return {
        ("org", "organisation"): Scope.org(),
        ("community", "design-thinking"): Scope.community(1, "design-thinking"),
        ("community", "data"): Scope.community(2, "data"),
        ("unit", "Policy"): Scope.unit(ids["Policy"], "Policy"),
        ("unit", "Statistics"): Scope.unit(ids["Statistics"], "Statistics"),
        ("region", "Africa"): Scope.region("Africa"),
    }


def _expected(container: Container, scope: Scope) -> dict[str, IndicatorValue]:
    with container.uow() as uow:
        values = compute_all(uow.session, period=Q4, scope=scope, tz=UTC_ZONE)
    return {v.key: v for v in values}


def _same(cell: Any, value: float | None) -> bool:
    if value is None:
        return cell in ("", None)
    return cell not in ("", None) and abs(float(cell) - value) < 1e-6


def _csv_sections(content: bytes) -> tuple[list[list[str]], list[list[str]]]:
    assert content.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads UTF-8
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    blank = lines.index([])
    return lines[:blank], lines[blank + 1 :]


def test_csv_export_has_every_indicator_by_scope_and_the_definitions(
    say: Say, container: Container, org: dict[tuple[str, str], Scope]
) -> None:
    reply = say("cora", "export csv 2026-Q4")
    assert not reply.error, reply.text
    assert reply.text.startswith("Every indicator for 6 scopes, 2026-Q4 (1 Oct 2026")
    [file] = reply.attachments
    assert (file.filename, file.mimetype) == ("indicators-2026-Q4.csv", "text/csv")
    table, definitions = _csv_sections(file.content)
    assert tuple(table[0]) == COLUMNS
    body = [dict(zip(COLUMNS, line, strict=True)) for line in table[1:]]
    assert len(body) == len(SCOPES) * len(DEFINITIONS)
    assert sorted({(r["scope_kind"], r["scope"]) for r in body}) == sorted(SCOPES)
    for (kind, name), scope in org.items():
        expected = _expected(container, scope)
        mine = [r for r in body if (r["scope_kind"], r["scope"]) == (kind, name)]
        assert [r["indicator"] for r in mine] == list(DEFINITIONS)
        for r in mine:
            assert _same(r["value"], expected[r["indicator"]].value), (kind, name, r)
            assert (r["period"], r["period_start"], r["period_end_exclusive"]) == (
                "2026-Q4",
                "2026-10-01",
                "2027-01-01",
            )
    org_ideas = next(
        r for r in body if r["scope"] == "organisation" and r["indicator"] == "ideas_submitted"
    )
    assert (org_ideas["value"], org_ideas["target"], org_ideas["baseline"], org_ideas["owner"]) == (
        "2",
        "4",
        "0",
        "ana",
    )
    assert org_ideas["strategy"] == "(b)" and org_ideas["label"] == "Ideas submitted"
    region_feedback = next(
        r for r in body if r["scope"] == "Africa" and r["indicator"] == "deliverable_feedback"
    )
    assert region_feedback["details"] == "average_rating=4.0"  # the anonymous feedback counts
    assert tuple(definitions[0]) == DEFINITION_COLUMNS
    assert [d[0] for d in definitions[1:]] == list(DEFINITIONS)
    wait = next(d for d in definitions if d[0] == "time_to_first_response")
    assert wait[2:5] == ["peer learning", "hours", "lower"]


def test_xlsx_export_opens_with_two_sheets(
    say: Say, container: Container, org: dict[tuple[str, str], Scope]
) -> None:
    [file] = say("cora", "export xlsx 2026-Q4").attachments
    assert file.filename == "indicators-2026-Q4.xlsx"
    assert file.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(file.content))
    assert book.sheetnames == ["Indicators", "Definitions"]
    sheet = book["Indicators"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert len(rows) == 1 + len(SCOPES) * len(DEFINITIONS)
    assert sheet.freeze_panes == "A2"
    for line in rows[1:]:
        r = dict(zip(COLUMNS, line, strict=True))
        expected = _expected(container, org[(str(r["scope_kind"]), str(r["scope"]))])
        assert _same(r["value"], expected[str(r["indicator"])].value), r
    share_cell = next(
        c for c in sheet["K"] if sheet.cell(c.row, 7).value == "brainstorm_conversion"
    )
    assert share_cell.number_format == "0.0%"
    definitions = list(book["Definitions"].iter_rows(values_only=True))
    assert definitions[0] == DEFINITION_COLUMNS
    assert [d[0] for d in definitions[1:]] == list(DEFINITIONS)
    assert all(d[5] == DEFINITIONS[str(d[0])].text for d in definitions[1:])


def test_text_that_looks_like_a_formula_stays_text(
    say: Say, container: Container, org: dict[tuple[str, str], Scope]
) -> None:
    evil = '=HYPERLINK("http://x.example","click")'
    with container.uow() as uow:
        uow.session.execute(update(Unit).where(Unit.name == "Policy").values(name=evil))
        uow.session.execute(
            update(Person).where(Person.display_name == "ana").values(display_name="@SUM(1)")
        )
        uow.commit()
    csv_file = say("cora", "export csv").attachments[0]
    table, _ = _csv_sections(csv_file.content)
    scopes = {line[5] for line in table[1:]}
    assert "'" + evil in scopes and evil not in scopes
    assert any(line[14] == "'@SUM(1)" for line in table[1:])
    sheet = load_workbook(io.BytesIO(say("cora", "export xlsx").attachments[0].content))[
        "Indicators"
    ]
    cells = [c for c in sheet["F"] if c.value and "HYPERLINK" in str(c.value)]
    assert cells and all(c.data_type == "s" for c in cells)


def test_a_focal_point_exports_their_scopes_only(
    say: Say, org: dict[tuple[str, str], Scope]
) -> None:
    say("fay", "idea Hello", channel="data")
    say("cora", "focal add @fay data")
    reply = say("fay", "export")
    assert not reply.error, reply.text
    table, _ = _csv_sections(reply.attachments[0].content)
    # data, and the Statistics unit whose only community is data
    assert {(line[4], line[5]) for line in table[1:]} == {
        ("community", "data"),
        ("unit", "Statistics"),
    }


def _cli(tmp_path: Path, *argv: str, container: Container) -> int:
    parser = argparse.ArgumentParser()
    indicators_cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["indicators", *argv])
    result: int = args.func(args, container.settings)
    return result


def test_the_cli_gives_the_same_rows(
    say: Say,
    container: Container,
    org: dict[tuple[str, str], Scope],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chat = say("cora", "export csv 2026-Q4").attachments[0].content.decode("utf-8-sig")
    assert (
        _cli(
            tmp_path,
            "--period",
            "2026-Q4",
            "--scope",
            "all",
            "--format",
            "csv",
            container=container,
        )
        == 0
    )
    assert capsys.readouterr().out.replace("\r\n", "\n") == chat.replace("\r\n", "\n")

    assert (
        _cli(
            tmp_path,
            "--period",
            "2026-q4",
            "--scope",
            "region:africa",
            "--format",
            "json",
            container=container,
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert (data["period"], data["start"], data["end_exclusive"]) == (
        "2026-Q4",
        "2026-10-01",
        "2027-01-01",
    )
    assert [r["scope"] for r in data["rows"]] == ["Africa"] * len(DEFINITIONS)
    assert list(data["rows"][0]) == list(COLUMNS)
    assert len(data["definitions"]) == len(DEFINITIONS)

    assert (
        _cli(
            tmp_path,
            "--period",
            "2026-Q4",
            "--scope",
            "community:Design Thinking",
            container=container,
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "community: design-thinking  Ideas submitted" in text

    monkeypatch.chdir(tmp_path)
    assert (
        _cli(
            tmp_path,
            "--period",
            "2026-Q4",
            "--scope",
            "org",
            "--format",
            "xlsx",
            container=container,
        )
        == 0
    )
    assert (
        "Wrote indicators-2026-Q4.xlsx (18 rows, 1 scope(s), 2026-Q4)." in capsys.readouterr().out
    )
    book = load_workbook(tmp_path / "indicators-2026-Q4.xlsx")
    assert book.sheetnames == ["Indicators", "Definitions"]
    out = tmp_path / "q4.csv"
    assert (
        _cli(
            tmp_path,
            "--period",
            "2026-Q4",
            "--scope",
            "unit:policy",
            "--format",
            "csv",
            "--out",
            str(out),
            container=container,
        )
        == 0
    )
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--scope", "region:Atlantis"], 'no region called "Atlantis"'),
        (["--scope", "community:nope"], 'no community called "nope"'),
        (["--scope", "planet:earth"], 'unknown scope "planet:earth"'),
        (["--period", "2026-Q9"], 'Unknown period "2026-Q9"'),
    ],
)
def test_the_cli_refuses_unknown_scopes_and_periods(
    container: Container,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    assert _cli(tmp_path, *argv, container=container) == 2
    assert message in capsys.readouterr().err
