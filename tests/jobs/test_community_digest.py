"""The weekly community digest: content, exactly-once, quiet weeks, time zones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.container import Container
from bot.messages import Reply, Section
from bot.ports import RecordingNotifier
from digests import community_digest
from digests.dispatcher import Dispatcher
from storage.models import OutboxMessage
from tests.conftest import NOW, Say
from tests.jobs.conftest import MONDAY_9, play


def _section(reply: Reply, heading: str) -> Section:
    for section in reply.sections:
        if section.heading == heading:
            return section
    raise AssertionError(f"no section {heading!r} in {[s.heading for s in reply.sections]}")


def _outbox(container: Container) -> list[OutboxMessage]:
    with container.uow() as uow:
        rows = list(uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        uow.session.expunge_all()
        return rows


@pytest.mark.usefixtures("week")
def test_a_week_of_activity_gives_the_expected_digest(container: Container) -> None:
    report = community_digest.run(container, now=MONDAY_9)
    assert report.queued == 1
    [message] = report.outgoing
    assert message.key.startswith("digest:community:1:2026-W48@console:")
    assert message.address.channel == "design-thinking"
    reply = message.reply
    assert reply.public
    assert reply.text == "Weekly digest for design-thinking: 16 Nov – 22 Nov 2026"
    assert reply.sections[0].heading == "In short"
    summary = reply.sections[0].lines[0]
    assert summary.startswith("3 new ideas, 1 stage change, 2 requests for help, 1 offer of help")
    assert "most voted: “Paperless travel claims” (2 votes)" in summary
    counts = _section(reply, "This week").lines
    assert "New ideas: 3 (week before: 0)" in counts
    assert "Feedback: 3 (week before: 0)" in counts
    new = _section(reply, "New ideas").items
    assert [i.ref for i in new] == ["I-3", "I-1", "I-2"]  # most voted first
    assert new[0].details == ("2 votes · by bo",)
    moves = _section(reply, "Stage changes").items
    assert [(i.ref, i.details[0]) for i in moves] == [("I-1", "proposed → development")]
    [shelved] = _section(reply, "Shelved, with lessons learned").items
    assert shelved.ref == "I-2" and "curate the FAQs first" in shelved.details[0]
    [still] = _section(reply, "Still looking for help").items
    assert still.ref == "R-2" and still.buttons[0].label == "I can help"
    assert (still.buttons[0].action, still.buttons[0].value) == ("offer", "R-2")
    [resolved] = _section(reply, "Resolved: thank you").items
    assert resolved.ref == "R-1" and resolved.details == ("Kudos to bo",)
    highlights = _section(reply, "Feedback highlights").items
    assert [(h.ref, h.details[0]) for h in highlights] == [
        ("5/5", "ana on I-1"),
        ("4/5", "anonymous on the community"),
    ]
    [event] = _section(reply, "Coming up").items
    assert event.ref == "E-1" and event.buttons[0].action == "attend"


@pytest.mark.usefixtures("week")
def test_run_twice_queues_and_sends_once(container: Container) -> None:
    first = community_digest.run(container, now=MONDAY_9)
    second = community_digest.run(container, now=MONDAY_9 + timedelta(hours=3))
    assert first.queued == 1 and second.queued == 0 and second.outgoing == []
    dispatcher = Dispatcher(container.uow, container.notifiers, sleep=lambda s: None)
    assert dispatcher.run_once(now=MONDAY_9).sent == 1
    assert dispatcher.run_once(now=MONDAY_9 + timedelta(minutes=5)).sent == 0
    recorder = container.notifiers.get("console")
    assert isinstance(recorder, RecordingNotifier) and len(recorder.sent) == 1
    [row] = _outbox(container)
    assert row.status == "sent" and row.platform_ref == "local-1"


@pytest.mark.usefixtures("week")
def test_not_due_before_the_digest_time(container: Container) -> None:
    report = community_digest.run(container, now=MONDAY_9 - timedelta(minutes=1))
    assert report.outgoing == []
    assert _outbox(container) == []


def test_a_quiet_week_posts_nothing(container: Container, say: Say) -> None:
    play(say, [("cora", "community create design-thinking")], start=NOW - timedelta(days=10))
    report = community_digest.run(container, now=MONDAY_9)
    assert report.outgoing == [] and report.queued == 0
    assert "quiet week" in report.summary()
    assert _outbox(container) == []


@pytest.mark.usefixtures("week")
def test_dry_run_writes_nothing(container: Container) -> None:
    report = community_digest.run(container, now=MONDAY_9, dry_run=True)
    assert len(report.outgoing) == 1 and report.queued == 0
    with container.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


@pytest.mark.usefixtures("week")
def test_two_workers_at_once_queue_one_digest(container: Container) -> None:
    import threading

    start = threading.Barrier(3)
    queued: list[int] = []

    def work() -> None:
        start.wait()
        queued.append(community_digest.run(container, now=MONDAY_9).queued)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(queued) == [0, 0, 1]
    assert len(_outbox(container)) == 1


def test_a_daylight_saving_week_neither_shifts_nor_repeats(container: Container, say: Say) -> None:
    """Europe/Zurich leaves summer time on Sun 25 Oct 2026: Monday 09:00 stays 09:00 local."""
    from sqlalchemy import update

    from storage.models import Community

    play(
        say, [("cora", "community create design-thinking")], start=datetime(2026, 10, 9, tzinfo=UTC)
    )
    with container.uow() as uow:
        uow.session.execute(update(Community).values(timezone="Europe/Zurich"))
        uow.commit()
    for day in range(10, 35):  # an idea every day at 12:00 UTC, 10 Oct – 3 Nov
        at = datetime(2026, 10, 1, 12, 0, tzinfo=UTC) + timedelta(days=day - 1)
        say("ana", f"idea Idea of day {day}", now=at)
    first_at: dict[str, datetime] = {}
    at = datetime(2026, 10, 19, 0, 0, tzinfo=UTC)
    while at < datetime(2026, 11, 3, 0, 0, tzinfo=UTC):
        for message in community_digest.run(container, now=at).outgoing:
            first_at.setdefault(message.key.split(":")[3].split("@")[0], at)
        at += timedelta(minutes=60 if at.hour not in (6, 7, 8) else 15)
    assert first_at == {
        "2026-W43": datetime(2026, 10, 19, 7, 0, tzinfo=UTC),  # 09:00 CEST
        "2026-W44": datetime(2026, 10, 26, 8, 0, tzinfo=UTC),  # 09:00 CET
        "2026-W45": datetime(2026, 11, 2, 8, 0, tzinfo=UTC),
    }
    rows = _outbox(container)
    assert len(rows) == 3
    from digests.serialize import reply_from_dict

    dst_week = reply_from_dict(rows[1].payload["reply"])
    assert dst_week.text.endswith("19 Oct – 25 Oct 2026")
    assert len(_section(dst_week, "New ideas").items) + _section(dst_week, "New ideas").more == 7


def test_a_zone_far_from_utc_gets_one_digest_per_local_week(container: Container, say: Say) -> None:
    """Auckland's Monday 08:00 is Sunday 19:00 UTC: the week is the local one, so the runs
    later that local week find the digest queued and do not post it again."""
    from sqlalchemy import update

    from storage.models import Community

    play(
        say, [("cora", "community create design-thinking")], start=datetime(2026, 11, 9, tzinfo=UTC)
    )
    with container.uow() as uow:
        uow.session.execute(
            update(Community).values(timezone="Pacific/Auckland", digest_time="08:00")
        )
        uow.commit()
    for day in range(10, 24):  # an idea every day at 01:00 UTC (14:00 in Auckland)
        say("ana", f"idea Idea of day {day}", now=datetime(2026, 11, day, 1, 0, tzinfo=UTC))
    first_at: dict[str, datetime] = {}
    at = datetime(2026, 11, 15, 0, 0, tzinfo=UTC)  # Sun 13:00 NZDT
    while at < datetime(2026, 11, 29, 18, 0, tzinfo=UTC):  # the Monday of W49 not yet come
        for message in community_digest.run(container, now=at).outgoing:
            week = message.key.split(":")[3].split("@")[0]
            assert week not in first_at, f"{week} posted again at {at}"
            first_at[week] = at
        at += timedelta(hours=1)
    assert first_at == {
        "2026-W47": datetime(2026, 11, 15, 19, 0, tzinfo=UTC),  # Mon 16 Nov 08:00 NZDT
        "2026-W48": datetime(2026, 11, 22, 19, 0, tzinfo=UTC),
    }
    assert len(_outbox(container)) == 2


def test_long_sections_list_every_item_in_parts_that_fit_the_platforms(
    container: Container, say: Say
) -> None:
    from handlers.slack.render import render_blocks
    from handlers.teams.render import render_card
    from tests.payload_checks import assert_valid_card, assert_valid_slack_message

    lines = [("cora", "community create design-thinking")]
    lines += [("ana", f"idea Idea number {n} with a title") for n in range(15)]
    lines += [("bo", f"ask Question number {n}?") for n in range(15)]
    lines += [("cora", f'event add "Event {n}" 2026-11-2{n % 7} workshop') for n in range(12)]
    play(say, lines)
    first, second = community_digest.run(container, now=MONDAY_9).outgoing
    assert second.key == f"{first.key}#2" and second.meta == {"thread_of": first.key}
    open_requests = _section(first.reply, "Still looking for help")
    assert len(open_requests.items) == 15 and open_requests.more == 0
    assert open_requests.items[0].ref == "R-1"  # oldest first
    ideas = [i.ref for r in (first.reply, second.reply) for s in r.sections for i in s.items]
    assert len([ref for ref in ideas if ref.startswith("I-")]) == 15
    assert second.reply.text.endswith("(continued, 2 of 2)")
    for message in (first, second):
        rendered = render_blocks(message.reply)
        assert_valid_slack_message(rendered)
        assert "not shown" not in str(rendered)
        card = render_card(message.reply)
        assert_valid_card(card)
        assert "not shown" not in str(card)


@pytest.mark.usefixtures("week")
def test_preview_and_an_early_send_on_request(container: Container) -> None:
    later = NOW + timedelta(hours=1)
    reply = community_digest.preview(container, community_id=1, now=later)
    assert reply is not None
    assert reply.text == "Weekly digest for design-thinking: 12 Nov – 18 Nov 2026"
    assert [i.ref for i in _section(reply, "New ideas").items] == ["I-3", "I-1", "I-2"]
    scheduled = community_digest.run(container, now=later, community="design-thinking")
    assert scheduled.outgoing == [] and "quiet week" in scheduled.summary()  # 9–15 Nov
    sent = community_digest.run(container, now=later, community="design-thinking", force=True)
    assert sent.queued == 1 and ":2026-W47@" in sent.outgoing[0].key
    again = community_digest.run(container, now=later, community="design-thinking", force=True)
    assert again.queued == 0 and again.outgoing == []
    assert community_digest.run(container, now=MONDAY_9).queued == 1  # next week's, as usual


def test_preview_of_a_quiet_week_is_none(container: Container, say: Say) -> None:
    play(say, [("cora", "community create design-thinking")], start=NOW - timedelta(days=10))
    assert community_digest.preview(container, community_id=1, now=NOW) is None
    assert community_digest.preview(container, community_id=99, now=NOW) is None
