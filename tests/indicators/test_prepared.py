"""Indicator statements compiled once (bot.indicators.prepared) send what SQLAlchemy would:
the same SQL text and the same processed parameters, for every kind of scope; and so the
same figures."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.container import Container
from bot.indicators import IndicatorValue, Scope, compute_all, query
from bot.periods import quarter_period
from storage.models import Community, Unit
from tests.conftest import NOW, Say
from tests.indicators.conftest import place, play
from tests.sql_sent import sent

ZURICH = ZoneInfo("Europe/Zurich")


def _figures(
    container: Container, scope: Scope
) -> tuple[list[IndicatorValue], list[tuple[str, Any]]]:
    with container.uow() as uow, sent(container.engine) as statements:
        values = compute_all(
            uow.session,
            period=quarter_period(2026, 4),
            scope=scope,
            tz=ZURICH,
            today=NOW.date(),
        )
    return values, statements


def test_prepared_statements_send_what_core_sends(
    container: Container, say: Say, monkeypatch: pytest.MonkeyPatch
) -> None:
    play(
        say,
        [
            ("cora", "community create design-thinking"),
            ("ana", "idea Mentoring circles"),
            ("ana", "ask How do we run a retro?"),
            ("cora", 'event add "Kick-off" 2026-11-18 training'),
            ("ana", "attend E-1"),
            ("cora", "feedback deliverable 4 Clear and useful"),
        ],
    )
    place(container, "design-thinking", "Policy", "Africa")
    with container.uow() as uow:
        community = uow.session.scalars(select(Community)).one()
        unit = uow.session.scalars(select(Unit)).one()
        scopes = [
            Scope.org(),
            Scope.community(community.id, community.name),
            Scope.unit(unit.id, unit.name),
            Scope.region("Africa"),
        ]
    for scope in scopes:
        prepared, sent_prepared = _figures(container, scope)
        with monkeypatch.context() as patched:
            patched.setattr(query, "prepared", lambda *_: None)
            core, sent_core = _figures(container, scope)
        assert len(sent_prepared) >= 14
        assert sent_prepared == sent_core, scope
        assert prepared == core, scope
    assert any(v.value for v in prepared), "the figures should not all be zero"
