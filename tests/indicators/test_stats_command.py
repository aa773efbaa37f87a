"""`stats` end to end through the runner: period edges in two time zones, scopes, roles."""

from __future__ import annotations

from bot.messages import Reply
from tests.conftest import NOW, Say
from tests.indicators.conftest import Other, place, play, row, utc

# Idea instants around 2026-Q4, hand-placed in UTC and in Zurich local time.
SEP_30_2359_ZURICH = utc(2026, 9, 30, 21, 59)  # CEST: 23:59 on 30 Sep — Q3 everywhere
OCT_1_0030_ZURICH = utc(2026, 9, 30, 22, 30)  # 00:30 on 1 Oct in Zurich; 30 Sep in UTC
MID_QUARTER = utc(2026, 11, 18, 10)  # Q4 everywhere
JAN_1_0030_ZURICH = utc(2026, 12, 31, 23, 30)  # CET: 00:30 on 1 Jan 2027; 31 Dec in UTC
AFTER_Q4 = utc(2027, 1, 15, 9)


def _ideas_at_the_edges(say: Say) -> None:
    say("cora", "community create design-thinking")
    for when, n in (
        (SEP_30_2359_ZURICH, 1),
        (OCT_1_0030_ZURICH, 2),
        (MID_QUARTER, 1),
        (JAN_1_0030_ZURICH, 1),
    ):
        for i in range(n):
            assert not say("ana", f"idea Edge case {when:%H%M} {i}", now=when).error


def test_quarter_edges_follow_copbot_timezone(say: Say, say_zurich: Other) -> None:
    _ideas_at_the_edges(say)
    in_utc = say("cora", "stats all 2026-Q4", now=AFTER_Q4)
    in_zurich = say_zurich("cora", "stats all 2026-Q4", now=AFTER_Q4)
    # UTC: Q4 = mid-quarter + 31 Dec 23:30; Q3 = 21:59 + two at 22:30 on 30 Sep.
    assert row(in_utc, "Ideas submitted")[1:3] == ("2", "3")
    # Zurich: Q4 = two at 00:30 on 1 Oct + mid-quarter; Q3 = 23:59 on 30 Sep; 1 Jan is 2027.
    assert row(in_zurich, "Ideas submitted")[1:3] == ("3", "1")
    assert row(in_zurich, "Contributions")[1:3] == ("3", "1")
    assert "(1 Oct 2026 – 31 Dec 2026, Europe/Zurich)" in in_zurich.text
    assert "(1 Oct 2026 – 31 Dec 2026, UTC)" in in_utc.text
    q1 = say_zurich("cora", "stats all 2027-Q1", now=AFTER_Q4)
    assert row(q1, "Ideas submitted")[1:3] == ("1", "3")


def test_the_default_period_is_the_local_quarter(say: Say, say_zurich: Other) -> None:
    say("cora", "community create design-thinking")
    for ask, shown in ((say, ("2026-Q4", "2026-Q3")), (say_zurich, ("2027-Q1", "2026-Q4"))):
        table = ask("cora", "stats all", now=JAN_1_0030_ZURICH).table
        assert table is not None and table.columns[1:3] == shown


def test_week_edges_and_local_event_days(say: Say, say_zurich: Other) -> None:
    say("cora", "community create design-thinking")
    # ISO week 2026-W47 starts on Monday 16 Nov: 15 Nov 23:00 UTC in Zurich (CET).
    say("ana", "idea Late on Sunday night", now=utc(2026, 11, 15, 23, 30))
    say("ana", "idea Monday morning", now=utc(2026, 11, 16, 8))
    say("cora", 'event add "Kick-off" 2026-11-22 training', now=utc(2026, 11, 16, 8))
    say("ana", "attend E-1", now=utc(2026, 11, 16, 9))
    say("ana", "idea Sunday night in Zurich", now=utc(2026, 11, 22, 23, 30))
    w47_utc = say("cora", "stats all 2026-W47", now=utc(2026, 11, 30))
    w47_zurich = say_zurich("cora", "stats all 2026-W47", now=utc(2026, 11, 30))
    assert row(w47_utc, "Ideas submitted")[1:3] == ("2", "1")
    assert row(w47_zurich, "Ideas submitted")[1:3] == ("2", "0")
    for reply in (w47_utc, w47_zurich):  # an event's day is a local date already
        assert row(reply, "Events held")[1] == "1"
        assert row(reply, "Training participation")[1] == "1 (1 person)"


def test_scopes_community_unit_region_and_org(say: Say, container: object) -> None:
    from bot.container import Container

    assert isinstance(container, Container)
    play(
        say,
        [
            ("cora", "community create design-thinking"),
            ("cora", "community create data"),
            ("ana", "idea One"),
            ("ana", "idea Two"),
        ],
    )
    assert not say("ana", "idea Three", channel="data").error
    place(container, "design-thinking", "Policy", "Africa")
    place(container, "data", "Statistics", "Europe")
    expected = {
        "stats": "2",
        "stats community": "2",
        "stats data": "1",
        "stats community:data": "1",
        "stats unit": "2",
        "stats unit:Statistics": "1",
        "stats region:africa": "2",
        "stats region:Europe": "1",
        "stats all": "3",
    }
    for line, ideas in expected.items():
        reply = say("cora", line)
        assert not reply.error, (line, reply.text)
        assert row(reply, "Ideas submitted")[1] == ideas, line
    assert "region Africa" in say("cora", "stats region:africa").text
    unknown = say("cora", "stats region:Atlantis")
    assert unknown.error and "Regions: Africa, Europe." in unknown.text
    assert say("cora", "stats region:").error


def _members_are_refused(reply: Reply) -> None:
    assert reply.error, reply.text
    assert not reply.attachments and reply.table is None


def test_members_are_refused_everything(say: Say) -> None:
    play(say, [("cora", "community create design-thinking"), ("ana", "idea Hello")])
    for line in (
        "stats",
        "stats all",
        "stats design-thinking 2026-Q4",
        "stats unit",
        "stats region:Africa",
        "stats chart ideas_submitted",
        "stats chart ideas_submitted all 2026",
        "export",
        "export xlsx 2026-Q4",
        "target set ideas_submitted 4",
    ):
        reply = say("ana", line)
        _members_are_refused(reply)
    assert "Indicators are for focal points and coordinators" in say("ana", "stats").text
    assert "Exports are for focal points and coordinators" in say("ana", "export").text
    assert "Only a coordinator can set targets" in say("ana", "target set ideas_submitted 4").text


def test_focal_points_see_their_own_scope_only(say: Say) -> None:
    play(
        say,
        [
            ("cora", "community create design-thinking"),
            ("cora", "community create data"),
            ("fay", "idea Mine"),
            ("cora", "focal add @fay design-thinking"),
        ],
    )
    assert row(say("fay", "stats"), "Ideas submitted")[1] == "1"
    assert say("fay", "stats chart ideas_submitted").attachments
    for line in ("stats all", "stats data", "stats region:Africa", "target set ideas_submitted 3"):
        _members_are_refused(say("fay", line))
    assert "Only coordinators can see the whole organisation" in say("fay", "stats all").text


def test_a_focal_point_of_one_community_sees_no_shared_unit_or_region(
    say: Say, container: object
) -> None:
    """A unit (or region) whose other communities someone else looks after stays closed, in
    stats, charts and exports; a unit whose communities are all theirs is open."""
    from bot.container import Container

    assert isinstance(container, Container)
    play(
        say,
        [
            ("cora", "community create design-thinking"),
            ("cora", "community create data"),
            ("cora", "community create surveys"),
            ("fay", "idea Mine"),
            ("cora", "focal add @fay design-thinking"),
        ],
    )
    place(container, "design-thinking", "Policy", "Africa")
    place(container, "data", "Policy", "Africa")
    place(container, "surveys", "Statistics", "Africa")
    for line in (
        "stats unit",
        "stats unit:Policy",
        "stats region:Africa",
        "stats chart ideas_submitted unit:Policy",
        "stats chart ideas_submitted region:Africa",
    ):
        reply = say("fay", line)
        _members_are_refused(reply)
        assert "Only" in reply.text, (line, reply.text)
    exported = say("fay", "export").attachments[0].content.decode("utf-8-sig")
    assert ",unit,Policy," not in exported and ",region," not in exported
    assert ",community,design-thinking," in exported
    say("cora", "focal add @fay data")
    assert not say("fay", "stats unit:Policy").error
    assert ",unit,Policy," in say("fay", "export").attachments[0].content.decode("utf-8-sig")
    _members_are_refused(say("fay", "stats unit:Statistics"))


def test_stats_answers_in_the_same_order_as_the_definitions(say: Say) -> None:
    from bot.indicators import DEFINITIONS

    say("cora", "community create design-thinking")
    reply = say("cora", "stats")
    assert reply.table is not None
    assert [r[0] for r in reply.table.rows] == [d.label for d in DEFINITIONS.values()]
    assert reply.table.columns == ("Indicator", "2026-Q4", "2026-Q3", "Target (owner)", "Progress")
    assert "day 49 of 92 so far" in reply.text
    assert reply.public is False  # an ephemeral answer in Slack


def test_a_session_on_the_clock(say: Say) -> None:
    """The acceptance numbers, with the previous quarter beside them."""
    play(
        say,
        [
            ("cora", "community create design-thinking"),
            ("ana", "idea Mentoring circles"),
            ("bo", "ask Who knows survey design?"),
        ],
        start=NOW.replace(month=8),
    )
    play(say, [("ana", "idea Paperless claims"), ("ana", "offer R-1"), ("bo", "resolve R-1 @ana")])
    reply = say("cora", "stats all 2026-Q4")
    assert row(reply, "Ideas submitted")[1:3] == ("1", "1")
    assert row(reply, "Requests opened")[1:3] == ("0", "1")
    # Q4: ana (idea, offer; resolving is not a contribution); Q3: ana and bo
    assert row(reply, "Active members")[1:3] == ("1", "2")
    assert row(reply, "Contributions")[1:3] == ("2", "2")


def test_one_person_on_two_platforms_counts_once_and_forget_me_keeps_the_count(
    say: Say, container: object
) -> None:
    from bot.container import Container
    from bot.messages import Actor, Inbound, Platform

    assert isinstance(container, Container)

    def as_(platform: Platform, user: str, line: str, email: str | None) -> Reply:
        actor = Actor(platform, "W1", user, display_name="Ana", email=email)
        inbound = Inbound(actor=actor, channel="design-thinking", text=line)
        return container.runner.handle(inbound, now=NOW, auto_bind=True)

    say("cora", "community create design-thinking")
    assert not as_(Platform.SLACK, "U1", "idea From Slack", "ana@example.org").error
    assert not as_(Platform.TEAMS, "29:1", "idea From Teams", "ANA@example.org").error
    assert not as_(Platform.TEAMS, "29:2", "idea Another person", None).error
    before = say("cora", "stats all")
    assert row(before, "Ideas submitted")[1] == "3"
    assert row(before, "Active members")[1] == "2"  # ana (linked by e-mail) and 29:2
    assert not as_(Platform.SLACK, "U1", "forget-me confirm", None).error
    assert say("cora", "stats all").table == before.table  # the tombstone keeps her rows
    assert not as_(Platform.SLACK, "U1", "idea Back again", "ana@example.org").error
    after = say("cora", "stats all")
    assert row(after, "Ideas submitted")[1] == "4"
    assert row(after, "Active members")[1] == "3"  # a fresh start is a new person
