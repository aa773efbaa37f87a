"""Ideas by theme, counted by the database (SQLite ``json_each``, PostgreSQL
``json_array_elements_text``): each theme an idea carries counts once, an idea without a
theme counts as ``none``, and the scope and period apply."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.indicators import Scope
from tests.unit import indicator_store as base
from tests.unit.indicator_store import JAN, ORG, Store, utc, values

engine, session, store = base.engine, base.session, base.store  # its fixtures, both databases


def test_ideas_are_counted_per_theme_and_without_one(session: Session, store: Store) -> None:
    c1, c2 = store.community(), store.community()
    jan, dec = utc(2026, 1, 10), utc(2025, 12, 31, 12)
    store.idea(jan, community_id=c1, themes=["climate", "skills"])
    store.idea(jan, community_id=c1, themes=["climate"])
    store.idea(jan, community_id=c1, themes=[])
    store.idea(jan, community_id=c2, themes=["skills"])
    store.idea(jan, themes=["none"])  # a theme named "none" joins the ideas without one
    store.idea(dec, community_id=c1, themes=["climate"])  # December: another period

    def details(scope: Scope) -> dict[str, object]:
        return dict(values(session, JAN, scope)["ideas_submitted"].details)

    assert details(ORG) == {"theme:climate": 2, "theme:none": 2, "theme:skills": 2}
    assert details(Scope.community(c1)) == {
        "theme:climate": 2,
        "theme:none": 1,
        "theme:skills": 1,
    }
    assert details(Scope.community(c2)) == {"theme:skills": 1}
    assert values(session, JAN, ORG)["ideas_submitted"].value == 5
