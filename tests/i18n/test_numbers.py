"""Indicator values, targets and counts are written the way the reader's language writes
numbers, with its plural forms."""

from __future__ import annotations

from bot.i18n import use_locale
from bot.indicators.definitions import IndicatorValue
from bot.indicators.format import describe, format_value
from tests.conftest import Say

NBSP, NNBSP = "\u00a0", "\u202f"  # Babel: before "h" and "%"; thousands


def test_values_are_written_as_french_writes_numbers() -> None:
    with use_locale("fr"):
        assert format_value("innovation_hours", 2.0) == f"2{NBSP}h"
        assert format_value("time_to_first_response", 1.5) == f"1,5{NBSP}h"
        assert format_value("requests_resolved_share", 0.0) == f"0{NBSP}%"
        assert format_value("brainstorm_conversion", 0.35) == f"35{NBSP}%"
        assert format_value("constituent_satisfaction", 4.5) == "4,5/5"
        assert format_value("active_members", 1234) == f"1{NNBSP}234"
        hours = IndicatorValue("innovation_hours", 2.0, {"people": 1})
        assert describe(hours) == f"2{NBSP}h (1 personne)"
        rated = IndicatorValue("deliverable_feedback", 1, {"average_rating": 5.0})
        assert describe(rated) == "1 (moy. 5,0/5)"
    with use_locale("en"):
        assert format_value("constituent_satisfaction", 4.0) == "4.0/5"
        assert describe(IndicatorValue("training_participation", 1, {"people": 1})) == (
            "1 (1 person)"
        )


def test_a_target_and_its_baseline_are_written_in_french(say: Say) -> None:
    with use_locale("fr"):
        reply = say("cora", "target set time_to_first_response 10.5 scope=all")
    assert f" : 10,5{NBSP}h (référence " in reply.text, reply.text
    assert "10.5" not in reply.text


def test_counts_in_sentences_take_the_languages_plural(say: Say) -> None:
    with use_locale("fr"):
        say("cora", "target set ideas_submitted 5 scope=all")
        stats = say("cora", "stats all")
        export = say("cora", "export")
    assert "1 cible sur 1 en retard." in stats.text, stats.text
    assert export.text.startswith("Tous les indicateurs pour 2 périmètres, "), export.text
