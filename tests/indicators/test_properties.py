"""Whatever period text follows `stats`, `stats chart` or `export`, the bot answers or says
cleanly what was wrong: never an exception, never a half answer."""

from __future__ import annotations

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot.container import Container
from tests.conftest import Say

YEARS = st.integers(2000, 2100)
VALID = st.one_of(
    YEARS.map(str),
    st.builds("{}-{:02d}".format, YEARS, st.integers(1, 12)),
    st.builds("{}-Q{}".format, YEARS, st.integers(1, 4)),
    st.builds("{}-W{:02d}".format, YEARS, st.integers(1, 52)),
    st.builds(lambda y: f"{y}-{(y + 1) % 100:02d}", YEARS),
    st.builds("last-{}d".format, st.integers(1, 730)),
)
PERIOD_LIKE = st.from_regex(
    r"(19|20|21)\d\d(-([qQwW]?\d{1,2}|\d{4}))?|last-\d{1,4}d|this-quarter", fullmatch=True
)
PERIODS = st.one_of(
    VALID, VALID, PERIOD_LIKE, st.text(max_size=16), st.sampled_from(["2026-W53", "2000-01"])
)
COMMANDS = st.sampled_from(["stats", "stats all", "stats design-thinking", "export", "export xlsx"])


def _check(reply_text: str, error: bool) -> None:
    event("refused" if error else "answered")
    assert reply_text.strip()
    assert "Traceback" not in reply_text and len(reply_text) < 700


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(command=COMMANDS, period=PERIODS)
def test_stats_and_export_with_any_period(
    say: Say, container: Container, command: str, period: str
) -> None:
    say("cora", "community create design-thinking")
    reply = say("cora", f"{command} {period}")
    _check(reply.text, reply.error)
    if reply.error:
        assert reply.table is None and not reply.attachments
    elif command.startswith("stats"):
        assert reply.table is not None and len(reply.table.rows) == 18
    else:
        assert len(reply.attachments) == 1 and reply.attachments[0].content


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(period=PERIODS)
def test_charts_with_any_period(say: Say, period: str) -> None:
    say("cora", "community create design-thinking")
    reply = say("cora", f"stats chart ideas_submitted all {period}")
    _check(reply.text, reply.error)
    assert len(reply.attachments) == (0 if reply.error else 1)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(period=PERIODS, user=st.sampled_from(["ana", "bo"]))
def test_members_are_refused_whatever_the_period(say: Say, period: str, user: str) -> None:
    for line in (f"stats {period}", f"export {period}", f"stats chart pulse_score {period}"):
        reply = say(user, line)
        assert reply.error and not reply.attachments and reply.table is None
