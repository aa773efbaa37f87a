"""Bad input is reported with its file and line while the rest imports; --dry-run writes
nothing; --map, --only and --skip; people are linked, never duplicated; days the bot already
counted live are not counted again."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.container import Container
from bot.importing.export import iter_array
from bot.importing.rules import author
from storage.models import (
    Account,
    ChannelBinding,
    Community,
    ImportCandidate,
    ImportedCount,
    Participation,
    Person,
)
from tests.conftest import NOW, Say
from tests.importing.conftest import (
    FIXTURE,
    WORKSPACE,
    Import,
    independent_counts,
    snapshot,
    stored_counts,
)


def test_the_counting_rule() -> None:
    def m(**fields: object) -> dict[str, object]:
        return {"type": "message", "ts": "1.0", "text": "hi", **fields}

    assert author(m(user="U1")) == "U1"
    for subtype in ("file_share", "thread_broadcast", "me_message"):
        assert author(m(user="U1", subtype=subtype)) == "U1"
    for subtype in (
        "channel_join",
        "channel_leave",
        "channel_topic",
        "channel_purpose",
        "bot_message",
        "file_comment",
        "pinned_item",
        "message_changed",
    ):
        assert author(m(user="U1", subtype=subtype)) is None
    assert author(m(user="U1", bot_id="B1")) is None
    assert author(m()) is None


def test_lines_are_reported_where_the_json_breaks() -> None:
    text = '[\n  {"a": 1},\n  {"b": 2},\n  {"c": \n]\n'
    rows = list(iter_array(text, "x.json"))
    assert rows[:2] == [(2, {"a": 1}), (3, {"b": 2})]
    assert str(rows[2]).startswith("x.json:5: malformed JSON")


def test_bad_input_is_reported_with_file_and_line_and_the_rest_imports(
    run: Import, container: Container, export_copy: Path
) -> None:
    expected = independent_counts(export_copy)
    day = export_copy / "datajam" / "2015-06-05.json"
    messages = json.loads(day.read_text())
    messages.append(
        {"type": "message", "user": "UNOBODY1", "text": "who am I", "ts": "1433560000.1"}
    )
    day.write_text(json.dumps(messages, indent=4))
    lines = day.read_text().splitlines()
    unknown_line = lines.index('        "user": "UNOBODY1",') - 1  # its "{", 1-based
    assert lines[unknown_line - 1] == "    {"
    broken = export_copy / "general" / "2015-06-09.json"
    broken.write_text(broken.read_text().replace("}", "", 1))
    (export_copy / "notes.txt").write_text("hello")
    (export_copy / "sci" / "README.json").write_text("[]")
    for path in (export_copy / "talks").iterdir():
        path.unlink()
    (export_copy / "talks").rmdir()

    summary = run(export_copy)

    reported = [str(p) for p in summary.problems]
    assert any(r.startswith("general/2015-06-09.json:") and "malformed JSON" in r for r in reported)
    assert f"datajam/2015-06-05.json:{unknown_line}: unknown user id UNOBODY1; message skipped" in (
        reported
    )
    assert "talks/: channel folder missing" in reported
    assert "sci/README.json: not a day file (YYYY-MM-DD.json)" in reported
    stored = stored_counts(container)
    broken_day = ("general", day_of(broken))
    assert stored[broken_day] < expected[broken_day]  # only what precedes the break
    del stored[broken_day], expected[broken_day]
    assert stored == +Counter({k: v for k, v in expected.items() if k[0] != "talks"})
    assert summary.communities_created == 16  # talks is still a community, with no counts


def day_of(path: Path) -> date:
    return date.fromisoformat(path.stem)


def test_dry_run_says_what_it_would_do_and_writes_nothing(
    run: Import, container: Container
) -> None:
    before = snapshot(container)

    dry = run(dry_run=True)

    assert snapshot(container) == before
    assert dry.communities_created == 16 and dry.people_created == 19
    assert dry.added == sum(independent_counts(FIXTURE).values())
    real = run()
    assert (real.communities_created, real.added, real.new_candidates) == (
        dry.communities_created,
        dry.added,
        dry.new_candidates,
    )


def test_map_only_and_skip(run: Import, container: Container, say: Say) -> None:
    say("cora", "community create design-thinking-hq")

    summary = run(
        mapping={"general": "design-thinking-hq", "tools": "design-thinking-hq"},
        only=frozenset({"general", "tools", "sci", "nope"}),
        skip=frozenset({"sci"}),
    )

    assert {c.channel for c in summary.channels} == {"general", "tools"}
    assert "--only: no channel called 'nope' in the export" in [str(p) for p in summary.problems]
    with container.uow() as uow:
        hq = uow.session.scalar(select(Community).where(Community.name == "design-thinking-hq"))
        assert hq is not None
        bound = uow.session.scalars(
            select(ChannelBinding.channel_name).where(
                ChannelBinding.community_id == hq.id, ChannelBinding.platform == "slack"
            )
        ).all()
        total = uow.session.scalar(
            select(func.sum(Participation.messages)).where(Participation.community_id == hq.id)
        )
    assert sorted(bound) == ["general", "tools"]
    expected = independent_counts(FIXTURE)
    assert total == sum(n for (ch, _), n in expected.items() if ch in ("general", "tools"))


def test_people_are_linked_by_slack_id_or_email_never_duplicated(
    run: Import, container: Container, export_copy: Path
) -> None:
    users = json.loads((export_copy / "users.json").read_text())
    users[0]["profile"]["email"] = "Micah@Example.org"
    (export_copy / "users.json").write_text(json.dumps(users))
    with container.uow() as uow:
        by_email = Person(display_name="micah", email="micah@example.org", created_at=NOW)
        by_id = Person(display_name="second", created_at=NOW)
        uow.session.add_all([by_email, by_id])
        uow.session.flush()
        uow.session.add(
            Account(
                person_id=by_id.id,
                platform="slack",
                workspace=WORKSPACE,
                user_id=users[1]["id"],
                created_at=NOW,
            )
        )
        uow.commit()

    summary = run(export_copy)

    assert (summary.people_created, summary.people_linked_by_email, summary.people_known) == (
        len(users) - 2,
        1,
        1,
    )
    with container.uow() as uow:
        assert uow.session.scalar(select(func.count(Person.id))) == len(users)
        linked = uow.session.scalar(
            select(Account.person_id).where(Account.user_id == users[0]["id"])
        )
        assert linked == by_email.id


def test_days_the_bot_already_counted_live_are_not_counted_twice(
    run: Import, container: Container, say: Say
) -> None:
    first = run()
    general = next(c for c in first.channels if c.channel == "general")
    days = sorted(general.per_day)
    with container.uow() as uow:
        binding = uow.session.scalar(
            select(ChannelBinding).where(ChannelBinding.channel_name == "general")
        )
        assert binding is not None
        community = uow.session.get(Community, binding.community_id)
        assert community is not None
        community.count_participation = True
        # Pretend the bot was bound (and counting) from the third day on.
        binding.created_at = datetime.combine(days[2], datetime.min.time(), UTC) + timedelta(
            hours=12
        )
        uow.session.execute(
            Participation.__table__.delete().where(
                Participation.community_id == community.id, Participation.day >= days[2]
            )
        )
        uow.session.execute(ImportCandidate.__table__.delete())
        uow.session.execute(ImportedCount.__table__.delete().where(ImportedCount.day >= days[2]))
        uow.commit()

    again = run()

    again_general = next(c for c in again.channels if c.channel == "general")
    assert again_general.already_live > 0
    assert again_general.added + again_general.already_live == sum(
        n for d, n in general.per_day.items() if d >= days[2]
    )
