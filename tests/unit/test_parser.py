from __future__ import annotations

import pytest

from bot.errors import CopError, UsageError
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


def test_language_takes_a_supported_code_or_auto() -> None:
    assert parse("language") == c.Language()
    assert parse("language FR") == c.Language("fr")
    assert parse("language auto") == c.Language("auto")
    with pytest.raises(CopError, match="de"):
        parse("language de")
