"""What the parser refuses and how it says so: the error type and words for each malformed
line, the closest stage or verb suggested for a typo, the verb list for an empty line, long
user text shortened and huge numbers refused; and, as properties, that any text (or a real
verb followed by random tokens) either parses or raises a ``CopError``, never anything else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import CopError, InvalidInput, InvalidPeriod, UnknownStage, UsageError
from bot.grammar.commands import Command
from bot.grammar.help import USAGE
from bot.grammar.parser import parse


def test_unknown_stage_message_is_exact() -> None:
    with pytest.raises(UnknownStage) as caught:
        parse("advance I-12 banana")
    assert (
        caught.value.message
        == 'Unknown stage "banana". Stages: proposed, development, pilot, scaled.'
    )
    assert caught.value.usage == USAGE["advance"]


def test_unknown_stage_suggests_the_closest() -> None:
    with pytest.raises(UnknownStage) as caught:
        parse("advance I-12 pilto")
    assert caught.value.message == (
        'Unknown stage "pilto". Stages: proposed, development, pilot, scaled. Did you mean "pilot"?'
    )


def test_unknown_command_suggests_the_closest_verb() -> None:
    with pytest.raises(UsageError) as caught:
        parse("ideaz")
    assert caught.value.message.startswith('Unknown command "ideaz". Did you mean "ideas"?')
    for verb in USAGE:
        assert verb in caught.value.message
    assert caught.value.usage == USAGE["help"]


@pytest.mark.parametrize("line", ["", "   ", "/cop", "@cop-bot", "<at>cop-bot</at>  "])
def test_empty_line_lists_the_verbs(line: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse(line)
    assert "Commands: help, idea, ideas" in caught.value.message
    assert caught.value.usage == USAGE["help"]


@pytest.mark.parametrize(
    ("line", "error", "fragment"),
    [
        ("frobnicate", UsageError, 'Unknown command "frobnicate".'),
        ("hlep", UsageError, 'Did you mean "help"?'),
        (
            "ideas pilto",
            InvalidInput,
            'Did you mean "pilot"? For a community\'s ideas: ideas all pilto',
        ),
        ("show", UsageError, "show needs an item, e.g. show I-12."),
        ("show twelve", UsageError, '"twelve" is not an item'),
        ("show I-0", UsageError, '"I-0" is not an item'),
        ("show I-12 I-13", UsageError, 'Unexpected "I-13"'),
        ("vote", UsageError, "vote needs an idea, e.g. vote I-12."),
        ("vote R-3", UsageError, "vote needs an idea (I-12), not R-3."),
        ("vote E-3", UsageError, "vote needs an idea (I-12), not E-3."),
        ("vote I-12 please", UsageError, 'Unexpected "please" at the end of vote.'),
        ("advance I-12", UsageError, "Name the stage"),
        ("advance R-3 pilot", UsageError, "advance needs an idea (I-12), not R-3."),
        ("advance I-12 proposed", InvalidInput, "reopen I-12"),
        ("advance I-12 shelved", InvalidInput, "shelve I-12"),
        ("shelve I-12", UsageError, "shelve I-12 <lessons learned>"),
        ("shelve R-1 lessons", UsageError, "shelve needs an idea"),
        ("reopen E-1", UsageError, "reopen needs an idea"),
        ("rate I-12", UsageError, "low, medium or high"),
        ("rate I-12 huge", InvalidInput, 'Unknown rating "huge". Ratings: low, medium, high.'),
        ("rate I-12 hihg", InvalidInput, 'Did you mean "high"?'),
        ("rate I-12 high now", UsageError, 'Unexpected "now"'),
        ("handover I-12", UsageError, "handover needs a person"),
        ("handover I-12 ana", UsageError, '"ana" is not a person'),
        ("handover I-12 <!channel>", UsageError, '"<!channel>" is not a person'),
        ("handover I-12 <#C1|general>", UsageError, "is not a person"),
        ("handover I-12 @", UsageError, '"@" is not a person'),
        ("handover I-12 @ana @ben", UsageError, 'Unexpected "@ben"'),
        ("requests closed", InvalidInput, 'Unknown filter "closed". Filters: open, mine, all.'),
        ("requests open mine", UsageError, 'Unexpected "mine"'),
        ("offer", UsageError, "offer needs a request, e.g. offer R-34."),
        ("offer I-3", UsageError, "offer needs a request (R-34), not I-3."),
        ("resolve E-5", UsageError, "resolve needs a request (R-34), not E-5."),
        ("resolve R-34 ana", UsageError, '"ana" is not a person'),
        ("close I-1", UsageError, "close needs a request"),
        ("feedback 6 too high", InvalidInput, "Ratings go from 1 to 5, not 6."),
        ("feedback I-12 0", InvalidInput, "Ratings go from 1 to 5, not 0."),
        (
            "feedback source:boss hi",
            InvalidInput,
            'Unknown source "boss". Sources: staff, constituent, partner.',
        ),
        ("feedback source:partnr hi", InvalidInput, 'Did you mean "partner"?'),
        ("feedback source:", UsageError, "Name the source"),
        ("skills add", UsageError, "Name the skills"),
        ("skills add , ;", UsageError, "Name the skills"),
        ("skills python", InvalidInput, 'Unknown action "python". Actions: list, add, remove.'),
        ("skills list all", UsageError, 'Unexpected "all"'),
        ("experts", UsageError, "Name a topic"),
        ("event", UsageError, "event needs an action: add."),
        ("event remove E-5", InvalidInput, 'Unknown action "remove". Actions: add.'),
        ("event add", UsageError, "Give the event a title and a date."),
        ('event add "Design sprint"', UsageError, "Give the event a date"),
        ("event add Design sprint", UsageError, "Give the event a date"),
        ("event add 2026-12-01", UsageError, "Give the event a title."),
        ('event add "" 2026-12-01', UsageError, "Give the event a title."),
        ('event add "Sprint" 2026-02-30', InvalidInput, 'Not a date: "2026-02-30". Use YYYY-MM-DD'),
        ('event add "Sprint" 2027-02-29', InvalidInput, 'Not a date: "2027-02-29"'),
        ('event add "Sprint" 2026-13-01', InvalidInput, 'Not a date: "2026-13-01"'),
        ('event add "Sprint" tomorrow', InvalidInput, 'Not a date: "tomorrow"'),
        (
            'event add "Sprint" 2026-12-01 party',
            InvalidInput,
            'Unknown kind "party". Kinds: training',
        ),
        ('event add "Sprint" 2026-12-01 workshp', InvalidInput, 'Did you mean "workshop"?'),
        ('event add "Sprint" 2026-12-01 workshop extra', UsageError, 'Unexpected "extra"'),
        ("attend I-5", UsageError, "attend needs an event (E-5), not I-5."),
        ("attend", UsageError, "attend needs an event, e.g. attend E-5."),
        ("attend E-5 bob", UsageError, '"bob" is not a person'),
        ("events soon", InvalidInput, 'Unknown filter "soon". Filters: upcoming, past.'),
        ("log", UsageError, "Give the time in hours or minutes"),
        ("log 1.5", UsageError, "Give the time in hours or minutes"),
        ("log lots", UsageError, "Give the time in hours or minutes"),
        ("log 0h", InvalidInput, "Hours must be more than 0 and at most 24."),
        ("log 0m", InvalidInput, "Hours must be more than 0 and at most 24."),
        ("log 24.5h", InvalidInput, "Hours must be more than 0 and at most 24."),
        ("log 1441m", InvalidInput, "Hours must be more than 0 and at most 24."),
        ("log 2h R-3 helped", UsageError, "log needs an idea (I-12), not R-3."),
        ("stats all 2026-Q4 2026-Q3", UsageError, "Give one period"),
        ("stats chart", UsageError, "Name the indicator to chart"),
        ("stats chart 2026-Q4", UsageError, "Name the indicator to chart"),
        ("stats chart ideas-scaled", InvalidInput, '"ideas-scaled" is not an indicator key.'),
        ("export pdf", InvalidInput, 'Unknown format "pdf". Formats: csv, xlsx.'),
        ("export csv soon", InvalidPeriod, 'Unknown period "soon". Periods: 2026-11'),
        ("export csv 2026 extra", UsageError, 'Unexpected "extra"'),
        ("digest now", InvalidInput, 'Unknown action "now". Actions: preview, send.'),
        ("snooze", UsageError, "Say for how many days"),
        ("snooze forever", UsageError, "Say for how many days"),
        ("snooze 0d", InvalidInput, "Snooze for 1 to 90 days."),
        ("snooze 91d", InvalidInput, "Snooze for 1 to 90 days."),
        ("snooze 3d please", UsageError, 'Unexpected "please"'),
        ("community", UsageError, "community needs an action"),
        ("community destroy X", InvalidInput, 'Unknown action "destroy"'),
        ("community craete Data", InvalidInput, 'Did you mean "create"?'),
        ("community create", UsageError, "Name the community"),
        ('community join ""', UsageError, "Name the community"),
        ("community list all", UsageError, 'Unexpected "all"'),
        ("community settings digest", UsageError, 'Settings are key=value, not "digest".'),
        ("community settings =on", UsageError, "Settings are key=value"),
        ("focal", UsageError, "focal needs an action: add, remove."),
        ("focal promote @ana", InvalidInput, 'Unknown action "promote". Actions: add, remove.'),
        ("focal add", UsageError, "focal needs a person"),
        ("focal add ana Health", UsageError, '"ana" is not a person'),
        ("coordinator add", UsageError, "coordinator needs a person"),
        ("coordinator add @ana @ben", UsageError, 'Unexpected "@ben"'),
        ("target", UsageError, "target needs an action: set."),
        ("target get x", InvalidInput, 'Unknown action "get". Actions: set.'),
        ("target set", UsageError, "Name the indicator and the target value."),
        ("target set ideas_scaled", UsageError, "Name the indicator and the target value."),
        ("target set ideas-scaled 4", InvalidInput, '"ideas-scaled" is not an indicator key.'),
        (
            "target set ideas_scaled four",
            InvalidInput,
            'The target value must be a number, not "four".',
        ),
        ("target set ideas_scaled 80%", InvalidInput, "must be a number"),
        (
            "target set ideas_scaled 4 baseline=x",
            InvalidInput,
            'The baseline must be a number, not "x".',
        ),
        ("target set ideas_scaled 4 scope=", UsageError, "Name the scope"),
        ("target set ideas_scaled 4 2026 2027", UsageError, '"2027" repeats a part already given.'),
        ("target set ideas_scaled 4 @ana @ben", UsageError, '"@ben" repeats'),
        ("target set ideas_scaled 4 baseline=1 baseline=2", UsageError, "repeats"),
        ("target set ideas_scaled 4 soon", UsageError, 'Unexpected "soon" in target set.'),
        ("my-data please", UsageError, 'Unexpected "please" at the end of my-data.'),
        ("forget-me now", UsageError, "forget-me confirm"),
        ("forget-me confirm now", UsageError, 'Unexpected "now"'),
    ],
)
def test_errors(line: str, error: type[CopError], fragment: str) -> None:
    with pytest.raises(error) as caught:
        parse(line)
    assert fragment in caught.value.message
    assert caught.value.usage
    verb = line.split()[0].lower()
    if verb in USAGE:
        assert caught.value.usage == USAGE[verb]
    assert caught.value.reply_text().endswith(f"Usage: {caught.value.usage}")


def test_long_user_text_is_shortened_in_errors() -> None:
    with pytest.raises(UsageError) as caught:
        parse("x" * 5000)
    assert len(caught.value.message) < 600
    with pytest.raises(UsageError) as caught:
        parse("vote " + "y" * 5000)
    assert len(caught.value.message) < 200


def test_huge_numbers_are_refused_not_crashed_on() -> None:
    for line in ("vote I-" + "9" * 5000, "log " + "9" * 5000 + "h", "snooze " + "9" * 5000 + "d"):
        with pytest.raises(CopError):
            parse(line)


def _parse_or_cop_error(line: str) -> None:
    try:
        result = parse(line)
    except CopError as error:
        assert error.message
        return
    assert isinstance(result, Command)


@given(st.text())
def test_any_text_parses_or_raises_a_cop_error(line: str) -> None:
    _parse_or_cop_error(line)


_PLAIN_WORDS = (
    'I-12 i12 #I-12 R-34 E-5 I-0 @ana <@U123|ana> <@U1> <at> </at> <!here> " “ ” pilot pilto '
    "proposed shelved add remove list set bind settings create anon source:partner source: "
    "source:x community deliverable 0 3 6 4/5 1.5h 90m 0h 25h 1h30m 3d 91d 2026-12-01 "
    "2026-02-30 2026-Q4 2026-13 last-30d 2026-27 csv xlsx k=v = baseline=1 baseline= scope= "
    "scope=X confirm , and < > /cop @cop-bot"
)
_WORDS = [*_PLAIN_WORDS.split(), "<at>Ana Lopez</at>", '"a b"', "“x y”", "\n", "\u00a0", "9" * 30]
_TOKENS = st.one_of(st.sampled_from(_WORDS), st.text(max_size=12))


@given(
    prefix=st.sampled_from(["", "/cop ", "@cop-bot ", "<at>cop-bot</at> "]),
    verb=st.sampled_from([*USAGE, "ideaz", "Vote", "FEEDBACK"]),
    tokens=st.lists(_TOKENS, max_size=8),
    separator=st.sampled_from([" ", "  ", "\t", ""]),
)
def test_real_verbs_with_random_tokens_parse_or_raise_a_cop_error(
    prefix: str, verb: str, tokens: list[str], separator: str
) -> None:
    _parse_or_cop_error(prefix + verb + " " + separator.join(tokens))
