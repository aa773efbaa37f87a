from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import CopError, InvalidInput, InvalidPeriod, UnknownStage, UsageError
from bot.grammar import commands as c
from bot.grammar.commands import (
    AddEvent,
    Advance,
    Ask,
    Attend,
    CloseRequest,
    Command,
    Community,
    Coordinator,
    Digest,
    Experts,
    Export,
    FocalPoint,
    ForgetMe,
    GiveFeedback,
    HandOver,
    Help,
    ItemRef,
    ListEvents,
    ListIdeas,
    ListRequests,
    LogTime,
    MyData,
    NewIdea,
    Offer,
    PersonRef,
    RateIdea,
    Reopen,
    Resolve,
    SetTarget,
    Shelve,
    ShowItem,
    Skills,
    Snooze,
    Stats,
    Vote,
)
from bot.grammar.help import AREAS, USAGE, help_text
from bot.grammar.parser import parse

I12 = ItemRef("I", 12)
R34 = ItemRef("R", 34)
E5 = ItemRef("E", 5)
ANA = PersonRef("ana")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # help
        ("help", Help()),
        ("help advance", Help("advance")),
        ("HELP /Stats", Help("stats")),
        # ideas
        ("idea", NewIdea(None)),
        (
            "idea Pilot a chatbot for constituents' FAQs",
            NewIdea("Pilot a chatbot for constituents' FAQs"),
        ),
        ('idea Use "plain language"  in   letters', NewIdea('Use "plain language"  in   letters')),
        ("idea first line\nsecond line", NewIdea("first line\nsecond line")),
        ("ideas", ListIdeas()),
        ("ideas pilot", ListIdeas("pilot")),
        ("ideas MINE", ListIdeas("mine")),
        ("ideas top Data Science", ListIdeas("top", "Data Science")),
        ('ideas shelved "Data Science"', ListIdeas("shelved", "Data Science")),
        ("ideas Health", ListIdeas("all", "Health")),
        ("ideas Data Science", ListIdeas("all", "Data Science")),
        ("show I-12", ShowItem(I12)),
        ("show r34", ShowItem(R34)),
        ("show #E-5", ShowItem(E5)),
        ("vote I-12", Vote(I12)),
        ("vote i12", Vote(I12)),
        ("vote #I-12", Vote(I12)),
        ("vote I12.", Vote(I12)),
        ("advance I-12 pilot", Advance(I12, "pilot")),
        (
            "advance I-12 DEVELOPMENT agreed with the unit",
            Advance(I12, "development", "agreed with the unit"),
        ),
        ("advance i-12 scaled", Advance(I12, "scaled")),
        (
            "shelve I-12 Too costly; try again next year",
            Shelve(I12, "Too costly; try again next year"),
        ),
        ("reopen I-12", Reopen(I12)),
        ("reopen I-12 funding found", Reopen(I12, "funding found")),
        ("rate I-12 high", RateIdea(I12, "high")),
        ("rate I-12 Medium", RateIdea(I12, "medium")),
        ("handover I-12 @ana", HandOver(I12, ANA)),
        ("handover I-12 <@U123|ana>", HandOver(I12, PersonRef("U123", "ana"))),
        ("handover I-12 <@U123>", HandOver(I12, PersonRef("U123"))),
        ("handover I-12 <at>Ana Lopez</at>", HandOver(I12, PersonRef("Ana Lopez"))),
        # peer learning
        ("ask", Ask(None)),
        ("ask Who knows Power BI?", Ask("Who knows Power BI?")),
        ("requests", ListRequests()),
        ("requests mine", ListRequests("mine")),
        ("requests ALL", ListRequests("all")),
        ("offer R-34", Offer(R34)),
        ("offer R-34 happy to pair", Offer(R34, "happy to pair")),
        ("resolve R-34", Resolve(R34)),
        ("resolve R-34 @ana @ben", Resolve(R34, (ANA, PersonRef("ben")))),
        ("resolve R-34 @ana, @ben and @ana", Resolve(R34, (ANA, PersonRef("ben")))),
        (
            "resolve R-34 <@U1|ana><@U2> <at>Ben Ode</at>",
            Resolve(R34, (PersonRef("U1", "ana"), PersonRef("U2"), PersonRef("Ben Ode"))),
        ),
        ("close R-34", CloseRequest(R34)),
        ("close R-34 no longer needed", CloseRequest(R34, "no longer needed")),
        ("skills", Skills("list")),
        ("skills list", Skills("list")),
        ("skills add python", Skills("add", ("python",))),
        ("skills add python, data analysis; Python,,", Skills("add", ("python", "data analysis"))),
        ("skills remove Survey design", Skills("remove", ("Survey design",))),
        ("experts survey design", Experts("survey design")),
        # feedback
        ("feedback", GiveFeedback(None, None, None)),
        ("feedback Great community", GiveFeedback(None, None, "Great community")),
        ("feedback 4", GiveFeedback(None, 4, None)),
        ("feedback I-12 5 Loved it", GiveFeedback(I12, 5, "Loved it")),
        ("feedback R-34 helpful answer", GiveFeedback(R34, None, "helpful answer")),
        ("feedback E-5 3/5", GiveFeedback(E5, 3, None)),
        ("feedback community 4 good vibes", GiveFeedback("community", 4, "good vibes")),
        ("feedback deliverable 4 text", GiveFeedback("deliverable", 4, "text")),
        ("feedback anon E-5 2 too long", GiveFeedback(E5, 2, "too long", anonymous=True)),
        ("feedback E-5 anonymous 2", GiveFeedback(E5, 2, None, anonymous=True)),
        (
            "feedback source:partner anon deliverable 5 useful",
            GiveFeedback("deliverable", 5, "useful", anonymous=True, source="partner"),
        ),
        (
            "feedback I-12 source:Constituent ok",
            GiveFeedback(I12, None, "ok", source="constituent"),
        ),
        ("feedback source: staff 4", GiveFeedback(None, 4, None, source="staff")),
        ("feedback I-12 4 anon fine", GiveFeedback(I12, 4, "fine", anonymous=True)),
        ("feedback I-12 4 fine, anon please", GiveFeedback(I12, 4, "fine, anon please")),
        ("feedback I-12 great 3 workshops", GiveFeedback(I12, None, "great 3 workshops")),
        # events & time
        (
            'event add "Design sprint" 2026-12-01 workshop',
            AddEvent("Design sprint", "2026-12-01", "workshop"),
        ),
        ("event add “Design sprint” 2026-12-01", AddEvent("Design sprint", "2026-12-01")),
        (
            "event add Design sprint 2026-12-1 TRAINING",
            AddEvent("Design sprint", "2026-12-01", "training"),
        ),
        (
            'event add "Q&A: 2026 plans" 2026-02-28 webinar',
            AddEvent("Q&A: 2026 plans", "2026-02-28", "webinar"),
        ),
        ("event add Leap 2028-02-29 meeting", AddEvent("Leap", "2028-02-29", "meeting")),
        ("attend E-5", Attend(E5)),
        ("attend E-5 @ana <@U2|ben>", Attend(E5, (ANA, PersonRef("U2", "ben")))),
        ("events", ListEvents()),
        ("events past", ListEvents("past")),
        ("log 1.5h", LogTime(1.5)),
        ("log 90m I-12 interviews", LogTime(1.5, I12, "interviews")),
        ("log 2h I12", LogTime(2.0, I12)),
        ("log 1h30m write-up", LogTime(1.5, None, "write-up")),
        ("log 1,5h", LogTime(1.5)),
        ("log 24h", LogTime(24.0)),
        ("log 45min reading", LogTime(0.75, None, "reading")),
        # indicators
        ("stats", Stats()),
        ("stats all", Stats("all")),
        ("stats Unit 2026-Q4", Stats("unit", "2026-Q4")),
        ("stats community last-30d", Stats("community", "last-30d")),
        ("stats 2026-11", Stats(None, "2026-11")),
        ("stats Data Science 2026", Stats("Data Science", "2026")),
        ("stats 2026-Q4 all", Stats("all", "2026-Q4")),
        ("stats 2026-13", Stats(None, "2026-13")),
        ("stats chart ideas_submitted", Stats(None, None, "ideas_submitted")),
        ("stats CHART Ideas_Submitted all 2026-Q4", Stats("all", "2026-Q4", "ideas_submitted")),
        (
            "stats chart pulse_score Data Science last-30d",
            Stats("Data Science", "last-30d", "pulse_score"),
        ),
        ("stats chart x 2026 region:Africa", Stats("region:Africa", "2026", "x")),
        ('stats "chart"', Stats("chart")),
        ("export", Export()),
        ("export xlsx", Export("xlsx")),
        ("export CSV 2026-27", Export("csv", "2026-27")),
        ("export 2026-W47", Export("csv", "2026-W47")),
        ("export 2026-Q4 xlsx", Export("xlsx", "2026-Q4")),
        ("digest", Digest()),
        ("digest send", Digest("send")),
        (
            "target set ideas_scaled 4",
            SetTarget("ideas_scaled", 4.0),
        ),
        (
            'target set Ideas_Scaled 4.5 2026-27 @ana baseline=1 scope="Data Science"',
            SetTarget("ideas_scaled", 4.5, "2026-27", ANA, 1.0, "Data Science"),
        ),
        (
            "target set pulse_score 3,8 scope=Health <@U1|ana> 2026",
            SetTarget("pulse_score", 3.8, "2026", PersonRef("U1", "ana"), None, "Health"),
        ),
        # communities & roles
        ("community create Data Science", Community("create", "Data Science")),
        ('community join "Data Science"', Community("join", "Data Science")),
        ("community leave Health", Community("leave", "Health")),
        ("community bind", Community("bind")),
        ("community bind Health", Community("bind", "Health")),
        ("community list", Community("list")),
        ("community settings", Community("settings")),
        (
            'community settings digest_day=mon Capture=on name="Data Science" note=',
            Community(
                "settings",
                settings=(
                    ("digest_day", "mon"),
                    ("capture", "on"),
                    ("name", "Data Science"),
                    ("note", ""),
                ),
            ),
        ),
        ("focal add @ana", FocalPoint("add", ANA)),
        ("focal remove @ana Health unit", FocalPoint("remove", ANA, "Health unit")),
        ("coordinator add <@U9|zoe>", Coordinator("add", PersonRef("U9", "zoe"))),
        ("coordinator remove @ana", Coordinator("remove", ANA)),
        # your data
        ("snooze 3d", Snooze(3)),
        ("snooze 90d", Snooze(90)),
        ("snooze 1", Snooze(1)),
        ("my-data", MyData()),
        ("forget-me", ForgetMe()),
        ("forget-me confirm", ForgetMe(True)),
        ("Forget-Me CONFIRM", ForgetMe(True)),
    ],
)
def test_parses(line: str, expected: Command) -> None:
    assert parse(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "/cop vote I-12",
        "/COP   vote I-12",
        "@cop-bot vote I-12",
        "@cop-bot: vote I-12",
        "<at>cop-bot</at> vote I-12",
        "<at>cop-bot</at>\u00a0vote I-12",
        "  \t vote   I-12  \n",
        "@cop-bot /cop vote I-12",
        "VOTE i-12",
    ],
)
def test_prefixes_and_whitespace(line: str) -> None:
    assert parse(line) == Vote(I12)


def test_configured_command_name() -> None:
    assert parse("/ideasbot vote I-12", command_name="ideasbot") == Vote(I12)
    assert parse("/ideasbot vote I-12", command_name="/ideasbot") == Vote(I12)
    with pytest.raises(UsageError):
        parse("/cop vote I-12", command_name="ideasbot")


def test_a_prefix_is_only_stripped_as_a_whole_word() -> None:
    with pytest.raises(UsageError, match='Unknown command "/copvote"'):
        parse("/copvote I-12")


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


# --- help --------------------------------------------------------------------------------


def test_usage_covers_every_verb_and_every_verb_parses() -> None:
    assert len(USAGE) == 41
    for verb in USAGE:
        try:
            parse(verb)
        except UsageError as error:
            assert error.usage == USAGE[verb]


def test_overview_is_grouped_by_area_and_names_every_verb() -> None:
    text = help_text(None)
    for name, _gist, verbs in AREAS:
        assert str(name) in text
        for verb in verbs:
            assert verb in text
    grouped = [verb for _name, _gist, verbs in AREAS for verb in verbs]
    assert sorted(grouped) == sorted(v for v in USAGE if v != "help")
    assert len(text.splitlines()) <= 12
    assert help_text("") == text


@pytest.mark.parametrize("verb", list(USAGE))
def test_help_for_each_verb_has_usage_and_an_example(verb: str) -> None:
    text = help_text(verb)
    assert text.startswith(USAGE[verb])
    example = next(line for line in text.splitlines() if line.startswith("Example: "))
    assert isinstance(parse(example.removeprefix("Example: ")), Command)


def test_help_topic_is_case_and_slash_tolerant() -> None:
    assert help_text("/ADVANCE") == help_text("advance")


def test_help_for_an_unknown_topic_suggests_and_shows_the_overview() -> None:
    text = help_text("avdance")
    assert text.startswith('No help for "avdance". Did you mean "help advance"?')
    assert help_text(None) in text


# --- properties --------------------------------------------------------------------------


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


def test_language_takes_a_supported_code_or_auto() -> None:
    assert parse("language") == c.Language()
    assert parse("language FR") == c.Language("fr")
    assert parse("language auto") == c.Language("auto")
    with pytest.raises(CopError, match="de"):
        parse("language de")
