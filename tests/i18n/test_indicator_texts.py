"""Indicator names, definitions, chart texts and export headers follow the reader's language,
and the numbers stay the same."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from bot.container import Container
from bot.i18n import use_locale
from bot.indicators import DEFINITIONS
from bot.indicators.export import COLUMNS
from bot.messages import Reply
from handlers.console.chat import inbound
from tests.conftest import NOW, Say


@pytest.fixture
def speak(say: Say, container: Container) -> Say:
    """``say``, answered in the speaker's language as the console and the platforms do."""

    def run(user: str, line: str, **kwargs: object) -> Reply:
        spoken = container.runner.language(inbound(user, "design-thinking", line), now=NOW)
        with use_locale(spoken):
            return say(user, line, **kwargs)  # type: ignore[arg-type]

    return run


def _table(say: Say, user: str) -> list[tuple[str, ...]]:
    reply = say(user, "stats all 2026-Q4")
    assert reply.table is not None
    return [tuple(row) for row in reply.table.rows]


def test_a_french_persons_stats_rows_are_french_with_the_same_values(speak: Say) -> None:
    say = speak
    say("ana", "idea Mentoring circles")
    english = _table(say, "cora")
    assert not say("cora", "language fr").error
    french = _table(say, "cora")
    names = [row[0] for row in french]
    assert "Idées soumises" in names and "Délai de première réponse" in names
    assert "Ideas submitted" not in names
    assert [row[1:] for row in french if row[0] == "Idées soumises"] == [
        row[1:] for row in english if row[0] == "Ideas submitted"
    ]


def test_a_french_persons_xlsx_export_has_french_headers_and_definitions(speak: Say) -> None:
    say = speak
    say("ana", "idea Mentoring circles")
    english = load_workbook(io.BytesIO(say("cora", "export xlsx 2026-Q4").attachments[0].content))
    assert not say("cora", "language fr").error
    reply = say("cora", "export xlsx 2026-Q4")
    assert reply.text.startswith("Tous les indicateurs pour ")
    [file] = reply.attachments
    assert file.title == "Indicateurs 2026-Q4"
    book = load_workbook(io.BytesIO(file.content))
    assert book.sheetnames == ["Indicateurs", "Définitions"]
    rows = list(book["Indicateurs"].iter_rows(values_only=True))
    assert rows[0][:3] == ("période", "début de période", "fin de période (exclue)")
    values = [line[10] for line in rows[1:]]
    assert values == [line[10] for line in list(english["Indicators"].values)[1:]]
    labels = {line[6]: line[7] for line in rows[1:]}
    assert labels["ideas_submitted"] == "Idées soumises"
    definitions = list(book["Définitions"].iter_rows(values_only=True))
    assert definitions[0] == (
        "indicateur", "libellé", "stratégie", "unité", "sens de progrès", "définition",
    )  # fmt: skip
    wait = next(d for d in definitions if d[0] == "time_to_first_response")
    assert wait[1:5] == ("Délai de première réponse", "apprentissage entre pairs", "hours",
                         "à la baisse")  # fmt: skip
    assert next(d for d in definitions if d[0] == "ideas_submitted")[5] == (
        "Idées créées pendant la période."
    )
    assert [d[0] for d in definitions[1:]] == list(DEFINITIONS)
    assert len(rows[0]) == len(COLUMNS)


def test_a_spanish_persons_chart_reply_names_the_indicator_in_spanish(speak: Say) -> None:
    say = speak
    say("ana", "idea Mentoring circles")
    assert not say("cora", "language es").error
    reply = say("cora", "stats chart ideas_submitted all 2026-Q4")
    assert not reply.error, reply.text
    assert reply.text.startswith("Ideas presentadas de ")
    assert reply.attachments[0].title.startswith("Ideas presentadas, ")
